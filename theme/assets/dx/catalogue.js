/* Faceted catalogue of cases.
 *
 * Data comes from catalogue-data.js (window.DX_CATALOGUE) through a <script>
 * tag, so this works when the site is opened from disk (file://) as well as
 * hosted. OR within a facet, AND across facets; counts beside each value are
 * the cases that value would give with the other selections kept. The state
 * lives in the URL fragment so a filtered view can be shared.
 * The keyword box asks the site's search engine (search-*.js, loaded by the
 * page before this script), so it finds what the search page finds.
 * Everything is built with DOM methods and textContent: no data as HTML.
 * Back must bring the reader to the card they left, so the number of cards
 * shown and the scroll position are kept in the history entry (and in
 * sessionStorage, for browsers that drop the entry's state) and restored once
 * the cards are drawn. Below 60em the filters are a panel behind a button, so
 * a phone shows results first.
 */
(function () {
  "use strict";

  var PAGE = 50;
  var root = document.getElementById("dx-catalogue");
  var data = window.DX_CATALOGUE;
  if (!root || !data) { return; }

  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var cases = data.cases;
  var facets = data.facets;
  var base = root.getAttribute("data-root") || "./";

  var els = {
    q: document.getElementById("dx-q"),
    sort: document.getElementById("dx-sort"),
    facets: document.getElementById("dx-facets"),
    count: document.getElementById("dx-count"),
    cards: document.getElementById("dx-cards"),
    more: document.getElementById("dx-more"),
    reset: document.getElementById("dx-reset"),
    form: document.getElementById("dx-filters"),
    results: document.getElementById("dx-results"),
    toggle: document.getElementById("dx-filter-toggle"),
    toggleCount: document.getElementById("dx-filter-n"),
    close: document.getElementById("dx-filters-close"),
    skip: root.querySelector("a.dx-skip-results")
  };
  var VIEW_KEY = "dx-catalogue-view:" + location.pathname;

  // The keyword box asks the site's one search engine (search-*.js, loaded before this
  // script): the same normalisation, fields, synonyms and ranking as the search page.
  // hits: search-index number → rank, or null when there is no keyword.
  var engine = window.DXS;
  var hits = null, partial = false, asked = 0;

  function facetOf(key) {
    for (var i = 0; i < facets.length; i++) { if (facets[i].key === key) { return facets[i]; } }
    return null;
  }

  // Does case c have value index v of facet f?
  function has(c, f, v) {
    if (f.key === "has") {
      return f.values[v][0] === "cost" ? c[col.cost] === 1 : c[col.outcomes] === 1;
    }
    var value = c[col[f.column]];
    return Array.isArray(value) ? value.indexOf(v) !== -1 : value === v;
  }

  var state = { q: "", sort: "updated", selected: {}, shown: PAGE };
  facets.forEach(function (f) { state.selected[f.key] = {}; });

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    state.q = params.get("q") || "";
    state.sort = params.get("sort") || "updated";
    facets.forEach(function (f) {
      var wanted = (params.get(f.key) || "").split(",").filter(Boolean);
      var chosen = {};
      f.values.forEach(function (pair, v) { if (wanted.indexOf(pair[0]) !== -1) { chosen[v] = true; } });
      state.selected[f.key] = chosen;
    });
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    facets.forEach(function (f) {
      var keys = Object.keys(state.selected[f.key]).map(function (v) { return f.values[v][0]; });
      if (keys.length) { params.set(f.key, keys.join(",")); }
    });
    if (state.sort !== "updated") { params.set("sort", state.sort); }
    var hash = params.toString();
    var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
    try { history.replaceState(viewState(hash ? "#" + hash : ""), "", url); } catch (e) { location.replace(url); }
  }

  // What Back has to restore: the filters are the fragment; this is the rest.
  function viewState(hash) {
    return { dxView: { hash: hash, shown: state.shown, y: Math.round(window.pageYOffset) } };
  }
  function saveView() {
    var saved = viewState(location.hash);
    try { history.replaceState(saved, "", location.href); } catch (e) { /* the fragment still holds the filters */ }
    try { sessionStorage.setItem(VIEW_KEY, JSON.stringify(saved.dxView)); } catch (e) { /* storage off */ }
  }
  function savedView() {
    var view = history.state && history.state.dxView;
    if (!view) {
      var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
      if (nav && (nav.type === "back_forward" || nav.type === "reload")) {
        try { view = JSON.parse(sessionStorage.getItem(VIEW_KEY) || "null"); } catch (e) { view = null; }
      }
    }
    return view && view.hash === location.hash && typeof view.shown === "number" ? view : null;
  }

  function matchesText(i) {
    return hits === null || hits.has(cases[i][col.doc]);
  }

  // Runs the keyword through the engine, then redraws; a later keyword wins.
  function ask(skipHash, then) {
    var mine = ++asked, q = state.q;
    if (!q.trim() || !engine) {
      hits = null; partial = false;
      update(skipHash);
      if (then) { then(); }
      return;
    }
    root.setAttribute("aria-busy", "true");
    engine.search(q, null, function () { return mine === asked; }).then(function (found) {
      if (!found || mine !== asked) { return; }
      hits = new Map();  // the cases with every term, or when none has, those with the most
      found.results.slice(0, found.complete || found.results.length).forEach(function (r, rank) {
        hits.set(r.doc, rank);
      });
      partial = found.partial;
      root.removeAttribute("aria-busy");
      update(skipHash);
      if (then) { then(); }
    });
  }

  function passes(c, f) {
    var chosen = Object.keys(state.selected[f.key]);
    if (!chosen.length) { return true; }
    for (var k = 0; k < chosen.length; k++) { if (has(c, f, +chosen[k])) { return true; } }
    return false;
  }

  function compute() {
    var counts = facets.map(function (f) { return new Array(f.values.length).fill(0); });
    var results = [];
    for (var i = 0; i < cases.length; i++) {
      if (!matchesText(i)) { continue; }
      var c = cases[i];
      var failing = -1, failures = 0;
      for (var fi = 0; fi < facets.length && failures < 2; fi++) {
        if (!passes(c, facets[fi])) { failing = fi; failures++; }
      }
      if (failures >= 2) { continue; }
      for (fi = 0; fi < facets.length; fi++) {
        if (failures === 1 && fi !== failing) { continue; }
        var f = facets[fi];
        for (var v = 0; v < f.values.length; v++) { if (has(c, f, v)) { counts[fi][v]++; } }
      }
      if (failures === 0) { results.push(i); }
    }
    return { results: sortResults(results), counts: counts };
  }

  function sortResults(list) {
    var key = state.sort;
    return list.sort(function (a, b) {
      var x = cases[a], y = cases[b];
      if (key === "relevance" && hits) { return hits.get(x[col.doc]) - hits.get(y[col.doc]); }
      if (key === "launch") { return cmp(y[col.launch], x[col.launch]) || cmp(x[col.id], y[col.id]); }
      if (key === "code") { return cmp(x[col.code], y[col.code]) || cmp(x[col.id], y[col.id]); }
      if (key === "title") { return x[col.title].localeCompare(y[col.title], "ja") || cmp(x[col.id], y[col.id]); }
      return cmp(y[col.updated], x[col.updated]) || cmp(x[col.id], y[col.id]);
    });
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var boxes = [];  // [facet index][value index] → {input, count, label}
  function buildFacets() {
    facets.forEach(function (f, fi) {
      var fieldset = el("fieldset", { "data-facet": f.key });
      var container = fieldset;
      fieldset.appendChild(el("legend", null, f.label));
      if (f.values.length > 24) {
        var details = el("details");
        details.appendChild(el("summary", null, "選択肢を表示（" + f.values.length + "）"));
        fieldset.appendChild(details);
        container = details;
      }
      boxes[fi] = f.values.map(function (pair, v) {
        var id = "dx-f-" + f.key + "-" + v;
        var label = el("label", { "for": id });
        var input = el("input", { type: "checkbox", id: id, name: f.key, value: pair[0] });
        var count = el("span", { "class": "dx-count" });
        label.appendChild(input);
        label.appendChild(el("span", null, pair[1]));
        label.appendChild(count);
        container.appendChild(label);
        input.addEventListener("change", function () {
          if (input.checked) { state.selected[f.key][v] = true; } else { delete state.selected[f.key][v]; }
          state.shown = PAGE;
          update();
        });
        return { input: input, count: count, label: label, details: container !== fieldset ? container : null };
      });
      els.facets.appendChild(fieldset);
    });
  }

  function renderCard(i) {
    var c = cases[i];
    var areaNames = facetOf("area").values;
    var li = el("li", { "class": "dx-card" });
    var title = el("h2", { "class": "dx-card__title" });
    title.appendChild(el("a", { href: base + c[col.url] }, c[col.title]));
    li.appendChild(title);
    var meta = [c[col.place], facetOf("status").values[c[col.status]][1],
      c[col.areas].map(function (a) { return areaNames[a][1]; }).join("・")];
    if (c[col.launch]) { meta.push("開始 " + window.DXS.date(c[col.launch])); }
    meta.push("確認 " + window.DXS.date(c[col.updated]));
    li.appendChild(el("p", { "class": "dx-card__meta" }, meta.join(" ／ ")));
    li.appendChild(el("p", { "class": "dx-card__summary" }, c[col.summary]));
    return li;
  }

  function update(skipHash) {
    var out = compute();
    facets.forEach(function (f, fi) {
      f.values.forEach(function (pair, v) {
        var box = boxes[fi][v];
        var n = out.counts[fi][v];
        box.input.checked = !!state.selected[f.key][v];
        box.count.textContent = "（" + n + "）";
        box.label.className = n === 0 && !box.input.checked ? "dx-zero" : "";
        if (box.input.checked && box.details) { box.details.open = true; }
      });
    });
    els.q.value = state.q;
    els.sort.value = state.sort;
    var list = out.results;
    var fragment = document.createDocumentFragment();
    list.slice(0, state.shown).forEach(function (i) { fragment.appendChild(renderCard(i)); });
    els.cards.textContent = "";
    els.cards.appendChild(fragment);
    els.count.textContent = list.length + " 件の事例が見つかりました（全 " + cases.length + " 件）" +
      (partial ? "。キーワードのすべての語を含む事例はありません。一部の語を含む事例を表示しています" : "");
    var active = state.q.trim() ? 1 : 0;
    facets.forEach(function (f) { active += Object.keys(state.selected[f.key]).length; });
    els.toggleCount.textContent = "（" + active + "）";
    els.close.textContent = "結果を表示（" + list.length + " 件）";
    root.setAttribute("data-query", hits === null ? "" : state.q);
    els.more.hidden = list.length <= state.shown;
    if (!skipHash) { writeHash(); }
  }

  // Scroll back to where the reader was, once the cards it depends on are drawn.
  function restoreScroll(view) {
    window.scrollTo(0, view.y);
    if (document.readyState !== "complete") {
      window.addEventListener("load", function () { window.scrollTo(0, view.y); }, { once: true });
    }
  }

  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
  buildFacets();
  readHash();
  var view = savedView();
  if (view) { state.shown = Math.max(PAGE, view.shown); }
  update(true);
  if (state.q) {
    ask(true, view ? function () { restoreScroll(view); } : null);
  } else if (view) {
    restoreScroll(view);
  }

  var scrolling;
  window.addEventListener("scroll", function () {
    clearTimeout(scrolling);
    scrolling = setTimeout(saveView, 200);
  }, { passive: true });
  window.addEventListener("pagehide", saveView);
  els.cards.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) { saveView(); }
  });

  // Typing searches at once, as the header box does (search-ui.js): the engine's index files
  // start loading when the box gets focus and on every input (prefetch), the 0 ms timer makes
  // one search of the input events of one task, and a search typed past stops at its next
  // stage (the ticket `asked`). An IME's reading is not searched, only the committed word.
  // The count is announced only when the typing pauses.
  var typing, announcing;
  var typed = function (event) {
    if (event.isComposing) { return; }
    clearTimeout(typing);
    clearTimeout(announcing);
    els.count.setAttribute("aria-live", "off");
    if (engine && engine.prefetch) { engine.prefetch(els.q.value); }
    ++asked;
    typing = setTimeout(function () { state.q = els.q.value; state.shown = PAGE; ask(); }, 0);
    announcing = setTimeout(function () {
      els.count.setAttribute("aria-live", "polite");
      els.count.textContent = els.count.textContent;
    }, 1000);
  };
  els.q.addEventListener("input", typed);
  els.q.addEventListener("compositionend", typed);
  els.q.addEventListener("focus", function () {
    if (engine && engine.ready) { engine.ready().catch(function () { return null; }); }
  });

  // Below 60em the filters are a full-screen panel behind the 絞り込み button.
  var narrow = window.matchMedia("(max-width: 59.984375em)");
  function focusable() {
    return Array.prototype.filter.call(
      els.form.querySelectorAll("input, select, button, summary"),
      function (node) { return node.offsetParent !== null && !node.disabled; });
  }
  // While the panel covers the page, the rest of the page is inert: a screen reader's own
  // navigation (not only Tab, which the trap below keeps in) cannot wander behind it.
  var inerted = [];
  function modal(on) {
    inerted.forEach(function (node) { node.inert = false; });
    inerted = [];
    for (var node = els.form; on && node && node !== document.body; node = node.parentElement) {
      Array.prototype.forEach.call(node.parentElement ? node.parentElement.children : [], function (other) {
        if (other !== node && !other.inert && other.tagName !== "SCRIPT") { other.inert = true; inerted.push(other); }
      });
    }
  }
  function openPanel(open) {
    root.classList.toggle("dx-catalogue--open", open);
    els.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    modal(open && narrow.matches);
    if (open) {
      els.q.focus();
    } else {
      els.toggle.focus();
    }
  }
  narrow.addEventListener("change", function () {
    modal(narrow.matches && root.classList.contains("dx-catalogue--open"));
  });
  els.toggle.addEventListener("click", function () {
    openPanel(els.toggle.getAttribute("aria-expanded") !== "true");
  });
  els.close.addEventListener("click", function () { openPanel(false); });
  els.form.addEventListener("keydown", function (event) {
    if (!narrow.matches || !root.classList.contains("dx-catalogue--open")) { return; }
    if (event.key === "Escape") {
      event.preventDefault();
      openPanel(false);
    } else if (event.key === "Tab") {  // keep focus inside the panel while it covers the page
      var stops = focusable(), first = stops[0], last = stops[stops.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  });
  // Like the page's own skip link: move focus without a fragment (it holds the filters).
  els.skip.addEventListener("click", function (event) {
    event.preventDefault();
    els.results.focus();
    els.results.scrollIntoView();
  });
  els.sort.addEventListener("change", function () { state.sort = els.sort.value; update(); });
  els.more.addEventListener("click", function () { state.shown += PAGE; update(); saveView(); });
  els.reset.addEventListener("click", function () {
    state.q = "";
    facets.forEach(function (f) { state.selected[f.key] = {}; });
    state.shown = PAGE;
    ask();
  });
  els.form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () { readHash(); ask(true); });
})();
