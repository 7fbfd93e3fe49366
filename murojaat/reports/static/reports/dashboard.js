/* Draws the dashboard charts from the JSON the page embeds (json_script). The tables under each
   chart carry the same numbers (and the full names) for screen readers and for printing.
   Organisation names run to 80 characters: Chart.js would give them half the chart and cut them
   on the left, so category labels are shortened with an ellipsis and the tooltip shows the
   full name. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colour = "#0b3d6b";
  // People who asked their system for less motion get the bars drawn at once.
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  // Characters kept on a category tick: enough to tell organisations apart, narrow enough to
  // leave the bars most of the width on a half-width chart or a phone. The ellipsis goes in the
  // middle: names share their beginnings ("Republican Specialised Scientific and Practical
  // Medical Centre of ...") and differ at the end.
  var TICK_CHARS = window.matchMedia("(max-width: 575.98px)").matches ? 20 : 36;
  function shorten(text, limit) {
    text = String(text);
    if (text.length <= limit) { return text; }
    var headLength = Math.ceil((limit - 1) * 0.5);
    var head = text.slice(0, headLength);
    var tail = text.slice(text.length - (limit - 1 - headLength));
    var space = tail.indexOf(" ");  // the tail starts on a whole word when that costs little
    if (space >= 0 && space < tail.length * 0.4) { tail = tail.slice(space + 1); }
    return head.replace(/[\s,.;:(\-–]+$/, "") + "\u2026" + tail.replace(/^[\s,.;:)\-–]+/, "");
  }
  function bar(id, series, label, horizontal, max) {
    var canvas = document.getElementById("chart-" + id);
    if (!canvas || !series || !series.labels.length) { return; }
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: function (items) { return items.length ? series.labels[items[0].dataIndex] : ""; } } }
      },
      scales: {}
    };
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    options.scales[categoryAxis] = {
      ticks: {
        autoSkip: false,
        callback: function (value, index) { return shorten(series.labels[index], TICK_CHARS); }
      }
    };
    options.scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
    if (max) { options.scales[valueAxis].max = max; }
    // Drill-down: a bar opens the scoped list of the appeals behind it (the same link as the
    // figure in the table).
    if (series.links) {
      options.onClick = function (event, elements) {
        if (elements.length && series.links[elements[0].index]) {
          window.location.href = series.links[elements[0].index];
        }
      };
      options.onHover = function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      };
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ label: label, data: series.values, backgroundColor: colour }] },
      options: options
    });
  }
  (data.extra || []).forEach(function (series) {
    bar(series.id, series, series.label, series.horizontal);
  });
  if (!data.overdue) { return; }
  bar("overdue", data.overdue, data.label_overdue, true);
  bar("on_time", data.on_time, data.label_rate, true, 100);
  bar("topics", data.topics, data.label_count, true);
  bar("channels", data.channels, data.label_count, false);
  bar("regions", data.regions, data.label_count, true);
  bar("trend", data.trend, data.label_count, false);
})();
