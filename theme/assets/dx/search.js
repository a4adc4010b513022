/* Japanese search over a static index, by relevance.
 *
 * The index (generator/site/search_index.py) is split into <script> files
 * that call DXS_LOAD(name, data): meta.js (counts, facets, the folding tables
 * and synonyms), shards s/<n>.js keyed by an FNV-1a hash of a character or
 * character pair (a big entry only named there, "@" + its file b/<n>-<k>.js),
 * and one d/<n>.js per document for showing results. Only
 * what a query needs is loaded, and it works the same over HTTP and from
 * file:// (no fetch, no modules, no WebAssembly).
 *
 * A query is normalised like the index (generator/textnorm.py is the twin),
 * split on spaces into chunks; a chunk the index does not hold as typed is
 * split into the pieces it does hold, dropping particles and endings. Each
 * term matches as typed, by its kanji skeleton (okurigana dropped) and by
 * its synonyms; cases are scored by BM25 over field-weighted frequencies.
 * Cases holding every chunk as typed come first, then those with every term;
 * when no case has every term, those with the most of them, said so.
 * The catalogue's keyword box (catalogue.js) uses this same engine.
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

  // -- normalisation: the twin of generator/textnorm.py ------------------------
  // The folding tables come from meta.js (generated from generator/data/folding.json),
  // so normalise() is complete once ready() has resolved.
  var KANJI = "\\u3005\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
  var HIRA = "\\u3041-\\u3096";
  var OKURIGANA = new RegExp("(?<=[" + KANJI + "])[" + HIRA + "]{1,2}(?![" + HIRA + "])", "gu");
  var KANJI_CHAR = new RegExp("[" + KANJI + "]", "u");
  var SELECTORS = /[\ufe00-\ufe0f]|\udb40[\udd00-\uddef]/g;
  var SKIP = "\u0001";
  var UNKNOWN_COST = 2;
  var tables = null;

  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function useTables(m) {
    if (tables) { return; }
    var variants = m.fold.variants;
    var keys = Object.keys(variants);
    var company = m.fold.company.slice().sort(function (x, y) { return Array.from(y).length - Array.from(x).length; });
    tables = {
      variants: variants,
      variantRe: keys.length ? new RegExp(keys.map(escapeRe).join("|"), "gu") : null,
      dashRe: m.fold.dashes ? new RegExp("[" + escapeRe(m.fold.dashes) + "]", "gu") : null,
      companyRe: company.length ? new RegExp(company.map(escapeRe).join("|"), "g") : null,
      functionWords: m.functionWords,
      particles: m.particles,
      synonyms: m.synonyms
    };
  }

  function normalise(text) {
    var s = String(text || "").normalize("NFKC").replace(SELECTORS, "").toLowerCase();
    s = s.replace(/[\u30a1-\u30f6]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0x60); });
    s = s.replace(/\u30fc/g, "").replace(/\u3096/g, "\u3051").replace(/\u3095/g, "\u304b");
    if (tables) {
      if (tables.variantRe) { s = s.replace(tables.variantRe, function (ch) { return tables.variants[ch]; }); }
      if (tables.dashRe) { s = s.replace(tables.dashRe, "-"); }
      if (tables.companyRe) { s = s.replace(tables.companyRe, ""); }
    }
    return s.replace(/\s+/g, " ").trim();
  }
  function skeleton(text) { return text.replace(OKURIGANA, ""); }
  function hasKanji(text) { return KANJI_CHAR.test(text); }
  function chunks(query) { return normalise(query).split(" ").filter(Boolean); }
  function skeletonUsable(term) { return hasKanji(term) && Array.from(skeleton(term)).length > 1; }

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

  function meta() {
    return load("meta", "meta.js").then(function (m) { useTables(m); return m; });
  }

  // Postings of one key. One character: {docs, fields: masks}. A pair: {docs, pos: Map doc → Set};
  // an oversized pair ("!" + head): {docs, masks, counts, split} with pos filled block by block
  // (positionsFor). A skipping pair (prefix SKIP): {docs, pos: Map doc → Map position → [run lengths]}.
  function shardOf(chars) {
    return meta().then(function (m) {
      var shard = fnv1a(chars) % m.shards;
      return load("s" + shard, "s/" + shard + ".js");
    });
  }

  // Is the key in the index? Only its shard is loaded, never a big entry's own file.
  function present(chars, skip) {
    var key = (skip ? SKIP : "") + chars.join("");
    return shardOf(chars).then(function (entries) { return entries[key] !== undefined; });
  }

  function postings(chars, skip) {
    var key = (skip ? SKIP : "") + chars.join("");
    if (decoded[key] !== undefined) { return Promise.resolve(decoded[key]); }
    return shardOf(chars).then(function (entries) {
      var raw = entries[key];
      if (raw === undefined || raw.charAt(0) !== "@") { return raw; }
      return load("b" + raw.slice(1), "b/" + raw.slice(1) + ".js");
    }).then(function (raw) {
      var result = null;
      if (raw !== undefined) {
        var split = raw.charAt(0) === "!";
        var v = vlq(split ? raw.slice(1) : raw), n = v[0], docs = new Array(n), acc = 0, i;
        for (i = 0; i < n; i++) { acc = i === 0 ? v[1] : acc + v[1 + i]; docs[i] = acc; }
        if (chars.length === 1) {
          result = { docs: docs, fields: v.slice(1 + n, 1 + 2 * n) };
        } else if (split) {
          result = { docs: docs, masks: v.slice(1 + n, 1 + 2 * n), counts: v.slice(1 + 2 * n, 1 + 3 * n),
            split: true, pair: chars, pos: new Map(), blocks: {} };
        } else {
          var counts = v.slice(1 + n, 1 + 2 * n), pos = new Map(), k = 1 + 2 * n;
          for (i = 0; i < n; i++) {
            var list = skip ? new Map() : new Set(), p = 0;
            for (var j = 0; j < counts[i]; j++) {
              p = j === 0 ? v[k] : p + v[k];
              k++;
              if (skip) {
                var at = Math.floor(p / 4);
                if (!list.has(at)) { list.set(at, []); }
                list.get(at).push(p % 4);
              } else {
                list.add(p);
              }
            }
            pos.set(docs[i], list);
          }
          result = { docs: docs, pos: pos };
        }
      }
      decoded[key] = result;
      return result;
    });
  }

  // Loads the blocks of an oversized pair's positions that hold some of `wanted` documents.
  function positionsFor(post, wanted, m) {
    if (!post || !post.split) { return Promise.resolve(); }
    var need = {};
    wanted.forEach(function (doc) { need[Math.floor(doc / m.block)] = true; });
    return Promise.all(Object.keys(need).filter(function (b) { return !post.blocks[b]; }).map(function (b) {
      var name = (fnv1a(post.pair) % m.positionFiles) + "-" + b;
      return load("p" + name, "p/" + name + ".js").then(function (entries) {
        if (post.blocks[b]) { return; }
        post.blocks[b] = true;
        var raw = entries["\u0002" + post.pair.join("") + b];
        if (raw === undefined) { return; }
        var v = vlq(raw), k = 0;
        for (var i = 0; i < post.docs.length; i++) {
          if (Math.floor(post.docs[i] / m.block) !== +b) { continue; }
          var list = new Set(), p = 0;
          for (var j = 0; j < post.counts[i]; j++) { p = j === 0 ? v[k] : p + v[k]; k++; list.add(p); }
          post.pos.set(post.docs[i], list);
        }
      });
    }));
  }

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
  function occurrences(term, skeletonMode) {
    var cacheKey = (skeletonMode ? "s:" : "e:") + term;
    if (matchCache[cacheKey]) { return matchCache[cacheKey]; }
    var chars = Array.from(skeletonMode ? skeleton(term) : term);
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
      if (newOnly) { candidates = throughSkips(candidates, skips); }
      return Promise.all(plain.map(function (post) { return positionsFor(post, candidates, m); })).then(function () {
        return { type: "starts", found: chain(plain, skips, pairs.length, candidates) };
      });
    });
  }

  // Documents that have every pair (plain or skipping) of a chain.
  function candidatesOf(plain, skips, n) {
    var candidates = null;
    for (var k = 0; k < n; k++) {
      var here = new Set();
      if (plain[k]) { plain[k].docs.forEach(function (d) { here.add(d); }); }
      if (skips[k]) { skips[k].docs.forEach(function (d) { here.add(d); }); }
      if (candidates === null) {
        candidates = here;
      } else {
        var next = new Set();
        candidates.forEach(function (d) { if (here.has(d)) { next.add(d); } });
        candidates = next;
      }
      if (!candidates.size) { break; }
    }
    return candidates || new Set();
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

  // Does a term occur anywhere? Like occurrences(), but candidates are tried a block of
  // documents at a time and the first match ends it, so a common piece costs little.
  var existsCache = {};
  function exists(term, skeletonMode) {
    var cacheKey = (skeletonMode ? "s:" : "e:") + term;
    if (existsCache[cacheKey] === undefined) { existsCache[cacheKey] = findAny(term, skeletonMode); }
    return existsCache[cacheKey];
  }
  async function findAny(term, skeletonMode) {
    var chars = Array.from(skeletonMode ? skeleton(term) : term);
    if (chars.length === 1) { return present(chars, false); }
    var m = await meta(), pairs = pairsOf(chars);
    if (pairs.length === 1 && !skeletonMode) { return present(pairs[0], false); }
    // known() asks for the skeleton only once the term as typed is nowhere
    var newOnly = skeletonMode && chars.join("") === term;
    if (!(await chainable(pairs, skeletonMode, newOnly))) { return false; }
    var plain = await Promise.all(pairs.map(function (p) { return postings(p, false); }));
    var skips = skeletonMode ? await Promise.all(pairs.map(function (p) { return postings(p, true); })) : [];
    var byBlock = new Map();
    var candidates = candidatesOf(plain, skips, pairs.length);
    (newOnly ? throughSkips(candidates, skips) : candidates).forEach(function (doc) {
      var b = Math.floor(doc / m.block);
      if (!byBlock.has(b)) { byBlock.set(b, new Set()); }
      byBlock.get(b).add(doc);
    });
    var blocks = Array.from(byBlock.keys()).sort(function (x, y) { return x - y; });
    for (var i = 0; i < blocks.length; i++) {
      var docs = byBlock.get(blocks[i]);
      await Promise.all(plain.map(function (post) { return positionsFor(post, docs, m); }));
      if (chain(plain, skips, pairs.length, docs).size) { return true; }
    }
    return false;
  }

  // Is a piece anywhere in the index (as typed, or by its skeleton)?
  function known(piece) {
    return exists(piece, false).then(function (found) {
      if (found) { return true; }
      if (!skeletonUsable(piece)) { return false; }
      return exists(piece, true);
    });
  }

  // -- query understanding: the twin of textnorm.segment / split_query -----------
  function particleBound(piece) {
    var chars = Array.from(piece);
    for (var at = 0; at < chars.length; at++) {
      if (tables.particles.indexOf(chars[at]) === -1) { continue; }
      if (chars[at] === "\u3092" || (at > 0 && hasKanji(chars[at - 1])) ||
          (at + 1 < chars.length && hasKanji(chars[at + 1]))) { return true; }
    }
    return false;
  }

  async function segment(chunk, extra) {
    var chars = Array.from(chunk), n = chars.length, reach = [];
    // every shard the pieces can need, loaded at once rather than one piece after another
    await Promise.all(pairsOf(chars).map(shardOf).concat(chars.filter(hasKanji).map(function (c) {
      return shardOf([c]);
    })));
    for (var i = 0; i < n; i++) {
      var ends = [];
      for (var j = i + 1; j <= n; j++) {
        var piece = chars.slice(i, j).join("");
        if (j - i === 1 && !hasKanji(piece)) { continue; }
        if (particleBound(piece) || !(await known(piece))) { break; }
        ends.push(j);
      }
      extra.forEach(function (word) {
        var w = Array.from(word);
        if (w.length && chars.slice(i, i + w.length).join("") === word && ends.indexOf(i + w.length) === -1) {
          ends.push(i + w.length);
        }
      });
      reach.push(ends);
    }
    var words = tables.functionWords.map(function (w) { return Array.from(w); });
    // [cost, -characters in function words of 2+, -characters in known pieces, pieces]
    var best = new Array(n + 1).fill(null);
    best[0] = [0, 0, 0, []];
    for (i = 0; i < n; i++) {
      if (best[i] === null) { continue; }
      var options = reach[i].map(function (j) { return [j, 1, 0, j - i, "k"]; });
      words.forEach(function (w) {
        if (chars.slice(i, i + w.length).join("") === w.join("")) {
          options.push([i + w.length, 0, w.length > 1 ? w.length : 0, 0, "f"]);
        }
      });
      options.push([i + 1, UNKNOWN_COST, 0, 0, "u"]);
      for (var o = 0; o < options.length; o++) {
        var opt = options[o], cur = best[i];
        var cand = [cur[0] + opt[1], cur[1] - opt[2], cur[2] - opt[3], cur[3].concat([[i, opt[0], opt[4]]])];
        var had = best[opt[0]];
        if (had === null || cand[0] < had[0] || (cand[0] === had[0] && (cand[1] < had[1] ||
            (cand[1] === had[1] && cand[2] < had[2])))) { best[opt[0]] = cand; }
      }
    }
    var pieces = best[n][3].map(function (pc) { return pc.slice(); });
    pieces.forEach(function (pc, x) {  // one known kanji beside an unknown word is part of it
      var before = x ? pieces[x - 1] : null, after = x + 1 < pieces.length ? pieces[x + 1] : null;
      if (pc[2] === "k" && pc[1] - pc[0] === 1 && ((before && before[2] === "u" && before[1] === pc[0]) ||
          (after && after[2] === "u" && after[0] === pc[1]))) { pc[2] = "u"; }
    });
    var out = [];
    pieces.forEach(function (pc) {
      if (pc[2] === "f") { return; }
      var text = chars.slice(pc[0], pc[1]).join("");
      var last = out[out.length - 1];
      if (pc[2] === "u" && last && last[1] === "u" && last[2] === pc[0]) { last[0] += text; last[2] = pc[1]; return; }
      out.push([text, pc[2], pc[1]]);
    });
    if (!out.some(function (p) { return p[1] === "k"; })) { return [chunk]; }
    // a lone kana the index does not know is an ending, not a word
    return out.filter(function (p) { return !(p[1] === "u" && Array.from(p[0]).length === 1 && !hasKanji(p[0])); })
      .map(function (p) { return p[0]; });
  }

  // [{text, whole, alternatives}] for a query.
  async function understand(query) {
    await meta();
    var groups = tables.synonyms;
    var entries = [].concat.apply([], groups);
    var out = [];
    var list = chunks(query);
    for (var c = 0; c < list.length; c++) {
      var chunk = list[c], pieces, whole;
      if (entries.indexOf(chunk) !== -1 || (await known(chunk))) {
        pieces = [chunk]; whole = true;
      } else {
        pieces = await segment(chunk, entries);
        whole = pieces.length === 1 && pieces[0] === chunk;
      }
      pieces.forEach(function (piece) {
        var alternatives = [], skel = skeleton(piece);
        groups.forEach(function (group) {
          var hit = group.indexOf(piece) !== -1 ||
            (Array.from(skel).length > 1 && group.map(skeleton).indexOf(skel) !== -1);
          if (!hit) { return; }
          group.forEach(function (w) { if (w !== piece && alternatives.indexOf(w) === -1) { alternatives.push(w); } });
        });
        out.push({ text: piece, whole: whole, alternatives: alternatives });
      });
    }
    return out;
  }

  // -- scoring: BM25 over the terms, with field weights --------------------------
  var K1 = 8, SKELETON_FACTOR = 0.9, SYNONYM_FACTOR = 0.5;  // K1 ≈ one title hit

  // Occurrences per field. For an oversized pair only the fields and the total are
  // known: one in each field, the rest counted in the last (least weighted) of them.
  function fieldTf(entry, type, m) {
    var tf = new Array(m.weights.length).fill(0), f;
    if (type === "starts") {
      entry.forEach(function (start) { tf[Math.floor(start / Math.pow(2, m.shift))] += 1; });
      return tf;
    }
    var mask = type === "fields" ? entry[0] : entry, last = -1, seen = 0;
    for (f = 0; f < tf.length; f++) { if (mask & (1 << f)) { tf[f] = 1; last = f; seen++; } }
    if (type === "fields" && last >= 0) { tf[last] += Math.max(0, entry[1] - seen); }
    return tf;
  }
  function weighted(tf, m) {
    var x = 0;
    for (var f = 0; f < tf.length; f++) { if (tf[f]) { x += m.weights[f] * Math.min(tf[f], 5); } }
    return x;
  }

  // For one term: Map doc → {x (weighted frequency), exact (found as typed), tf (per field)}.
  function termMatches(term, m) {
    var asks = [[term.text, false, 1]];
    if (skeletonUsable(term.text)) { asks.push([term.text, true, SKELETON_FACTOR]); }
    term.alternatives.forEach(function (alt) {
      asks.push([alt, false, SYNONYM_FACTOR]);
      if (skeletonUsable(alt)) { asks.push([alt, true, SYNONYM_FACTOR * SKELETON_FACTOR]); }
    });
    return Promise.all(asks.map(function (a) { return occurrences(a[0], a[1]); })).then(function (results) {
      var byDoc = new Map();
      results.forEach(function (r, i) {
        r.found.forEach(function (entry, doc) {
          var tf = fieldTf(entry, r.type, m), x = weighted(tf, m) * asks[i][2];
          var had = byDoc.get(doc);
          if (!had) { had = { x: 0, exact: false, tf: tf }; byDoc.set(doc, had); }
          if (i === 0) { had.exact = true; had.tf = tf; }
          if (x > had.x) { had.x = x; if (i !== 0 && !had.exact) { had.tf = tf; } }
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

  // {terms, results: [{doc, score, tier, matched}], complete, partial}. Tiers: 2, every
  // chunk as typed (the phrase); 1, every term (with folding and synonyms); 0, some of
  // the terms (at least half), after the others. complete: how many have every term;
  // partial: none has, so the results are those with the most. filters: {pref, area,
  // status, kind, band} as indexes or null, and sort: "date" for newest launch first.
  function search(query, filters) {
    if (!chunks(query).length) { return Promise.resolve({ terms: [], results: [], complete: 0, partial: false }); }
    return Promise.all([meta(), facetsFor(filters)]).then(function (both) {
      var m = both[0], facets = both[1];
      return understand(query).then(function (list) {
        return Promise.all(list.map(function (t) { return termMatches(t, m); })).then(function (maps) {
          var scores = new Map();
          maps.forEach(function (byDoc, k) {
            var df = byDoc.size, idf = Math.log(1 + (m.docs - df + 0.5) / (df + 0.5));
            list[k].count = df;
            byDoc.forEach(function (hit, doc) {
              if (!passes(doc, facets, filters)) { return; }
              var r = scores.get(doc);
              if (!r) { r = { doc: doc, score: 0, matched: 0, phrase: true }; scores.set(doc, r); }
              r.score += idf * hit.x * (K1 + 1) / (hit.x + K1);
              r.matched += 1;
              if (!list[k].whole || !hit.exact) { r.phrase = false; }
            });
          });
          var most = 0, complete = 0, results = [];
          scores.forEach(function (r) { most = Math.max(most, r.matched); });
          var need = most === list.length ? Math.ceil(list.length / 2) : Math.min(most, Math.ceil(list.length / 2));
          var typed = list.every(function (t) { return t.whole; });
          scores.forEach(function (r) {
            if (r.matched === list.length) {
              r.tier = r.phrase && typed ? 2 : 1;
              complete++;
            } else if (r.matched >= Math.max(1, need)) {
              r.tier = 0;
            } else {
              return;
            }
            delete r.phrase;
            results.push(r);
          });
          var byDate = filters && filters.sort === "date";
          results.sort(function (x, y) {
            if (x.tier !== y.tier && (x.tier === 0 || y.tier === 0)) { return y.tier - x.tier; }
            if (byDate) { return facets.launch[y.doc] - facets.launch[x.doc] || x.doc - y.doc; }
            return y.tier - x.tier || y.matched - x.matched || y.score - x.score || x.doc - y.doc;
          });
          return { terms: list, results: results, complete: complete, partial: !complete && results.length > 0 };
        });
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

  // One pattern for every form a result may hold a term in: as typed, its synonyms, and
  // their skeletons with up to two hiragana between the characters.
  function hitPattern(terms) {
    var parts = [];
    terms.forEach(function (t) {
      [t.text].concat(t.alternatives || []).forEach(function (form) {
        parts.push(escapeRe(form));
        if (skeletonUsable(form)) {
          parts.push(Array.from(skeleton(form)).map(escapeRe).join("[" + HIRA + "]{0,2}"));
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

  // One date style on the site: 2026年11月26日 / 2026年11月 / 2026年, as formatting.format_date
  // in Python; the catalogue and 近い事例 scripts use this one through DXS.date.
  function japaneseDate(value) {
    return String(value || "").split("-").filter(Boolean).map(function (n, k) {
      return parseInt(n, 10) + "年月日".charAt(k);
    }).join("");
  }

  window.DXS = { search: search, record: record, normalise: normalise, chunks: chunks, skeleton: skeleton,
    understand: understand, snippet: snippet, date: japaneseDate, ready: meta, root: root, timing: null };

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
      if (!chunks(query).length) { suggest.hidden = true; return; }
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
    return search(query, filters()).then(function (found) {
      current = found;
      return show(found, mine, start, query);
    });
  }
  // The terms the query was read as, each a search of its own.
  function showTerms(found, query) {
    els.terms.textContent = "";
    if (found.terms.length < 2 && found.results.length) { return; }
    var names = found.terms.map(function (t) { return t.text; });
    var words = found.terms.length > 1 ? names : found.terms.length ? found.terms[0].alternatives : [];
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
    var snip = snippet(rec, found.terms, 40, m.labels, m.weights);
    if (snip) { li.appendChild(snip); }
    return li;
  }
  function show(found, mine, start, query) {
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
  els.q.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { shown = PAGE; writeState(); render(); }, 40);
  });
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
