// The application form, better with JavaScript: targets filtered as one types, rows
// added and removed in place, the lead's block that applies shown alone, a known lead's
// country and section filled in. Without this file everything works through the server.
// No inline script anywhere: the page's Content-Security-Policy allows only this origin.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // -- SDG targets: filter by code or words, in the page's language --------------------
  var filter = document.querySelector("[data-target-filter]");
  var list = document.getElementById("target-list");
  var summary = document.getElementById("selected-targets");
  var none = document.getElementById("no-target-match");

  function applyFilter() {
    if (!filter || !list) return;
    var words = fold(filter.value).split(/\s+/).filter(Boolean);
    var anyShown = false;
    list.querySelectorAll("details.goal-group").forEach(function (group) {
      var goal = group.getAttribute("data-goal");
      var shown = 0;
      group.querySelectorAll("li[data-code]").forEach(function (item) {
        var code = item.getAttribute("data-code");
        var text = fold(item.getAttribute("data-text") || "");
        var checked = item.querySelector("input").checked;
        var match = words.every(function (w) {
          return code.indexOf(w) === 0 || text.indexOf(w) !== -1 || w === goal;
        });
        item.hidden = !(match || checked);
        if (!item.hidden) shown += 1;
      });
      group.hidden = shown === 0;
      if (words.length && shown) group.open = true;
      anyShown = anyShown || shown > 0;
    });
    if (none) none.hidden = anyShown;
  }

  function updateSummary() {
    if (!summary || !list) return;
    var codes = [];
    list.querySelectorAll("input[name=targets]:checked").forEach(function (box) {
      codes.push(box.value);
    });
    summary.textContent = codes.length ? codes.join(", ") : "—";
  }

  if (filter) {
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }
  if (list) list.addEventListener("change", updateSummary);

  // -- rows of stakeholders and deliverables ------------------------------------------
  function nextIndex(rows, kind) {
    var top = -1;
    rows.querySelectorAll("li.row").forEach(function (row) {
      var n = parseInt(row.id.replace(kind + "-", ""), 10);
      if (!isNaN(n) && n > top) top = n;
    });
    return top + 1;
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var kind = button.getAttribute("data-add-row");
      var rows = document.querySelector('ol[data-rows="' + kind + '"]');
      var template = document.getElementById(kind + "-template");
      if (!rows || !template) return;
      event.preventDefault();
      var n = String(nextIndex(rows, kind));
      var holder = document.createElement("ol");
      holder.innerHTML = template.innerHTML.split("__N__").join(n);
      var row = holder.firstElementChild;
      rows.appendChild(row);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.hasAttribute("data-remove-row")) {
      var row = target.closest("li.row");
      if (row) row.remove();
    }
  });

  // -- the lead: a known government, or a new one --------------------------------------
  var modes = document.querySelectorAll("input[data-lead-mode]");
  function showLead() {
    var chosen = document.querySelector("input[data-lead-mode]:checked");
    document.querySelectorAll("#lead [data-when]").forEach(function (block) {
      block.hidden = chosen !== null && block.getAttribute("data-when") !== chosen.value;
    });
  }
  modes.forEach(function (radio) { radio.addEventListener("change", showLead); });
  showLead();

  var known = document.getElementById("f-lead_existing");
  if (known) {
    known.addEventListener("change", function () {
      var option = known.options[known.selectedIndex];
      [["f-country", "data-country"], ["f-section", "data-section"]].forEach(function (pair) {
        var select = document.getElementById(pair[0]);
        var value = option ? option.getAttribute(pair[1]) : "";
        if (select && value && !select.value) select.value = value;
      });
    });
  }

  applyFilter();
})();
