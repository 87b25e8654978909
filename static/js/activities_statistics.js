// Charts of the activities statistics page (activities.statistics): the figures by year and the delegations by
// country, drawn with the vendored ECharts as SVG (sharp when printed). The data comes from json_script elements
// (the Content Security Policy forbids inline scripts); the same figures are in the page's tables, for screen
// readers and for readers without scripts.
(function () {
  "use strict";

  const instances = [];
  const COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107", "#0dcaf0", "#d63384"];

  function readData(id) {
    const element = id ? document.getElementById(id) : null;
    return element ? JSON.parse(element.textContent) : null;
  }

  function start(element) {
    const chart = echarts.init(element, null, { renderer: "svg" });
    instances.push(chart);
    return chart;
  }

  function drawYears(element, data) {
    const chart = start(element);
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map((series) => ({
        name: series.name,
        type: "bar",
        barMaxWidth: 14,
        data: series.values,
      })),
    });
  }

  function drawCountries(element, data) {
    // One row per country, the most visited on top; the chart grows with the number of countries.
    element.style.height = Math.max(160, data.countries.length * 26 + 60) + "px";
    const chart = start(element);
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.countries, axisLabel: { width: 150, overflow: "truncate", fontSize: 11 } },
      series: data.series.map((series) => ({
        name: series.name,
        type: "bar",
        stack: "delegations",
        barMaxWidth: 16,
        data: series.values,
      })),
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".js-statistics-chart").forEach((element) => {
      const data = readData(element.dataset.source);
      if (!data) { return; }
      if (element.dataset.chart === "years") { drawYears(element, data); }
      if (element.dataset.chart === "countries") { drawCountries(element, data); }
    });
    const resize = () => instances.forEach((chart) => chart.resize());
    window.addEventListener("resize", resize);
    // Printing lays the page out again (narrower): redraw the charts to their new boxes.
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
    if (window.matchMedia) { window.matchMedia("print").addEventListener("change", resize); }
  });
})();
