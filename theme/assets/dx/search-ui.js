/* The site's search engine, part 6 of 6 (the order: search-text.js): what the
 * reader sees. Snippets with every form of a term marked (DXS.snippet, also
 * used by the catalogue's keyword box, catalogue.js), the header box's results
 * as you type, and the search page with its filters, its state in the URL's
 * fragment.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (DXS.snippet) { return; }
  var normalise = DXS.normalise, chunks = DXS.chunks, skeleton = DXS.skeleton, japaneseDate = DXS.date;
  var search = DXS.search, record = DXS.record, meta = I.meta, root = DXS.root;
  var escapeRe = I.escapeRe, skeletonUsable = I.skeletonUsable, HIRA = I.HIRA;
  var form = document.querySelector("form.dx-search");

  // Normalised text with a map back to the original, for highlighting.
  function mapped(text) {
    var chars = Array.from(text), out = "", index = [], offset = 0;
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      var next = chars[i + 1];
      if (next === "\uff9e" || next === "\uff9f") { ch += next; i++; }
      var n = normalise(ch) || (/\s/.test(ch) ? " " : "");
      for (var k = 0; k < n.length; k++) { out += n.charAt(k); index.push(offset); }
      offset += ch.length;
    }
    index.push(offset);
    return { text: out, index: index };
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // One pattern for every form a result may hold a term in: as typed, its synonyms, and
  // their skeletons with up to two hiragana between the characters.
  function hitPattern(terms) {
    var parts = [];
    terms.forEach(function (t) {
      [t.text].concat(t.alternatives || []).forEach(function (form, i) {
        var kept = t.kept ? t.kept[i] : form;
        parts.push(escapeRe(form));
        if (skeletonUsable(form, kept)) {
          parts.push(Array.from(skeleton(kept)).map(escapeRe).join("[" + HIRA + "]{0,2}"));
        }
      });
    });
    parts.sort(function (x, y) { return y.length - x.length; });
    return parts.length ? new RegExp(parts.join("|"), "gu") : null;
  }

  function hits(text, pattern) {
    var out = [];
    if (!pattern) { return out; }
    pattern.lastIndex = 0;
    var found;
    while ((found = pattern.exec(text)) !== null) {
      if (!found[0].length) { pattern.lastIndex++; continue; }
      out.push([found.index, found.index + found[0].length]);
    }
    return out;
  }

  // A window of the best-weighted field (not the title) holding a term, every form of
  // every term in it marked, after the field's name (「システム: 」).
  function snippet(rec, terms, width, labels, weights) {
    var list = terms.map(function (t) { return typeof t === "string" ? { text: t, alternatives: [] } : t; });
    var pattern = hitPattern(list);
    var order = rec.f.map(function (_, i) { return i; }).filter(function (i) { return i !== 0; });
    if (weights) { order.sort(function (x, y) { return (weights[y] || 0) - (weights[x] || 0) || x - y; }); }
    var chosen = null;
    for (var o = 0; o < order.length && !chosen; o++) {
      var field = rec.f[order[o]] || "", m = mapped(field), found = hits(m.text, pattern);
      if (found.length) { chosen = { number: order[o], field: field, m: m, found: found }; }
    }
    if (!chosen) {
      var summary = rec.f[3] || rec.s || "";
      if (!summary) { return null; }
      chosen = { number: 3, field: summary, m: mapped(summary), found: [] };
    }
    var field = chosen.field, m = chosen.m, first = chosen.found.length ? chosen.found[0][0] : 0;
    var from = Math.max(0, first - width), to = Math.min(m.text.length, first + width * 2);
    var p = el("p", "dx-snippet");
    if (labels && labels[chosen.number]) { p.appendChild(el("span", "dx-snippet__field", labels[chosen.number] + ": ")); }
    var cursor = from;
    if (from > 0) { p.appendChild(document.createTextNode("…")); }
    chosen.found.forEach(function (mk) {
      var a = Math.max(mk[0], cursor), b = Math.min(mk[1], to);
      if (b <= a) { return; }
      p.appendChild(document.createTextNode(field.slice(m.index[cursor], m.index[a]).replace(/\n/g, " ／ ")));
      p.appendChild(el("mark", "dx-hit", field.slice(m.index[a], m.index[b])));
      cursor = b;
    });
    p.appendChild(document.createTextNode(field.slice(m.index[cursor], m.index[to]).replace(/\n/g, " ／ ")));
    if (to < m.text.length) { p.appendChild(document.createTextNode("…")); }
    return p;
  }

  // For tests and the benchmark: when the results of a query were on screen.
  function stamp(query, start, count) {
    window.DXS.timing = { query: query, ms: performance.now() - start, count: count };
    window.DXS.timingEnd = null;
    requestAnimationFrame(function () { window.DXS.timingEnd = performance.now(); });
  }

  var PARTIAL = "すべての語を含む事例はありません。一部の語を含む事例を表示しています";

  DXS.snippet = snippet;

  // -- header box: results as you type ----------------------------------------
  var input = form && form.querySelector("input[type=search]");
  var suggest = document.getElementById("dx-suggest");
  var searchPage = form && form.getAttribute("data-search-page");
  var onResultsPage = !!document.getElementById("dx-searchpage");

  function pageUrl(query, extra) {
    return searchPage + "#" + new URLSearchParams(Object.assign({ q: query }, extra || {})).toString();
  }

  if (form && suggest && !onResultsPage) {
    var status = suggest.querySelector(".dx-suggest__status");
    var listEl = suggest.querySelector(".dx-suggest__list");
    var all = suggest.querySelector(".dx-suggest__all");
    var latest = 0, timer = null;
    // One character that is not a kanji (お, r) is in nearly every case: as the first keystroke
    // of a word it is worth no search, nor the 10-30 KB of its postings. Enter still searches it.
    var lone = function (query) { var s = normalise(query); return Array.from(s).length === 1 && !I.hasKanji(s); };
    var run = function () {
      var query = input.value, ticket = ++latest, start = performance.now();
      var wanted = function () { return ticket === latest; };
      if (!chunks(query).length || lone(query)) { suggest.hidden = true; return; }
      search(query, null, wanted).then(function (found) {
        if (!found || !wanted()) { return; }
        var top = found.results.slice(0, 8);
        return Promise.all(top.map(function (r) { return record(r.doc); })).then(function (recs) {
          if (!wanted()) { return; }
          listEl.textContent = "";
          recs.forEach(function (rec) {
            var li = el("li"), link = el("a");
            link.href = root + rec.u;
            link.appendChild(el("span", "dx-suggest__title", rec.t));
            link.appendChild(el("span", "dx-suggest__place", rec.p));
            li.appendChild(link);
            listEl.appendChild(li);
          });
          var n = found.results.length;
          status.textContent = !n ? "見つかりませんでした"
            : found.partial ? "すべての語を含む事例はありません（一部の語を含む事例 " + n + " 件）"
              : found.complete + " 件見つかりました" + (n > found.complete ? "（ほかに一部の語を含む事例 " +
                (n - found.complete) + " 件）" : "");
          all.href = pageUrl(query);
          all.textContent = n ? "すべての結果（" + n + " 件）を見る" : "検索ページで条件を変えて探す";
          suggest.hidden = false;
          stamp(query, start, n);
          form.setAttribute("data-results", String(found.partial ? n : found.complete));
        });
      });
    };
    // meta.js as soon as the box has focus. Each input searches at once (a person's keystrokes
    // are too far apart for a pause to save a search, it would only delay every result); the
    // timer of 0 ms lets the input events of one task make one search, and the new ticket tells
    // a search under way that it is for text no longer in the box, so it stops at its next stage.
    var early = function () { meta().catch(function () { return null; }); };
    input.addEventListener("focus", early);
    if (document.activeElement === input) { early(); }
    var typed = function (event) {
      if (event.isComposing) { return; }  // an IME's reading, not yet the word: wait for it
      ++latest;
      DXS.prefetch(input.value);
      clearTimeout(timer);
      timer = setTimeout(run, 0);
    };
    input.addEventListener("input", typed);
    input.addEventListener("compositionend", typed);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !suggest.hidden) {
        var first = listEl.querySelector("a") || all;
        event.preventDefault();
        first.focus();
      } else if (event.key === "Escape") {
        suggest.hidden = true;
      }
    });
    suggest.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(suggest.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (event.key === "Escape") { suggest.hidden = true; input.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { suggest.hidden = true; }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      location.href = pageUrl(input.value);
    });
    if (input.value) { run(); }
  }

  // -- results page --------------------------------------------------------------
  var page = document.getElementById("dx-searchpage");
  if (!page) { return; }
  var PAGE = 20;
  var SELECTS = ["pref", "area", "status", "kind", "band", "sort"];
  var els = {
    form: document.getElementById("dx-search-form"),
    q: document.getElementById("dx-search-q"),
    line: document.getElementById("dx-search-status-line"),
    terms: document.getElementById("dx-search-terms"),
    list: document.getElementById("dx-search-results"),
    more: document.getElementById("dx-search-more")
  };
  SELECTS.forEach(function (k) { els[k] = document.getElementById("dx-search-" + k); });
  var shown = PAGE, current = null, ticket = 0;

  function readState() {
    var params = new URLSearchParams(location.hash.replace(/^#/, "") || location.search.replace(/^\?/, ""));
    els.q.value = params.get("q") || "";
    SELECTS.forEach(function (k) { if (els[k]) { els[k].value = params.get(k) || (k === "sort" ? "relevance" : ""); } });
    if (input) { input.value = els.q.value; }
  }
  function writeState() {
    var params = new URLSearchParams();
    params.set("q", els.q.value);
    SELECTS.forEach(function (k) {
      if (els[k] && els[k].value && !(k === "sort" && els[k].value === "relevance")) { params.set(k, els[k].value); }
    });
    var url = location.href.split("#")[0].split("?")[0] + "#" + params.toString();
    try { history.replaceState(null, "", url); } catch (e) { location.replace(url); }
  }
  function filters() {
    var f = {};
    ["pref", "area", "status", "kind", "band"].forEach(function (k) {
      f[k] = !els[k] || els[k].value === "" ? null : +els[k].value;
    });
    f.sort = els.sort ? els.sort.value : "relevance";
    return f;
  }
  function render() {
    var mine = ++ticket, start = performance.now(), query = els.q.value;
    if (!chunks(query).length) {
      els.list.textContent = "";
      els.terms.textContent = "";
      els.line.textContent = "キーワードを入力してください。";
      els.more.hidden = true;
      return Promise.resolve();
    }
    return search(query, filters(), function () { return mine === ticket; }).then(function (found) {
      if (!found) { return; }
      current = found;
      return show(found, mine, start, query);
    });
  }
  // The terms as the reader wrote them, not as the index looks them up (セキュリティー, not
  // せきゅりてぃ): each term's span of the query, found in order through the map back to it.
  function asWritten(query, terms) {
    var m = mapped(query), from = 0;
    return terms.map(function (t) {
      var at = m.text.indexOf(t.text, from);
      if (at < 0) { return (t.kept && t.kept[0]) || t.text; }
      from = at + t.text.length;
      return query.slice(m.index[at], m.index[from]).trim();
    });
  }
  // The terms the query was read as, each a search of its own; for a lone term, its synonyms as
  // synonyms.yml writes them (meta's synonymsWritten where that is not the kept form).
  function showTerms(found, query) {
    els.terms.textContent = "";
    if (found.terms.length < 2 && found.results.length) { return; }
    var written = (I.cache.meta && I.cache.meta.synonymsWritten) || {};
    var names = asWritten(query, found.terms);
    var words = found.terms.length > 1 ? names : found.terms.length ? found.terms[0].alternatives.map(function (w, i) {
      return written[w] || found.terms[0].kept[i + 1] || w;
    }) : [];
    if (!words.length) { return; }
    els.terms.appendChild(document.createTextNode(found.terms.length > 1 ? "語ごとに検索: " : "ほかの言い方で検索: "));
    words.forEach(function (word, i) {
      var link = el("a", null, word);
      link.href = pageUrl(word);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        els.q.value = word; shown = PAGE; writeState(); render();
      });
      if (i) { els.terms.appendChild(document.createTextNode("、")); }
      els.terms.appendChild(link);
      var term = found.terms[i];
      if (found.terms.length > 1 && term && term.count !== undefined) {
        els.terms.appendChild(document.createTextNode("（" + term.count + " 件）"));
      }
    });
  }
  function card(rec, found, m) {
    var li = el("li", "dx-card");
    var h = el("h2", "dx-card__title");
    var link = el("a", null, rec.t);
    link.href = root + rec.u;
    h.appendChild(link);
    li.appendChild(h);
    var facts = [rec.p, rec.st, rec.k, "人口 " + rec.b];
    facts.push(rec.l ? "開始 " + japaneseDate(rec.l) : "開始 未定");
    li.appendChild(el("p", "dx-card__meta", facts.filter(Boolean).join(" ／ ")));
    var snip = snippet(rec, found.terms.concat(found.phrases || []), 40, m.labels, m.weights);
    if (snip) { li.appendChild(snip); }
    return li;
  }
  function show(found, mine, start, query) {
    if (mine !== ticket) { return Promise.resolve(); }  // typed past: no records for it
    var slice = found.results.slice(0, shown);
    return Promise.all([meta()].concat(slice.map(function (r) { return record(r.doc); }))).then(function (loaded) {
      if (mine !== ticket) { return; }
      var m = loaded[0], recs = loaded.slice(1);
      els.list.textContent = "";
      recs.forEach(function (rec) { els.list.appendChild(card(rec, found, m)); });
      var n = found.results.length;
      els.line.textContent = !n ? "「" + query + "」に一致する事例は見つかりませんでした。"
        : found.partial ? "「" + query + "」の検索結果: " + PARTIAL + "（" + n + " 件）"
          : "「" + query + "」の検索結果: " + found.complete + " 件" +
            (n > found.complete ? "（ほかに一部の語を含む事例 " + (n - found.complete) + " 件）" : "");
      showTerms(found, query);
      els.more.hidden = n <= shown;
      stamp(query, start, n);
      page.setAttribute("data-results", String(found.partial ? n : found.complete));
      page.setAttribute("data-shown", String(n));
      page.setAttribute("data-partial", found.partial ? "1" : "0");
      page.setAttribute("data-query", query);
    });
  }

  readState();
  var typing = null;
  var typedHere = function (event) {  // at once, as the header box (and as it, not an IME's reading)
    if (event.isComposing) { return; }
    ++ticket;
    DXS.prefetch(els.q.value);
    clearTimeout(typing);
    typing = setTimeout(function () { shown = PAGE; writeState(); render(); }, 0);
  };
  els.q.addEventListener("input", typedHere);
  els.q.addEventListener("compositionend", typedHere);
  SELECTS.forEach(function (k) {
    if (els[k]) { els[k].addEventListener("change", function () { shown = PAGE; writeState(); render(); }); }
  });
  els.form.addEventListener("submit", function (event) { event.preventDefault(); shown = PAGE; writeState(); render(); });
  els.more.addEventListener("click", function () {
    shown += PAGE;
    if (current) { show(current, ++ticket, performance.now(), els.q.value); }
  });
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      els.q.value = input.value;
      shown = PAGE; writeState(); render();
    });
  }
  window.addEventListener("hashchange", function () { readState(); shown = PAGE; render(); });
  render();
})();
