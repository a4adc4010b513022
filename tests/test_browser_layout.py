"""Layout at the widths people use (a 390 px phone, a 768 px tablet, a 1366 px
laptop, and that laptop zoomed to 125 % = 1093 px): the menu, sideways
scrolling, table headers, and the comparison table's sorting, filters, CSV
download and print layout. One site, built once, in headless Chromium.
"""

from __future__ import annotations

import csv
import io
import re
import zlib

import pytest
import yaml

from browser import http_server
from conftest import REPO
from generator import model
from generator.check import check_root
from generator.site.formatting import tag_slug
from test_accessibility import axe  # the one axe runner (WCAG 2.1 A/AA tags)

WIDTHS = {390: 844, 768: 1024, 1093: 615, 1366: 768}
DRAWER_BELOW = 1220  # Material shows the tabs (and hides ☰) from 76.25em = 1220 px
PAGE_KINDS = {
    "home": "",
    "catalogue": "catalogue/",
    "search": "search/#q=窓口",
    "case": "cases/222208-okuyami-one-stop/",
    "prefecture": "prefectures/shizuoka/",
    "municipality": "municipalities/222208/",
    "status": "status/unyou/",
    "tag": f"tags/{tag_slug('おくやみ')}/",
    "area index": "areas/",
    "area comparison": "areas/madoguchi/",
    "data": "data/",
    "about": "about/",
    "nearby": "nearby/",
    "learning graph": "learning/",
}
AREA = "窓口・手続"


def top_level_nav() -> list[str]:
    """The section titles of mkdocs.yml's nav: what the menu must offer on every page."""
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    return [next(iter(item)) for item in nav if isinstance(item, dict)]


@pytest.fixture(scope="module")
def site(shared_site):
    collection = model.build(check_root(shared_site / "cases").cases)
    with http_server(shared_site / "site") as url:
        yield url, shared_site / "site", collection


# Elements reaching past the right edge of the viewport, other than inside a table's own
# scroll box (or the closed drawer, off screen to the left).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.dx-table-wrap') || el.closest('.md-sidebar--primary')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && box.right > width + 1) over.push(el.tagName + '.' + el.className);
  }
  return {width, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, over: over.slice(0, 5)};
}"""

# Header cells whose text box is narrower than three characters (or the whole label, if shorter).
SQUEEZED = """() => {
  const out = [];
  for (const th of document.querySelectorAll('article thead th, article th[scope=row]')) {
    const style = getComputedStyle(th);
    const inner = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const size = parseFloat(style.fontSize);
    const chars = Math.min(3, th.textContent.trim().length);
    if (inner + 0.5 < chars * size) out.push(th.textContent.trim() + ': ' + Math.round(inner) + 'px < ' + chars + '×' + size + 'px');
  }
  return out;
}"""


# Table cells without a rule: under each column header, and between body rows.
UNRULED = """() => {
  const out = [];
  for (const table of document.querySelectorAll('.dx-table-wrap table')) {
    for (const th of table.querySelectorAll('thead th'))
      if (parseFloat(getComputedStyle(th).borderBottomWidth) < 1) out.push('under ' + th.textContent.trim());
    for (const row of [...table.tBodies[0].rows].slice(1))
      for (const cell of row.cells)
        if (parseFloat(getComputedStyle(cell).borderTopWidth) < 1) out.push('above ' + cell.textContent.trim());
  }
  return out.slice(0, 5);
}"""


# The labels of the menu links a person can see: rendered, and across the viewport (a menu
# taller than a short screen scrolls).
SHOWN_LINKS = """(selector) => [...document.querySelectorAll(selector)].filter(a => {
  const box = a.getBoundingClientRect(), style = getComputedStyle(a);
  return box.width > 0 && box.height > 0 && style.visibility === 'visible' && box.left >= 0
    && box.right <= document.documentElement.clientWidth + 1;
}).map(a => a.textContent.trim())"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_kind_has_the_menu_no_sideways_scroll_and_readable_headers(browser, site, width):
    url, _, _ = site
    sections = top_level_nav()
    page = browser.new_page(url)
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    for kind, path in PAGE_KINDS.items():
        page.goto(url + path)
        page.wait_for_load_state("load")
        where = f"{kind} at {width}px"

        layout = page.evaluate(OVERFLOW)
        assert layout["scroll"] <= layout["width"] and layout["body"] <= layout["width"], (where, layout)
        assert layout["over"] == [], (where, layout)
        assert page.evaluate(SQUEEZED) == [], where
        assert page.evaluate(UNRULED) == [], where
        # WCAG 2.1 A/AA at this width too: narrow layouts hide, stack and restyle things
        assert axe(page) == [], where

        # keyboard: the skip link comes first, then (on narrow screens) the menu button
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "本文へ移動", where
        if width < DRAWER_BELOW:
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer", where
            page.keyboard.press("Enter")
            menu = ".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > .md-nav__link"
            page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
        else:
            menu = ".md-tabs .md-tabs__link"
            # beside the content, a sidebar holding only a link to the page itself helps nobody
            beside = page.evaluate(SHOWN_LINKS, ".md-sidebar--primary a.md-nav__link")
            assert len(beside) != 1, (where, beside)
        shown = page.evaluate(SHOWN_LINKS, menu)
        assert set(sections) <= set(shown), (where, shown)
        if width < DRAWER_BELOW:
            page.keyboard.press("Escape")
            assert page.evaluate("document.getElementById('__drawer').checked") is False, where
            assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer", where
    assert page.blocked == [] and page.errors == []


