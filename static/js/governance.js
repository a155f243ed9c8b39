// Governance pages: the posting-activity chart. Data comes from a json_script element (no inline
// script: the Content-Security-Policy forbids it); the same numbers are in a table on the page.
(function () {
  "use strict";

  function drawActivityChart() {
    var source = document.getElementById("activity-data");
    var canvas = document.getElementById("activity-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var datasets = [{
      type: "bar",
      label: data.postsLabel,
      data: data.posts,
      backgroundColor: "rgba(20, 83, 45, 0.75)",
      borderColor: "#14532d",
      borderWidth: 1,
      order: 2
    }];
    if (data.target) {
      datasets.push({
        type: "line",
        label: data.targetLabel,
        data: data.target,
        borderColor: "#b45309",
        backgroundColor: "#b45309",
        borderDash: [6, 4],
        pointRadius: 0,
        stepped: "middle",
        order: 1
      });
    }
    new window.Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { ticks: { autoSkip: true, maxRotation: 0 } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawActivityChart);
  } else {
    drawActivityChart();
  }
})();
