// Charts of the statistics pages: every <div data-chart="bar|line|pie" data-source="ID"> is drawn with ECharts
// from the JSON in <script type="application/json" id="ID"> (Django's json_script): {"labels": [...],
// "series": [{"name": "...", "data": [...]}]}. No inline script: the page's Content-Security-Policy forbids it.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var kind = el.dataset.chart;
    var chart = echarts.init(el, null, { renderer: "svg" });
    var option;
    if (kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: "65%", data: data.labels.map(function (label, i) {
          return { name: label, value: data.series[0].data[i] };
        }) }],
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 32, bottom: 40 },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) { return { name: s.name, type: kind, data: s.data, stack: el.dataset.stack || undefined }; }),
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
