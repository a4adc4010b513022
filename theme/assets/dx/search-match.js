/* The site's search engine, part 3 of 6 (the order: search-text.js): where a
 * term occurs. A term of one character is its own key; a longer one is a chain of
 * character pairs at consecutive positions, as typed or (by its kanji skeleton)
 * through the skipping pairs that meet across okurigana.
 */
(function () {
  "use strict";
  var I = window.DXS.internal;
  if (I.occurrences) { return; }
  var skeleton = window.DXS.skeleton, meta = I.meta, present = I.present, postings = I.postings;
  var positionsFor = I.positionsFor;

  function pairsOf(chars) {
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) { out.push([chars[i], chars[i + 1]]); }
    return out;
  }

  // Where a term occurs: {type, found: Map doc → entry}. type "mask": one character, the entry
  // a field mask; "fields": a two-character term of an oversized pair, [field mask, count];
  // "starts": the start positions (field × 2^shift + offset). skeletonMode also follows the
  // pairs that meet across okurigana.
  var matchCache = {};
  function occurrences(term, skeletonMode, kept) {
    var chars = Array.from(skeletonMode ? skeleton(kept || term) : term);
    var cacheKey = (skeletonMode ? "s:" + term + ":" : "e:") + chars.join("");
    if (matchCache[cacheKey]) { return matchCache[cacheKey]; }
    var promise;
    if (chars.length === 1) {
      promise = postings(chars, false).then(function (post) {
        var found = new Map();
        if (post) { post.docs.forEach(function (doc, i) { found.set(doc, post.fields[i]); }); }
        return { type: "mask", found: found };
      });
    } else {
      var pairs = pairsOf(chars), newOnly = skeletonMode && chars.join("") === term;
      promise = chainable(pairs, skeletonMode, newOnly).then(function (ok) {
        return ok ? pairChain(pairs, skeletonMode, newOnly) : { type: "starts", found: new Map() };
      });
    }
    matchCache[cacheKey] = promise;
    return promise;
  }

  // Can the pairs chain at all: is each in the index, plain or (skeletonMode) skipping?
  // Answered from the shards alone, so a term that cannot match loads no big entry.
  // newOnly: only chains through at least one skipping pair count.
  function chainable(pairs, skeletonMode, newOnly) {
    return Promise.all(pairs.map(function (p) {
      return Promise.all([present(p, false), skeletonMode ? present(p, true) : false]);
    })).then(function (all) {
      return all.every(function (a) { return a[0] || a[1]; }) && (!newOnly || all.some(function (a) { return a[1]; }));
    });
  }

  // A term without okurigana is its own skeleton: a chain of plain pairs only is the term
  // as typed, found by its own ask, so its skeleton ask keeps only the documents with a
  // skipping pair (newOnly) and loads no positions for the others.
  function throughSkips(candidates, skips) {
    var out = new Set();
    skips.forEach(function (post) {
      if (post) { post.docs.forEach(function (d) { if (candidates.has(d)) { out.add(d); } }); }
    });
    return out;
  }

  function pairChain(pairs, skeletonMode, newOnly) {
    var wanted = pairs.map(function (p) { return postings(p, false); });
    if (skeletonMode) { wanted = wanted.concat(pairs.map(function (p) { return postings(p, true); })); }
    return Promise.all([meta()].concat(wanted)).then(function (lists) {
      var m = lists[0];
      var plain = lists.slice(1, 1 + pairs.length), skips = skeletonMode ? lists.slice(1 + pairs.length) : [];
      if (pairs.length === 1 && !skeletonMode && plain[0] && plain[0].split) {
        var found = new Map();
        plain[0].docs.forEach(function (doc, i) { found.set(doc, [plain[0].masks[i], plain[0].counts[i]]); });
        return { type: "fields", found: found };
      }
      var candidates = candidatesOf(plain, skips, pairs.length);
      if (!skeletonMode) {  // as typed: only the pairs that cover every character
        var chosen = cover(plain), inline = chosen.filter(function (k) { return !plain[k].split; });
        if (inline.length > 1 && inline.length < chosen.length) { candidates = new Set(chainAt(plain, inline, candidates).keys()); }
        return Promise.all(chosen.map(function (k) { return positionsFor(plain[k], candidates, m); })).then(function () {
          return { type: "starts", found: chainAt(plain, chosen, candidates) };
        });
      }
      if (newOnly) { candidates = throughSkips(candidates, skips); }
      candidates = narrowed(plain, skips, pairs.length, candidates);
      return Promise.all(plain.map(function (post) { return positionsFor(post, candidates, m); })).then(function () {
        return { type: "starts", found: chain(plain, skips, pairs.length, candidates) };
      });
    });
  }

  // Before an oversized pair's positions are loaded: the candidates that hold each run of
  // consecutive pairs whose positions are at hand as a chain, so only their blocks load.
  function narrowed(plain, skips, n, candidates) {
    var k = 0;
    while (k < n && candidates.size) {
      var l = k;
      while (l < n && !(plain[l] && plain[l].split)) { l++; }
      if (l - k > 1 && l - k < n) {
        candidates = new Set(chain(plain.slice(k, l), skips.slice(k, l), l - k, candidates).keys());
      }
      k = l + 1;
    }
    return candidates;
  }

  // Which pairs of a term to check: a pair at offset k fixes characters k and k + 1, so the
  // pairs whose positions are at hand, and of the oversized ones only those needed for a
  // character no other pair fixes, prove the term as surely as every pair would, with fewer
  // blocks of positions loaded.
  function cover(plain) {
    var n = plain.length, fixed = new Array(n + 1).fill(false), chosen = [];
    var take = function (k) { chosen.push(k); fixed[k] = fixed[k + 1] = true; };
    for (var k = 0; k < n; k++) { if (!plain[k].split) { take(k); } }
    for (var c = 0; c <= n; c++) {
      if (fixed[c]) { continue; }
      take(c < n && (c === 0 || !fixed[c + 1]) ? c : c - 1);
    }
    return chosen.sort(function (x, y) { return x - y; });
  }

  // Documents (→ start positions) where each chosen pair k stands at start + k.
  function chainAt(plain, chosen, candidates) {
    var found = new Map();
    candidates.forEach(function (doc) {
      var lists = chosen.map(function (k) { return plain[k].pos.get(doc); });
      if (lists.some(function (l) { return !l; })) { return; }
      var starts = [];
      lists[0].forEach(function (at) {
        var start = at - chosen[0];
        for (var i = 1; i < chosen.length; i++) { if (!lists[i].has(start + chosen[i])) { return; } }
        starts.push(start);
      });
      if (starts.length) { found.set(doc, starts); }
    });
    return found;
  }

  // Documents that have every pair (plain or skipping) of a chain. Document lists are sorted,
  // so they are merged rather than put in sets (common pairs are in most documents).
  function candidatesOf(plain, skips, n) {
    var candidates = null;
    for (var k = 0; k < n; k++) {
      var here = union(plain[k] ? plain[k].docs : [], skips[k] ? skips[k].docs : []);
      candidates = candidates === null ? here : intersection(candidates, here);
      if (!candidates.length) { break; }
    }
    return new Set(candidates || []);
  }
  function union(a, b) {
    if (!b.length) { return a; }
    if (!a.length) { return b; }
    var out = [], i = 0, j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) { out.push(a[i++]); } else if (i >= a.length || b[j] < a[i]) {
        out.push(b[j++]);
      } else { out.push(a[i++]); j++; }
    }
    return out;
  }
  function intersection(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) { i++; } else if (b[j] < a[i]) { j++; } else { out.push(a[i++]); j++; }
    }
    return out;
  }

  function chain(plain, skips, n, candidates) {
    var found = new Map();
    candidates.forEach(function (doc) {
      var frontier = null;  // [start, next position]
      for (var k = 0; k < n; k++) {
        var p = plain[k] && plain[k].pos.get(doc), s = skips[k] && skips[k].pos.get(doc);
        var next = [];
        if (frontier === null) {
          if (p) { p.forEach(function (at) { next.push([at, at + 1]); }); }
          if (s) { s.forEach(function (gaps, at) { gaps.forEach(function (g) { next.push([at, at + 1 + g]); }); }); }
        } else {
          frontier.forEach(function (f) {
            if (p && p.has(f[1])) { next.push([f[0], f[1] + 1]); }
            var g = s && s.get(f[1]);
            if (g) { g.forEach(function (gap) { next.push([f[0], f[1] + 1 + gap]); }); }
          });
        }
        frontier = next;
        if (!frontier.length) { return; }
      }
      var starts = Array.from(new Set(frontier.map(function (f) { return f[0]; })));
      found.set(doc, starts);
    });
    return found;
  }

  Object.assign(I, { pairsOf: pairsOf, occurrences: occurrences });
})();
