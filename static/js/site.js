/* Site behaviour that the Content-Security-Policy allows (no inline scripts or on* attributes). */
document.addEventListener("click", function (event) {
  var trigger = event.target.closest("[data-action='print']");
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
