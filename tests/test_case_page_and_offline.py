"""Issue 13: one date style on the site, 万円 beside yen, section links on case
pages; the offline copy dated on every page, its internet-only links marked, no
request it knows will fail; the hosted data page linking the newest zip."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import synthetic
from conftest import REPO, CasesRoot
from generator import offline
from generator.site.formatting import format_yen
from sitebuild import offline_case, write_config

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
# Pages whose text documents the record format, where 2023-12 is what contributors type
FORMAT_PAGES = ("contributing", "field-reference", "data")


class _Text(HTMLParser):
    """Visible text (no script or style), ids, and in-page links of one page."""

    def __init__(self):
        super().__init__()
        self.skip = 0
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.sections: list[tuple[str, str]] = []
        self._in_sections = False
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "nav" and "dx-sections" in (attrs.get("class") or ""):
            self._in_sections = True
        if tag == "a" and self._in_sections:
            self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "nav":
            self._in_sections = False

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)
        if self._href is not None:
            self.sections.append((self._href, data))
            self._href = None


def parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def run(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project folder: cases, mkdocs.yml, then `export` (dist/) and `build` (site/), as deploy runs them."""
    base = tmp_path_factory.mktemp("project")
    synthetic.generate(base / "cases", 40, seed=13)
    CasesRoot(base / "cases").make_stale()
    config = write_config(base, base / "cases", base / "site")
    exported = run("export", "--config", str(config), "--out", str(base / "dist"))
    assert exported.returncode == 0, exported.stderr
    built = run("build", "--config", str(config))
    assert built.returncode == 0, built.stderr
    copy = base / "offline"
    with zipfile.ZipFile(base / "dist" / offline.names(dt.date(2026, 1, 1))[0]) as archive:
        archive.extractall(copy)
    return base, copy / offline.names(dt.date(2026, 1, 1))[1]


@pytest.mark.parametrize("value, shown", [
    (0, "0円"),
    (9_999, "9,999円"),
    (10_000, "1万円（10,000円）"),
    (45_000_000, "4,500万円（45,000,000円）"),
    (1_200_000, "120万円（1,200,000円）"),
    (12_345, "約1万円（12,345円）"),
    (100_000_000, "1億円（100,000,000円）"),
    (250_000_000, "2億5,000万円（250,000,000円）"),
    (123_456_789, "約1億2,346万円（123,456,789円）"),
    (99_995_000, "約1億円（99,995,000円）"),
])
def test_yen_is_shown_in_man_yen_with_the_exact_amount(value, shown):
    assert format_yen(value) == shown


def test_case_and_listing_pages_show_no_iso_dates(project):
    site = project[0] / "site"
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in FORMAT_PAGES]
    assert len(pages) > 100
    found = {str(p.relative_to(site)): ISO_DATE.findall(" ".join(parse(p).text)) for p in pages}
    assert not {page: dates for page, dates in found.items() if dates}
    case = (site / "cases/222208-okuyami-one-stop/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2023-12-01">2023年12月1日</time>' in case  # machine-readable, read in Japanese
    assert "最終確認日: <time datetime=\"2026-06-01\">2026年6月1日</time>" in case
    assert "120万円（1,200,000円）" in case and "30万円（300,000円）" in case


def test_case_pages_list_their_sections_and_each_link_lands(project):
    site = project[0] / "site"
    cases = sorted((site / "cases").glob("*/index.html"))
    assert len(cases) == 42
    for path in cases:
        page = parse(path)
        labels = [label for _, label in page.sections]
        assert labels[:5] == ["経過", "効果", "システム", "費用", "問い合わせ先"], path
        for href, _ in page.sections:
            assert href.startswith("#") and href[1:] in page.ids, (path, href)
    with_body = parse(site / "cases/222208-okuyami-one-stop/index.html")
    assert ("#details", "取組の詳細") in with_body.sections and ("#sources", "出典") in with_body.sections


def test_offline_copy_says_its_date_on_every_page(project):
    _, copy = project
    pages = sorted(copy.rglob("*.html"))
    assert len(pages) > 100
    banner = "この版は 2026年1月1日 時点の写しです（オフライン版）"
    missing = [p for p in pages if banner not in " ".join(" ".join(parse(p).text).split())]
    assert not missing, missing[:5]


def test_offline_copy_has_no_edit_links_and_marks_every_web_link(project):
    base, copy = project
    cases = "".join(p.read_text(encoding="utf-8") for p in copy.glob("cases/g-*.html"))
    assert "おくやみワンストップ窓口" in cases
    assert "この記録を編集する" not in cases and "github.com" not in cases
    hosted = (base / "site/cases/222208-okuyami-one-stop/index.html").read_text(encoding="utf-8")
    assert "この記録を編集する（GitHub）" in hosted and "dx-offline-banner" not in hosted
    # every page with a web link (contributing's GitHub links too) loads the sheet that marks them
    sheet = (copy / "assets/dx/offline.css").read_text(encoding="utf-8")
    assert 'a[href^="https://"]::after' in sheet and "インターネット接続が必要です" in sheet
    for path in copy.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r'<a\b[^>]*href="https?://', text):
            assert re.search(r'<link rel="stylesheet" href="[./]*assets/dx/offline\.css">', text), path
    assert "assets/dx/offline.css" not in hosted


def test_offline_copy_requests_nothing_that_fails_from_disk(project, browser):
    _, copy = project
    page = browser.new_page("file://")
    requested = []
    failed = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    case = offline_case(copy, "222208-okuyami-one-stop")
    for url in [(copy / relative).as_uri() for relative in ("index.html", "contributing.html", "data.html")] + [case]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "sitemap" in u], requested
    assert failed == [] and page.blocked == [] and page.errors == []
    # the mark is what a reader sees next to a web link
    page.goto(case)
    link = page.locator(".dx-sources a:visible").first
    assert "インターネット接続が必要です" in link.evaluate("e => getComputedStyle(e, '::after').content")
    assert page.locator(".dx-offline-banner").inner_text().startswith("この版は 2026年1月1日 時点の写しです")


def test_hosted_data_page_links_the_newest_zip(project):
    base, copy = project
    site = base / "site"
    page = (site / "data/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]+)" download>オフライン版をダウンロード（zip）</a>（([^）]+)）', page)
    assert link and link.group(1) == "../download/jichitai-dx-jirei-offline.zip"
    published = (site / "data" / link.group(1)).resolve()
    assert published.read_bytes() == (base / "dist/jichitai-dx-jirei-offline-20260101.zip").read_bytes()
    assert link.group(2).endswith("<time datetime=\"2026-01-01\">2026年1月1日</time>作成")
    assert "管理者にお問い合わせください" not in page
    # the copy neither carries itself nor offers a download it cannot reach
    assert not (copy / "download").exists()
    assert "オフライン版をダウンロード" not in (copy / "data.html").read_text(encoding="utf-8")


def test_newest_zip_is_found_by_its_date(tmp_path):
    for stamp in ("20251130", "20261130", "20260101"):
        (tmp_path / f"jichitai-dx-jirei-offline-{stamp}.zip").write_bytes(b"PK")
    (tmp_path / "jichitai-dx-jirei-offline-latest.zip").write_bytes(b"PK")
    path, date = offline.latest(tmp_path)
    assert path.name == "jichitai-dx-jirei-offline-20261130.zip" and date == dt.date(2026, 11, 30)
    assert offline.latest(tmp_path / "nothing") is None