def test_skip_link_moves_focus_to_the_content_and_keeps_the_catalogue_state(browser, site):
    url, _, _ = site
    page = browser.new_page(url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "catalogue/#status=運用中")
    page.wait_for_function("document.getElementById('dx-count').textContent.trim().length > 0")
    count = page.locator("#dx-count").inner_text()
    hash_before = page.evaluate("location.hash")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "dx-main"
    assert page.evaluate("location.hash") == hash_before and page.locator("#dx-count").inner_text() == count
    page.keyboard.press("Tab")  # the next stop is in the content, past the header and menu
    assert page.evaluate("!!document.activeElement.closest('article')")


def _area_rows(collection):
    """The comparison's rows in the order the page is built: newest launch first."""
    rows = sorted((c for c in collection if AREA in c.areas), key=lambda c: (c.place.municipality.code, c.id))
    rows.sort(key=lambda c: c.launch or "", reverse=True)
    return rows


def _sorted(rows, key, descending=False):
    """The order a sort button must give: unknown values last either way, ties keep the order."""
    known = [(key(c), i, c) for i, c in enumerate(rows) if key(c) is not None]
    unknown = [c for c in rows if key(c) is None]
    known.sort(key=lambda item: item[1])
    known.sort(key=lambda item: item[0], reverse=descending)
    return [c for _, _, c in known] + unknown


def _shown_ids(page) -> list[str]:
    hrefs = page.locator("#dx-compare tbody tr:not([hidden]) th a").evaluate_all("links => links.map(a => a.href)")
    return [h.rstrip("/").split("/")[-1] for h in hrefs]


def _shown_table(page) -> list[list[str]]:
    return page.evaluate("""() => [...document.querySelectorAll('#dx-compare tr')].filter(r => !r.hidden)
        .map(r => [...r.cells].map(c => c.innerText.replace(/\\s+/g, ' ').trim()))""")


def _download_csv(page) -> tuple[bytes, str]:
    with page.expect_download() as info:
        page.get_by_role("button", name="表示中の表を CSV で保存").click()
    download = info.value
    return open(download.path(), "rb").read(), download.suggested_filename


def test_comparison_table_sorts_filters_and_saves_what_is_shown(browser, site):
    url, _, collection = site
    rows = _area_rows(collection)
    assert len(rows) >= 8
    page = browser.new_page(url)
    page.set_viewport_size({"width": 1093, "height": 615})
    page.goto(url + "areas/madoguchi/")
    def header(name):
        return page.locator("#dx-compare").get_by_role("columnheader", name=name, exact=True)

    assert header("開始").get_attribute("aria-sort") == "descending"
    assert _shown_ids(page) == [c.id for c in rows]

    def population(c):
        return c.population["count"] if c.population else None

    header("人口規模").get_by_role("button").click()
    assert header("人口規模").get_attribute("aria-sort") == "ascending"
    assert header("開始").get_attribute("aria-sort") is None
    expected = _sorted(rows, population)
    assert _shown_ids(page) == [c.id for c in expected]
    header("人口規模").get_by_role("button").click()
    assert header("人口規模").get_attribute("aria-sort") == "descending"
    assert _shown_ids(page) == [c.id for c in _sorted(rows, population, descending=True)]

    # money sorts by amount, not by the text "1,200,000円" < "300,000円"
    def initial(c):
        return c.cost["initial"] if c.cost and "initial" in c.cost else None

    header("初期費用").get_by_role("button").click()
    by_cost = _sorted(rows, initial)  # ties keep the page's first order, whatever was sorted before
    assert _shown_ids(page) == [c.id for c in by_cost]
    assert "「初期費用」の昇順" in page.locator(".dx-table-status").inner_text()

    # filters: municipality type and population band, both at once
    kind = "市"
    band = max({c.population_band for c in rows if c.place.municipality.type == kind},
               key=lambda b: sum(1 for c in rows if c.population_band == b and c.place.municipality.type == kind))
    page.locator("select[data-filter=type]").select_option(kind)
    page.locator("select[data-filter=band]").select_option(band)
    kept = [c for c in by_cost if c.place.municipality.type == kind and c.population_band == band]
    assert 0 < len(kept) < len(rows)
    assert _shown_ids(page) == [c.id for c in kept]
    assert f"全 {len(rows)} 件のうち {len(kept)} 件" in page.locator(".dx-table-status").inner_text()

    data, name = _download_csv(page)
    assert name == "madoguchi-compare.csv"
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    shown = _shown_table(page)
    assert table == shown and len(table) == len(kept) + 1
    assert table[0][:4] == ["事例", "団体", "種類", "人口規模"]
    assert page.blocked == [] and page.errors == []


