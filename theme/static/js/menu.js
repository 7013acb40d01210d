// The site's Menu (components/site_nav.html, a <details> that works without this script): Escape closes it and
// gives the focus back to its button, as a reader expects of a menu.

document.addEventListener("keydown", (event) => {
  const menu = document.querySelector("details.site-menu[open]");
  if (event.key !== "Escape" || !menu) return;
  menu.open = false;
  menu.querySelector("summary").focus();
});
