"""Issue 15: the offline copy holds many cases in one file (a municipality page per
prefecture), so its zip stays small at 10,000 cases; every link still opens one case,
with or without scripts, and the hosted site keeps one page per case."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

import synthetic
from conftest import REPO, VALID_PATH, CasesRoot
from generator import offline
from generator.site.grouped_pages import CASES_PER_PAGE
from sitebuild import broken_links, offline_case, write_config
from test_accessibility import axe

EPOCH = "1767225600"  # 2026-01-01
CASE_ID = "222208-okuyami-one-stop"
# An in-page link in a body, to the page's section and to one of the body's own headings.
BODY_LINKS = "\n\n[費用を見る](#cost) ・ [背景に戻る](#body-背景課題)\n"
WIDTHS = (390, 1366)


class _Articles(HTMLParser):
    """The members of a grouped page: (anchor, its <h1> texts), and every id."""

    def __init__(self):
        super().__init__()
        self.members: list[tuple[str, list[str]]] = []
        self.ids: list[str] = []
        self._h1 = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "article" and "dx-group__member" in (attrs.get("class") or ""):
            self.members.append((attrs["id"], []))
        if tag == "h1" and self.members:
            self._h1 = []

    def handle_endtag(self, tag):
        if tag == "h1" and self._h1 is not None:
            self.members[-1][1].append("".join(self._h1).strip())
            self._h1 = None

    def handle_data(self, data):
        if self._h1 is not None:
            self._h1.append(data)


def articles(path: Path) -> _Articles:
    parser = _Articles()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """70 synthetic cases plus the fixture cases (three files of cases), exported and unpacked."""
    base = tmp_path_factory.mktemp("groups")
    synthetic.generate(base / "cases", 70, seed=21)
    cases = CasesRoot(base / "cases")
    body = cases.path / VALID_PATH
    body.write_text(body.read_text(encoding="utf-8") + BODY_LINKS, encoding="utf-8")
    config = write_config(base, cases.path, base / "site")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "generator", "export", "--config", str(config), "--out",
                             str(base / "dist")], cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    zip_name, folder = offline.names(dt.date(2026, 1, 1))
    with zipfile.ZipFile(base / "dist" / zip_name) as archive:
        archive.extractall(base / "offline")
    copy = base / "offline" / folder
    records = json.loads((copy / "data/cases.json").read_text(encoding="utf-8"))["cases"]
    return copy, {r["id"]: r for r in records}


def test_every_case_is_one_article_of_a_grouped_file(project):
    copy, records = project
    assert len(records) == 72
    files = sorted((copy / "cases").glob("*.html"))
    assert [f.name for f in files] == sorted(f"g-{k}.html" for k in (1, 2, 3))  # 32 + 32 + 8
    found = Counter()
    for path in files:
        page = articles(path)
        assert len(page.members) <= CASES_PER_PAGE
        for anchor, headings in page.members:
            found[anchor] += 1
            assert headings == [records[anchor]["title"]], (path.name, anchor)  # its own h1, one
            assert records[anchor]["url"] == f"cases/{path.name}#{anchor}"
        assert len(page.ids) == len(set(page.ids)), [i for i, n in Counter(page.ids).items() if n > 1]
    assert found == Counter(records.keys())
    # the cases' own files (attachments) stay in their folders
    assert (copy / "cases" / CASE_ID / "flow.pdf").is_file()


def test_municipality_pages_are_grouped_by_prefecture(project):
    copy, records = project
    files = sorted((copy / "municipalities").glob("*.html"))
    assert (copy / "municipalities/index.html") in files
    groups = [f for f in files if f.name != "index.html"]
    assert groups and all(re.fullmatch(r"g-[a-z]+\.html", f.name) for f in groups)
    codes = Counter(anchor for f in groups for anchor, _ in articles(f).members)
    own = {r["municipality"]["code"] for r in records.values()}
    assert own <= set(codes) and max(codes.values()) == 1
    shizuoka = articles(copy / "municipalities/g-shizuoka.html")
    assert ("222208", ["静岡県裾野市の事例"]) in shizuoka.members


def test_every_link_and_its_fragment_lands_in_the_offline_copy(project):
    copy, _ = project
    broken, checked = broken_links(copy)
    assert checked > 1000 and broken == [], broken[:20]
    # the sections and the body's own links and headings carry the case's anchor
    text = next(p for p in (copy / "cases").glob("g-*.html") if f'id="{CASE_ID}"' in p.read_text("utf-8"))
    html = text.read_text(encoding="utf-8")
    for fragment in ("cost", "timeline", "body-背景課題"):
        assert f'href="#{CASE_ID}_{fragment}"' in html and f'id="{CASE_ID}_{fragment}"' in html, fragment


def test_link_checker_reads_fragments(tmp_path):
    """The check above can fail: a link to a file that exists, at an anchor that does not."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases/g-1.html").write_text('<article class="x" id="111111-a"><h1 id="t">a</h1></article>',
                                             encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="cases/g-1.html#111111-a">a</a> <a href="cases/g-1.html#111111-b">b</a>'
        ' <a href="#top">top</a> <a href="#bottom">bottom</a> <a href="cases/g-1.html#t">t</a></p>',
        encoding="utf-8")
    broken, checked = broken_links(tmp_path)
    assert checked == 5
    assert sorted(broken) == ["index.html: #bottom (no id)", "index.html: cases/g-1.html#111111-b (no id)"]


