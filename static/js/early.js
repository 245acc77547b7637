/* Runs before the page is drawn: mark that scripts run, so the narrow-screen menu and filters start folded. */
document.documentElement.classList.add("js");
