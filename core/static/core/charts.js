/* Charts with Apache ECharts (vendored: core/static/core/vendor/echarts). Each chart is a
   <div class="echart" data-chart="KIND" data-source="ID"> whose data is a json_script
   element with that id: no inline script, so the strict Content-Security-Policy holds. */
(function () {
  "use strict";
  var PALETTE = ["#1677ff", "#52c41a", "#faad14", "#722ed1", "#13c2c2", "#eb2f96", "#fa541c", "#2f54eb"];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var builders = {
    "line-rate": function (d) {
      return {
        grid: { left: 48, right: 16, top: 16, bottom: 28 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return (v * 100).toFixed(1) + "%"; } },
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
        series: [{ type: "line", data: d.values, smooth: true, areaStyle: { opacity: 0.15 } }]
      };
    },
    bars: function (d, el) {
      return {
        grid: { left: 64, right: 16, top: 32, bottom: 28 },
        legend: { top: 0, data: [el.dataset.outputLabel || "output", el.dataset.revenueLabel || "revenue"] },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value" },
        series: [
          { name: el.dataset.outputLabel || "output", type: "bar", data: d.output },
          { name: el.dataset.revenueLabel || "revenue", type: "bar", data: d.revenue }
        ]
      };
    },
    lines: function (d) {
      return {
        grid: { left: 64, right: 16, top: 32, bottom: 28 },
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value" },
        series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.values, connectNulls: true }; })
      };
    },
    pie: function (d) {
      return {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "44%"], data: d, label: { show: false } }]
      };
    }
  };

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".echart[data-chart]").forEach(function (el) {
      var d = data(el.dataset.source);
      var build = builders[el.dataset.chart];
      if (!d || !build) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var option = build(d, el);
      option.color = PALETTE;
      chart.setOption(option);
      // a data item that names a page (a slice of units by status) opens it when clicked
      chart.on("click", function (p) {
        if (p.data && p.data.url) { window.location.href = p.data.url; }
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
