/* Site behaviour that the Content-Security-Policy allows (no inline scripts or on* attributes). */
document.addEventListener("click", function (event) {
  var trigger = event.target.closest("[data-action='print']");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});

/* Scenario suggestions on the need and case forms: a suggestion button chooses its scenario in the select. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-pick]");
  if (!button) {
    return;
  }
  var select = document.getElementById(button.getAttribute("data-pick"));
  if (!select) {
    return;
  }
  select.value = button.getAttribute("data-value");
  select.dispatchEvent(new Event("change", { bubbles: true }));
  var buttons = button.parentNode.querySelectorAll("button[data-pick]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-pressed", buttons[i] === button ? "true" : "false");
  }
});

/* Forms that undo something ask first: a form with data-confirm submits only after the user agrees. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
