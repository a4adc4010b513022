"""Building a real site from a temporary cases root, for integration and browser tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def write_config(folder: Path, cases_root: Path, site_dir: Path, directory_urls: bool = True) -> Path:
    """A copy of the project's mkdocs.yml pointed at another cases root and output."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / "docs")
    config["site_dir"] = str(site_dir)
    config["use_directory_urls"] = directory_urls
    config["theme"]["custom_dir"] = str(REPO / "theme")
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "jichitai-dx" in plugin:
            plugin["jichitai-dx"]["cases_dir"] = str(cases_root)
            plugin["jichitai-dx"]["accessibility_results"] = str(REPO / "docs/accessibility-results.json")
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(cases_root: Path, site_dir: Path, directory_urls: bool = True, env=None) -> subprocess.CompletedProcess:
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    config = write_config(site_dir.parent, cases_root, site_dir, directory_urls)
    return subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config)],
                          cwd=REPO, capture_output=True, text=True, env=env)


def fixture_site(base: Path, synthetic_cases: int, seed: int, directory_urls: bool = True) -> Path:
    """A built site of synthetic cases plus the two fixture cases (the reverse
    inspired-by link, a stale record, a resource file) in `base`."""
    import synthetic
    from conftest import CasesRoot
    synthetic.generate(base / "cases", synthetic_cases, seed=seed)
    cases = CasesRoot(base / "cases")
    cases.make_stale()
    result = build(cases.path, base / "site", directory_urls=directory_urls)
    assert result.returncode == 0, result.stderr
    return base / "site"


def broken_links(site: Path) -> tuple[list[str], int]:
    """(`page: url` of every relative href/src that leads to no file, or to no element of
    a page with its `#fragment`, links checked) in a built site. The offline copy's
    grouped pages hold many cases, so a case link is right only if its fragment is."""
    import html
    import re
    from urllib.parse import unquote, urlsplit
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            text = page.read_text(encoding="utf-8")
            ids[page] = {html.unescape(i) for i in re.findall(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"', text)}
        return ids[page]

    broken, checked = [], 0
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served for any path, so the engine links it from the root
            continue
        for url in re.findall(r'\b(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            url = html.unescape(url)
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or not (parts.path or parts.fragment):
                continue
            checked += 1
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {url}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids_of(target):
                broken.append(f"{page.relative_to(site)}: {url} (no id)")
    return broken, checked


def offline_case(copy: Path, case_id: str) -> str:
    """The file:// URL of a case in an unpacked offline copy: the file of its group at the
    case's anchor, as the copy's own data (data/cases.json) names it."""
    import json
    records = json.loads((copy / "data/cases.json").read_text(encoding="utf-8"))["cases"]
    path, _, fragment = next(r["url"] for r in records if r["id"] == case_id).partition("#")
    return f"{(copy / path).as_uri()}#{fragment}"


def bypass_checker(monkeypatch, checked, collection) -> None:
    """Make every build in this test render `collection` as given, skipping the checker:
    the safety tests plant what `check` would refuse, to show the renderer alone is safe."""
    from generator import pipeline
    from generator.site.pages import SiteOptions, build_site

    def run(root, options=None, preview=None):  # a bypassed build renders everything: no preview memory
        tree, timings = build_site(collection, checked.areas, options or SiteOptions(), root)
        return pipeline.PipelineResult(checked, collection, tree, timings)

    monkeypatch.setattr(pipeline, "run", run)
