"""Script injection: whatever reaches the renderer, nothing a contributor
wrote runs on the site.

The checker is bypassed on purpose: the collection is built from a checked
fixture whose values are then replaced with payloads (HTML in YAML values,
raw HTML, event handlers, javascript: links, autolinks, reference links),
and the real MkDocs build runs with the plugin's pipeline returning it.
A canary (window.__pwned) must stay unset on every page, in the catalogue
cards, the header suggestions and the search results.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from browser import http_server
from conftest import CasesRoot
from generator import model
from generator.check import check_root
from sitebuild import bypass_checker, write_config

P = "__pwned"
PAYLOADS = [
    f"<script>window.{P}='script'</script>",
    f'<img src=x onerror="window.{P}=\'img\'">',
    f'"><svg onload="window.{P}=\'svg\'">',
    f"' onmouseover='window.{P}=1' x='",
    f"</textarea><iframe src=\"javascript:window.parent.{P}='iframe'\"></iframe>",
    "{{ 7*7 }}{% raw %}",
]
BODY = "\n\n".join([
    "## 背景・課題",
    f"<script>window.{P}='body-script'</script>",
    f"<img src=x onerror=\"window.{P}='body-img'\">",
    f"<div onclick=\"window.{P}='div'\">クリック</div>",
    f"[リンク](javascript:window.{P}='link') と [参照][r] と <javascript:window.{P}='auto'>",
    f"[r]: javascript:window.{P}='ref'",
    f"![画像](javascript:window.{P}='image') ![外部](https://example.com/x.png)",
    f"[データ](data:text/html,<script>window.{P}=1</script>) [vb](vbscript:msgbox(1))",
    "<https://example.jp/ok> と `<b>code</b>` とペイロード語 INJECTIONMARK",
    "```html\n<script>alert(1)</script>\n```",
    f"[実体参照](&#106;avascript:window.{P}='entity') [タブ](java&#09;script:window.{P}='tab') "
    f"[大文字](JaVaScRiPt:window.{P}='case') [外部](//evil.example/x) ![画像2](&#x6A;avascript:window.{P}=2)",
])
# URL obfuscations a browser still reads as script (or as another site), for every URL field
HOSTILE_URLS = [f"JaVaScRiPt:window.{P}='mixed'", f" javascript:window.{P}='space'",
                f"java\tscript:window.{P}='tab'", f"\x01javascript:window.{P}='control'",
                f"&#106;avascript:window.{P}='entity'", f"data:text/html,<script>window.{P}='data'</script>",
                f"vbscript:window.{P}='vb'", "//evil.example/x", "file:///etc/passwd"]
# characters XML 1.0 forbids, for the feed
ILLEGAL_IN_XML = "\x01\x0b\ufffe"


def poisoned(value: str, n: int) -> str:
    return f"INJECTIONMARK{n} " + PAYLOADS[n % len(PAYLOADS)] + f" {value}"


def poison(case: model.Case) -> None:
    case.title = poisoned(case.title, 0) + ILLEGAL_IN_XML
    case.summary = poisoned(case.summary, 1)
    case.tags = [poisoned("タグ", 2), PAYLOADS[0]]
    case.problems = [poisoned(p, 3) for p in case.problems]
    case.outcomes = [poisoned("効果", 4), {"indicator": PAYLOADS[1], "before": PAYLOADS[2], "after": PAYLOADS[3],
                                           "note": PAYLOADS[4]}]
    case.timeline = [dict(e, event=poisoned(e["event"], 5)) for e in case.timeline]
    case.systems = [{"name": PAYLOADS[0], "vendor": PAYLOADS[1], "kind": PAYLOADS[2]}]
    case.cost = {"initial": 1, "annual": 2, "funding": PAYLOADS[3], "note": PAYLOADS[4]}
    case.contacts = [{"department": PAYLOADS[0], "phone": f"0\"><script>window.{P}='tel'</script>",
                      "email": f"x@y.jp\" onmouseover=\"window.{P}='mail'",
                      "url": f"javascript:window.{P}='contact'"}]
    case.contacts += [{"department": f"部署{n}", "url": url} for n, url in enumerate(HOSTILE_URLS)]
    case.contacts.append({"department": "窓口", "phone": "055-995-1804", "email": "kaikaku@city.example.lg.jp"})
    case.resources = [{"title": PAYLOADS[1], "url": f"javascript:window.{P}='resource'", "kind": "その他"},
                      {"title": "資料ファイル", "file": f"javascript:window.{P}='file'", "kind": "その他"},
                      {"title": "資料ファイル2", "file": f"JaVaScRiPt:window.{P}='file2'", "kind": "その他"}]
    case.resources += [{"title": f"資料{n}", "url": url, "kind": "記事"} for n, url in enumerate(HOSTILE_URLS)]
    case.sources = [f"javascript:window.{P}='source'", f"https://example.jp/\"><script>window.{P}=9</script>",
                    *HOSTILE_URLS]
    case.body = BODY


@pytest.fixture(scope="module")
def site(tmp_path_factory, monkeypatch_module):
    base = tmp_path_factory.mktemp("inject")
    (base / "cases").mkdir()
    cases = CasesRoot(base / "cases")
    checked = check_root(cases.path)
    assert checked.ok
    collection = model.build(checked.cases)
    for case in collection:
        poison(case)

    bypass_checker(monkeypatch_module, checked, collection)
    config = load_config(str(write_config(base, cases.path, base / "site")))
    mkdocs_build(config)
    return base / "site"


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


class _Tags(HTMLParser):
    """Every real tag of a page with its attributes, and the text of its scripts."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_payloads_reach_the_pages_as_text(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        parser = _Tags()
        parser.feed(text)
        handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs if name.lower().startswith("on")]
        assert handlers == [], path
        assert not [s for s in parser.scripts if P in s], path
        assert not [tag for tag, attrs in parser.tags if tag == "iframe"], path
    page = (site / "cases/222208-okuyami-one-stop/index.html").read_text(encoding="utf-8")
    assert "INJECTIONMARK0 &lt;script&gt;window.__pwned" in page
    assert "&lt;img src=x onerror=" in page


