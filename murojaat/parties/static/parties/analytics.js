// The party-system analytics charts; the figures come from the page's JSON data block.
(function () {
  var d = JSON.parse(document.getElementById("party-chart-data").textContent);
  if (!window.Chart || !d.labels.length) { return; }
  function line(key, color, dash) {
    return {label: d.i18n[key], data: d[key], borderColor: color, backgroundColor: color,
            borderDash: dash || [], spanGaps: true, tension: 0};
  }
  Chart.defaults.animation = false;
  new Chart(document.getElementById("chart-enp"), {type: "line", data: {labels: d.labels, datasets: [
    line("enp_votes_low", "#0d6efd", [6, 4]), line("enp_votes_high", "#0d6efd"), line("enp_seats", "#198754")
  ]}, options: {scales: {y: {beginAtZero: true}}}});
  new Chart(document.getElementById("chart-disp"), {type: "line", data: {labels: d.labels, datasets: [
    line("gallagher_low", "#dc3545", [6, 4]), line("gallagher_high", "#dc3545"),
    line("largest_votes", "#6f42c1"), line("largest_seats", "#fd7e14"), line("volatility", "#20c997")
  ]}, options: {scales: {y: {beginAtZero: true, max: 100}}}});
  var colors = ["#0d6efd", "#198754", "#dc3545", "#6f42c1", "#fd7e14", "#20c997", "#6c757d", "#d63384"];
  var sets = d.seat_votes.map(function (e, i) {
    return {label: e.label, data: e.points, backgroundColor: colors[i % colors.length], showLine: false};
  });
  sets.push({label: d.i18n.proportional, data: [{x: 0, y: 0}, {x: 100, y: 100}], type: "line",
             borderColor: "#adb5bd", borderDash: [4, 4], pointRadius: 0});
  new Chart(document.getElementById("chart-seat-votes"), {type: "scatter", data: {datasets: sets},
    options: {scales: {x: {min: 0, max: 100, title: {display: true, text: d.i18n.vote_share}},
                       y: {min: 0, max: 100, title: {display: true, text: d.i18n.seat_share}}},
              plugins: {tooltip: {callbacks: {label: function (c) {
                return (c.raw.name || "") + ": " + c.raw.x + " / " + c.raw.y; }}}}}});
})();
