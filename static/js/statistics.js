// Charts of the moderation statistics, drawn with the vendored Chart.js from JSON embedded by
// Django's json_script (the Content-Security-Policy forbids inline scripts). Each chart is
// {type: "bar"|"line", stacked, horizontal, labels, series: [{label, data}]}; the table below it
// gives the same numbers. Hidden small counts arrive as null and are not drawn.
(function () {
  "use strict";
  var COLOURS = ["#14532d", "#ca8a04", "#2563eb", "#9333ea", "#b91c1c", "#0f766e", "#ea580c", "#4b5563",
                 "#be185d", "#65a30d", "#0369a1", "#7c2d12", "#a16207", "#1e3a8a"];

  function read(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function build(canvas) {
    var data = read(canvas.getAttribute("data-statistics"));
    if (!data || !window.Chart || !data.labels || !data.labels.length) { return; }
    var line = data.type === "line";
    var datasets = (data.series || []).map(function (item, index) {
      var colour = COLOURS[index % COLOURS.length];
      return { label: item.label, data: item.data, borderColor: colour, borderWidth: 2, spanGaps: true,
               backgroundColor: line ? colour : colour + "cc" };
    });
    var value = { beginAtZero: true, stacked: !!data.stacked, ticks: line ? {} : { precision: 0 } };
    var category = { stacked: !!data.stacked };
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, indexAxis: data.horizontal ? "y" : "x",
        locale: document.documentElement.lang || "id",
        animation: reduced ? false : {},
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: data.horizontal ? { x: value, y: category } : { x: category, y: value }
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-statistics]"), build);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
