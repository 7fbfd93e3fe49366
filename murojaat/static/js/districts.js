/* A district list grouped by region (<optgroup> per region, see orgs/form_fields.py) shows only
   the chosen region's districts, and choosing a district first fills its region. Without this
   script the grouped list still works and the server checks the pair. Wire it with
   data-region-field="<id of the region select>" on the district select. */
(function () {
  "use strict";
  function optionText(select) {
    return select.selectedIndex >= 0 && select.value ? select.options[select.selectedIndex].text : "";
  }
  function wire(district) {
    var region = document.getElementById(district.getAttribute("data-region-field"));
    if (!region) { return; }
    var groups = Array.prototype.slice.call(district.querySelectorAll("optgroup"));
    function showRegion() {
      var name = optionText(region);
      groups.forEach(function (group) {
        var shown = !name || group.label === name;
        group.hidden = !shown;
        group.disabled = !shown;
      });
      var chosen = district.options[district.selectedIndex];
      if (chosen && chosen.parentNode.disabled) { district.value = ""; }
    }
    function fillRegion() {
      var chosen = district.options[district.selectedIndex];
      if (region.value || !chosen || chosen.parentNode.tagName !== "OPTGROUP") { return; }
      var label = chosen.parentNode.label;
      for (var i = 0; i < region.options.length; i += 1) {
        if (region.options[i].text === label) {
          region.selectedIndex = i;
          showRegion();
          return;
        }
      }
    }
    region.addEventListener("change", showRegion);
    district.addEventListener("change", fillRegion);
    showRegion();
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-region-field]"), wire);
})();
