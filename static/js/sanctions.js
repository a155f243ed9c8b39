// Sanctions pages: show only the fields that apply, blur evidence (no inline scripts: strict CSP).
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

  // Evidence images are blurred until the viewer chooses to see them; the button blurs them again.
  function toggleEvidence(button) {
    var figure = document.getElementById(button.getAttribute("aria-controls"));
    if (!figure) { return; }
    var reveal = figure.classList.contains("is-blurred");
    figure.classList.toggle("is-blurred", !reveal);
    figure.classList.toggle("is-revealed", reveal);
    button.setAttribute("aria-pressed", reveal ? "true" : "false");
    button.textContent = button.getAttribute(reveal ? "data-hide-label" : "data-show-label");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.evidence-reveal") : null;
    if (button) { toggleEvidence(button); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.report-form").forEach(function (form) {
      toggleSubject(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "subject_kind") { toggleSubject(form); }
      });
    });
    // The queue: one box ticks (or clears) every report of the page for a bulk step.
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var boxes = document.querySelectorAll("input.queue-check");
      all.closest("[hidden]") && all.closest("[hidden]").removeAttribute("hidden");
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
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
