// Small behaviours the templates ask for by class; no inline scripts (CSP: script-src 'self').
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.classList && el.classList.contains("auto-submit")) el.form.submit();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset && form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
