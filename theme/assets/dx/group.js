/* A grouped page of the offline copy (generator/site/grouped_pages.py; offline.css shows
   the targeted case). The file's <title> is the group's: the tab and Material's header
   say which case is shown. An in-page link that is not a case's (the skip link) moves
   focus without changing the anchor, which would hide the case being read. */
(function () {
  "use strict";
  var index = document.querySelector(".dx-group__index h1");
  if (!index) return;
  var groupTitle = index.textContent;
  var start = document.title.indexOf(groupTitle);
  var before = start < 0 ? "" : document.title.slice(0, start);
  var after = start < 0 ? "" : document.title.slice(start + groupTitle.length);
  var topics = document.querySelectorAll(".md-header__topic .md-ellipsis");
  var topic = topics.length ? topics[topics.length - 1] : null;

  function member(id) {
    var target = id ? document.getElementById(id) : null;
    return target && target.closest ? target.closest(".dx-group__member") : null;
  }

  function current() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* kept as written */ }
    return id;
  }

  function show() {
    var id = current();
    var article = member(id);
    var heading = article ? article.querySelector("h1") : null;
    var title = heading ? heading.textContent : groupTitle;
    document.title = before + title + after;
    if (topic) topic.textContent = title;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
    if (!link || event.defaultPrevented) return;
    var id = link.getAttribute("href").slice(1);
    var target = id ? document.getElementById(id) : null;
    if (!target || member(id)) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView();
  });
  window.addEventListener("hashchange", show);
  show();
})();
