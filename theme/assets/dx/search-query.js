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
  var skeletonUsable = I.skeletonUsable;
  var OKURIGANA = I.OKURIGANA, DIGIT = I.DIGIT, cache = I.cache;
  var fnv1a = I.fnv1a, load = I.load, meta = I.meta, pairsOf = I.pairsOf;
  var UNKNOWN_COST = 2;

  // -- query understanding: the twin of textnorm.segment / split_query -----------
  // Splitting asks only whether keys exist (known(), the twin of search_index.known_piece),
  // and every shard a chunk's pieces can need is loaded in one go first (neededShards), so a
  // query costs the same few round trips however many pieces are tried. The shards of their
  // synonyms' keys are asked for in the same go, not after the split, but only scoring waits
  // for them: the query as typed is split and matched meanwhile.
  var MAX_CHUNK = 40;  // characters of a chunk the splitter works on; beyond, the chunk stays whole

  // The pairs that meet across the okurigana of a kept chunk (folded).
  function skeletonPairs(kept) {
    var out = [], chars = Array.from(fold(kept)), runs = okuriganaRuns(kept);
    runs.forEach(function (r) { if (r[0] > 0 && r[1] < chars.length) { out.push([chars[r[0] - 1], chars[r[1]]]); } });
    return out;
  }

  // The synonym groups a kept chunk may hit, told before the chunk is split: a group word
  // in the chunk, or a word's skeleton at the start of the skeleton of some suffix of the
  // chunk. A piece's skeleton is such a prefix, so every group understand() gives a piece
  // is here; a word inside a longer piece brings a group it does not use (a few shards).
  var wordSkeletons = null;  // per group, its words' skeletons of two characters or more
  function groupsIn(kept) {
    var chunk = fold(kept), keptChars = Array.from(kept), suffixes = [], out = [];
    for (var i = 0; i < keptChars.length; i++) { suffixes.push(skeleton(keptChars.slice(i).join(""))); }
    wordSkeletons = wordSkeletons || I.tables.synonymsKept.map(function (group) {
      return group.map(skeleton).filter(function (skel) { return Array.from(skel).length > 1; });
    });
    I.tables.synonyms.forEach(function (group, x) {
      var hit = group.some(function (w) { return chunk.indexOf(w) !== -1; }) || wordSkeletons[x].some(function (skel) {
        return suffixes.some(function (s) { return s.lastIndexOf(skel, 0) === 0; });
      });
      if (hit) { out.push(x); }
    });
    return out;
  }

  // The keys scoring looks up for a word (termMatches' asks): its character, or its pairs, and
  // the pairs of its skeleton. [keys, skeleton pairs or null, whether the skeleton is the word].
  function wordKeys(word, kept) {
    var chars = Array.from(word), skel = skeleton(kept);
    return [chars.length === 1 ? [chars] : pairsOf(chars),
      chars.length > 1 && skeletonUsable(word, kept) ? pairsOf(Array.from(skel)) : null, skel === word];
  }

  // Loads the shards of kept chunks: resolves when those splitting needs are in, or with
  // synonyms, the files of the synonym groups they may hit too (asked for at once either way):
  // one file a group, with the entries of every key its words are looked up by.
  function neededShards(list, m, synonyms) {
    var own = {}, groups = {};
    var add = function (chars) { own[fnv1a(chars) % m.shards] = true; };
    list.forEach(function (kept) {
      var chars = Array.from(fold(kept));
      chars.forEach(function (c) { if (hasKanji(c)) { add([c]); } });
      pairsOf(chars).forEach(add);
      skeletonPairs(kept).forEach(add);
      groupsIn(kept).forEach(function (x) { groups[x] = true; });
    });
    var loading = [Promise.all(Object.keys(own).map(function (s) { return load("s" + s, "s/" + s + ".js"); })),
      Promise.all(Object.keys(groups).map(I.synonymGroup))];
    if (synonyms) { return Promise.all(loading); }
    loading[1].catch(function () { return null; });  // scoring says what failed
    return loading[0];
  }

  var hasKey = I.hasKey;

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
  // The last query's answer is kept: the header box prefetches and searches the same text at
  // once, and one split then serves both.
  var last = { key: null, answer: null };
  function understand(query) {
    var key = keptChunks(query).join(" ");
    if (last.key !== key) {
      var answer = understood(query);
      last = { key: key, answer: answer };
      answer.catch(function () { if (last.answer === answer) { last = { key: null, answer: null }; } });
    }
    return last.answer;
  }
  async function understood(query) {
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

  // The keys a word as typed is looked up by: with a phrase entry at hand in its shard (not in a
  // file of its own), the pairs search-match.js byPhrase loads (those with positions in their
  // entries, and the base); else every pair. Shards not in yet: every pair.
  function typedKeys(chars) {
    var pairs = pairsOf(chars), entry = I.phraseAtHand(chars), m = cache.meta;
    return !entry ? pairs : pairs.filter(function (p, k) { return k === entry.base || !m.oversized[p.join("")]; });
  }
  // The keys scoring will look up for a term (termMatches' asks) as [key, skip], from the shards
  // at hand: by the term's skeleton, and each synonym as typed and by its skeleton, each ask
  // that can chain; own: the term as typed too.
  function termKeys(t, own) {
    var out = [];
    [t.text].concat(t.alternatives).forEach(function (word, i) {
      var keys = wordKeys(word, t.kept[i]);
      if ((i || own) && I.chainsAtHand(keys[0], false, false)) {
        (keys[0].length > 1 ? typedKeys(Array.from(word)) : keys[0]).forEach(function (k) { out.push([k, false]); });
      }
      if (keys[1] && I.chainsAtHand(keys[1], true, keys[2])) {
        keys[1].forEach(function (k) { out.push([k, false], [k, true]); });
      }
    });
    return out;
  }
  function fetchKeys(keys) {
    return Promise.all(keys.map(function (k) { return I.postings(k[0], k[1]).catch(function () { return null; }); }));
  }

  // Every posting list a search of these terms and chunks (the phrases as typed) looks up before
  // it asks for positions: search-score.js waits for them, then sees whether the search is still
  // wanted before the positions load.
  function termPostings(list, phrases) {
    var keys = [];
    list.forEach(function (t) { keys = keys.concat(termKeys(t, true)); });
    phrases.forEach(function (chunk) {
      var chars = Array.from(chunk);
      if (chars.length > 1 && chars.length <= MAX_CHUNK && plainKnown(chars)) {
        typedKeys(chars).forEach(function (p) { keys.push([p, false]); });
      }
    });
    return fetchKeys(keys);
  }

  // While the reader types (search-ui.js, on every input, beside the search it starts): the
  // shards the text so far needs, then the postings (a big entry's own file) of the pieces
  // it splits into as typed, so that they load with the shards rather than after them.
  // Typing adds to the text, so a prefix's pairs and pieces are mostly the query's: this
  // loads ahead, hardly more. A prefix's synonyms and skeletons are often not the query's
  // (死亡 in 死亡手続き), so those (the pieces' skeletons, their synonyms as typed and by their
  // skeletons) load only for the text still in the box once its shards, the synonyms' too,
  // are in. Positions wait for the search.
  var typed = 0;
  function prefetch(query) {
    var mine = ++typed, m, list = keptChunks(query).filter(function (c) { return Array.from(c).length <= MAX_CHUNK; });
    return meta().then(function (loaded) {
      m = loaded;
      return neededShards(list, m);
    }).then(function () { return understand(query); }).then(function (terms) {
      // the last piece may be a word still being typed (短くし on the way to 短くしたい): the
      // search this input starts asks for its keys anyway
      if (!/\s$/.test(query)) { terms = terms.slice(0, -1); }
      terms.forEach(function (t) {
        var chars = Array.from(t.text);  // one character may be the start of a word still typed
        if (chars.length > 1 && chars.length <= MAX_CHUNK) {
          fetchKeys(typedKeys(chars).map(function (p) { return [p, false]; }));
        }
      });
      return mine === typed && neededShards(list, m, true).then(function () {
        if (mine === typed) { terms.forEach(function (t) { fetchKeys(termKeys(t, false)); }); }
      });
    }).catch(function () { return null; });  // the search itself says what failed
  }

  I.MAX_CHUNK = MAX_CHUNK;
  I.plainKnown = plainKnown;
  I.termPostings = termPostings;
  DXS.understand = understand;
  DXS.prefetch = prefetch;
})();
