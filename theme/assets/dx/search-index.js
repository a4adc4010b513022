/* The site's search engine, part 2 of 6 (the order: search-text.js): the index.
 *
 * The index (generator/site/search_index/shards.py) is split into <script> files
 * that call DXS_LOAD(name, data): meta.js (counts, facets, the folding tables
 * and synonyms), shards s/<n>.js keyed by an FNV-1a hash of a character or
 * character pair (a big entry only named there, "@" + its file b/<n>-<k>.js,
 * and listed in meta.js so that it loads beside its shard), a file per synonym
 * group with the entries its words are looked up by (y/<group>.js), the positions of
 * oversized pairs (p/, by block or whole) and one d/<n>.js per document for
 * showing results. The offline copy's packed index holds the same names in
 * fewer files (meta.packed: b/<n>.js, p/<n>.js, r/<group>.js). Only what a
 * query needs is loaded, by a <script> tag, so it works the same over HTTP
 * and from file://.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (I.load) { return; }

  var base = DXS.root + "search/";
  var cache = {};
  var waiting = {};
  var requested = {};  // path → the names asked of it, while it loads
  var decoded = {};
  var SKIP = "\u0001";  // the key prefix of a skipping pair (one across okurigana)
  var PHRASES = "\u0004";  // the key prefix of a phrase entry
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = {}, CODE = new Int8Array(128);
  for (var a = 0; a < ALPHABET.length; a++) { DIGIT[ALPHABET.charAt(a)] = a; CODE[ALPHABET.charCodeAt(a)] = a; }

  window.DXS_LOAD = function (name, data) {
    cache[name] = data;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (cb) { cb[0](data); });
  };

  // A file may hold several names (a pair's positions whole, the packed index's files), each
  // its own DXS_LOAD call: a name waits for the file asked for it, which is asked for once.
  function load(name, path) {
    if (cache[name] !== undefined) { return Promise.resolve(cache[name]); }
    return new Promise(function (resolve, reject) {
      (waiting[name] = waiting[name] || []).push([resolve, reject]);
      if (requested[path]) { requested[path].push(name); return; }
      requested[path] = [name];
      var script = document.createElement("script");
      script.src = base + path;
      script.async = true;
      var settle = function () {  // a name the file did not hold fails rather than waits forever
        var names = requested[path];
        delete requested[path];
        names.forEach(function (n) {
          if (cache[n] !== undefined || !waiting[n]) { return; }
          var callbacks = waiting[n];
          delete waiting[n];
          callbacks.forEach(function (cb) { cb[1](new Error("load " + path)); });
        });
      };
      script.onload = settle;
      script.onerror = settle;
      document.head.appendChild(script);
    });
  }

  function fnv1a(chars) {
    var h = 0x811c9dc5;
    for (var i = 0; i < chars.length; i++) {
      h ^= chars[i].codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // `count` base-64 numbers of `text` from offset `at` (all of them without count): {values, end}.
  function readNumbers(text, at, count) {
    var out = [], value = 0, scale = 1, end = text.length;
    if (count === undefined) { count = Infinity; }
    while (out.length < count && at < end) {
      var d = CODE[text.charCodeAt(at++)];
      value += (d & 31) * scale;
      if (d & 32) { scale *= 32; } else { out.push(value); value = 0; scale = 1; }
    }
    return { values: out, end: at };
  }
  // The offset after `count` numbers from `at`, decoding none of them.
  function skipNumbers(text, at, count) {
    while (count > 0) { if (!(CODE[text.charCodeAt(at++)] & 32)) { count--; } }
    return at;
  }

  // The positions of an entry, document by document, decoded only when a document is asked
  // for (get, as a Map would answer): a query looks at its candidates, not at every document
  // of a common pair. A plain pair's are a Set; a skipping pair's a Map position → [run lengths].
  // A document's first position is written offset × 16 + field (shards.py, first_position).
  function Positions(skip, m) {
    this.skip = skip; this.where = new Map(); this.done = new Map();
    this.fieldScale = Math.pow(2, m.shift + (skip ? 2 : 0));
  }
  Positions.prototype.add = function (text, at, docs, counts, from, to) {  // returns the offset after them
    for (var i = from; i < to; i++) {
      this.where.set(docs[i], [text, at, counts[i]]);
      at = skipNumbers(text, at, counts[i]);
    }
    return at;
  };
  Positions.prototype.get = function (doc) {
    var list = this.done.get(doc), w;
    if (list !== undefined || !(w = this.where.get(doc))) { return list; }
    var v = readNumbers(w[0], w[1], w[2]).values, p = 0;
    list = this.skip ? new Map() : new Set();
    for (var j = 0; j < v.length; j++) {
      p = j === 0 ? (v[0] % 16) * this.fieldScale + Math.floor(v[0] / 16) : p + v[j];
      if (this.skip) {
        var at = Math.floor(p / 4);
        if (!list.has(at)) { list.set(at, []); }
        list.get(at).push(p % 4);
      } else {
        list.add(p);
      }
    }
    this.done.set(doc, list);
    return list;
  };

  function meta() {
    return load("meta", "meta.js").then(function (m) {
      if (!m.bigNames) {  // key → the name of its big entry's file, asked for with its shard
        m.bigNames = {};
        m.oversized = {};  // the pairs whose positions are not in their entry, marked "!" in the list
        m.big.forEach(function (keys, shard) {
          keys.forEach(function (key, k) {
            if (key.charAt(0) === "!") { key = key.slice(1); m.oversized[key] = true; }
            m.bigNames[key] = shard + "-" + k;
          });
        });
        I.useTables(m);
      }
      return m;
    });
  }

  // Postings of one key. One character: {docs, fields: masks}. A pair: {docs, pos: Positions (doc →
  // Set)}; an oversized pair ("!" + head): {docs, masks, counts, split} with pos filled block by
  // block (positionsFor). A skipping pair (prefix SKIP): {docs, pos: Positions (doc → Map
  // position → [run lengths])}, oversized as a plain pair can be (its pair then SKIP + pair).
  function shardOf(chars) {
    return meta().then(function (m) {
      var shard = fnv1a(chars) % m.shards;
      return load("s" + shard, "s/" + shard + ".js");
    });
  }

  // A key's entry from what is at hand: the shard of `chars` (the key's pair), or else a
  // synonym group's file (y/, synonym_files.py), which holds every key its words are looked up
  // by, with null for those not in the index; AWAY when neither is in.
  var AWAY = {}, overlay = {}, merged = {};
  function atHand(chars, key) {
    if (!cache.meta) { return AWAY; }
    var entries = cache["s" + (fnv1a(chars) % cache.meta.shards)];
    if (entries) { return entries[key]; }
    if (Object.prototype.hasOwnProperty.call(overlay, key)) { return overlay[key] === null ? undefined : overlay[key]; }
    return AWAY;
  }
  // The same once in: from the shard, loaded when the key is not at hand.
  function entryOf(chars, key) {
    var raw = atHand(chars, key);
    return raw !== AWAY ? Promise.resolve(raw) : shardOf(chars).then(function (entries) { return entries[key]; });
  }
  // A synonym group's file: one request for the entries of all its words' keys, rather than
  // one for each of their shards (search-query.js asks for it when a query hits the group).
  function synonymGroup(x) {
    return load("y" + x, "y/" + x + ".js").then(function (entries) {
      if (!merged[x]) {
        Object.keys(entries).forEach(function (key) { overlay[key] = entries[key] === 0 ? null : entries[key]; });
        merged[x] = true;
      }
      return entries;
    });
  }

  // Is the key in the index, told from what is at hand (false while it is not in)? A skipping
  // pair lives in its plain pair's shard, so loading the plain pair's (shardOf) is enough.
  function hasKey(chars, skip) {
    var raw = atHand(chars, (skip ? SKIP : "") + chars.join(""));
    return raw !== AWAY && raw !== undefined;
  }
  // Can a pair's key (and its skipping one) be told without its shard file?
  function pairAtHand(pair, skip) {
    return atHand(pair, pair.join("")) !== AWAY && (!skip || atHand(pair, SKIP + pair.join("")) !== AWAY);
  }

  function postings(chars, skip) {
    var key = (skip ? SKIP : "") + chars.join("");
    if (decoded[key] !== undefined) { return Promise.resolve(decoded[key]); }
    var m;
    return meta().then(function (loaded) {
      m = loaded;
      var big = m.bigNames[key];
      if (big !== undefined) { return load("b" + big, "b/" + (m.packed ? big.split("-")[0] : big) + ".js"); }
      return entryOf(chars, key);
    }).then(function (raw) {
      var result = null;
      if (raw !== undefined) {
        var split = raw.charAt(0) === "!", head = readNumbers(raw, split ? 1 : 0, 1), n = head.values[0];
        var v = readNumbers(raw, head.end, (chars.length === 1 ? 2 : split ? 3 : 2) * n), docs = new Array(n);
        for (var i = 0, acc = 0; i < n; i++) { acc = i === 0 ? v.values[0] : acc + v.values[i]; docs[i] = acc; }
        var second = v.values.slice(n, 2 * n);
        if (chars.length === 1) {
          result = { docs: docs, fields: second };
        } else if (split) {
          result = { docs: docs, masks: second, counts: v.values.slice(2 * n, 3 * n),
            split: true, pair: skip ? [SKIP].concat(chars) : chars, pos: new Positions(skip, m), blocks: {} };
        } else {
          var pos = new Positions(skip, m);
          pos.add(raw, v.end, docs, second, 0, n);
          result = { docs: docs, pos: pos };
        }
      }
      decoded[key] = result;
      return result;
    });
  }

  // Loads the blocks of an oversized pair's positions that hold some of `wanted` documents:
  // block by block, or the pair's file of every block when the wanted blocks hold at least
  // three quarters of its positions (one file rather than a wave of them, for at most a third
  // more bytes; written for a pair of more than one block; the packed index has only that file).
  function positionsFor(post, wanted, m) {
    if (!post || !post.split) { return Promise.resolve(); }
    var need = {}, weight = {}, total = 0, needed = 0, i;
    wanted.forEach(function (doc) { need[Math.floor(doc / m.block)] = true; });
    for (i = 0; i < post.docs.length; i++) {
      var at = Math.floor(post.docs[i] / m.block);
      weight[at] = (weight[at] || 0) + post.counts[i];
      total += post.counts[i];
    }
    var blocks = Object.keys(need).filter(function (b) { return !post.blocks[b] && weight[b]; });
    blocks.forEach(function (b) { needed += weight[b]; });
    var hash = fnv1a(post.pair) % m.positionFiles;
    var whole = m.packed || (Object.keys(weight).length > 1 && needed * 4 >= total * 3);
    return Promise.all(blocks.map(function (b) {
      var name = hash + "-" + b;
      return load("p" + name, "p/" + (whole ? hash : name) + ".js").then(function (entries) {
        if (post.blocks[b]) { return; }
        post.blocks[b] = true;
        var raw = entries["\u0002" + post.pair.join("") + b];
        if (raw === undefined) { return; }
        var from = 0, to;  // the block's documents: a run of the sorted list
        while (from < post.docs.length && Math.floor(post.docs[from] / m.block) < +b) { from++; }
        for (to = from; to < post.docs.length && Math.floor(post.docs[to] / m.block) === +b;) { to++; }
        post.pos.add(raw, 0, post.docs, post.counts, from, to);
      });
    }));
  }

  // A phrase entry (generator/site/search_index/phrases.py) of a common run of 3..meta.phraseLongest
  // characters: {base: the offset of its rarest pair, lacking: the documents of that pair that do
  // not hold the run, sorted; ext: the characters that always follow the run; after: every
  // character met after those, or null when too many to list}; null when the run has none. It
  // lives in its first pair's shard (or a big entry's file named in meta.js).
  function phrase(chars) {
    var key = PHRASES + chars.join("");
    if (decoded[key] !== undefined) { return Promise.resolve(decoded[key]); }
    return meta().then(function (m) {
      var big = m.bigNames[key];
      if (big !== undefined) { return load("b" + big, "b/" + (m.packed ? big.split("-")[0] : big) + ".js"); }
      return entryOf(chars.slice(0, 2), key);
    }).then(function (raw) {
      decoded[key] = raw === undefined ? null : parsePhrase(raw);
      return decoded[key];
    });
  }
  function parsePhrase(raw) {
    var colon = raw.indexOf(":"), tilde = raw.indexOf("~"), end = tilde < 0 ? raw.length : tilde;
    var equals = raw.slice(0, end).indexOf("=");
    var v = readNumbers(raw.slice(0, equals < 0 ? end : equals), colon + 1).values;
    var result = { base: +raw.slice(0, colon), lacking: new Array(v[0]), ext: equals < 0 ? "" : raw.slice(equals + 1, end),
      after: tilde < 0 ? null : raw.slice(tilde + 1) };
    for (var i = 0, acc = 0; i < v[0]; i++) { acc += v[i + 1]; result.lacking[i] = acc; }
    return result;
  }

  // The entry a run is told by, from its first pair's shard at hand: its own, or that of its
  // longest prefix with one, when the run only goes on with the characters that always follow
  // that prefix (a shorter prefix cannot tell it then: that prefix would have been told by a
  // shorter one still). {prefix: its characters, rest: what the run adds, raw: the entry as in
  // the shard ("@" + file when it is a big entry)} or null.
  function phrasePrefix(chars) {
    if (!cache.meta || chars.length < 3) { return null; }
    for (var end = chars.length; end >= 3; end--) {
      var raw = atHand(chars.slice(0, 2), PHRASES + chars.slice(0, end).join(""));
      if (raw === AWAY) { return null; }
      if (raw !== undefined) { return { prefix: chars.slice(0, end), rest: chars.slice(end).join(""), raw: raw }; }
    }
    return null;
  }
  function goesOn(entry, rest) { return !!entry && entry.ext.indexOf(rest) === 0; }

  // {entry, depth: how many of the characters that follow its prefix the run goes on with} or
  // null (phrasePrefix). notBig: not when the entry is in a file of its own (the packed index's
  // hold many entries).
  function phraseOf(chars, notBig) {
    var at = phrasePrefix(chars);
    if (!at || (notBig && at.raw.charAt(0) === "@")) { return Promise.resolve(null); }
    return phrase(at.prefix).then(function (entry) {
      return goesOn(entry, at.rest) ? { entry: entry, depth: Array.from(at.rest).length } : null;
    });
  }
  // The same when the entry is in the shard itself, at once: the entry or null (search-query.js
  // asks which pairs a word needs while it decides what to load).
  function phraseAtHand(chars) {
    var at = phrasePrefix(chars), entry = at && at.raw.charAt(0) !== "@" ? parsePhrase(at.raw) : null;
    return goesOn(entry, at && at.rest) ? entry : null;
  }

  function record(doc) {
    return meta().then(function (m) {
      return load("d" + doc, m.packed ? "r/" + Math.floor(doc / m.recordGroup) + ".js" : "d/" + doc + ".js");
    });
  }

  Object.assign(I, { load: load, cache: cache, SKIP: SKIP, DIGIT: DIGIT, fnv1a: fnv1a, meta: meta,
    hasKey: hasKey, pairAtHand: pairAtHand, synonymGroup: synonymGroup, shardOf: shardOf, postings: postings,
    positionsFor: positionsFor, phraseOf: phraseOf,
    phraseAtHand: phraseAtHand });
  Object.assign(DXS, { record: record, ready: meta });
})();
