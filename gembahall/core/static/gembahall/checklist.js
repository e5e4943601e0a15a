// The checklist page: confirm before retiring, and order items by dragging
// their rows; the number fields follow the rows and are saved with the form.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  var body = document.querySelector("tbody[data-sortable]");
  if (!body) return;
  var dragged = null;
  function renumber() {
    body.querySelectorAll("input.order-number").forEach(function (input, i) {
      input.value = i + 1;
    });
  }
  body.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("tr");
    if (!dragged) return;
    dragged.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  body.addEventListener("dragover", function (event) {
    var row = event.target.closest("tr");
    if (!dragged || !row || row === dragged) return;
    event.preventDefault();
    var box = row.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    body.insertBefore(dragged, after ? row.nextSibling : row);
  });
  body.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("opacity-50");
    dragged = null;
    renumber();
  });
})();