def test_no_javascript_url_anywhere(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:href|src|action)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", text, re.I), path


def _scheme(url: str) -> str:
    """What a browser takes as the URL's scheme ('' for none); '//' for a host-relative URL."""
    read = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    if read.startswith(("//", "\\\\", "/\\", "\\/")):
        return "//"
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", read)
    return match.group(1).lower() if match else ""


def test_every_url_on_every_page_is_web_site_relative_tel_or_mailto(site):
    """Attribute values as the browser decodes them (entities included): no other scheme anywhere."""
    seen = set()
    for path in site.rglob("*.html"):
        parser = _Tags()
        parser.feed(path.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                if attrs.get(name) is not None:
                    seen.add(_scheme(attrs[name]))
                    assert _scheme(attrs[name]) in ("", "http", "https", "tel", "mailto"), (path, tag, attrs[name])
    assert {"", "https", "tel", "mailto"} <= seen  # the walk saw real links of each kind
    page = (site / "cases/222208-okuyami-one-stop/index.html").read_text(encoding="utf-8")
    assert "資料ファイル（javascript:window.__pwned=&#39;file&#39;）" in page  # refused: shown as text
    assert "evil.example" not in "".join(re.findall(r'href="([^"]*)"', page))


def test_the_feed_is_well_formed_xml_with_hostile_titles(site):
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert any(t.startswith("INJECTIONMARK0 <script>") and "\ufffd\ufffd\ufffd" in t for t in titles)


PAGES = ["cases/222208-okuyami-one-stop/", "cases/142077-kakanai-madoguchi/", "", "areas/okuyami/",
         "areas/madoguchi/", "municipalities/222208/", "prefectures/shizuoka/", "status/unyou/", "tags/",
         "catalogue/", "catalogue/#q=INJECTIONMARK0", "search/#q=INJECTIONMARK", "search/#q=pwned",
         "search/#q=script", "data/"]


def test_no_injected_script_runs_on_any_page(site, browser):
    dialogs = []
    with http_server(site) as url:
        pages = PAGES + [p.relative_to(site).parent.as_posix() + "/"
                         for p in (site / "tags").glob("*/index.html")]
        for path in pages:
            page = browser.new_page(url)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(url + path)
            if path.startswith("search/"):
                page.wait_for_function(
                    "document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
                assert int(page.get_attribute("#dx-searchpage", "data-results")) >= 1, path
            page.wait_for_timeout(100)
            page.evaluate("""() => document.querySelectorAll('article *').forEach(el => {
                for (const type of ['mouseover', 'focus', 'click']) {
                    if (type === 'click' && el.tagName === 'A') continue;  // do not navigate away
                    el.dispatchEvent(new Event(type, {bubbles: true}));
                }
            })""")
            assert page.evaluate(f"window.{P}") is None, path
            if path.startswith("search/"):  # there the header box drives the results list
                continue
            # header suggestions render contributor text too
            page.locator("#dx-header-q").fill("")
            page.locator("#dx-header-q").type("INJECTIONMARK")
            page.wait_for_selector("#dx-suggest:not([hidden])")
            assert page.locator(".dx-suggest__list li").count() >= 1
            page.wait_for_timeout(100)
            assert page.evaluate(f"window.{P}") is None, path
            assert page.locator("script:not([src])", has_text=P).count() == 0
        assert dialogs == []


def test_the_canary_catches_a_planted_handler(site, browser):
    """The detector itself works: a page with a real handler sets the canary."""
    planted = site / "planted-injection.html"
    original = (site / "cases/222208-okuyami-one-stop/index.html").read_text(encoding="utf-8")
    planted.write_text(original.replace('<p class="dx-summary">',
                                        f'<img src="missing.png" alt="x" onerror="window.{P}=\'planted\'">'
                                        '<p class="dx-summary">', 1), encoding="utf-8")
    try:
        with http_server(site) as url:
            page = browser.new_page(url)
            page.goto(url + "planted-injection.html")
            page.wait_for_function(f"window.{P} !== undefined")
            assert page.evaluate(f"window.{P}") == "planted"
        parser = _Tags()
        parser.feed(planted.read_text(encoding="utf-8"))
        assert [(t, n) for t, a in parser.tags for n in a if n.startswith("on")] == [("img", "onerror")]
    finally:
        planted.unlink()
