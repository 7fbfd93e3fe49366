// The election's seat-share against vote-share chart; data from the page's JSON data block.
(function () {
  var d = JSON.parse(document.getElementById("seat-vote-data").textContent);
  if (!window.Chart) { return; }
  Chart.defaults.animation = false;
  var sets = [{label: d.i18n.computed, data: d.computed, backgroundColor: "#0d6efd", pointStyle: "circle", pointRadius: 5}];
  if (d.official.length) {
    sets.push({label: d.i18n.official, data: d.official, backgroundColor: "#fd7e14", pointStyle: "crossRot", pointRadius: 8, borderColor: "#fd7e14"});
  }
  sets.push({label: d.i18n.proportional, data: [{x: 0, y: 0}, {x: 100, y: 100}], type: "line",
             borderColor: "#adb5bd", borderDash: [4, 4], pointRadius: 0});
  new Chart(document.getElementById("chart-seat-votes"), {type: "scatter", data: {datasets: sets},
    options: {scales: {x: {min: 0, max: 100, title: {display: true, text: d.i18n.vote_share}},
                       y: {min: 0, max: 100, title: {display: true, text: d.i18n.seat_share}}},
              plugins: {tooltip: {callbacks: {label: function (c) {
                return (c.raw.name || "") + ": " + c.raw.x + " / " + c.raw.y; }}}}}});
})();
