/* The site's search engine, part 2 of 6 (the order: search-text.js): the index.
 *
 * The index (generator/site/search_index/shards.py) is split into <script> files
 * that call DXS_LOAD(name, data): meta.js (counts, facets, the folding tables
 * and synonyms), shards s/<n>.js keyed by an FNV-1a hash of a character or
 * character pair (a big entry only named there, "@" + its file b/<n>-<k>.js),
 * and one d/<n>.js per document for showing results. Only what a query needs
 * is loaded, by a <script> tag, so it works the same over HTTP and from file://.
 */
(function () {
  "use strict";
  var DXS = window.DXS, I = DXS.internal;
  if (I.load) { return; }

  var base = DXS.root + "search/";
  var cache = {};
  var waiting = {};
  var decoded = {};
  var SKIP = "\u0001";  // the key prefix of a skipping pair (one across okurigana)
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
    return load("meta", "meta.js").then(function (m) { I.useTables(m); return m; });
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

  function record(doc) { return load("d" + doc, "d/" + doc + ".js"); }

  Object.assign(I, { load: load, cache: cache, SKIP: SKIP, DIGIT: DIGIT, fnv1a: fnv1a, meta: meta,
    present: present, postings: postings, positionsFor: positionsFor });
  Object.assign(DXS, { record: record, ready: meta });
})();
