/* Searchable organisation pickers (issue 13): progressive enhancement of a <select data-picker>.

   data-picker="list": the select is hidden (it still submits) and shown as a filterable list of
   radio buttons (single choice) or checkboxes (several), with full names that wrap and the
   <optgroup> label (the kind) under each name; long names that a <select> cuts off ("Republican
   Specialised Scientific and Practic...") are read whole.
   data-picker="filter": a filter box above the select hides the options that do not match.

   Texts come from the select: data-picker-filter (the filter box's label), data-picker-count
   ("{n}" replaced by the number shown), data-picker-none (the label of the empty choice).
   Without this script the plain select works and the server checks every choice. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").toLowerCase().replace(/[\u02bb\u02bc\u2018\u2019'`]/g, "").replace(/\s+/g, " ");
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function filterBox(select, wrapper) {
    var id = select.id + "-filter";
    var label = el("label", { "for": id, "class": "form-label small mb-0" },
      select.getAttribute("data-picker-filter") || "Filter");
    var input = el("input", { type: "search", id: id, "class": "form-control form-control-sm mb-1", autocomplete: "off" });
    var status = el("p", { "class": "visually-hidden", "aria-live": "polite", id: select.id + "-count" });
    input.setAttribute("aria-describedby", status.id);
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    return { input: input, status: status };
  }
  function announce(select, status, shown) {
    var template = select.getAttribute("data-picker-count") || "{n}";
    status.textContent = template.replace("{n}", String(shown));
  }
  function asFilter(select) {
    var wrapper = el("div", { "class": "org-picker-filter" });
    select.parentNode.insertBefore(wrapper, select);
    var box = filterBox(select, wrapper);
    box.input.addEventListener("input", function () {
      var query = fold(box.input.value.trim());
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || !query || fold(option.text).indexOf(query) !== -1;
        option.hidden = !match;
        if (match && option.value) { shown += 1; }
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      announce(select, box.status, shown);
    });
  }
  function asList(select) {
    var multiple = select.multiple;
    var wrapper = el("div", { "class": "org-picker" });
    select.parentNode.insertBefore(wrapper, select);
    var box = filterBox(select, wrapper);
    var list = el("div", { "class": "org-picker-list", role: "group", id: select.id + "-list" });
    var labelFor = document.querySelector('label[for="' + select.id + '"]');
    if (labelFor) {
      labelFor.id = labelFor.id || select.id + "-label";
      list.setAttribute("aria-labelledby", labelFor.id);
      labelFor.setAttribute("for", box.input.id);
    }
    var described = select.getAttribute("aria-describedby");
    if (described) {
      list.setAttribute("aria-describedby", described);
      box.input.setAttribute("aria-describedby", box.status.id + " " + described);
    }
    // A refused choice: the filter box (before the select) takes the error and the focus.
    if (select.getAttribute("aria-invalid") === "true") { box.input.setAttribute("aria-invalid", "true"); }
    var rows = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      var id = select.id + "-pick-" + index;
      var row = el("div", { "class": "form-check" });
      var input = el("input", {
        type: multiple ? "checkbox" : "radio",
        "class": "form-check-input",
        id: id,
        name: select.id + "-pick"
      });
      input.checked = option.selected;
      var text = option.value ? option.text : (select.getAttribute("data-picker-none") || option.text);
      var label = el("label", { "class": "form-check-label", "for": id }, text);
      if (group) { label.appendChild(el("span", { "class": "org-picker-meta" }, group)); }
      input.addEventListener("change", function () {
        if (multiple) {
          option.selected = input.checked;
        } else if (input.checked) {
          select.value = option.value;
        }
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      row.appendChild(input);
      row.appendChild(label);
      list.appendChild(row);
      rows.push({ row: row, input: input, option: option, text: fold(option.text + " " + group), empty: !option.value });
    });
    wrapper.appendChild(list);
    // Another script may choose for the user (the routing suggestion, assist/case-panel.js): it
    // sets the select and fires "change"; the list follows so what is seen is what is sent.
    select.addEventListener("change", function () {
      rows.forEach(function (item) { item.input.checked = item.option.selected; });
    });
    select.pickerFocus = function () {
      var chosen = rows.filter(function (item) { return item.input.checked; })[0];
      if (chosen) { chosen.row.hidden = false; chosen.input.focus(); } else { box.input.focus(); }
    };
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    box.input.addEventListener("input", function () {
      var query = fold(box.input.value.trim());
      var shown = 0;
      rows.forEach(function (item) {
        var match = !query || item.empty || item.text.indexOf(query) !== -1;
        item.row.hidden = !match;
        if (match && !item.empty) { shown += 1; }
      });
      announce(select, box.status, shown);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), function (select) {
    if (!select.id) { return; }
    if (select.getAttribute("data-picker") === "filter") { asFilter(select); } else { asList(select); }
  });
})();
