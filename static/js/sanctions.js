// Sanctions pages: show only the fields that apply (no inline scripts: strict CSP).
(function () {
  "use strict";

  function toggleSubject(form) {
    var checked = form.querySelector("input[name=subject_kind]:checked");
    var kind = checked ? checked.value : "staff";
    form.querySelectorAll("[data-subject]").forEach(function (block) {
      block.hidden = block.getAttribute("data-subject") !== kind;
    });
  }

  function toggleDeviation(form) {
    var suggested = form.getAttribute("data-suggested");
    var checked = form.querySelector("input[name=level]:checked");
    var block = form.querySelector("[data-deviation]");
    if (!block || !suggested) { return; }
    var hasError = block.querySelector(".invalid-feedback");
    block.hidden = !hasError && (!checked || checked.value === suggested);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.report-form").forEach(function (form) {
      toggleSubject(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "subject_kind") { toggleSubject(form); }
      });
    });
    document.querySelectorAll("form.propose-form").forEach(function (form) {
      toggleDeviation(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "level") { toggleDeviation(form); }
      });
    });
  });
})();
