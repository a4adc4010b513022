"""Search recall in the browser: on the bundled cases plus 2,000 synthetic
ones, every query of the fixed list gives exactly the documents a
brute-force substring scan of the same normalised text gives, over HTTP and
opened from disk. Also the search UI: header suggestions, results page,
filters, highlighting, keyboard, and nothing loaded before the box is used."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import synthetic
from browser import Browser, http_server
from conftest import REPO
from generator.site.search_index import SearchDoc, brute_force
from generator.textnorm import terms
from search_queries import QUERIES
from sitebuild import build

SYNTHETIC = 2000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("search-site")
    cases = base / "cases"
    synthetic.generate(cases, SYNTHETIC, seed=5)
    for path in (REPO / "cases").glob("*/*.md"):
        (cases / path.parent.name).mkdir(exist_ok=True)
        (cases / path.parent.name / path.name).write_bytes(path.read_bytes())
    result = build(cases, base / "site", directory_urls=False)
    assert result.returncode == 0, result.stderr
    return base / "site"


def reference(site: Path, query: str) -> list[int]:
    docs = []
    meta = json.loads((site / "search/meta.js").read_text(encoding="utf-8")[len('DXS_LOAD("meta",'):-3])
    for n in range(meta["docs"]):
        text = (site / f"search/d/{n}.js").read_text(encoding="utf-8")
        d = json.loads(text[text.index(",") + 1:-3])
        docs.append(SearchDoc(d["u"], d["t"], d["p"], d["s"], d["f"], 0, 0, []))
    return brute_force(docs, terms(query))


@pytest.fixture(scope="module")
def expected(site):
    cache = {}
    for query in QUERIES:
        cache[query] = reference(site, query)
    return cache


def engine_results(page, queries):
    page.wait_for_function("window.DXS && window.DXS.search")
    return page.evaluate("""async (queries) => {
        const out = {};
        for (const q of queries) {
            const found = await window.DXS.search(q, null);
            out[q] = found.results.map(r => r.doc).sort((a, b) => a - b);
        }
        return out;
    }""", queries)


@pytest.mark.parametrize("transport", ["http", "file"])
def test_recall_equals_brute_force_for_every_query(browser, site, expected, transport):
    if transport == "http":
        with http_server(site) as url:
            page = browser.new_page(url)
            page.goto(url + "search/index.html")
            got = engine_results(page, QUERIES)
    else:
        page = browser.new_page("file://")
        page.goto((site / "search/index.html").as_uri())
        got = engine_results(page, QUERIES)
    mismatched = {q: (len(got[q]), len(expected[q])) for q in QUERIES if got[q] != expected[q]}
    assert not mismatched
    assert sum(1 for q in QUERIES if expected[q]) >= 45
    assert len(expected["窓"]) > 100 and len(expected["職員"]) > 100  # common words, many results
    assert page.blocked == [] and page.errors == []


def test_nothing_for_search_loads_before_the_box_is_used(browser, site):
    with http_server(site) as url:
        page = browser.new_page(url)
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url + "index.html")
        page.wait_for_load_state("networkidle")
        assert not [u for u in requested if "/search/" in u or u.endswith("search.js")]
        page.locator("#dx-header-q").focus()
        page.wait_for_function("window.DXS !== undefined")
        assert any(u.endswith("assets/dx/search.js") for u in requested)
        assert not [u for u in requested if "/search/" in u]  # data waits for a query
        page.keyboard.type("おくやみ")
        page.wait_for_selector("#dx-suggest:not([hidden])")
        loaded = [u for u in requested if "/search/" in u]
        assert any(u.endswith("search/meta.js") for u in loaded)
        assert len([u for u in loaded if "/search/s/" in u]) <= 3  # the shards of お く や み's pairs
        assert page.blocked == []


def test_header_suggestions_and_keyboard(browser, site, expected):
    with http_server(site) as url:
        page = browser.new_page(url)
        page.goto(url + "areas/index.html")
        page.locator("#dx-header-q").click()
        page.keyboard.type("書かない窓口")
        suggest = page.locator("#dx-suggest")
        suggest.wait_for(state="visible")
        count = len(expected["書かない窓口"])
        page.wait_for_function(f"document.querySelector('.dx-suggest__status').textContent.startsWith('{count} 件')")
        assert page.locator(".dx-suggest__list li").count() == min(count, 8)
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.closest('.dx-suggest__list') !== null")
        assert focused
        page.keyboard.press("Escape")
        assert suggest.is_hidden()
        page.locator("#dx-header-q").press("Enter")
        page.wait_for_url(re.compile(r"search/index\.html#q="))
        line = page.locator("#dx-search-status-line")
        page.wait_for_function("document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
        assert line.inner_text() == f"「書かない窓口」の検索結果: {count} 件"
        assert page.blocked == [] and page.errors == []


def test_results_page_highlights_filters_and_ranks_title_first(browser, site, expected):
    page = browser.new_page("file://")
    page.goto((site / "search/index.html").as_uri() + "#q=" + "おくやみ")
    page.wait_for_function("document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
    total = len(expected["おくやみ"])
    assert page.get_attribute("#dx-searchpage", "data-results") == str(total)
    marks = page.locator("#dx-search-results mark.dx-hit").all_inner_texts()
    assert marks and all(m in ("おくやみ", "オクヤミ") for m in marks)
    first = page.locator("#dx-search-results .dx-card__title").first.inner_text()
    assert "おくやみ" in first  # a title match ranks above body matches
    page.select_option("#dx-search-status", label="運用中")
    page.wait_for_function(f"document.getElementById('dx-searchpage').getAttribute('data-results') !== '{total}'")
    narrowed = int(page.get_attribute("#dx-searchpage", "data-results"))
    assert 0 < narrowed < total
    assert "status=" in page.url
    assert page.blocked == [] and page.errors == []
