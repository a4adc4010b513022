/* The site's search engine, part 5 of 6 (the order: search-text.js): scoring.
 *
 * Each term matches as typed, by its kanji skeleton (okurigana dropped) and by
 * its synonyms; cases are scored by BM25 over field-weighted frequencies. Cases
 * holding every chunk as typed come first, then those with every term; when no
 * case has every term, those with the most of them, said so.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (DXS.search) { return; }
  var chunks = DXS.chunks, understand = DXS.understand, skeletonUsable = I.skeletonUsable;
  var load = I.load, meta = I.meta, occurrences = I.occurrences, plainKnown = I.plainKnown;
  var MAX_CHUNK = I.MAX_CHUNK;

  // -- scoring: BM25 over the terms, with field weights --------------------------
  var K1 = 8, SKELETON_FACTOR = 0.9, SYNONYM_FACTOR = 0.5;  // K1 ≈ one title hit

  // The weighted frequency of a document's entry: occurrences per field, each field's at most 5,
  // times the field's weight. For an oversized pair only the fields and the total are known: one
  // in each field, the rest counted in the last (least weighted) of them. One scratch array for
  // every call: a common term calls this for most documents, several times.
  var scratch = null;
  function weightedTf(entry, type, m) {
    var n = m.weights.length, f, x = 0;
    var tf = scratch && scratch.length === n ? scratch : (scratch = new Int32Array(n));
    tf.fill(0);
    if (type === "starts") {
      var unit = Math.pow(2, m.shift);
      for (var i = 0; i < entry.length; i++) { tf[Math.floor(entry[i] / unit)] += 1; }
    } else {
      var mask = type === "fields" ? entry[0] : entry, last = -1, seen = 0;
      for (f = 0; f < n; f++) { if (mask & (1 << f)) { tf[f] = 1; last = f; seen++; } }
      if (type === "fields" && last >= 0) { tf[last] += Math.max(0, entry[1] - seen); }
    }
    for (f = 0; f < n; f++) { if (tf[f]) { x += m.weights[f] * Math.min(tf[f], 5); } }
    return x;
  }

  // For one term: Map doc → {x (weighted frequency), exact (found as typed)}.
  function termMatches(term, m) {
    var kept = term.kept || [];
    var asks = [[term.text, false, 1]];
    if (skeletonUsable(term.text, kept[0])) { asks.push([term.text, true, SKELETON_FACTOR, kept[0]]); }
    term.alternatives.forEach(function (alt, i) {
      asks.push([alt, false, SYNONYM_FACTOR]);
      if (skeletonUsable(alt, kept[i + 1])) { asks.push([alt, true, SYNONYM_FACTOR * SKELETON_FACTOR, kept[i + 1]]); }
    });
    return Promise.all(asks.map(function (a) { return occurrences(a[0], a[1], a[3]); })).then(function (results) {
      var byDoc = new Map();
      results.forEach(function (r, i) {
        var factor = asks[i][2];
        r.found.forEach(function (entry, doc) {
          var x = weightedTf(entry, r.type, m) * factor, had = byDoc.get(doc);
          if (!had) { had = { x: 0, exact: false }; byDoc.set(doc, had); }
          if (i === 0) { had.exact = true; }
          if (x > had.x) { had.x = x; }
        });
      });
      return byDoc;
    });
  }

  // facets.js is loaded only when a filter or the date order is asked for.
  function facetsFor(filters) {
    var wanted = filters && (filters.sort === "date" || ["pref", "area", "status", "kind", "band"].some(function (k) {
      return filters[k] != null;
    }));
    return wanted ? load("facets", "facets.js") : Promise.resolve(null);
  }

  function passes(doc, m, filters) {
    if (!filters || !m) { return true; }
    if (filters.pref != null && m.pref.charCodeAt(doc) - 48 !== filters.pref) { return false; }
    if (filters.status != null && m.status.charCodeAt(doc) - 48 !== filters.status) { return false; }
    if (filters.area != null && !(m.areas[doc] & (1 << filters.area))) { return false; }
    if (filters.kind != null && m.kind.charCodeAt(doc) - 48 !== filters.kind) { return false; }
    if (filters.band != null && m.band.charCodeAt(doc) - 48 !== filters.band) { return false; }
    return true;
  }

  // Per chunk of the query, the documents holding it as typed: null when a term is that chunk
  // whole (its own matches tell), nothing when a pair or trigram of it is in no shard's keys
  // or filter (no round trip).
  function phrases(list, terms) {
    return list.map(function (chunk) {
      if (terms.some(function (t) { return t.whole && t.text === chunk; })) { return Promise.resolve(null); }
      var chars = Array.from(chunk);
      var possible = chars.length > MAX_CHUNK || plainKnown(chars);
      if (!possible) { return Promise.resolve(new Set()); }
      return occurrences(chunk, false).then(function (r) { return new Set(r.found.keys()); });
    });
  }

  // {terms, results: [{doc, score, tier, matched}], complete, partial, phrases (the chunks)}. Tiers: 2, every
  // chunk as typed (the phrase); 1, every term (with folding and synonyms); 0, some of
  // the terms (at least half), after the others. An optional term only adds to the score. complete: how many have every term;
  // partial: none has, so the results are those with the most. filters: {pref, area,
  // status, kind, band} as indexes or null, and sort: "date" for newest launch first.
  // wanted (optional): asked between the stages (understood, posting lists in, matched), a
  // search it answers false for (one the reader has typed past) stops there and resolves to
  // null, loading no positions or records for a query nobody will see.
  function search(query, filters, wanted) {
    if (!chunks(query).length) { return Promise.resolve({ terms: [], results: [], complete: 0, partial: false }); }
    var stale = function () { return !!wanted && !wanted(); };
    return Promise.all([meta(), facetsFor(filters)]).then(function (both) {
      var m = both[0], facets = both[1];
      return understand(query).then(function (list) {
        return stale() ? null : I.termPostings(list, chunks(query)).then(function () { return list; });
      }).then(function (list) {
        if (!list || stale()) { return null; }
        var asks = list.map(function (t) { return termMatches(t, m); });
        return Promise.all(asks.concat(phrases(chunks(query), list))).then(function (all) {
          if (stale()) { return null; }
          var maps = all.slice(0, list.length), typed = all.slice(list.length);
          var scores = new Map();
          maps.forEach(function (byDoc, k) {
            var df = byDoc.size, idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
            list[k].count = df;
            byDoc.forEach(function (hit, doc) {
              if (!passes(doc, facets, filters)) { return; }
              var r = scores.get(doc);
              if (!r) { r = { doc: doc, score: 0, matched: 0 }; scores.set(doc, r); }
              r.score += idf * hit.x * (K1 + 1) / (hit.x + K1);
              if (!list[k].optional) { r.matched += 1; }
            });
          });
          typed = typed.map(function (found, c) {
            if (found) { return found; }
            var whole = maps[list.findIndex(function (t) { return t.whole && t.text === chunks(query)[c]; })];
            var docs = new Set();
            whole.forEach(function (hit, doc) { if (hit.exact) { docs.add(doc); } });
            return docs;
          });
          var most = 0, complete = 0, results = [];
          scores.forEach(function (r) { most = Math.max(most, r.matched); });
          var required = list.filter(function (t) { return !t.optional; }).length;
          var need = most === required ? Math.ceil(required / 2) : Math.min(most, Math.ceil(required / 2));
          scores.forEach(function (r) {
            if (r.matched === required) {
              r.tier = typed.every(function (docs) { return docs.has(r.doc); }) ? 2 : 1;
              complete++;
            } else if (r.matched >= Math.max(1, need)) {
              r.tier = 0;
            } else {
              return;
            }
            results.push(r);
          });
          var byDate = filters && filters.sort === "date";
          results.sort(function (x, y) {
            if (x.tier !== y.tier && (x.tier === 0 || y.tier === 0)) { return y.tier - x.tier; }
            if (byDate) { return facets.launch[y.doc] - facets.launch[x.doc] || x.doc - y.doc; }
            return y.tier - x.tier || y.matched - x.matched || y.score - x.score || x.doc - y.doc;
          });
          return { terms: list, results: results, complete: complete, partial: !complete && results.length > 0,
            phrases: chunks(query) };
        });
      });
    });
  }

  DXS.search = search;
})();
