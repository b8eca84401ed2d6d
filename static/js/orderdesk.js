// Behaviour shared by every page. Inline scripts are blocked by the Content-Security-Policy,
// so page behaviour lives in this file and is attached through data attributes.
(function () {
  "use strict";

  // A form marked data-submit-once disables its submit buttons after the first submit,
  // so a double click sends one request. The server refuses a repeated key anyway.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-submit-once]")) {
      return;
    }
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
    });
  });

  // Forms restored from the back/forward cache can be submitted again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.dataset.submitted = "false";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
        button.classList.remove("disabled");
      });
    });
  });
})();
