// What markup may not do under the page's Content-Security-Policy, done from
// here: widths that follow the data (a job's progress, a bar in a table) set
// through el.style, and selects that submit their form when changed. It runs
// again on what htmx brings in.
(function () {
  "use strict";

  function apply(root) {
    var found = Array.from(root.querySelectorAll("[data-width]"));
    if (root.matches && root.matches("[data-width]")) found.push(root);
    found.forEach(function (el) {
      el.style.width = el.dataset.width + "%";
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    apply(document);
  });
  document.addEventListener("htmx:load", function (event) {
    apply(event.detail.elt);
  });
})();
