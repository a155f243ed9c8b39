// Charts of the semester assessment, drawn with the vendored Chart.js from JSON embedded by
// Django's json_script (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";
  var SERIES = ["#14532d", "#ca8a04", "#2563eb", "#9333ea"];
  var BANDS = ["#166534", "#15803d", "#ca8a04", "#ea580c", "#b91c1c"];

  function read(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function base(extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      locale: document.documentElement.lang || "id",
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      animation: window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : {}
    };
    return Object.assign(options, extra || {});
  }

  function series(list, type) {
    return list.map(function (item, index) {
      return {
        label: item.label, data: item.data, spanGaps: true, borderWidth: 2,
        borderColor: SERIES[index % SERIES.length],
        backgroundColor: type === "line" ? SERIES[index % SERIES.length] : SERIES[index % SERIES.length] + "cc"
      };
    });
  }

  function indicatorChart(canvas, data) {
    var items = data.indicators || [];
    if (!items.length) { return; }
    var box = canvas.parentNode;
    var select = null;
    if (items.length > 1) {
      select = document.createElement("select");
      select.className = "form-select form-select-sm mb-2";
      select.setAttribute("aria-label", canvas.getAttribute("data-select-label") || "Indicator");
      items.forEach(function (item, index) {
        var option = document.createElement("option");
        option.value = String(index);
        option.textContent = item.label;
        select.appendChild(option);
      });
      box.parentNode.insertBefore(select, box);
    }
    var chart = null;
    function draw(index) {
      var item = items[index];
      box.style.height = Math.max(220, item.labels.length * 22 + 60) + "px";
      var config = {
        type: "bar",
        data: { labels: item.labels, datasets: [{ label: item.label + " (" + item.unit + ")", data: item.values, backgroundColor: SERIES[0] + "cc" }] },
        options: base({ indexAxis: "y", scales: { x: { beginAtZero: true } }, plugins: { legend: { display: false } } })
      };
      if (chart) { chart.destroy(); }
      chart = new window.Chart(canvas, config);
    }
    if (select) { select.addEventListener("change", function () { draw(Number(select.value)); }); }
    draw(0);
  }

  function build(canvas) {
    var data = read(canvas.getAttribute("data-chart"));
    var kind = canvas.getAttribute("data-kind");
    if (!data || !window.Chart) { return; }
    if (kind === "indicators") { indicatorChart(canvas, data); return; }
    var config;
    if (kind === "bands") {
      config = {
        type: "bar",
        data: { labels: data.labels, datasets: [{ data: data.data, backgroundColor: data.labels.map(function (label, i) { return BANDS[Math.min(i, BANDS.length - 1)]; }) }] },
        options: base({ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } })
      };
    } else if (kind === "trend") {
      config = {
        type: "line",
        data: { labels: data.labels, datasets: series(data.series, "line") },
        options: base({ scales: { y: { suggestedMin: 0, suggestedMax: 100 } } })
      };
    } else if (kind === "criteria") {
      config = {
        type: "bar",
        data: { labels: data.labels, datasets: series(data.series, "bar") },
        options: base({ scales: { y: { beginAtZero: true, max: data.max } } })
      };
    } else {
      return;
    }
    new window.Chart(canvas, config);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), build);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
