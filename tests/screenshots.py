"""`make screenshots`: PNG screenshots of every page kind at the four widths
the issue was reported at, for a person to review layout changes.

Builds the bundled cases into a temporary folder (the real `site/` is left
alone), serves it on 127.0.0.1 and writes `screenshots/<width>-<kind>.png`.
A review aid only: nothing here is part of the build pipeline.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser, http_server  # noqa: E402
from sitebuild import REPO, build  # noqa: E402

WIDTHS = {390: 844, 768: 1024, 1093: 615, 1366: 768}  # 1093×615 is 1366×768 at 125 % zoom
# (kind, path or None, how to find the path on another page when None)
PAGES = [
    ("home", "", None),
    ("catalogue", "catalogue/", None),
    ("search", "search/#q=窓口", None),
    ("case", None, ("catalogue/", "#dx-cards .dx-card__title a")),
    ("prefecture", None, ("prefectures/", ".dx-link-list a")),
    ("municipality", None, ("municipalities/", ".dx-link-list a")),
    ("area-index", "areas/", None),
    ("area", None, ("areas/", ".dx-link-list a")),
    ("status", "status/unyou/", None),
    ("tag", None, ("tags/", ".dx-link-list a")),
    ("data", "data/", None),
    ("about", "about/", None),
]


def discover(page, url: str, source: str, selector: str) -> str:
    page.goto(url + source)
    page.wait_for_selector(selector)
    return page.locator(selector).first.evaluate("a => a.href")


def japanese_font_missing() -> bool:
    """Without a Japanese font Chromium draws every kana and kanji as a box: say so up front."""
    if not shutil.which("fc-list"):
        return False
    listing = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True)
    return listing.returncode == 0 and not listing.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description="Screenshots of each page kind at 390, 768, 1093 and 1366 px.")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--cases", type=Path, default=REPO / "cases")
    parser.add_argument("--drawer", action="store_true",
                        help="also capture the open menu of every page below 1220 px (always done for home)")
    args = parser.parse_args()
    if japanese_font_missing():
        print("日本語のフォントがないため、文字が □ で表示されます（例: apt-get install fonts-ipafont-gothic）。"
              " / No Japanese font: text will show as boxes.", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dx-shots-") as tmp:
        site = Path(tmp) / "site"
        result = build(args.cases, site)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            return 1
        browser = Browser()
        try:
            with http_server(site) as url:
                page = browser.new_page(url)
                targets = []
                for kind, path, how in PAGES:
                    targets.append((kind, url + path if path is not None else discover(page, url, *how)))
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    for kind, target in targets:
                        page.goto(target)
                        page.wait_for_load_state("load")
                        if kind == "search":
                            page.wait_for_function(
                                "document.getElementById('dx-searchpage').getAttribute('data-results') !== null")
                        page.wait_for_timeout(150)
                        shot = args.out / f"{width}-{kind}.png"
                        page.screenshot(path=str(shot), full_page=False)
                        if width < 1220 and (args.drawer or kind == "home"):
                            page.locator("label.md-header__button[for='__drawer']").click()
                            page.wait_for_timeout(400)
                            page.screenshot(path=str(args.out / f"{width}-{kind}-menu.png"))
                    print(f"{width} px: {len(targets)} pages")
        finally:
            browser.close()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