def test_hosted_site_keeps_one_page_per_case(shared_site):
    site = shared_site / "site"
    cases = [p for p in (site / "cases").iterdir() if (p / "index.html").is_file()]
    assert len(cases) == 62 and not list((site / "cases").glob("g-*"))
    assert not list((site / "municipalities").glob("g-*"))
    page = (site / "cases" / CASE_ID / "index.html").read_text(encoding="utf-8")
    assert 'href="#timeline"' in page and 'id="timeline"' in page and "dx-group" not in page
    listing = (site / "municipalities/222208/index.html").read_text(encoding="utf-8")
    assert f'href="../../cases/{CASE_ID}/"' in listing


def visible_h1(page) -> list[str]:
    return [h.inner_text() for h in page.locator("h1:visible").all()]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_listing_link_opens_that_case_and_its_sections_keep_it(project, browser, width):
    copy, records = project
    page = browser.new_page("file://")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((copy / "municipalities/g-shizuoka.html").as_uri() + "#222208")
    assert visible_h1(page) == ["静岡県裾野市の事例"]
    page.locator(f"a[href$='#{CASE_ID}']:visible").first.click()
    page.wait_for_url(re.compile(rf"cases/g-\d+\.html#{CASE_ID}$"))
    title = records[CASE_ID]["title"]
    assert visible_h1(page) == [title] and page.title().startswith(title + " - ")
    assert page.evaluate("scrollY") == 0  # at the top, with the site's header
    page.locator(".dx-sections a:visible", has_text="費用").click()
    page.wait_for_url(re.compile(rf"#{CASE_ID}_cost$"))
    assert visible_h1(page) == [title]
    heading = page.locator(f"[id='{CASE_ID}_cost']")
    assert heading.is_visible() and page.evaluate("scrollY") > 0
    box = heading.bounding_box()
    assert 0 <= box["y"] < 900
    page.go_back()
    page.wait_for_url(re.compile(rf"#{CASE_ID}$"))
    assert visible_h1(page) == [title]
    page.go_back()
    page.wait_for_url(re.compile(r"municipalities/g-shizuoka\.html#222208$"))
    assert visible_h1(page) == ["静岡県裾野市の事例"]
    assert page.blocked == [] and page.errors == []


def test_without_scripts_the_anchor_alone_shows_one_case(project, browser):
    copy, records = project
    page = browser.new_page("file://")
    page.context.route("**/*.js", lambda route: route.abort())
    page.goto(offline_case(copy, CASE_ID))
    assert visible_h1(page) == [records[CASE_ID]["title"]]
    page.locator(f"a[href='#{CASE_ID}_body-背景課題']").click()  # the body's own link
    assert visible_h1(page) == [records[CASE_ID]["title"]]
    assert page.locator(f"[id='{CASE_ID}_body-背景課題']").is_visible()


def test_a_file_opened_without_anchor_lists_its_cases(project, browser):
    copy, records = project
    page = browser.new_page("file://")
    page.goto((copy / "cases/g-3.html").as_uri())
    assert visible_h1(page) == ["事例 65〜72 件目（全 72 件）"]
    assert page.locator(".dx-group__member:visible").count() == 0
    listed = page.locator(".dx-group__index a")
    assert listed.count() == 8
    name = listed.first.inner_text()
    listed.first.click()
    assert visible_h1(page) == [name] and page.title().startswith(name + " - ")


def test_skip_link_keeps_the_case_shown(project, browser):
    copy, records = project
    page = browser.new_page("file://")
    page.goto(offline_case(copy, CASE_ID))
    page.locator(".dx-skip").focus()  # a page opened at an anchor starts Tab from there
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "dx-main"
    assert page.url.endswith(f"#{CASE_ID}") and visible_h1(page) == [records[CASE_ID]["title"]]


def test_search_suggestion_opens_the_right_case(project, browser):
    copy, records = project
    page = browser.new_page("file://")
    page.goto((copy / "index.html").as_uri())
    page.locator("#dx-header-q").type("複数の課を回って")
    page.wait_for_selector("#dx-suggest:not([hidden])")
    title = records[CASE_ID]["title"]
    page.locator(".dx-suggest__list a", has_text=title).first.click()
    page.wait_for_url(re.compile(rf"cases/g-\d+\.html#{CASE_ID}$"))
    assert visible_h1(page) == [title]
    assert page.blocked == [] and page.errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_grouped_pages_have_no_wcag_a_or_aa_violation(project, browser, width):
    copy, _ = project
    for url in (offline_case(copy, CASE_ID), (copy / "cases/g-1.html").as_uri(),
                (copy / "municipalities/g-shizuoka.html").as_uri() + "#222208"):
        page = browser.new_page("file://")
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        assert axe(page) == [], url
