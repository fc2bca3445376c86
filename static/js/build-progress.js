// Follows a proceedings build: polls its status and moves the progress bar; reloads when done.
(function () {
  "use strict";
  var box = document.querySelector("[data-build-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-build-status-url");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-build-label]");
  var steps = box.querySelector("[data-build-steps]");
  var polls = 0;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        bar.max = Math.max(data.total, 1);
        bar.value = data.done;
        bar.textContent = data.percent + "%";
        label.textContent = data.label || data.status_label;
        steps.textContent = data.done + " / " + data.total;
        if (data.finished) {
          window.location.reload();
        } else {
          // Often at first, when most builds finish; then every 1.5 s for the long ones.
          polls += 1;
          window.setTimeout(poll, polls < 15 ? 400 : 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 400);
})();
