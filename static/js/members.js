// Staff directory: filters apply as soon as a select or checkbox changes (the button stays for keyboards).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (form && form.hasAttribute("data-autosubmit") && (field.tagName === "SELECT" || field.type === "checkbox")) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
