/* Site bootstrap: loads the search engine only when it is needed (the
 * search box gets focus, or the search page is open). Plain <script> tags,
 * so it also works from file://. */
(function () {
  "use strict";
  var form = document.querySelector("form.dx-search");
  if (!form) { return; }
  var requested = false;
  function engine() {
    if (requested) { return; }
    requested = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-engine");
    document.head.appendChild(script);
  }
  var input = form.querySelector("input[type=search]");
  input.addEventListener("focus", engine);
  input.addEventListener("input", engine);
  if (document.getElementById("dx-searchpage")) { engine(); }
})();
