"""Issue 15: a build holds neither the whole site nor every character pair of the corpus
in memory, and what it makes is the same as when everything was held: the search index
with its pairs spilled to bucket files, a docs tree spooled to disk, a built site whose
pages get their HTML one at a time, and the offline copy's compacted pages.
(Peak memory itself is measured by tests/bench_scale.py, not asserted here.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import synthetic
from generator import pipeline
from generator.mkdocs_adapter import HTML_MARKER, SPOOL_DIR, TITLED_MARKER
from generator.offline import compact_html
from generator.site import search_index
from generator.site.search_index import postings
from generator.site.pages import SiteOptions
from sitebuild import build


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale") / "cases"
    synthetic.generate(root, 60, seed=5)
    return root


def _search_docs(tree) -> list[search_index.SearchDoc]:
    docs, number = [], 0
    while f"search/d/{number}.js" in tree.files:
        content = tree.files[f"search/d/{number}.js"]
        text = (content.read_bytes() if isinstance(content, Path) else content).decode()
        record = json.loads(text[text.index(",") + 1:-3])
        docs.append(search_index.SearchDoc(record["u"], record["t"], record["p"], record["s"], record["f"], 0, 0, []))
        number += 1
    return docs


def test_index_is_the_same_however_the_pairs_are_spilled(corpus, monkeypatch):
    docs = _search_docs(pipeline.run(corpus).tree)
    assert len(docs) == 60
    held = search_index.build_index(docs)
    spills = []
    spill = postings._Postings._spill
    monkeypatch.setattr(postings._Postings, "_spill", lambda self: (spills.append(self.pending_size), spill(self)))
    monkeypatch.setattr(postings, "SPILL_AT", 2_000)  # a spill every few documents
    monkeypatch.setattr(postings, "BUCKETS", 8)
    spilled = search_index.build_index(docs)
    assert sum(1 for size in spills if size) > 10
    assert spilled == held
    assert any(key.startswith(search_index.SKIP) for key in held)  # okurigana pairs are in both


def test_spooled_tree_writes_the_same_docs_folder_and_holds_no_page(corpus, tmp_path):
    held = pipeline.run(corpus, SiteOptions(build_date=None)).tree
    spooled = pipeline.run(corpus, SiteOptions(spool=tmp_path / "spool")).tree
    assert all(page.html == "" and page.html_file is not None for page in spooled.pages.values())
    assert all(isinstance(content, Path) for content in spooled.files.values())
    held.write(tmp_path / "held")
    spooled.write(tmp_path / "spooled")
    written = {p.relative_to(tmp_path / "held"): p.read_bytes() for p in (tmp_path / "held").rglob("*") if p.is_file()}
    assert written == {p.relative_to(tmp_path / "spooled"): p.read_bytes()
                       for p in (tmp_path / "spooled").rglob("*") if p.is_file()}
    assert len(written) > 200


def test_built_pages_get_their_html_with_one_title_and_no_spool_is_left(corpus, tmp_path):
    result = build(corpus, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert not (site / SPOOL_DIR).exists()
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert HTML_MARKER not in html and TITLED_MARKER not in html, page
        assert html.count("<h1") == 1, page
    case = next(site.glob("cases/*/index.html")).read_text(encoding="utf-8")
    assert 'class="dx-summary"' in case and 'class="dx-facts"' in case


def test_compact_html_drops_indentation_between_tags_only():
    page = ('<ul>\n    <li><a href="a">あ</a> <a href="b">い</a></li>\n  </ul>\n'
            '<pre><code>  def f():\n      return 1\n</code>\n  </pre>\n  <textarea> a\n  b </textarea>\n'
            '<script>if (a > b)\n  <!-- x -->\n</script>\n   <p>本文  の  文</p>')
    compacted = compact_html(page)
    assert compacted == ('<ul>\n<li><a href="a">あ</a>\n<a href="b">い</a></li>\n</ul>\n'
                         '<pre><code>  def f():\n      return 1\n</code>\n  </pre>\n<textarea> a\n  b </textarea>\n'
                         '<script>if (a > b)\n  <!-- x -->\n</script>\n<p>本文  の  文</p>')
    # what a browser shows is the same: whitespace between inline elements stays whitespace
    text = lambda html: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()  # noqa: E731
    assert text(compacted) == text(page)
