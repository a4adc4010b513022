/* The site's search engine, part 4 of 6 (the order: search-text.js): query
 * understanding. A query is normalised like the index, split on spaces into
 * chunks and each chunk into the pieces the index knows (told from the keys and
 * trigram filters of the shards, loaded all at once), dropping particles and
 * endings; each piece gets its synonyms.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (DXS.understand) { return; }
  var fold = I.fold, skeleton = DXS.skeleton, hasKanji = I.hasKanji, keptChunks = I.keptChunks;
  var OKURIGANA = I.OKURIGANA, SKIP = I.SKIP, DIGIT = I.DIGIT, cache = I.cache;
  var fnv1a = I.fnv1a, load = I.load, meta = I.meta, pairsOf = I.pairsOf;
  var UNKNOWN_COST = 2;

  // -- query understanding: the twin of textnorm.segment / split_query -----------
  // Splitting asks only whether keys exist (known(), the twin of search_index.known_piece),
  // and every shard a chunk's pieces can need is loaded in one go first (neededShards), so
  // a query costs the same few round trips however many pieces are tried.
  var MAX_CHUNK = 40;  // characters of a chunk the splitter works on; beyond, the chunk stays whole

  // The pairs that meet across the okurigana of a kept chunk (folded).
  function skeletonPairs(kept) {
    var out = [], chars = Array.from(fold(kept)), runs = okuriganaRuns(kept);
    runs.forEach(function (r) { if (r[0] > 0 && r[1] < chars.length) { out.push([chars[r[0] - 1], chars[r[1]]]); } });
    return out;
  }

  function neededShards(list, m) {
    var shards = {};
    var add = function (chars) { shards[fnv1a(chars) % m.shards] = true; };
    list.forEach(function (kept) {
      var chars = Array.from(fold(kept));
      chars.forEach(function (c) { if (hasKanji(c)) { add([c]); } });
      pairsOf(chars).forEach(add);
      skeletonPairs(kept).forEach(add);
    });
    return Promise.all(Object.keys(shards).map(function (s) { return load("s" + s, "s/" + s + ".js"); }));
  }

  function hasKey(chars, skip) {
    var entries = cache["s" + (fnv1a(chars) % cache.meta.shards)];
    return !!entries && entries[(skip ? SKIP : "") + chars.join("")] !== undefined;
  }

  // Is a run of three characters in the corpus? The Bloom filter of the shard of its first
  // pair says (search_index.trigram_filters): never no when it is, rarely yes when it is not.
  var BLOOM_HASHES = 7;
  function inBloom(tri) {
    var entries = cache["s" + (fnv1a(tri.slice(0, 2)) % cache.meta.shards)];
    var bloom = entries && entries["\u0003"];
    if (!bloom) { return false; }
    var bits = bloom.length * 6, h1 = fnv1a(tri), h2 = (fnv1a(tri.slice().reverse()) | 1) >>> 0;
    for (var i = 0; i < BLOOM_HASHES; i++) {
      var at = (h1 + i * h2) % bits;
      if (!((DIGIT[bloom.charAt(Math.floor(at / 6))] >> (at % 6)) & 1)) { return false; }
    }
    return true;
  }
  function plainKnown(chars) {
    if (chars.length === 1) { return hasKey(chars, false); }
    for (var i = 0; i + 1 < chars.length; i++) {
      if (!hasKey([chars[i], chars[i + 1]], false)) { return false; }
      if (i + 2 < chars.length && !inBloom([chars[i], chars[i + 1], chars[i + 2]])) { return false; }
    }
    return true;
  }

  // Is a piece (its kept form) in the index, by its keys: its character, every pair and
  // trigram, or every pair of its skeleton? The twin of search_index.known_piece.
  function known(kept) {
    var piece = fold(kept), chars = Array.from(piece);
    if (chars.length === 1) { return hasKey(chars, false); }
    if (plainKnown(chars)) { return true; }
    var skel = Array.from(skeleton(kept));
    if (!hasKanji(piece) || skel.length < 2 || skel.join("") === piece) { return false; }
    return pairsOf(skel).every(function (p) { return hasKey(p, false) || hasKey(p, true); });
  }

  function particleBound(piece) {
    var chars = Array.from(piece);
    for (var at = 0; at < chars.length; at++) {
      if (I.tables.particles.indexOf(chars[at]) === -1) { continue; }
      if (chars[at] === "\u3092" || (at > 0 && hasKanji(chars[at - 1])) ||
          (at + 1 < chars.length && hasKanji(chars[at + 1]))) { return true; }
    }
    return false;
  }

  function script(ch) {
    if (hasKanji(ch)) { return "k"; }
    if (ch >= "\u3041" && ch <= "\u3096") { return "h"; }
    if (ch >= "\u30a1" && ch <= "\u30fa") { return "t"; }
    if (/^[0-9a-z\-_.&/+]$/.test(ch)) { return "a"; }
    return "o";
  }
  // [start, end] in characters of each okurigana run of a kept text (textnorm.okurigana_runs).
  function okuriganaRuns(kept) {
    var out = [], run;
    OKURIGANA.lastIndex = 0;
    while ((run = OKURIGANA.exec(kept)) !== null) {
      var from = Array.from(kept.slice(0, run.index)).length;
      out.push([from, from + Array.from(run[0]).length]);
    }
    return out;
  }
  function okuriganaOffsets(kept) {
    var out = {};
    okuriganaRuns(kept).forEach(function (r) { for (var k = r[0]; k < r[1]; k++) { out[k] = true; } });
    return out;
  }
  // Offsets a word never spans (textnorm.boundaries).
  function boundaries(chars, okurigana) {
    var out = {};
    for (var at = 1; at < chars.length; at++) {
      var before = script(chars[at - 1]), after = script(chars[at]);
      if (before === after || (before === "k" && after === "h") || (before === "h" && after === "t") ||
          (before === "t" && after === "h")) { continue; }
      if (before === "h" && after === "k" && okurigana[at - 1]) { continue; }
      out[at] = true;
    }
    return out;
  }

  // [[start, end]] of the pieces of a kept chunk (textnorm.segment_spans).
  function segment(kept, extra) {
    var keptChars = Array.from(kept), chars = Array.from(fold(kept)), n = chars.length, reach = [];
    var okurigana = okuriganaOffsets(kept), cuts = boundaries(keptChars, okurigana);
    for (var i = 0; i < n; i++) {
      var ends = [];
      for (var j = i + 1; j <= n && !okurigana[i]; j++) {
        var piece = chars.slice(i, j).join("");
        if (cuts[j - 1] && j - 1 > i) { break; }
        if (j - i === 1 && !hasKanji(piece)) { continue; }
        if (particleBound(piece) || !known(keptChars.slice(i, j).join(""))) { break; }
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
    var words = I.tables.functionWords.map(function (w) { return Array.from(w); });
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
    var pieces = best[n][3].filter(function (pc) { return pc[2] !== "f"; }).map(function (pc) { return pc.slice(); });
    pieces.forEach(function (pc, x) {  // one known kanji beside an unknown word is part of it
      var before = x ? pieces[x - 1] : null, after = x + 1 < pieces.length ? pieces[x + 1] : null;
      if (pc[2] === "k" && pc[1] - pc[0] === 1 && ((before && before[2] === "u" && before[1] === pc[0]) ||
          (after && after[2] === "u" && after[0] === pc[1]))) { pc[2] = "u"; }
    });
    var out = [];  // [text, kind, from, to]
    pieces.forEach(function (pc) {
      var text = chars.slice(pc[0], pc[1]).join(""), last = out[out.length - 1];
      if (pc[2] === "u" && last && last[1] === "u" && last[3] === pc[0]) { last[0] += text; last[3] = pc[1]; return; }
      out.push([text, pc[2], pc[0], pc[1]]);
    });
    if (!out.some(function (p) { return p[1] === "k"; })) { return [[0, n]]; }
    // a lone kana the index does not know is an ending, not a word
    return out.filter(function (p) { return !(p[1] === "u" && Array.from(p[0]).length === 1 && !hasKanji(p[0])); })
      .map(function (p) { return [p[2], p[3]]; });
  }

  // [{text, whole, alternatives, optional}] for a query: each chunk's pieces (split_query's twin).
  async function understand(query) {
    var m = await meta();
    var groups = I.tables.synonyms, keptGroups = I.tables.synonymsKept;
    var entries = [].concat.apply([], groups), keptOf = {};
    groups.forEach(function (g, x) { g.forEach(function (w, y) { keptOf[w] = keptGroups[x][y]; }); });
    var out = [];
    var list = keptChunks(query);
    await neededShards(list.filter(function (c) { return Array.from(c).length <= MAX_CHUNK; }), m);
    list.forEach(function (kept) {
      var chunk = fold(kept), chars = Array.from(chunk), keptChars = Array.from(kept), n = chars.length;
      var spans = entries.indexOf(chunk) !== -1 || n > MAX_CHUNK ? [[0, n]] : segment(kept, entries);
      var whole = spans.length === 1 && spans[0][0] === 0 && spans[0][1] === n;
      spans.forEach(function (span) {
        var piece = chars.slice(span[0], span[1]).join(""), keptPiece = keptChars.slice(span[0], span[1]).join("");
        var alternatives = [], skel = skeleton(keptPiece);
        groups.forEach(function (group, x) {
          var hit = group.indexOf(piece) !== -1 ||
            (Array.from(skel).length > 1 && keptGroups[x].map(skeleton).indexOf(skel) !== -1);
          if (!hit) { return; }
          group.forEach(function (w) { if (w !== piece && alternatives.indexOf(w) === -1) { alternatives.push(w); } });
        });
        var lone = spans.length > 1 && Array.from(piece).length === 1 && hasKanji(piece);
        out.push({ text: piece, whole: whole, alternatives: alternatives, optional: lone,
          kept: [keptPiece].concat(alternatives.map(function (w) { return keptOf[w]; })) });
      });
    });
    if (out.every(function (t) { return t.optional; })) { out.forEach(function (t) { t.optional = false; }); }
    return out;
  }

  // While the reader types (search-ui.js, on every input, before the pause that starts a
  // search): the shards the text so far needs, then the postings of the pieces it splits
  // into as typed (a big entry's own file), so that they are at hand when typing stops.
  // Typing adds to the text, so a prefix's pairs and pieces are mostly the query's: this
  // loads ahead, hardly more. Synonyms, skeletons and positions wait for the search.
  function prefetch(query) {
    return meta().then(function (m) {
      return neededShards(keptChunks(query).filter(function (c) { return Array.from(c).length <= MAX_CHUNK; }), m);
    }).then(function () { return understand(query); }).then(function (list) {
      list.forEach(function (t) {
        var chars = Array.from(t.text);  // one character may be the start of a word still typed
        if (chars.length > 1 && chars.length <= MAX_CHUNK) {
          pairsOf(chars).forEach(function (p) {
            I.postings(p, false).catch(function () { return null; });
          });
        }
      });
    }).catch(function () { return null; });  // the search itself says what failed
  }

  I.MAX_CHUNK = MAX_CHUNK;
  I.plainKnown = plainKnown;
  DXS.understand = understand;
  DXS.prefetch = prefetch;
})();
