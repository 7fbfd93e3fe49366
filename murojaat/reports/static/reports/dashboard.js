/* Draws the dashboard charts from the JSON the page embeds (json_script). The tables under each
   chart carry the same numbers for screen readers and for printing. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colour = "#0b3d6b";
  function bar(id, series, label, horizontal, max) {
    var canvas = document.getElementById("chart-" + id);
    if (!canvas || !series || !series.labels.length) { return; }
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: false } },
      scales: {}
    };
    var valueAxis = horizontal ? "x" : "y";
    options.scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
    if (max) { options.scales[valueAxis].max = max; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ label: label, data: series.values, backgroundColor: colour }] },
      options: options
    });
  }
  bar("overdue", data.overdue, data.label_overdue, true);
  bar("on_time", data.on_time, data.label_rate, true, 100);
  bar("topics", data.topics, data.label_count, true);
  bar("channels", data.channels, data.label_count, false);
  bar("regions", data.regions, data.label_count, true);
})();
