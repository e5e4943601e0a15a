/* Form controls that follow the page: searchable pickers (Tom Select) for
   long lists, and a calendar (flatpickr) in the page's language for dates
   and months, since Chromium's own pickers speak the browser's language. */
(function () {
  "use strict";
  // A list longer than this is searched rather than scrolled.
  var SEARCH_OVER = 20;
  var script = document.currentScript;
  var texts = {
    lang: script.dataset.lang || "en",
    search: script.dataset.search || "",
    none: script.dataset.none || "",
    remove: script.dataset.remove || "",
  };

  function noResults() {
    var div = document.createElement("div");
    div.className = "no-results";
    div.textContent = texts.none;
    return div;
  }

  function searchable(select) {
    if (select.tomselect || select.dataset.search === "off") return false;
    return select.hasAttribute("data-search") || select.options.length > SEARCH_OVER;
  }

  function enhanceSelect(select) {
    var many = select.multiple;
    new window.TomSelect(select, {
      plugins: many ? { remove_button: { title: texts.remove } } : {},
      // Every choice is listed, in the form's order (the likeliest first);
      // typing narrows the list without reordering it.
      maxOptions: null,
      sortField: [{ field: "$order" }, { field: "$score" }],
      // An optional choice keeps its empty option; a required one shows the
      // search hint instead.
      allowEmptyOption: !many && !select.required,
      closeAfterSelect: !many,
      placeholder: texts.search,
      render: { no_results: noResults },
    });
  }

  function enhanceDate(input) {
    if (input._flatpickr || !window.flatpickr) return;
    var zh = texts.lang.indexOf("zh") === 0 && window.flatpickr.l10ns.zh;
    window.flatpickr(input, {
      locale: zh || "default",
      dateFormat: "Y-m-d",
      allowInput: true,
      // Phones too: their native picker also ignores the page's language.
      disableMobile: true,
      minDate: input.min || null,
      maxDate: input.max || null,
    });
  }

  function enhanceMonth(input) {
    if (input._flatpickr || !window.flatpickr || !window.monthSelectPlugin) return;
    var zh = texts.lang.indexOf("zh") === 0 && window.flatpickr.l10ns.zh;
    window.flatpickr(input, {
      locale: zh || "default",
      allowInput: true,
      disableMobile: true,
      plugins: [new window.monthSelectPlugin({ shorthand: true, dateFormat: "Y-m" })],
    });
  }

  function enhance(root) {
    if (window.TomSelect) {
      root.querySelectorAll("select").forEach(function (select) {
        if (searchable(select)) enhanceSelect(select);
      });
    }
    root.querySelectorAll('input[type="date"]').forEach(enhanceDate);
    root.querySelectorAll('input[type="month"]').forEach(enhanceMonth);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
})();
