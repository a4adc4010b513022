"""Search index: exact substring search over normalised Japanese text, sharded into
`<script>` files so that a query loads only what it needs, over HTTP and from file://.

The parts, in the order the data flows:
  documents.py  SearchDoc (a case's fields as shown), their normalised text, brute_force
  encoding.py   key prefixes, virtual positions, base-64 numbers, the FNV-1a hash
  postings.py   build_index: characters and character pairs (plain and across okurigana)
                with their positions, built by an external sort in bounded memory
  trigrams.py   the shards' trigram Bloom filters and known_piece (what the keys tell)
  shards.py     shard_files: meta.js, facets.js, shards, big entries, position blocks, records;
                packed for the offline copy (fewer, bigger files)
  synonym_files.py  y/<group>.js: the shard entries a synonym group's words are looked up by
Documents are numbered newest-checked first, so a lower number breaks ties. The browser
twins are theme/assets/dx/search-index.js, search-match.js and search-query.js.
The names below are what the rest of the generator and the tests use.
"""

from .documents import (BANDS, FIELD_LABELS, FIELDS, STATUSES, TYPES, WEIGHTS, SearchDoc, brute_force, html_text,
                        kept_fields, normalized_fields)
from .encoding import FIELD_SHIFT, POSITIONS, SKIP, TRIGRAMS, fnv1a, vlq
from .postings import BLOCK_DOCS, SPLIT_AT, build_index
from .shards import BIG_ENTRY, POSITION_FILES, RECORD_GROUP, position_file, shard_files, shard_of
from .trigrams import corpus_trigrams, in_filter, known_piece, trigram_filters

__all__ = ["BANDS", "BIG_ENTRY", "BLOCK_DOCS", "FIELD_LABELS", "FIELD_SHIFT", "FIELDS", "POSITION_FILES", "POSITIONS",
           "RECORD_GROUP", "SKIP", "SPLIT_AT", "STATUSES", "TRIGRAMS", "TYPES", "WEIGHTS", "SearchDoc", "brute_force",
           "build_index", "corpus_trigrams", "fnv1a", "html_text", "in_filter", "kept_fields", "known_piece",
           "normalized_fields", "position_file", "shard_files", "shard_of", "trigram_filters", "vlq"]
