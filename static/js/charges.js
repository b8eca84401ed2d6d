// Charge form behaviour. Inline scripts are blocked by the Content-Security-Policy, so the
// page's markup carries data attributes and this file attaches the behaviour.
(function () {
  "use strict";

  // Choosing an account in the search results fills the hidden account fields and fires
  // "account-chosen", which makes the bill and reservation selects reload for that account.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-choose-account]");
    if (!button) {
      return;
    }
    var form = document.getElementById("charge-form");
    form.querySelector("[name=account_id]").value = button.dataset.accountId;
    form.querySelector("[name=account_type]").value = button.dataset.accountType;
    form.querySelector("[name=account_name]").value = button.dataset.accountName;

    var chosen = document.getElementById("chosen-account");
    chosen.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = button.dataset.accountName;
    chosen.appendChild(strong);

    document.body.dispatchEvent(new CustomEvent("account-chosen"));
  });

  // The property switcher reloads the page as soon as another property is chosen.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-auto-submit]");
    if (form) {
      form.submit();
    }
  });

  // Selects that htmx reloads (products for the chosen service, tax codes for the consumption
  // time) still hold the options of the page's first render in the empty row. The added row
  // takes the first row's current options instead, with nothing chosen.
  function copyReloadedOptions(row, prefix, index) {
    row.querySelectorAll("select[hx-get]").forEach(function (select) {
      var firstName = select.name.replace(prefix + "-" + index + "-", prefix + "-0-");
      var first = document.querySelector("#charge-form select[name='" + firstName + "']");
      if (!first) {
        return;
      }
      select.innerHTML = first.innerHTML;
      Array.prototype.forEach.call(select.options, function (option) {
        option.selected = false;
        option.removeAttribute("selected");
      });
      if (!select.multiple) {
        select.selectedIndex = 0;
      }
    });
  }

  // "Add a line" buttons copy the formset's empty row, number it and raise TOTAL_FORMS, up to
  // the formset's MAX_NUM_FORMS. The server ignores rows that stay untouched.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) {
      return;
    }
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = parseInt(document.getElementById("id_" + prefix + "-MAX_NUM_FORMS").value, 10);
    var count = parseInt(total.value, 10);
    if (count >= maximum) {
      return;
    }
    var template = document.getElementById(prefix + "-empty-row");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
    var row = holder.firstElementChild;
    copyReloadedOptions(row, prefix, count);
    document.querySelector("[data-formset-rows='" + prefix + "']").appendChild(row);
    total.value = String(count + 1);
    if (window.htmx) {
      window.htmx.process(row);
    }
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
    if (count + 1 >= maximum) {
      button.disabled = true;
    }
  });

  // A select whose options are reloaded (products, segments, tax codes) keeps the choice the
  // user made while the request was under way, when the new options still contain it.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.tagName === "SELECT") {
      target.dataset.keepValues = JSON.stringify(
        Array.prototype.filter.call(target.options, function (option) {
          return option.selected && option.value !== "";
        }).map(function (option) {
          return option.value;
        })
      );
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.tagName !== "SELECT" || !target.dataset.keepValues) {
      return;
    }
    var keep = JSON.parse(target.dataset.keepValues);
    delete target.dataset.keepValues;
    Array.prototype.forEach.call(target.options, function (option) {
      if (keep.indexOf(option.value) !== -1) {
        option.selected = true;
      }
    });
  });

  // Enter in a field of the charge form does not post it: staff press Enter out of habit after
  // typing an amount, and a charge must be posted on purpose, with the Post charge button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    var field = event.target;
    if (field.tagName === "INPUT" && field.form && field.form.id === "charge-form") {
      event.preventDefault();
    }
  });
})();
