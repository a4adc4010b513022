"""Accessibility gate: axe-core (WCAG 2.1 A and AA rules) on every page type,
in headless Chromium; keyboard-only use of the catalogue and the search; and
the results file the accessibility page (アクセシビリティ方針) is built from.

`make accessibility` reruns this module and rewrites
docs/accessibility-results.json from the run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import axe_playwright_python
import pytest

from browser import http_server
from conftest import REPO

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS = REPO / "docs" / "accessibility-results.json"

# (page type, path in the built site, what to do before checking)
PAGE_TYPES = [
    ("ホーム", "", None),
    ("事例カタログ（絞り込み後）", "catalogue/#area=madoguchi&status=運用中", None),
    ("事例", "cases/222208-okuyami-one-stop/", None),
    ("都道府県別の一覧", "prefectures/", None),
    ("都道府県の事例", "prefectures/shizuoka/", None),
    ("団体別の一覧", "municipalities/", None),
    ("団体の事例", "municipalities/222208/", None),
    ("分野別の一覧", "areas/", None),
    ("分野の比較表", "areas/madoguchi/", None),
    ("状況別の一覧", "status/", None),
    ("状況の事例", "status/unyou/", None),
    ("タグの一覧", "tags/", None),
    ("タグの事例", "tags/TAG/", None),
    ("学び合いの系譜", "learning/", None),
    ("自分の団体に近い事例（団体を選んだ後）", "nearby/#code=222208", None),
    ("検索結果", "search/#q=窓口", "results"),
    ("検索の候補（入力中）", "about/", "suggest"),
    ("データ", "data/", None),
    ("このサイトについて", "about/", None),
    ("アクセシビリティ方針", "accessibility/", None),
]


@pytest.fixture(scope="module")
def served(shared_site):
    with http_server(shared_site / "site") as url:
        yield url, shared_site / "site"


def axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' '))}));
    }""", TAGS)


def open_page(browser, url, path, action):
    if "TAG" in path:  # a tag page: its file name is a hash of the tag
        from generator.site.formatting import tag_slug
        path = path.replace("TAG", tag_slug("おくやみ"))
    page = browser.new_page(url)
    page.goto(url + path)
    if action == "results":
        page.wait_for_function("document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
    elif action == "suggest":
        page.locator("#dx-header-q").click()
        page.keyboard.type("窓口")
        page.wait_for_selector("#dx-suggest:not([hidden])")
    else:
        page.wait_for_load_state("load")
    return page


@pytest.fixture(scope="module")
def outcomes(browser, served):
    url, _ = served
    found = {}
    for name, path, action in PAGE_TYPES:
        page = open_page(browser, url, path, action)
        found[name] = axe(page)
        assert page.blocked == [] and page.errors == []
    return found


@pytest.mark.parametrize("name", [p[0] for p in PAGE_TYPES])
def test_page_type_has_no_wcag_a_or_aa_violation(outcomes, name):
    assert outcomes[name] == [], json.dumps(outcomes[name], ensure_ascii=False, indent=1)


def test_the_gate_catches_a_planted_violation(browser, served):
    url, site = served
    page_file = site / "cases/222208-okuyami-one-stop/index.html"
    planted = site / "planted/index.html"
    planted.parent.mkdir(exist_ok=True)
    html = page_file.read_text(encoding="utf-8").replace(
        '<p class="dx-summary">', '<p><img src="../cases/222208-okuyami-one-stop/flow.png"></p><p class="dx-summary">', 1)
    planted.write_text(html.replace('href="../../', 'href="../'), encoding="utf-8")
    try:
        page = browser.new_page(url)
        page.goto(url + "planted/")
        ids = [v["id"] for v in axe(page)]
    finally:  # the site is shared with other modules
        planted.unlink()
        planted.parent.rmdir()
    assert "image-alt" in ids


def test_catalogue_by_keyboard_alone(browser, served):
    url, _ = served
    page = browser.new_page(url)
    page.goto(url + "catalogue/")
    page.focus("#dx-q")
    page.keyboard.press("Tab")          # sort
    page.keyboard.press("Tab")          # first facet value
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("dx-f-")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    before = page.locator("#dx-count").inner_text()
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    after = page.locator("#dx-count").inner_text()
    assert after != before
    assert page.get_attribute("#dx-count", "aria-live") == "polite"
    page.keyboard.press("Space")
    assert page.locator("#dx-count").inner_text() == before


def test_search_by_keyboard_alone(browser, served):
    url, _ = served
    page = browser.new_page(url)
    page.goto(url + "about/")
    for _ in range(40):                 # from the top of the page, Tab to the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "dx-header-q":
            break
    assert page.evaluate("document.activeElement.id") == "dx-header-q"
    page.keyboard.type("おくやみ")
    page.wait_for_selector("#dx-suggest:not([hidden])")
    assert page.get_attribute(".dx-suggest__status", "aria-live") == "polite"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.dx-suggest__list') !== null")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/"))
    # the results page: Enter in the box, then Tab reaches the first result link
    page.goto(url + "about/")
    page.focus("#dx-header-q")
    page.keyboard.type("窓口")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/[#?]q="))  # ?q= when Enter came before the engine loaded
    page.wait_for_function("document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
    assert page.get_attribute("#dx-search-status-line", "aria-live") == "polite"
    page.focus("#dx-search-sort")  # the last control of the form
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#dx-search-results') !== null")


def run_results(browser, served, outcomes) -> dict:
    url, _ = served
    page = browser.new_page(url)
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    rules = page.evaluate("(tags) => axe.getRules(tags).map(r => ({id: r.ruleId, help: r.help}))", TAGS)
    version = page.evaluate("axe.version")
    return {
        "standard": "JIS X 8341-3:2016 適合レベル AA（WCAG 2.1 レベル A・AA の達成基準に対応する axe-core の規則）",
        "tool": f"axe-core {version}（Chromium、ヘッドレス）",
        "tags": TAGS,
        "pages": [{"type": name, "violations": len(outcomes[name])} for name, _, _ in PAGE_TYPES],
        "rules": sorted(rules, key=lambda r: r["id"]),
        "keyboard": ["事例カタログの絞り込みをキーボードだけで操作できる（Tab、スペース）",
                     "検索ボックスと候補、検索結果をキーボードだけで操作できる（Tab、矢印キー、Enter）",
                     "自分の団体を候補からキーボードだけで選べる（矢印キー、Enter、Esc）",
                     "フォーカスの位置が見える", "件数の変化が読み上げられる（aria-live）"],
    }


def test_accessibility_results_file_is_current(browser, served, outcomes):
    results = run_results(browser, served, outcomes)
    text = json.dumps(results, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("DX_WRITE_A11Y"):
        RESULTS.write_text(text, encoding="utf-8")
    committed = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    assert committed == text, "docs/accessibility-results.json is out of date: run `make accessibility`"
