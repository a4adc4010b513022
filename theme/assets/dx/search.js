/* Japanese search: exact substring matching over normalised text.
 *
 * The index (generator/site/search_index.py) is split into <script> files
 * that call DXS_LOAD(name, data): meta.js, shards s/<n>.js keyed by an FNV-1a
 * hash of a character or character pair, and one d/<n>.js per document for
 * showing results. Only what a query needs is loaded, and it works the same
 * over HTTP and from file:// (no fetch, no modules, no WebAssembly).
 *
 * A query is split on spaces into terms, all of which must match. A term of
 * one character uses the character's document list; a longer one must have
 * its character pairs at consecutive positions in one field of a document.
 * Results are ranked by the best field each term is in (title and
 * municipality above body), then newest checked first.
 */
(function () {
  "use strict";
  if (window.DXS) { return; }

  var form = document.querySelector("form.dx-search");
  var root = (form && form.getAttribute("data-root")) || "./";
  var base = root + "search/";
  var cache = {};
  var waiting = {};
  var decoded = {};
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) { DIGIT[ALPHABET.charAt(a)] = a; }

  window.DXS_LOAD = function (name, data) {
    cache[name] = data;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (cb) { cb[0](data); });
  };

  function load(name, path) {
    if (cache[name] !== undefined) { return Promise.resolve(cache[name]); }
    return new Promise(function (resolve, reject) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push([resolve, reject]);
      if (!first) { return; }
      var script = document.createElement("script");
      script.src = base + path;
      script.async = true;
      script.onerror = function () {
        var callbacks = waiting[name] || [];
        delete waiting[name];
        callbacks.forEach(function (cb) { cb[1](new Error("load " + path)); });
      };
      document.head.appendChild(script);
    });
  }

  // Same steps as generator/textnorm.py.
  function normalise(text) {
    var s = String(text || "").normalize("NFKC").toLowerCase();
    s = s.replace(/[\u30a1-\u30f6]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0x60); });
    s = s.replace(/\u30fc/g, "").replace(/\u3096/g, "\u3051").replace(/\u3095/g, "\u304b");
    return s.replace(/\s+/g, " ").trim();
  }
  function terms(query) { return normalise(query).split(" ").filter(Boolean); }

  function fnv1a(chars) {
    var h = 0x811c9dc5;
    for (var i = 0; i < chars.length; i++) {
      h ^= chars[i].codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function vlq(text) {
    var out = [], value = 0, shift = 0;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charAt(i)];
      value += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { out.push(value); value = 0; shift = 0; }
    }
    return out;
  }

  function meta() { return load("meta", "meta.js"); }

  // Postings of one key: {docs: [...], fields: [...]} (one char) or {docs, counts, pos} (pair).
  function postings(chars) {
    var key = chars.join("");
    if (decoded[key] !== undefined) { return Promise.resolve(decoded[key]); }
    return meta().then(function (m) {
      var shard = fnv1a(chars) % m.shards;
      return load("s" + shard, "s/" + shard + ".js");
    }).then(function (entries) {
      var raw = entries[key];
      var result = null;
      if (raw !== undefined) {
        var v = vlq(raw), n = v[0], docs = new Array(n), acc = 0, i;
        for (i = 0; i < n; i++) { acc = i === 0 ? v[1] : acc + v[1 + i]; docs[i] = acc; }
        if (chars.length === 1) {
          result = { docs: docs, fields: v.slice(1 + n, 1 + 2 * n) };
        } else {
          var counts = v.slice(1 + n, 1 + 2 * n), pos = [], k = 1 + 2 * n;
          for (i = 0; i < n; i++) {
            var list = new Array(counts[i]), p = 0;
            for (var j = 0; j < counts[i]; j++) { p = j === 0 ? v[k] : p + v[k]; list[j] = p; k++; }
            pos.push(list);
          }
          result = { docs: docs, pos: pos };
        }
      }
      decoded[key] = result;
      return result;
    });
  }

  // Map doc → best field weight for one term.
  function matchTerm(term, m) {
    var chars = Array.from(term);
    if (chars.length === 1) {
      return postings(chars).then(function (post) {
        var found = new Map();
        if (!post) { return found; }
        post.docs.forEach(function (doc, i) { found.set(doc, bestWeight(post.fields[i], m)); });
        return found;
      });
    }
    var pairs = [];
    for (var i = 0; i + 1 < chars.length; i++) { pairs.push([chars[i], chars[i + 1]]); }
    return Promise.all(pairs.map(postings)).then(function (lists) {
      var found = new Map();
      if (lists.some(function (l) { return !l; })) { return found; }
      var maps = lists.map(function (l) {
        var byDoc = new Map();
        l.docs.forEach(function (doc, i) { byDoc.set(doc, l.pos[i]); });
        return byDoc;
      });
      var smallest = 0;
      lists.forEach(function (l, i) { if (l.docs.length < lists[smallest].docs.length) { smallest = i; } });
      lists[smallest].docs.forEach(function (doc) {
        var sets = [];
        for (var k = 0; k < maps.length; k++) {
          var p = maps[k].get(doc);
          if (!p) { return; }
          sets.push(p);
        }
        var best = 0;
        var rest = sets.map(function (p) { return new Set(p); });
        sets[0].forEach(function (start) {
          for (var k = 1; k < rest.length; k++) { if (!rest[k].has(start + k)) { return; } }
          var w = m.weights[Math.floor(start / Math.pow(2, m.shift))] || 1;
          if (w > best) { best = w; }
        });
        if (best > 0) { found.set(doc, best); }
      });
      return found;
    });
  }

  function bestWeight(mask, m) {
    var best = 0;
    for (var f = 0; f < m.weights.length; f++) { if (mask & (1 << f) && m.weights[f] > best) { best = m.weights[f]; } }
    return best || 1;
  }

  // Results: [{doc, score}] ranked; filters: {pref, area, status} as indexes or null.
  function search(query, filters) {
    var list = terms(query);
    if (!list.length) { return Promise.resolve({ terms: list, results: [] }); }
    return meta().then(function (m) {
      return Promise.all(list.map(function (t) { return matchTerm(t, m); })).then(function (maps) {
        maps.sort(function (x, y) { return x.size - y.size; });
        var results = [];
        maps[0].forEach(function (weight, doc) {
          var score = weight;
          for (var k = 1; k < maps.length; k++) {
            var w = maps[k].get(doc);
            if (w === undefined) { return; }
            score += w;
          }
          if (filters) {
            if (filters.pref != null && m.pref.charCodeAt(doc) - 48 !== filters.pref) { return; }
            if (filters.status != null && m.status.charCodeAt(doc) - 48 !== filters.status) { return; }
            if (filters.area != null && !(m.areas[doc] & (1 << filters.area))) { return; }
          }
          results.push({ doc: doc, score: score });
        });
        results.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
        return { terms: list, results: results };
      });
    });
  }

  function record(doc) { return load("d" + doc, "d/" + doc + ".js"); }

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

  // A window of the first field holding a term, every term in it marked.
  function snippet(rec, list, width) {
    var order = [0, 3, 1, 2, 4, 5, 6, 7];
    for (var o = 0; o < order.length; o++) {
      var field = rec.f[order[o]] || "";
      var m = mapped(field);
      var first = -1;
      list.forEach(function (t) { var at = m.text.indexOf(t); if (at !== -1 && (first === -1 || at < first)) { first = at; } });
      if (first === -1) { continue; }
      var from = Math.max(0, first - width), to = Math.min(m.text.length, first + width * 2);
      var marks = [];
      list.forEach(function (t) {
        var at = m.text.indexOf(t, from);
        while (at !== -1 && at < to) { marks.push([at, Math.min(at + t.length, to)]); at = m.text.indexOf(t, at + 1); }
      });
      marks.sort(function (x, y) { return x[0] - y[0]; });
      var p = el("p", "dx-snippet");
      var cursor = from;
      if (from > 0) { p.appendChild(document.createTextNode("…")); }
      marks.forEach(function (mk) {
        if (mk[0] < cursor) { mk[0] = cursor; }
        if (mk[1] <= mk[0]) { return; }
        p.appendChild(document.createTextNode(field.slice(m.index[cursor], m.index[mk[0]])));
        p.appendChild(el("mark", "dx-hit", field.slice(m.index[mk[0]], m.index[mk[1]])));
        cursor = mk[1];
      });
      p.appendChild(document.createTextNode(field.slice(m.index[cursor], m.index[to]).replace(/\n/g, " ")));
      if (to < m.text.length) { p.appendChild(document.createTextNode("…")); }
      return p;
    }
    return null;
  }

  // For tests and the benchmark: when the results of a query were on screen.
  function stamp(query, start, count) {
    window.DXS.timing = { query: query, ms: performance.now() - start, count: count };
    window.DXS.timingEnd = null;
    requestAnimationFrame(function () { window.DXS.timingEnd = performance.now(); });
  }

  window.DXS = { search: search, record: record, normalise: normalise, terms: terms, snippet: snippet,
    root: root, timing: null };

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
    var run = function () {
      var query = input.value, ticket = ++latest, start = performance.now();
      if (!terms(query).length) { suggest.hidden = true; return; }
      search(query, null).then(function (found) {
        var top = found.results.slice(0, 8);
        return Promise.all(top.map(function (r) { return record(r.doc); })).then(function (recs) {
          if (ticket !== latest) { return; }
          listEl.textContent = "";
          recs.forEach(function (rec) {
            var li = el("li"), link = el("a");
            link.href = root + rec.u;
            link.appendChild(el("span", "dx-suggest__title", rec.t));
            link.appendChild(el("span", "dx-suggest__place", rec.p));
            li.appendChild(link);
            listEl.appendChild(li);
          });
          status.textContent = found.results.length ? found.results.length + " 件見つかりました" : "見つかりませんでした";
          all.href = pageUrl(query);
          all.textContent = "すべての結果（" + found.results.length + " 件）を見る";
          suggest.hidden = false;
          stamp(query, start, found.results.length);
          form.setAttribute("data-results", String(found.results.length));
        });
      });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 40); });
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
  var els = {
    form: document.getElementById("dx-search-form"),
    q: document.getElementById("dx-search-q"),
    pref: document.getElementById("dx-search-pref"),
    area: document.getElementById("dx-search-area"),
    status: document.getElementById("dx-search-status"),
    line: document.getElementById("dx-search-status-line"),
    list: document.getElementById("dx-search-results"),
    more: document.getElementById("dx-search-more")
  };
  var shown = PAGE, current = null, ticket = 0;

  function readState() {
    var params = new URLSearchParams(location.hash.replace(/^#/, "") || location.search.replace(/^\?/, ""));
    els.q.value = params.get("q") || "";
    els.pref.value = params.get("pref") || "";
    els.area.value = params.get("area") || "";
    els.status.value = params.get("status") || "";
    if (input) { input.value = els.q.value; }
  }
  function writeState() {
    var params = new URLSearchParams();
    params.set("q", els.q.value);
    ["pref", "area", "status"].forEach(function (k) { if (els[k].value) { params.set(k, els[k].value); } });
    var url = location.href.split("#")[0].split("?")[0] + "#" + params.toString();
    try { history.replaceState(null, "", url); } catch (e) { location.replace(url); }
  }
  function filters() {
    var f = {};
    ["pref", "area", "status"].forEach(function (k) { f[k] = els[k].value === "" ? null : +els[k].value; });
    return f;
  }
  function render() {
    var mine = ++ticket, start = performance.now(), query = els.q.value;
    if (!terms(query).length) {
      els.list.textContent = "";
      els.line.textContent = "キーワードを入力してください。";
      els.more.hidden = true;
      return Promise.resolve();
    }
    return search(query, filters()).then(function (found) {
      current = found;
      return show(found, mine, start, query);
    });
  }
  function show(found, mine, start, query) {
    var slice = found.results.slice(0, shown);
    return Promise.all(slice.map(function (r) { return record(r.doc); })).then(function (recs) {
      if (mine !== ticket) { return; }
      els.list.textContent = "";
      recs.forEach(function (rec) {
        var li = el("li", "dx-card");
        var h = el("h2", "dx-card__title");
        var link = el("a", null, rec.t);
        link.href = root + rec.u;
        h.appendChild(link);
        li.appendChild(h);
        li.appendChild(el("p", "dx-card__meta", rec.p));
        li.appendChild(el("p", "dx-card__summary", rec.s));
        var snip = snippet(rec, found.terms, 40);
        if (snip) { li.appendChild(snip); }
        els.list.appendChild(li);
      });
      els.line.textContent = found.results.length
        ? "「" + query + "」の検索結果: " + found.results.length + " 件"
        : "「" + query + "」に一致する事例は見つかりませんでした。";
      els.more.hidden = found.results.length <= shown;
      stamp(query, start, found.results.length);
      page.setAttribute("data-results", String(found.results.length));
      page.setAttribute("data-query", query);
    });
  }

  readState();
  var typing = null;
  els.q.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { shown = PAGE; writeState(); render(); }, 40);
  });
  ["pref", "area", "status"].forEach(function (k) {
    els[k].addEventListener("change", function () { shown = PAGE; writeState(); render(); });
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
