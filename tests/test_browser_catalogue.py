"""The catalogue as people use it: results first on a 390 px phone with the
filters behind a 絞り込み（N） button, the count in view while ticking filters
on a laptop, a skip link to the results for keyboard users, and Back after
「さらに表示」 bringing back every card and the scroll position, hosted and
opened from disk. One site (file URLs, so it also works from disk), built once.
"""

from __future__ import annotations

import re

import pytest

from browser import http_server
from test_accessibility import axe

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
CARDS = "#dx-cards > li"


@pytest.fixture(scope="module")
def site(shared_file_site):
    with http_server(shared_file_site / "site") as url:
        yield url, shared_file_site / "site"


def open_catalogue(browser, site, size, fragment="", over="http"):
    url, folder = site
    page = browser.new_page(url if over == "http" else "file://")
    page.set_viewport_size(size)
    base = url + "catalogue.html" if over == "http" else (folder / "catalogue.html").as_uri()
    page.goto(base + fragment)
    page.wait_for_function("document.querySelectorAll('#dx-cards > li').length > 0")
    return page


def test_a_phone_shows_results_first_and_the_filters_open_and_close_by_keyboard(browser, site):
    page = open_catalogue(browser, site, PHONE, "#area=madoguchi&status=運用中")
    first = page.locator(CARDS).first.bounding_box()
    assert first["y"] < PHONE["height"], first
    assert not page.locator("#dx-facets").is_visible()
    toggle = page.locator("#dx-filter-toggle")
    assert toggle.inner_text() == "絞り込み（2）"
    assert toggle.get_attribute("aria-controls") == "dx-filters"
    assert toggle.get_attribute("aria-expanded") == "false"
    before = page.locator("#dx-count").inner_text()

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#dx-facets").is_visible()
    assert page.evaluate("document.activeElement.id") == "dx-q"
    # the page behind the open panel is inert: out of reach of a screen reader's own navigation
    inert = "['dx-cards', 'dx-filter-toggle', 'dx-header-q'].map(id => !!document.getElementById(id).closest('[inert]'))"
    behind = "() => " + inert
    assert page.evaluate(behind) == [True, True, True]
    assert page.evaluate("() => !!document.getElementById('dx-q').closest('[inert]')") is False
    assert axe(page) == []
    page.keyboard.press("Tab")          # sort
    page.keyboard.press("Tab")          # the first region
    assert page.evaluate("document.activeElement.id").startswith("dx-f-region-")
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")    # from the first stop, focus wraps to the panel's last button
    assert page.evaluate("document.activeElement.id") == "dx-filters-close"
    assert re.fullmatch(r"結果を表示（\d+ 件）", page.locator("#dx-filters-close").inner_text())
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#dx-facets").is_visible()
    assert page.evaluate("document.activeElement.id") == "dx-filter-toggle"
    assert page.evaluate(behind) == [False, False, False]
    assert toggle.inner_text() == "絞り込み（3）"
    assert page.locator("#dx-count").inner_text() != before

    page.keyboard.press("Space")        # open again; 結果を表示 closes it and returns focus
    assert page.locator("#dx-facets").is_visible()
    page.set_viewport_size(LAPTOP)      # turned or zoomed out: no panel, nothing inert
    page.wait_for_function(f"() => !{inert}.some(Boolean)")
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"() => {inert}.every(Boolean)")
    page.locator("#dx-filters-close").focus()
    page.keyboard.press("Enter")
    assert not page.locator("#dx-facets").is_visible()
    assert page.evaluate("document.activeElement.id") == "dx-filter-toggle"
    assert page.errors == [] and page.blocked == []


def test_on_a_laptop_the_count_stays_in_view_while_ticking_the_lowest_filter(browser, site):
    page = open_catalogue(browser, site, LAPTOP)
    assert not page.locator("#dx-filter-toggle").is_visible()
    assert page.locator("#dx-facets").is_visible()  # side by side, no panel
    # 「選択肢を表示（47）」 sits inside its box, clear of the border
    inside = page.evaluate("""() => {
      const summary = document.querySelector('#dx-facets summary').getBoundingClientRect();
      const box = document.querySelector('#dx-facets fieldset[data-facet=pref]').getBoundingClientRect();
      return summary.left >= box.left + 4 && summary.right <= box.right - 4;
    }""")
    assert inside
    lowest = page.locator("#dx-facets input[type=checkbox]").last
    lowest.scroll_into_view_if_needed()
    assert page.evaluate("window.pageYOffset") > 500
    before = page.locator("#dx-count").inner_text()
    lowest.check()
    assert page.locator("#dx-count").inner_text() != before
    # the count is on screen, under the header, and nothing covers it
    seen = page.evaluate("""() => {
      const box = document.getElementById('dx-count').getBoundingClientRect();
      const header = document.querySelector('.md-header').getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
      return {top: box.top, bottom: box.bottom, header: header.bottom, mine: !!hit && !!hit.closest('#dx-count')};
    }""")
    assert seen["header"] - 1 <= seen["top"] and seen["bottom"] <= LAPTOP["height"] and seen["mine"], seen


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366", "390"])
def test_keyboard_reaches_the_first_result_in_a_few_tabs(browser, site, size):
    page = open_catalogue(browser, site, size)
    first = page.locator(CARDS + " a").first
    tabs = 0
    while tabs < 30 and not first.evaluate("a => a === document.activeElement"):
        page.keyboard.press("Tab")
        tabs += 1
        name = page.evaluate("document.activeElement.textContent.trim()")
        if name in ("本文へ移動", "結果へ移動"):  # a keyboard user takes the skip links
            page.keyboard.press("Enter")
    assert tabs <= 10, tabs
    assert page.evaluate("location.hash") == ""  # the skip link leaves the filters' fragment alone


@pytest.mark.parametrize("over", ["http", "file"])
def test_back_after_more_restores_every_card_and_the_scroll_position(browser, site, over):
    page = open_catalogue(browser, site, LAPTOP, "#sort=title", over=over)
    # an unload handler keeps the page out of the back-forward cache: Back rebuilds it
    page.evaluate("window.addEventListener('unload', () => {})")
    total = int(re.match(r"(\d+) 件", page.locator("#dx-count").inner_text()).group(1))
    assert total > 100
    page.click("#dx-more")
    page.click("#dx-more")
    assert page.locator(CARDS).count() == min(total, 150)
    target = page.locator(CARDS).nth(110)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, 120)
    page.wait_for_timeout(300)
    y = page.evaluate("window.pageYOffset")
    assert y > 5000
    title = target.locator("a").inner_text()
    target.locator("a").click()
    page.wait_for_url(re.compile(r"/cases/"))
    page.go_back()
    page.wait_for_function(f"document.querySelectorAll('{CARDS}').length === {min(total, 150)}", timeout=10000)
    page.wait_for_function(f"Math.abs(window.pageYOffset - {y}) <= 50", timeout=10000)
    assert page.evaluate("location.hash") == "#sort=title"
    assert page.locator(CARDS).nth(110).locator("a").inner_text() == title
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
    assert page.errors == [] and page.blocked == []


def test_a_new_visit_starts_at_the_top_with_the_first_cards(browser, site):
    page = open_catalogue(browser, site, LAPTOP)
    page.click("#dx-more")
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_timeout(300)
    address = page.url
    page.goto(re.sub(r"catalogue\.html.*", "about.html", address))
    page.goto(address)  # a fresh visit in the same tab, not Back
    page.wait_for_function("document.querySelectorAll('#dx-cards > li').length > 0")
    assert page.locator(CARDS).count() == 50
    assert page.evaluate("window.pageYOffset") == 0
