/* Site bootstrap: loads the search engine only when it is needed (the
 * search box gets focus, or the search page is open). Plain <script> tags,
 * so it also works from file://; the engine is several scripts (data-engine,
 * space-separated), run in their order as the page's own tags would be. */
(function () {
  "use strict";
  var form = document.querySelector("form.dx-search");
  if (!form) { return; }
  var requested = false;
  function engine() {
    if (requested || window.DXS) { return; }  // the catalogue page loads the engine itself
    requested = true;
    form.getAttribute("data-engine").split(" ").forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // inserted scripts run in insertion order only when not async
      document.head.appendChild(script);
    });
  }
  var input = form.querySelector("input[type=search]");
  input.addEventListener("focus", engine);
  input.addEventListener("input", engine);
  if (document.getElementById("dx-searchpage")) { engine(); }
})();

/* The ☰ menu button. Material draws it as a <label> for a hidden checkbox,
 * which a mouse can open but the keyboard cannot reach: make it a real
 * button for the keyboard and assistive technology, move focus into the
 * menu when it opens, and let Escape close it again. */
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var button = document.querySelector('label.md-header__button[for="__drawer"]');
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !button || !drawer) { return; }
  button.setAttribute("role", "button");
  button.setAttribute("tabindex", "0");
  button.setAttribute("aria-label", "メニュー");
  button.setAttribute("aria-controls", "dx-drawer");
  drawer.id = drawer.id || "dx-drawer";

  function sync() {
    button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
  }
  function open(state) {
    toggle.checked = state;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
    sync();
    if (state) {
      var first = drawer.querySelector(".md-nav__link[href], .md-nav__link[tabindex]");
      if (first) { setTimeout(function () { first.focus(); }, 50); }
    } else {
      button.focus();
    }
  }
  button.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();  // Material would click the label as well, toggling it back
      open(!toggle.checked);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.checked) { open(false); }
  });
  toggle.addEventListener("change", sync);
  sync();
})();

/* The skip link moves focus without touching the URL: the catalogue and the
 * search page keep their state in the fragment, and "#dx-main" would clear it. */
(function () {
  "use strict";
  var skip = document.querySelector("a.dx-skip");
  var target = document.getElementById("dx-main");
  if (!skip || !target) { return; }
  skip.addEventListener("click", function (event) {
    event.preventDefault();
    target.focus();
    target.scrollIntoView();
  });
})();
