/* The site's search engine, part 1 of 6: the DXS namespace and the text side.
 *
 * The engine searches a static index by relevance, in the browser, the same over
 * HTTP and from file:// (classic scripts sharing window.DXS; no fetch, no modules,
 * no WebAssembly). Its parts, loaded in this order (theme/main.html for the header
 * box, the search_engine macro in generator/site/templates/_macros.html.j2 for the
 * catalogue and 近い事例 pages):
 *   search-text.js   normalisation and folding (the twin of generator/textnorm.py), dates
 *   search-index.js  loading the index files and decoding postings
 *   search-match.js  where a term occurs: chains of character pairs
 *   search-query.js  query understanding: a chunk split into the pieces the index knows
 *   search-score.js  scoring (BM25 over field-weighted frequencies) and DXS.search
 *   search-ui.js     snippets, the header box's suggestions and the search page
 * Helpers one part gives another live in DXS.internal; pages use only the DXS.*
 * names set here and in the parts after.
 */
(function () {
  "use strict";
  if (window.DXS) { return; }

  var form = document.querySelector("form.dx-search");
  var I = {};
  var DXS = window.DXS = { root: (form && form.getAttribute("data-root")) || "./", timing: null, internal: I };

  // -- normalisation: the twin of generator/textnorm.py ------------------------
  // The folding tables come from meta.js (generated from generator/data/folding.json),
  // so normalise() is complete once ready() has resolved.
  var KANJI = "\\u3005\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3ffff}";
  var HIRA = "\\u3041-\\u3096";
  var OKURIGANA = new RegExp("(?<=[" + KANJI + "])[" + HIRA + "]{1,2}(?![" + HIRA + "])", "gu");
  var KANJI_CHAR = new RegExp("[" + KANJI + "]", "u");
  var SELECTORS = /[\ufe00-\ufe0f]|\udb40[\udd00-\uddef]/g;
  var tables = null;  // also I.tables, for the query splitter

  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function useTables(m) {
    if (tables) { return; }
    var variants = m.fold.variants;
    var keys = Object.keys(variants);
    var company = m.fold.company.slice().sort(function (x, y) { return Array.from(y).length - Array.from(x).length; });
    tables = I.tables = {
      variants: variants,
      variantRe: keys.length ? new RegExp(keys.map(escapeRe).join("|"), "gu") : null,
      dashRe: m.fold.dashes ? new RegExp("[" + escapeRe(m.fold.dashes) + "]", "gu") : null,
      companyRe: company.length ? new RegExp(company.map(escapeRe).join("|"), "g") : null,
      functionWords: m.functionWords,
      particles: m.particles,
      synonyms: m.synonyms,
      synonymsKept: m.synonymsKept || m.synonyms
    };
  }

  // normalise() with katakana kept katakana (textnorm.normalize_kept): okurigana are told from it.
  function normaliseKept(text) {
    var s = String(text || "").normalize("NFKC").replace(SELECTORS, "").toLowerCase();
    s = s.replace(/\u30fc/g, "").replace(/\u3096/g, "\u3051").replace(/\u3095/g, "\u304b");
    if (tables) {
      if (tables.variantRe) { s = s.replace(tables.variantRe, function (ch) { return tables.variants[ch]; }); }
      if (tables.dashRe) { s = s.replace(tables.dashRe, "-"); }
      if (tables.companyRe) { s = s.replace(tables.companyRe, ""); }
    }
    return s.replace(/\s+/g, " ").trim();
  }
  function fold(text) {
    return text.replace(/[\u30a1-\u30f4]/g, function (ch) { return String.fromCharCode(ch.charCodeAt(0) - 0x60); })
      .replace(/\u30f5/g, "\u304b").replace(/\u30f6/g, "\u3051");
  }
  function normalise(text) { return fold(normaliseKept(text)); }
  // Without okurigana, folded; given the kept form, katakana after a kanji stays (手続ナビ → 手続なび).
  function skeleton(text) { return fold(text.replace(OKURIGANA, "")); }
  function hasKanji(text) { return KANJI_CHAR.test(text); }
  function chunks(query) { return normalise(query).split(" ").filter(Boolean); }
  function keptChunks(query) { return normaliseKept(query).split(" ").filter(Boolean); }
  function skeletonUsable(term, kept) { return hasKanji(term) && Array.from(skeleton(kept || term)).length > 1; }

  // One date style on the site: 2026年11月26日 / 2026年11月 / 2026年, as formatting.format_date
  // in Python; the catalogue and 近い事例 scripts use this one through DXS.date.
  function japaneseDate(value) {
    return String(value || "").split("-").filter(Boolean).map(function (n, k) {
      return parseInt(n, 10) + "年月日".charAt(k);
    }).join("");
  }

  Object.assign(I, { HIRA: HIRA, OKURIGANA: OKURIGANA, escapeRe: escapeRe, useTables: useTables,
    fold: fold, hasKanji: hasKanji, keptChunks: keptChunks, skeletonUsable: skeletonUsable });
  Object.assign(DXS, { normalise: normalise, normaliseKept: normaliseKept, chunks: chunks, skeleton: skeleton,
    date: japaneseDate });
})();
