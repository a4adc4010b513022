"""Browser tests in headless Chromium: what only a browser can show.

The site is built from fixture and synthetic cases, served on 127.0.0.1 (and
opened from disk for the file-URL build); every request elsewhere is blocked
and recorded, and the record must stay empty.
"""

from __future__ import annotations

import re

import pytest

from browser import http_server
from generator import model
from generator.check import check_root


@pytest.fixture(scope="module")
def sites(shared_site, shared_file_site):
    """style → (the session's shared site of that URL style, its cases as the model sees them)."""
    return {style: (base / "site", model.build(check_root(base / "cases").cases))
            for style, base in (("dir", shared_site), ("file", shared_file_site))}


@pytest.fixture(scope="module")
def served(sites):
    with http_server(sites["dir"][0]) as url:
        yield url


def test_case_page_shows_timeline_contacts_and_reverse_link(browser, served):
    page = browser.new_page(served)
    page.goto(served + "cases/142077-kakanai-madoguchi/")
    timeline = page.locator("ol.dx-timeline li")
    assert timeline.count() == 1
    assert "2024年" in timeline.first.inner_text()
    assert "市民課" in page.locator("ul.dx-contacts").inner_text()
    reverse = page.get_by_role("heading", name="この事例を参考にした事例")
    assert reverse.is_visible()
    page.locator("#inspired + ul a").first.click()
    page.wait_for_url(re.compile(r"/cases/222208-okuyami-one-stop/$"))
    assert page.locator("ol.dx-timeline li").count() == 2
    assert page.locator("ol.dx-timeline").inner_text().count("開始") == 1
    assert "着手から開始まで約6か月" in page.locator("#timeline + p").inner_text()
    assert "055-995-1804" in page.locator("ul.dx-contacts").inner_text()
    assert page.blocked == [] and page.errors == []


def _expected(collection, area: str, status: str) -> int:
    return sum(1 for c in collection if area in c.areas and c.status == status)


def test_catalogue_filters_by_two_facets_and_the_url_restores_them(browser, served, sites):
    _, collection = sites["dir"]
    page = browser.new_page(served)
    page.goto(served + "catalogue/")
    count = page.locator("#dx-count")
    assert count.inner_text().startswith(f"{len(collection)} 件")
    page.get_by_label(re.compile(r"^窓口・手続")).check()
    page.get_by_label(re.compile(r"^運用中")).check()
    expected = _expected(collection, "窓口・手続", "運用中")
    assert expected > 0
    assert count.inner_text().startswith(f"{expected} 件の事例が見つかりました")
    assert page.locator("#dx-cards > li").count() == min(expected, 50)
    # counts beside a value: 運用中 with the area kept
    label = page.locator("label", has_text="運用中")
    assert f"（{expected}）" in label.inner_text()
    shared = page.url
    assert "area=madoguchi" in shared and "status=" in shared

    again = browser.new_page(served)
    again.goto(shared)
    assert again.get_by_label(re.compile(r"^窓口・手続")).is_checked()
    assert again.get_by_label(re.compile(r"^運用中")).is_checked()
    assert again.locator("#dx-count").inner_text() == count.inner_text()
    titles = again.locator("#dx-cards .dx-card__title").all_inner_texts()
    assert titles == page.locator("#dx-cards .dx-card__title").all_inner_texts()
    assert page.blocked == [] and again.blocked == [] and page.errors == [] and again.errors == []


def test_catalogue_text_filter_and_sort(browser, served, sites):
    _, collection = sites["dir"]
    page = browser.new_page(served)
    page.goto(served + "catalogue/#q=オクヤミ")
    page.wait_for_function("document.getElementById('dx-catalogue').getAttribute('data-query') === 'オクヤミ'")
    # the keyword box asks the site's search engine: every case it finds, at least those
    # with おくやみ in the catalogue's own columns
    urls = page.evaluate("""async () => { const f = await window.DXS.search('オクヤミ', null); const out = [];
        for (const r of f.results) { out.push((await window.DXS.record(r.doc)).u); } return out; }""")
    found = {u.rstrip("/").split("/")[-1] for u in urls}
    expected = [c for c in collection if c.id in found]
    own = [c for c in collection if "おくやみ" in (c.title + c.summary + " ".join(c.tags) + " ".join(c.areas))
           .replace("オクヤミ", "おくやみ")]
    assert len(expected) == len(urls) and {c.id for c in own} <= found
    assert page.locator("#dx-count").inner_text().startswith(f"{len(expected)} 件")
    page.select_option("#dx-sort", "code")
    first = page.locator("#dx-cards .dx-card__title a").first.get_attribute("href")
    lowest = min(expected, key=lambda c: (c.place.municipality.code, c.id))
    assert first.endswith(f"cases/{lowest.id}/")
    assert page.blocked == []


def test_file_url_copy_opens_from_disk_and_filters(browser, sites):
    site, collection = sites["file"]
    page = browser.new_page("file://")
    page.goto((site / "index.html").as_uri())
    page.get_by_role("link", name="事例カタログで絞り込む").click()
    page.wait_for_url(re.compile(r"catalogue\.html"))
    page.get_by_label(re.compile(r"^窓口・手続")).check()
    page.get_by_label(re.compile(r"^運用中")).check()
    expected = _expected(collection, "窓口・手続", "運用中")
    assert page.locator("#dx-count").inner_text().startswith(f"{expected} 件")
    page.locator("#dx-cards .dx-card__title a").first.click()
    page.wait_for_url(re.compile(r"/cases/[^/]+\.html$"))
    assert page.locator("ol.dx-timeline li").count() >= 1
    assert page.blocked == [] and page.errors == []


def test_home_map_links_to_a_prefecture(browser, served):
    page = browser.new_page(served)
    page.goto(served)
    tile = page.locator('svg.dx-map a[aria-label^="静岡県"]')
    tile.click()
    page.wait_for_url(re.compile(r"/prefectures/shizuoka/$"))
    assert "裾野市" in page.locator("article").inner_text()
    assert page.blocked == []
