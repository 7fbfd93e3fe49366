// "Use this suggestion": put the suggested organisation into the routing form and focus it.
(function () {
  document.querySelectorAll(".use-suggestion").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById("id_route-appeal-to_org");
      if (!select) { return; }
      var details = select.closest("details");
      if (details) { details.open = true; }
      select.value = button.dataset.org;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      // Behind the searchable picker (static/js/org-picker.js) the select is hidden: focus the
      // chosen entry of its list instead.
      if (select.pickerFocus) { select.pickerFocus(); } else { select.focus(); }
    });
  });
})();
