/* 「自分の団体に近い事例」: the user names their own municipality, and the page lists
 * cases from municipalities like it, each with the reasons it is shown.
 *
 * Data comes through <script> tags (works from file://): the official municipality
 * list (municipalities-data.js, window.DX_MUNICIPALITIES) and the catalogue rows
 * (catalogue-data.js, window.DX_CATALOGUE). Names and readings are matched with the
 * site's one normaliser (search-text.js: NFKC, katakana → hiragana, ヶ → け), so hiragana
 * and katakana both find a reading. The picker is an ARIA 1.2 combobox with a listbox
 * popup. The choice is kept in the URL fragment (shareable) and in localStorage when
 * the browser allows it. Everything is built with DOM methods and textContent.
 */
(function () {
  "use strict";

  var SHOWN = 10;     // cases shown per group; the rest are one catalogue link away
  var OPTIONS = 20;   // candidates shown in the picker
  var STORE = "dx-nearby";

  var root = document.getElementById("dx-nearby");
  var data = window.DX_MUNICIPALITIES;
  var catalogue = window.DX_CATALOGUE;
  if (!root || !data || !catalogue) { return; }
  var normalise = window.DXS && window.DXS.normalise ? window.DXS.normalise : function (text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  };

  var col = {};
  catalogue.columns.forEach(function (name, i) { col[name] = i; });
  var facetValues = {};
  catalogue.facets.forEach(function (f) { facetValues[f.key] = f.values; });
  var base = root.getAttribute("data-root") || "./";
  var cataloguePage = root.getAttribute("data-catalogue");

  var prefIndex = {};
  data.prefectures.forEach(function (p, i) { prefIndex[p[0]] = i; });
  var byCode = {};
  var list = data.municipalities.map(function (m) {
    var pref = data.prefectures[prefIndex[m[0].slice(0, 2)]];
    var entry = { code: m[0], name: m[1], kana: m[2], type: m[3], pref: prefIndex[m[0].slice(0, 2)],
                  prefName: pref[1], region: pref[2] };
    entry.fullName = data.types[entry.type] === "都道府県" ? entry.name : pref[1] + entry.name;
    byCode[entry.code] = entry;
    return entry;
  });

  var els = {
    form: document.getElementById("dx-nearby-form"),
    input: document.getElementById("dx-nearby-q"),
    options: document.getElementById("dx-nearby-options"),
    pop: document.getElementById("dx-nearby-pop"),
    popNote: document.getElementById("dx-nearby-pop-note"),
    status: document.getElementById("dx-nearby-status"),
    results: document.getElementById("dx-nearby-results")
  };
  var defaultNote = els.popNote.textContent;
  var chosen = null;       // the chosen municipality entry
  var candidates = [];     // entries shown in the listbox
  var active = -1;         // index of the highlighted candidate

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) { node.textContent = text; }
    return node;
  }

  function compact(text) { return normalise(text).replace(/\s+/g, ""); }

  // -- picking a municipality ------------------------------------------------------

  function match(query) {
    var q = compact(query);
    if (!q) { return []; }
    var found = [];
    list.forEach(function (m) {
      var name = compact(m.name), kana = compact(m.kana), full = compact(m.fullName);
      var rank = -1;
      if (name === q || kana === q || full === q) { rank = 0; }
      else if (name.indexOf(q) === 0 || kana.indexOf(q) === 0 || full.indexOf(q) === 0) { rank = 1; }
      else if (name.indexOf(q) !== -1 || full.indexOf(q) !== -1) { rank = 2; }
      else if (kana.indexOf(q) !== -1) { rank = 3; }
      if (rank !== -1) { found.push([rank, m]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || (a[1].code < b[1].code ? -1 : 1); });
    return found.map(function (pair) { return pair[1]; });
  }

  function hiragana(kana) {
    return kana.replace(/[\u30a1-\u30f6]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0x60); });
  }

  function openList(query) {
    var all = match(query);
    candidates = all.slice(0, OPTIONS);
    active = -1;
    els.options.textContent = "";
    els.input.removeAttribute("aria-activedescendant");
    candidates.forEach(function (m, i) {
      var li = el("li", { id: "dx-nearby-option-" + i, role: "option", "aria-selected": "false" });
      li.appendChild(el("span", { "class": "dx-combobox__name" }, m.fullName));
      li.appendChild(el("span", { "class": "dx-combobox__meta" },
                        "（" + data.types[m.type] + "、" + hiragana(m.kana) + "）"));
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { choose(m, null, true); });
      els.options.appendChild(li);
    });
    if (!candidates.length && compact(query)) {
      els.options.appendChild(el("li", { "class": "dx-combobox__empty", role: "option", "aria-disabled": "true" },
                                 "該当する団体がありません"));
    }
    if (all.length > candidates.length) {
      els.options.appendChild(el("li", { "class": "dx-combobox__empty", role: "option", "aria-disabled": "true" },
                                 "ほかに " + (all.length - candidates.length) + " 団体。続けて入力すると絞り込めます"));
    }
    var open = els.options.children.length > 0;
    els.options.hidden = !open;
    els.input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function closeList() {
    els.options.hidden = true;
    els.input.setAttribute("aria-expanded", "false");
    els.input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(i) {
    var items = els.options.querySelectorAll("[role=option]");
    if (!candidates.length) { return; }
    active = (i + candidates.length) % candidates.length;
    for (var k = 0; k < items.length; k++) { items[k].setAttribute("aria-selected", k === active ? "true" : "false"); }
    var item = document.getElementById("dx-nearby-option-" + active);
    els.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  els.input.addEventListener("input", function () { openList(els.input.value); });
  els.input.addEventListener("keydown", function (e) {
    var open = !els.options.hidden;
    if (e.key === "ArrowDown" || e.key === "Down") {
      e.preventDefault();
      if (!open) { openList(els.input.value); }
      highlight(active + 1);
    } else if (e.key === "ArrowUp" || e.key === "Up") {
      e.preventDefault();
      if (!open) { openList(els.input.value); }
      highlight(active < 0 ? -1 : active - 1);
    } else if (e.key === "Enter") {
      if (e.isComposing) { return; }
      e.preventDefault();
      if (open && active >= 0) { choose(candidates[active], null, true); }
      else if (open && candidates.length === 1) { choose(candidates[0], null, true); }
    } else if (e.key === "Escape" || e.key === "Esc") {
      if (open) { e.preventDefault(); closeList(); }
    }
  });
  els.input.addEventListener("blur", function () { closeList(); });
  els.form.addEventListener("submit", function (e) { e.preventDefault(); });

  // -- population --------------------------------------------------------------------

  function bandOf(count) {
    if (!(count > 0)) { return null; }
    var band = 0;
    data.bands.forEach(function (b, i) { if (count >= b[1]) { band = i; } });
    return band;
  }

  function populationNote(m) {
    var known = data.population[m.code];
    if (known) {
      return "この団体の事例に書かれた人口です" + (known[1] ? "（" + window.DXS.date(known[1]) + "時点）" : "") +
             "。今の人口と違うときは書き換えてください。";
    }
    return "この団体の人口は、このサイトにはありません。入力すると、同じ人口規模の団体の事例も示します。";
  }

  els.pop.addEventListener("input", function () {
    if (!chosen) { return; }
    show();
    save();
  });

  // -- choosing, remembering -----------------------------------------------------------

  function choose(m, population, fromUser) {
    chosen = m;
    els.input.value = m.fullName;
    closeList();
    var known = data.population[m.code];
    els.pop.value = population != null ? String(population) : (known ? String(known[0]) : "");
    els.popNote.textContent = populationNote(m);
    show();
    if (fromUser) { save(); }
  }

  function currentPopulation() {
    var value = parseInt(els.pop.value, 10);
    return value > 0 ? value : null;
  }

  function save() {
    if (!chosen) { return; }
    var params = new URLSearchParams();
    params.set("code", chosen.code);
    var pop = currentPopulation();
    var known = data.population[chosen.code];
    if (pop && !(known && known[0] === pop)) { params.set("pop", String(pop)); }
    var url = location.href.split("#")[0] + "#" + params.toString();
    try { history.replaceState(null, "", url); } catch (e) { location.replace(url); }
    try { localStorage.setItem(STORE, params.toString()); } catch (e) { /* storage refused: the URL keeps it */ }
  }

  function restore() {
    var saved = location.hash.replace(/^#/, "");
    if (!saved) {
      try { saved = localStorage.getItem(STORE) || ""; } catch (e) { saved = ""; }
    }
    var params = new URLSearchParams(saved);
    var m = byCode[params.get("code") || ""];
    if (!m) { return; }
    var pop = parseInt(params.get("pop") || "", 10);
    choose(m, pop > 0 ? pop : null, false);
    if (!location.hash) { save(); }
  }

  // -- the cases ---------------------------------------------------------------------

  function catalogueLink(filters) {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    return cataloguePage + "#" + params.toString();
  }

  function show() {
    var m = chosen;
    var pop = currentPopulation();
    var band = bandOf(pop);
    var typeName = data.types[m.type];
    var prefName = m.prefName;
    var prefKind = prefName.slice(-1);
    var regionName = data.regions[m.region];
    var bandName = band == null ? null : data.bands[band][0];
    var groups = [
      { key: "own", title: m.fullName + "の事例", items: [] },
      { key: "typeband", title: band == null ? "同じ種類（" + typeName + "）の団体の事例"
                                             : "同じ種類（" + typeName + "）・同じ人口規模（" + bandName + "）の団体の事例",
        items: [], filters: band == null ? { type: typeName } : { type: typeName, pop: bandName } },
      { key: "pref", title: "同じ" + prefKind + "（" + prefName + "）の団体の事例", items: [],
        filters: { pref: facetValues.pref[m.pref][0] } },
      { key: "region", title: "同じ地方（" + regionName + "）の団体の事例", items: [],
        filters: { region: regionName } },
      { key: "type", title: "同じ種類（" + typeName + "）で、人口規模が違うか不明の団体の事例", items: [],
        filters: { type: typeName } },
      { key: "band", title: "同じ人口規模（" + bandName + "）で、種類が違う団体の事例", items: [],
        filters: { pop: bandName } }
    ];
    var group = {};
    groups.forEach(function (g) { group[g.key] = g; });
    catalogue.cases.forEach(function (c) {
      var sameType = c[col.type] === m.type;
      var sameBand = band != null && c[col.band] === band;
      var samePref = c[col.pref] === m.pref;
      var sameRegion = c[col.region] === m.region;
      var reasons = [];
      if (sameType) { reasons.push("同じ種類（" + typeName + "）"); }
      if (sameBand) { reasons.push("同じ人口規模（" + bandName + "）"); }
      if (samePref) { reasons.push("同じ" + prefKind + "（" + prefName + "）"); }
      else if (sameRegion) { reasons.push("同じ地方（" + regionName + "）"); }
      var item = { c: c, reasons: reasons };
      if (c[col.code] === m.code) { group.own.items.push(item); }
      else if (sameType && (band == null || sameBand)) { group.typeband.items.push(item); }
      else if (samePref) { group.pref.items.push(item); }
      else if (sameRegion) { group.region.items.push(item); }
      else if (sameType) { group.type.items.push(item); }
      else if (sameBand) { group.band.items.push(item); }
    });
    els.results.textContent = "";
    var total = 0;
    groups.forEach(function (g) {
      if (!g.items.length && g.key === "typeband") {  // the closest kind: say plainly there is none yet
        var empty = el("section", { "class": "dx-nearby__group", "data-group": g.key });
        empty.appendChild(el("h2", {}, g.title + "（0 件）"));
        empty.appendChild(el("p", {}, "まだありません。"));
        els.results.appendChild(empty);
        return;
      }
      if (!g.items.length) { return; }
      total += g.key === "own" ? 0 : g.items.length;
      g.items.sort(function (a, b) {
        return b.reasons.length - a.reasons.length ||
               (a.c[col.updated] < b.c[col.updated] ? 1 : a.c[col.updated] > b.c[col.updated] ? -1 : 0);
      });
      var section = el("section", { "class": "dx-nearby__group", "data-group": g.key });
      section.appendChild(el("h2", {}, g.title + "（" + g.items.length + " 件）"));
      var ol = el("ol", { "class": "dx-nearby__cases" });
      g.items.slice(0, SHOWN).forEach(function (item) {
        var c = item.c;
        var li = el("li");
        var title = el("p", { "class": "dx-nearby__title" });
        title.appendChild(el("a", { href: base + c[col.url] }, c[col.title]));
        title.appendChild(document.createTextNode("（" + c[col.place] + "）"));
        li.appendChild(title);
        if (item.reasons.length) {
          li.appendChild(el("p", { "class": "dx-nearby__why" }, "理由: " + item.reasons.join("・")));
        }
        li.appendChild(el("p", { "class": "dx-nearby__summary" }, c[col.summary]));
        ol.appendChild(li);
      });
      section.appendChild(ol);
      if (g.filters && g.items.length > SHOWN) {
        var more = el("p");
        more.appendChild(el("a", { href: catalogueLink(g.filters) }, "事例カタログでこの条件の事例をすべて見る"));
        section.appendChild(more);
      }
      els.results.appendChild(section);
    });
    var about = m.fullName + "（" + typeName + (bandName ? "、人口規模 " + bandName : "") + "）";
    els.status.textContent = total || group.own.items.length
      ? about + "に近い団体の事例は " + total + " 件です。"
      : about + "に近い団体の事例は、まだありません。";
    if (!total && !group.own.items.length) {
      var none = el("p");
      none.appendChild(document.createTextNode("同じ種類・同じ都道府県・同じ地方の団体の事例は、まだありません。"));
      none.appendChild(el("a", { href: cataloguePage }, "事例カタログ"));
      none.appendChild(document.createTextNode("ですべての事例を探せます。"));
      els.results.appendChild(none);
    }
  }

  window.addEventListener("hashchange", function () {  // a shared link opened on this page
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var m = byCode[params.get("code") || ""];
    if (!m) { return; }
    var pop = parseInt(params.get("pop") || "", 10);
    choose(m, pop > 0 ? pop : null, false);
  });
  restore();
  if (!chosen) { els.popNote.textContent = defaultNote; }
})();
