// The dashboards (统计分析): every <div data-dashboard-chart data-source="ID"> is drawn with ECharts (SVG, which
// prints sharply) from the JSON in <script type="application/json" id="ID"> (Django's json_script):
// {"kind": "line|bar|hbar|pie", "labels": [...], "series": [{"name", "data": [...], "urls": [...], "unit"}], "url"}
// (hbar: a ranking, its first row on top). A click on a point, bar or slice opens the records behind it (its
// url). No inline script: the page's Content-Security-Policy forbids it.
(function () {
  "use strict";
  var charts = [];

  function open(url) {
    if (url) window.location.href = url;
  }

  function option(data) {
    var percent = data.series.some(function (s) { return s.unit === "%"; });
    if (data.kind === "pie") {
      var s = data.series[0];
      return {
        animation: false,
        tooltip: { trigger: "item" },
        series: [{
          type: "pie", radius: ["30%", "65%"],
          label: { formatter: "{b}: {c}" },
          data: data.labels.map(function (label, i) { return { name: label, value: s.data[i] }; }),
        }],
      };
    }
    if (data.kind === "hbar") {
      var bars = data.series[0];
      return {
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: {
          type: "category", inverse: true, data: data.labels,
          axisLabel: { width: 150, overflow: "truncate" },
        },
        series: [{
          name: bars.name, type: "bar", data: bars.data, cursor: "pointer", barMaxWidth: 28,
          label: { show: true, position: "right" },
        }],
      };
    }
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 36, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: percent ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } } : { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind, data: s.data, connectNulls: false, cursor: "pointer" };
      }),
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    chart.on("click", function (params) {
      var s = data.series[params.seriesIndex || 0];
      open((s && s.urls && s.urls[params.dataIndex]) || data.url);
    });
    charts.push(chart);
    el.dataset.rendered = "1";
  }

  function resize() {
    charts.forEach(function (c) { c.resize(); });
  }

  function autosubmit(root) {
    // Picking another ranking shows it (without JavaScript, the form's button does).
    root.querySelectorAll("select[data-autosubmit]:not([data-bound])").forEach(function (select) {
      select.dataset.bound = "1";
      select.addEventListener("change", function () {
        var form = select.form;
        if (form) form.submit();
      });
    });
  }

  // The rankings arrive after the page (htmx, /stats/rankings/): their charts are drawn as they come in.
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail && event.detail.elt;
    if (!root || !root.querySelectorAll || typeof echarts === "undefined") return;
    root.querySelectorAll("[data-dashboard-chart]:not([data-rendered])").forEach(draw);
    autosubmit(root);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dashboard-chart]:not([data-rendered])").forEach(draw);
    window.addEventListener("resize", resize);
    // Printed, every card shows its 口径 (the <details> open) and the charts fit the paper's width.
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll(".wj-figure details"), function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
      resize();
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
      closed = [];
      resize();
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    autosubmit(document);
    // Dates typed in make the period a custom one.
    var period = document.getElementById("f-period");
    document.querySelectorAll("[data-custom-period]").forEach(function (input) {
      input.addEventListener("change", function () { if (period) period.value = "custom"; });
    });
  });
})();
