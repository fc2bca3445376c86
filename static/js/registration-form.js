// Guides the registration form: offers the member states and institutions that fit the chosen
// participant category. The server checks the same rules; this only saves the delegate a round trip.
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form) {
    return;
  }
  var category = form.querySelector("[data-registration-category]");
  var state = form.querySelector("select[name=member_state]");
  var institution = form.querySelector("select[name=institution]");
  if (!category || !state || !institution) {
    return;
  }

  var STATE_CATEGORIES = ["central_asian_state", "oic_partner_state"];
  var INSTITUTION_KIND = { oic_institution: "oic", international_institution: "international" };

  function wrapper(select) {
    return select.closest(".mb-3") || select.parentElement;
  }

  function showOptions(select, keep) {
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) {
        return;
      }
      var visible = keep(option);
      option.hidden = !visible;
      option.disabled = !visible;
      if (!visible && option.selected) {
        select.value = "";
      }
    });
  }

  function update() {
    var chosen = category.value;
    var isState = STATE_CATEGORIES.indexOf(chosen) !== -1;
    var kind = INSTITUTION_KIND[chosen];

    wrapper(state).hidden = !(isState || chosen === "observer");
    showOptions(state, function (option) {
      if (chosen === "central_asian_state") {
        return option.dataset.centralAsian === "true";
      }
      if (chosen === "oic_partner_state") {
        return option.dataset.centralAsian === "false";
      }
      return true;
    });

    showOptions(institution, function (option) {
      if (kind) {
        return option.dataset.kind === kind;
      }
      if (isState) {
        return option.dataset.kind === "national" && option.dataset.state === state.value;
      }
      return true;
    });
  }

  category.addEventListener("change", update);
  state.addEventListener("change", update);
  update();
})();