def test_comparison_csv_downloads_from_the_copy_opened_from_disk(browser, site):
    _, folder, collection = site
    page = browser.new_page("file://")
    page.goto((folder / "areas" / "madoguchi" / "index.html").as_uri())
    data, _ = _download_csv(page)
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(table) == len(_area_rows(collection)) + 1
    assert page.blocked == [] and page.errors == []


def test_comparison_table_is_complete_without_script(browser, site):
    url, _, collection = site
    context = browser.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "areas/madoguchi/")
    assert page.locator("#dx-compare tbody tr").count() == len(_area_rows(collection))
    assert not page.locator(".dx-table-tools").is_visible()  # controls that could not work stay hidden
    region = page.get_by_role("region", name=re.compile("事例の比較"))
    assert region.get_attribute("tabindex") == "0"
    context.close()


def test_comparison_table_scrolls_inside_its_box_with_the_first_column_fixed(browser, site):
    url, _, _ = site
    page = browser.new_page(url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "areas/madoguchi/")
    region = page.get_by_role("region", name=re.compile("事例の比較"))
    first = page.locator("#dx-compare tbody tr th").first
    before = first.bounding_box()["x"]
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    region.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.dx-table-wrap').scrollLeft > 0")
    assert abs(first.bounding_box()["x"] - before) < 1  # the title column stays in view


def test_tile_map_labels_stay_legible_on_a_phone(browser, site):
    """Scaled to a 390 px screen the tile map's labels were about 6 px; it scrolls in its box instead."""
    url, _, _ = site
    page = browser.new_page(url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    label = page.locator("svg.dx-map text").first
    assert label.bounding_box()["height"] >= 9
    region = page.get_by_role("region", name=re.compile("都道府県別の事例数の地図"))
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")


def _pdf_pages(pdf: bytes) -> list[tuple[float, float, int]]:
    """(width, height, text-drawing operations) of each page of a PDF from Chromium."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    kids = re.search(rb"/Type /Pages.*?/Kids \[([^\]]*)\]", pdf, re.S).group(1)
    pages = []
    for ref in re.findall(rb"(\d+) 0 R", kids):
        page = objects[int(ref)]
        box = re.search(rb"/MediaBox \[([^\]]*)\]", page).group(1).split()
        stream = objects[int(re.search(rb"/Contents (\d+) 0 R", page).group(1))]
        # up to `endstream` with its end-of-line: the deflate data may itself end in a CR byte,
        # and the decompressor stops at the end of its stream by itself
        data = re.search(rb"stream\r?\n(.*?)endstream", stream, re.S).group(1)
        content = zlib.decompressobj().decompress(data)
        pages.append((float(box[2]), float(box[3]), content.count(b"Tj") + content.count(b"TJ")))
    return pages


def test_comparison_prints_landscape_starting_on_the_first_sheet(browser, site):
    url, _, _ = site
    page = browser.new_page(url)
    page.goto(url + "areas/madoguchi/")
    sheets = _pdf_pages(page.pdf(prefer_css_page_size=True))
    assert all(w > h for w, h, _ in sheets)
    # the table starts on the first sheet: it is not pushed whole to the second one
    assert sheets[0][2] >= 0.4 * max(text for _, _, text in sheets)
    page.goto(url + "cases/222208-okuyami-one-stop/")
    assert all(w < h for w, h, _ in _pdf_pages(page.pdf(prefer_css_page_size=True)))


def test_case_page_prints_each_url_once_and_back_to_top_stays_clear_of_the_text(browser, site):
    url, _, _ = site
    page = browser.new_page(url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "cases/222208-okuyami-one-stop/")
    page.evaluate("window.scrollTo(0, 900)")
    page.mouse.wheel(0, -200)  # Material shows the button while scrolling up
    page.wait_for_selector(".md-top:not([hidden])")
    box = page.locator(".md-top").bounding_box()
    assert box["y"] > 844 / 2 and box["x"] + box["width"] > 390 - 40  # bottom right, not over the top of the text
    page.emulate_media(media="print")
    after = "a => getComputedStyle(a, '::after').content"
    source = page.locator(".dx-sources a").first
    assert source.evaluate(after) in ("none", "normal")  # its text is the URL already
    press = page.locator("#resources ~ ul a[href^='http']").first
    assert press.get_attribute("href") in press.evaluate(after)  # a named link shows where it goes
