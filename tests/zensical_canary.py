"""Zensical canary (`make zensical-canary`): can the successor engine build this site yet?

A developer tool, apart from the pipeline, and never a gate: it always exits 0
unless it is called wrongly. In a venv of its own it installs the newest
Zensical that installs (newest first, then down the versions), then:

1. builds the project's mkdocs.yml as it is (does Zensical run our plugin, i.e.
   project code?),
2. builds the docs tree (`build --docs-out`) with a generated config (search
   off, the classic variant), once with site-relative links and once with
   source-relative ones (`--source-relative-links`),
3. checks the relative links, that every case page exists, that theme/ was
   applied, that titles arrive escaped, and runs axe (WCAG 2.1 A/AA) on three
   page kinds,

and prints a table of what works and what does not, so the day to move is a
measured decision (README: "Site engines").
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
from sitebuild import broken_links  # noqa: E402

PACKAGE = "zensical"
# Three page kinds for axe: home, a case, a listing (docs path → site path).
AXE_PAGES = (("ホーム", ""), ("事例", None), ("分野別の一覧", "areas/"))
# A title that must come out as written, planted in the cases of this run: what `check`
# lets through (no tags) but HTML must escape.
PLANTED = "題名 & 記号 1<2"


def run(command: list[str], timeout: int, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, 124, "", f"{timeout} 秒で打ち切りました")


def versions(python: Path) -> list[str]:
    """Zensical's versions on the registry, newest first (pip's own listing)."""
    proc = run([str(python), "-m", "pip", "index", "versions", PACKAGE], 120)
    found = re.search(r"Available versions: (.+)", proc.stdout)
    return [v.strip() for v in found.group(1).split(",")] if found else []


def install(venv: Path, tries: int) -> tuple[str | None, dict[str, list[str]]]:
    """(the version installed, the versions that would not install by pip's reason)."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    failed: dict[str, list[str]] = {}
    for version in versions(python)[:tries]:
        proc = run([str(python), "-m", "pip", "install", "--quiet", "--only-binary", ":all:",
                    f"{PACKAGE}=={version}"], 600)
        if proc.returncode == 0:
            return version, failed
        reasons = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
        reason = reasons[-1].removeprefix("ERROR: ") if reasons else f"exit {proc.returncode}"
        failed.setdefault(re.sub(r"==[\w.]+", "", reason)[:70], []).append(version)
    return None, failed


def docs_tree(cases: Path, out: Path, source_relative: bool) -> tuple[bool, str]:
    command = [sys.executable, "-m", "generator", "build", "--docs-out", str(out), "--root", str(cases)]
    proc = run(command + (["--source-relative-links"] if source_relative else []), 600, cwd=REPO)
    return proc.returncode == 0, proc.stderr[-500:]


def config_for(project: Path) -> Path:
    """The project's mkdocs.yml for a plain docs folder: no plugins, search off, classic look."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir="docs", site_dir="site", plugins={"search": {"enabled": False}})
    config.pop("validation", None)
    config["theme"].update(custom_dir="theme", variant="classic")
    shutil.copytree(REPO / "theme", project / "theme", dirs_exist_ok=True)
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def zensical_build(venv: Path, project: Path, config: Path) -> tuple[int, float, str]:
    shutil.rmtree(project / "site", ignore_errors=True)
    start = time.perf_counter()
    proc = run([str(venv / "bin" / "zensical"), "build", "--clean", "--config-file", str(config)], 900,
               cwd=project, env={**os.environ, "NO_COLOR": "1"})
    last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
    return proc.returncode, time.perf_counter() - start, last[-1][:100] if last else ""


def case_pages(docs: Path) -> list[str]:
    """Site paths of the case pages in a docs tree (directory URLs)."""
    return [f"cases/{p.stem}/" for p in sorted((docs / "cases").glob("*.md")) if p.name != "index.md"]


def axe_results(site: Path, paths: list[tuple[str, str]]) -> dict[str, str]:
    from browser import Browser, http_server
    from test_accessibility import axe
    found = {}
    browser = Browser()
    try:
        with http_server(site) as url:
            for name, path in paths:
                page = browser.new_page(url)
                page.goto(url + path)
                page.wait_for_load_state("load")
                violations = axe(page)
                found[name] = "違反なし" if not violations else ", ".join(
                    f"{v['id']} ({v['nodes'][0] if v['nodes'] else ''})" for v in violations)
                page.context.close()
    finally:
        browser.close()
    return found


def plant_title(cases: Path, work: Path) -> Path:
    """A copy of the cases with one title that holds markup, to see it printed as text."""
    copy = work / "cases"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(cases, copy)
    first = sorted(p for p in copy.glob("*/*.md"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"(?m)^title: .*$", "title: " + json.dumps(PLANTED, ensure_ascii=False), text, count=1),
                     encoding="utf-8")
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=REPO / "cases", help="cases root (default: cases/)")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "zensical-canary",
                        help="scratch folder, kept for the next run (default: build/zensical-canary)")
    parser.add_argument("--tries", type=int, default=8, help="versions to try, newest first (default: 8)")
    parser.add_argument("--no-axe", action="store_true", help="skip the browser checks")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str]] = []

    def row(check: str, ok: bool | None, detail: str) -> None:
        rows.append((check, {True: "○", False: "×", None: "−"}[ok], detail))

    version, failed = install(args.work / "venv", args.tries)
    row("インストール / install", version is not None,
        (f"zensical {version}" if version else "どの版も入りませんでした")
        + "".join(f"; {', '.join(vs)} は入りません（{reason}）" for reason, vs in failed.items()))
    if version is None:
        print_table(rows)
        print("Zensical を入れられなかったため、カナリアはここまでです（失敗ではありません）。")
        return 0
    venv = args.work / "venv"
    cases = plant_title(args.cases, args.work)

    # 1. The project as it is: our plugin is project code.
    project = args.work / "as-is"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    as_is = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    as_is.update(docs_dir="docs", site_dir="site")  # Zensical wants both inside the project folder
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "theme", project / "theme")
    as_is["theme"]["custom_dir"] = "theme"
    as_is["plugins"][0]["jichitai-dx"].update(cases_dir=str(cases), dist_dir=str(project / "dist"))
    (project / "mkdocs.yml").write_text(yaml.safe_dump(as_is, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, seconds, last = zensical_build(venv, project, project / "mkdocs.yml")
    built = len(list((project / "site").rglob("index.html"))) if (project / "site").is_dir() else 0
    expected_docs = args.work / "docs-site"
    ok, message = docs_tree(cases, expected_docs, False)
    expected = sum(1 for _ in expected_docs.rglob("*.md")) if ok else 0
    row("mkdocs.yml のまま（プラグインを実行）/ project plugin runs", code == 0 and built >= expected > 0,
        f"exit {code}, ページ {built} 枚（MkDocs では {expected} 枚）{'; ' + last if code else ''}")

    # 2, 3. The docs tree, with each kind of links.
    for label, source_relative in (("サイト相対リンク / site-relative links", False),
                                   ("元ファイル相対リンク / source-relative links", True)):
        project = args.work / ("source-links" if source_relative else "site-links")
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        ok, message = docs_tree(cases, project / "docs", source_relative)
        if not ok:
            row(f"docs ツリー / docs tree ({label})", False, message.strip().splitlines()[-1][:100])
            continue
        code, seconds, last = zensical_build(venv, project, config_for(project))
        site = project / "site"
        row(f"ビルド / build ({label})", code == 0, f"exit {code}, {seconds:.1f} 秒" + (f"; {last}" if code else ""))
        if not site.is_dir():
            continue
        broken, checked = broken_links(site)
        row(f"リンク / links ({label})", not broken and checked > 0,
            f"壊れたリンク {len(broken)} / {checked} ({100 * len(broken) / max(checked, 1):.1f} %)"
            + (f"; 例 {broken[0]}" if broken else ""))
        if source_relative:
            continue
        wanted = case_pages(project / "docs")
        missing = [p for p in wanted if not (site / p / "index.html").is_file()]
        row("事例ページ / every case page", bool(wanted) and not missing,
            f"{len(wanted) - len(missing)} / {len(wanted)}" + (f"; 例 {missing[0]}" if missing else ""))
        home = (site / "index.html").read_text(encoding="utf-8") if (site / "index.html").is_file() else ""
        row("theme/ の上書き / theme overrides", 'class="dx-searchbar"' in home, "検索窓（theme/main.html）")
        escaped = html.escape(PLANTED)
        pages = [p.read_text(encoding="utf-8") for p in site.glob("cases/*/index.html")]
        raw = any(PLANTED in page for page in pages)
        twice = any(html.escape(escaped) in page for page in pages)
        row("題名のエスケープ / titles escaped", not raw and not twice and any(escaped in page for page in pages),
            "エスケープされずに出ています" if raw else "二重にエスケープされています" if twice
            else f"{escaped} として出ています")
        if args.no_axe:
            row("axe (WCAG 2.1 A/AA)", None, "--no-axe")
            continue
        case = wanted[1] if len(wanted) > 1 else (wanted[0] if wanted else "")
        try:
            results = axe_results(site, [(name, path if path is not None else case) for name, path in AXE_PAGES])
        except Exception as exc:  # a canary reports, it does not fail  # noqa: BLE001
            row("axe (WCAG 2.1 A/AA)", None, f"ブラウザで確かめられません: {str(exc).splitlines()[0][:80]}")
            continue
        for name, outcome in results.items():
            row(f"axe: {name}", outcome == "違反なし", outcome)
    print_table(rows)
    return 0


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\nZensical カナリア / canary ({time.strftime('%Y-%m-%d')})")
    for check, mark, detail in rows:
        print(f"  {mark}  {check.ljust(width)}  {detail}")
    works = sum(1 for r in rows if r[1] == "○")
    print(f"  ○ {works} / {len(rows)}（○ 動く、× 動かない、− 確かめていない）")


if __name__ == "__main__":
    sys.exit(main())
