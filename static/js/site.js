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

/* The header on narrow screens: the menu button shows and hides the navigation (without JS it stays open). */
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) {
    return;
  }
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

/* Dropdown menus (<details class="menu">): one open at a time; Escape or a click elsewhere closes them. */
document.addEventListener("click", function (event) {
  var menus = document.querySelectorAll("details.menu[open]");
  for (var i = 0; i < menus.length; i++) {
    if (!menus[i].contains(event.target)) {
      menus[i].open = false;
    }
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") {
    return;
  }
  var menus = document.querySelectorAll("details.menu[open]");
  for (var i = 0; i < menus.length; i++) {
    menus[i].open = false;
    menus[i].querySelector("summary").focus();
  }
});

/* A list's filters on a phone: the Filters button folds and unfolds them. */
document.addEventListener("click", function (event) {
  var button = event.target.closest(".filters-toggle");
  if (!button) {
    return;
  }
  var more = document.getElementById(button.getAttribute("aria-controls"));
  var open = more.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
document.addEventListener("DOMContentLoaded", function () {
  var buttons = document.querySelectorAll(".filters-toggle");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
  }
});

/* A region that scrolls (a wide or tall table) can be scrolled from the keyboard: it takes focus. */
function focusableScrollers() {
  var boxes = document.querySelectorAll(".table-scroll, .wide-table, table.table");
  for (var i = 0; i < boxes.length; i++) {
    var scrolls = boxes[i].scrollWidth > boxes[i].clientWidth + 1 || boxes[i].scrollHeight > boxes[i].clientHeight + 1;
    if (scrolls && !boxes[i].hasAttribute("tabindex")) {
      boxes[i].setAttribute("tabindex", "0");
    }
  }
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);
