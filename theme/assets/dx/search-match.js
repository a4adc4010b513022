/* The site's search engine, part 3 of 6 (the order: search-text.js): where a
 * term occurs. A term of one character is its own key; a longer one is a chain of
 * character pairs at consecutive positions, as typed or (by its kanji skeleton)
 * through the skipping pairs that meet across okurigana; a common run of a few
 * characters is told by its phrase entry, with no positions.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (I.occurrences) { return; }
  var skeleton = window.DXS.skeleton, meta = I.meta, hasKey = I.hasKey, postings = I.postings;
  var positionsFor = I.positionsFor;

  function pairsOf(chars) {
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) { out.push([chars[i], chars[i + 1]]); }
    return out;
  }

  // Where a term occurs: {type, found: Map doc → entry}. type "mask": one character, the entry
  // a field mask; "fields": a two-character term of an oversized pair or a run with a phrase
  // entry and only oversized pairs, [field mask, count]; "starts": the start positions (field ×
  // 2^shift + offset).
  // skeletonMode also follows the pairs that meet across okurigana (when that needs an oversized
  // pair's positions, only in the documents the term as typed is not in).
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
      var typed = skeletonMode ? occurrences(term, false) : null;
      promise = chainable(pairs, skeletonMode, newOnly).then(function (ok) {
        return ok ? pairChain(pairs, skeletonMode, newOnly, typed) : { type: "starts", found: new Map() };
      });
    }
    matchCache[cacheKey] = promise;
    return promise;
  }

  // Can the pairs chain at all: is each in the index, plain or (skeletonMode) skipping?
  // Answered from the shards alone (or a synonym group's file, which holds the same entries),
  // so a term that cannot match loads no big entry. newOnly: only chains through at least one
  // skipping pair count.
  function chainable(pairs, skeletonMode, newOnly) {
    var away = pairs.filter(function (p) { return !I.pairAtHand(p, skeletonMode); });
    return Promise.all(away.map(function (p) { return I.shardOf(p); })).then(function () {
      return chainsAtHand(pairs, skeletonMode, newOnly);
    });
  }
  // The same from the shards at hand (search-query.js asks it while deciding what to load).
  function chainsAtHand(pairs, skeletonMode, newOnly) {
    return pairs.every(function (p) { return hasKey(p, false) || (skeletonMode && hasKey(p, true)); }) &&
      (!newOnly || pairs.some(function (p) { return hasKey(p, true); }));
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

  function pairChain(pairs, skeletonMode, newOnly, typed) {
    var chars = [pairs[0][0]].concat(pairs.map(function (p) { return p[1]; }));
    if (!skeletonMode && pairs.length > 1) {
      return I.phraseOf(chars, false).then(function (told) {
        return told ? byPhrase(told.entry, pairs) : pairsChain(pairs, skeletonMode, newOnly, typed, chars);
      });
    }
    return pairsChain(pairs, skeletonMode, newOnly, typed, chars);
  }

  function pairsChain(pairs, skeletonMode, newOnly, typed, chars) {
    var wanted = pairs.map(function (p) { return postings(p, false); });
    if (skeletonMode) { wanted = wanted.concat(pairs.map(function (p) { return postings(p, true); })); }
    var entries = skeletonMode || pairs.length < 2 ? null : phraseEntries(chars);
    return Promise.all([meta(), entries].concat(wanted)).then(function (lists) {
      var m = lists[0], phrase = lists[1] || { none: false, lacking: [] };
      var plain = lists.slice(2, 2 + pairs.length), skips = skeletonMode ? lists.slice(2 + pairs.length) : [];
      if (pairs.length === 1 && !skeletonMode && plain[0] && plain[0].split) {
        var found = new Map();
        plain[0].docs.forEach(function (doc, i) { found.set(doc, [plain[0].masks[i], plain[0].counts[i]]); });
        return { type: "fields", found: found };
      }
      var candidates = candidatesOf(plain, skips, pairs.length);
      if (!skeletonMode) {  // as typed: only the pairs that cover every character
        if (phrase.none) { return { type: "starts", found: new Map() }; }
        phrase.lacking.forEach(function (list) { list.forEach(function (doc) { candidates.delete(doc); }); });
        if (!candidates.size) { return { type: "starts", found: new Map() }; }
        var chosen = cover(plain), inline = chosen.filter(function (k) { return !plain[k].split; });
        if (inline.length > 1 && inline.length < chosen.length) { candidates = new Set(chainAt(plain, inline, candidates).keys()); }
        if (inline.length < chosen.length && candidates.size < (m.phraseMin || 0) && m.recordGroup === 1) {
          return inRecords(chars, candidates, m);
        }
        return Promise.all(chosen.map(function (k) { return positionsFor(plain[k], candidates, m); })).then(function () {
          return { type: "starts", found: chainAt(plain, chosen, candidates) };
        });
      }
      if (newOnly) { candidates = throughSkips(candidates, skips); }
      var literal = !newOnly && pairs.length > 1 ? occurrences(chars.join(""), false) : null;
      var oversized = plain.concat(skips).some(function (p) { return p && p.split; });
      return Promise.all([typed, literal]).then(function (both) {
        // When the chain needs an oversized pair's positions, a document the form as typed is in
        // is told from what is at hand (asTyped), so that only the others are chained.
        var asTyped = new Map();
        if (oversized) {
          both[0].found.forEach(function (entry, doc) {
            if (!candidates.delete(doc)) { return; }
            var mask = chainFields(plain, skips, doc, m);
            if (mask) { asTyped.set(doc, [mask, bitCount(mask)]); }
          });
        }
        var done;
        if (pairs.length === 1 && plain[0] && plain[0].split) {
          done = positionsFor(skips[0], candidates, m).then(function () {
            return { type: "fields", found: pairOrSkip(plain[0], skips[0], candidates, m) };
          });
        } else if (both[1] && both[1].phrase) {
          done = skeletonByPhrase(plain, skips, candidates, both[1], m);
        } else {
          candidates = narrowed(plain, skips, pairs.length, candidates);
          done = Promise.all(plain.concat(skips).map(function (post) { return positionsFor(post, candidates, m); }))
            .then(function () {
              var found = chain(plain, skips, pairs.length, candidates);
              return oversized ? { type: "fields", found: startsAsFields(found, m) } : { type: "starts", found: found };
            });
        }
        return done.then(function (result) {
          asTyped.forEach(function (entry, doc) { result.found.set(doc, entry); });
          return result;
        });
      });
    });
  }

  // The fields where every pair of a chain is, plain or met across okurigana: from an oversized
  // pair's field masks and the positions of the others, at hand. A document's skeleton can be in
  // no other field (it may be in none of these: the pairs may stand apart).
  function chainFields(plain, skips, doc, m) {
    var mask = -1;
    for (var k = 0; k < plain.length && mask; k++) { mask &= fieldsOf(plain[k], doc, m) | fieldsOf(skips[k], doc, m); }
    return mask;
  }
  function fieldsOf(post, doc, m) {
    if (!post) { return 0; }
    if (post.split) {
      var lo = 0, hi = post.docs.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (post.docs[mid] < doc) { lo = mid + 1; } else { hi = mid; } }
      return post.docs[lo] === doc ? post.masks[lo] : 0;
    }
    var mask = 0, unit = Math.pow(2, m.shift), at = post.pos.get(doc);
    if (at) { at.forEach(function (value, key) { mask |= 1 << Math.floor((post.pos.skip ? key : value) / unit); }); }
    return mask;
  }
  function bitCount(mask) {
    var n = 0;
    for (; mask; mask &= mask - 1) { n++; }
    return n;
  }
  function startsAsFields(found, m) {
    var out = new Map(), unit = Math.pow(2, m.shift);
    found.forEach(function (starts, doc) {
      var mask = 0;
      starts.forEach(function (at) { mask |= 1 << Math.floor(at / unit); });
      out.set(doc, [mask, starts.length]);
    });
    return out;
  }

  // A skeleton (3+ characters) that is itself a run with a phrase entry: the documents holding it
  // as it is are told by the entry, with no positions; the others can only hold it through a
  // pair met across okurigana, and only those are chained. Told as fields (mask, count) alike.
  function skeletonByPhrase(plain, skips, candidates, literal, m) {
    var found = new Map(), rest = new Set(), told = literal.type === "fields" ? literal.found : startsAsFields(literal.found, m);
    candidates.forEach(function (doc) {
      var entry = told.get(doc);
      if (entry) { found.set(doc, entry); } else { rest.add(doc); }
    });
    rest = narrowed(plain, skips, plain.length, throughSkips(rest, skips));
    return Promise.all(plain.concat(skips).map(function (post) { return positionsFor(post, rest, m); })).then(function () {
      startsAsFields(chain(plain, skips, plain.length, rest), m).forEach(function (entry, doc) { found.set(doc, entry); });
      return { type: "fields", found: found };
    });
  }

  // A skeleton of two characters whose plain pair is oversized: its documents are told as the
  // pair's (fields mask, count), those of the pair met across okurigana from its positions,
  // which are always at hand; a document with both adds them up.
  function pairOrSkip(plain, skip, candidates, m) {
    var found = new Map(), unit = Math.pow(2, m.shift), at = 0;
    candidates.forEach(function (doc) {
      var mask = 0, count = 0;
      while (at < plain.docs.length && plain.docs[at] < doc) { at++; }
      if (plain.docs[at] === doc) { mask = plain.masks[at]; count = plain.counts[at]; }
      var jumps = skip && skip.pos.get(doc);
      if (jumps) {
        jumps.forEach(function (gaps, where) { mask |= 1 << Math.floor(where / unit); count += gaps.length; });
      }
      if (count) { found.set(doc, [mask, count]); }
    });
    return found;
  }

  // Fewer candidates than a phrase entry is made for (phrases.py), whose chain needs an oversized
  // pair's positions: read in their records instead, which the results show anyway, rather than
  // load the pair's positions for a handful of documents spread over all its blocks. The text is
  // normalised as the index's is (documents.kept_fields: each item of a field, folded), so the
  // starts are the index's. Only from the hosted index: the packed one has 64 records a file.
  function inRecords(chars, candidates, m) {
    var unit = Math.pow(2, m.shift);
    return Promise.all(Array.from(candidates).map(function (doc) { return DXS.record(doc); })).then(function (records) {
      var found = new Map(), docs = Array.from(candidates);
      records.forEach(function (rec, r) {
        var starts = [];
        rec.f.forEach(function (field, f) {
          var text = Array.from(field.split("\n").map(DXS.normalise).join("\n"));
          for (var at = 0; at + chars.length <= text.length; at++) {
            var k = 0;
            while (k < chars.length && text[at + k] === chars[k]) { k++; }
            if (k === chars.length) { starts.push(f * unit + at); }
          }
        });
        if (starts.length) { found.set(docs[r], starts); }
      });
      return { type: "starts", found: found };
    });
  }

  // The phrase entries of the runs within a term of 3+ characters that has none of its own
  // (phrases.py): {none, lacking: [lists]}. Each lists documents of its base pair that lack it;
  // a document with every pair of the term that lacks a run within cannot hold the term, so each
  // narrows the candidates before any positions load. An entry also lists the characters met
  // after its run when they are few: a run followed here by another one never occurs, nor does
  // the term (none). Runs within are in the shards of their first pair, which the query has
  // loaded, or in a big entry's file of a few KB (read only from the hosted index: the packed
  // one has a shard's big entries in one file).
  function phraseEntries(chars) {
    return meta().then(function (m) {
      var longest = Math.min(chars.length - 1, m.phraseLongest || 0), asks = [], next = [];
      for (var n = longest; n >= 3; n--) {
        for (var at = 0; at + n <= chars.length; at++) {
          asks.push(I.phraseOf(chars.slice(at, at + n), m.packed));
          next.push(chars[at + n]);
        }
      }
      return Promise.all(asks).then(function (told) {
        var none = told.some(function (t, k) {
          if (!t || next[k] === undefined) { return false; }
          var ext = Array.from(t.entry.ext);
          return t.depth < ext.length ? ext[t.depth] !== next[k] : t.entry.after !== null && t.entry.after.indexOf(next[k]) < 0;
        });
        return { none: none, lacking: told.filter(Boolean).map(function (t) { return t.entry.lacking; }) };
      });
    });
  }

  // A run told by a phrase entry (its own, or a prefix's it always goes on from): the documents of
  // the entry's base pair but those it lists hold it, and no positions are loaded. Where it stands
  // is told by the pairs whose positions are in their entries, where they stand in a row (meta
  // marks the oversized ones, which are not loaded but for the base, most often the rarest of
  // them anyway); with none of those, by the base's fields mask and count.
  function byPhrase(entry, pairs) {
    return meta().then(function (m) {
      var inline = [];
      pairs.forEach(function (p, k) { if (!m.oversized[p.join("")]) { inline.push(k); } });
      var wanted = inline.indexOf(entry.base) < 0 ? inline.concat([entry.base]) : inline;
      return Promise.all(wanted.map(function (k) { return postings(pairs[k], false); })).then(function (lists) {
        var plain = [], skip = new Set(entry.lacking), base;
        wanted.forEach(function (k, i) { plain[k] = lists[i]; });
        base = plain[entry.base];
        if (!inline.length) {
          var found = new Map();
          base.docs.forEach(function (doc, i) { if (!skip.has(doc)) { found.set(doc, [base.masks[i], base.counts[i]]); } });
          return { type: "fields", found: found, phrase: true };
        }
        var docs = new Set(base.docs.filter(function (doc) { return !skip.has(doc); }));
        return { type: "starts", found: chainAt(plain, inline, docs), phrase: true };
      });
    });
  }

  // Before an oversized pair's positions are loaded: the candidates that hold each run of
  // consecutive pairs whose positions are at hand as a chain, so only their blocks load.
  function narrowed(plain, skips, n, candidates) {
    var k = 0;
    while (k < n && candidates.size) {
      var l = k;
      while (l < n && !(plain[l] && plain[l].split) && !(skips[l] && skips[l].split)) { l++; }
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

  Object.assign(I, { pairsOf: pairsOf, occurrences: occurrences, chainsAtHand: chainsAtHand });
})();
