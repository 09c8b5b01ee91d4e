// Small behaviours the templates ask for by class; no inline scripts (CSP: script-src 'self').
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.classList && el.classList.contains("auto-submit")) el.form.submit();
});
// A form with data-confirm asks first, in the page's own dialog: data-confirm-title names the
// record and the action, data-confirm the consequence, data-confirm-ok the button,
// data-confirm-danger makes it red. The browser's confirm() only where <dialog> is missing.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset && form.dataset.confirm;
  if (!question || form.dataset.confirmed === "1") return;
  event.preventDefault();
  const submitter = event.submitter || undefined;
  const go = () => { form.dataset.confirmed = "1"; form.requestSubmit(submitter); };
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    if (window.confirm(question)) go();
    return;
  }
  dialog.querySelector("[data-confirm-title]").textContent = form.dataset.confirmTitle || "";
  dialog.querySelector("[data-confirm-text]").textContent = question;
  const ok = dialog.querySelector("[data-confirm-ok]");
  ok.textContent = form.dataset.confirmOk || ok.dataset.default;
  ok.className = "btn " + ("confirmDanger" in form.dataset ? "btn-danger" : "btn-primary");
  dialog.onclose = () => { if (dialog.returnValue === "ok") go(); };
  dialog.returnValue = "";
  dialog.showModal();
});
// Column chooser: the columns a user hides in a list stay hidden on that list (per record
// type, in this browser), after paging, sorting and filtering swap the table.
const hiddenColumns = (table) => JSON.parse(localStorage.getItem("columns:" + table) || "[]");
function applyColumns(root) {
  root.querySelectorAll(".table-wrap[data-table]").forEach((wrap) => {
    const hidden = hiddenColumns(wrap.dataset.table);
    wrap.querySelectorAll("thead th").forEach((th, i) => {
      const off = hidden.includes(th.dataset.col);
      wrap.querySelectorAll(`tr > :nth-child(${i + 1})`).forEach((cell) => {
        cell.classList.toggle("col-hidden", off);
      });
    });
  });
  root.querySelectorAll(".col-menu[data-table] input[data-col]").forEach((box) => {
    box.checked = !hiddenColumns(box.closest(".col-menu").dataset.table).includes(box.dataset.col);
  });
}
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches(".col-menu input[data-col]")) return;
  const table = box.closest(".col-menu").dataset.table;
  const hidden = hiddenColumns(table).filter((c) => c !== box.dataset.col);
  if (!box.checked) hidden.push(box.dataset.col);
  localStorage.setItem("columns:" + table, JSON.stringify(hidden));
  applyColumns(document);
});
document.addEventListener("DOMContentLoaded", () => applyColumns(document));
document.addEventListener("htmx:afterSwap", (event) => applyColumns(event.target));
// Pickers (core.pickers): a match clicked fills the hidden id and the search box.
document.addEventListener("click", (event) => {
  const option = event.target.closest && event.target.closest(".pick-option");
  if (!option) return;
  const picker = option.closest(".picker");
  picker.querySelector(".picker-value").value = option.dataset.value;
  picker.querySelector(".picker-text").value = option.textContent.trim();
  picker.querySelector(".picker-results").innerHTML = "";
});
