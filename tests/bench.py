"""Benchmarks: `make bench` prints a table per measured target.

Synthetic corpora are generated into a temporary folder (never into cases/).
Timings are wall-clock seconds of the real command, best of --repeat runs.

    python tests/bench.py [--sizes 1000,10000] [--repeat 3] [--site-sizes 200,2000,10000]
                          [--search-sizes 2000,10000] [--judged-sizes 2000,10000] [--latency-sizes 2000,10000]
                          [--scale-sizes 2000,10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHECK_TARGET = (10_000, 5.0)  # 10,000 cases checked in under 5 s


def run_timed(command: list[str], repeat: int) -> tuple[float, subprocess.CompletedProcess]:
    best, last = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        last = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
    return best, last


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + " |"
    out = [f"\n{title}", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in rows])


def bench_check(sizes: list[int], repeat: int, workdir: Path) -> str:
    rows = []
    for size in sizes:
        root = workdir / f"check-{size}"
        synthetic.generate(root, size)
        seconds, result = run_timed([sys.executable, "-m", "generator", "check", str(root)], repeat)
        status = "ok" if result.returncode == 0 else f"exit {result.returncode}"
        target = ""
        if size == CHECK_TARGET[0]:
            target = f"< {CHECK_TARGET[1]:.0f} s: " + ("met" if seconds < CHECK_TARGET[1] else "MISSED")
        rows.append([f"{size:,}", f"{seconds:.2f}", f"{size / seconds:,.0f}", f"{seconds / size * 1000:.2f}",
                     status, target])
    return table(f"check (python -m generator check), {os.cpu_count()} cores, best of {repeat}",
                 ["cases", "seconds", "cases/s", "ms/case", "result", "target"], rows)


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_site(sizes: list[int], workdir: Path, search_sizes=(), search_rows=None) -> str:
    """Full build vs. the plain MkDocs build of the same generated docs tree."""
    import shutil

    import yaml

    import sitebuild
    rows = []
    times = {}
    search_rows = [] if search_rows is None else search_rows
    for size in sizes:
        base = workdir / f"site-{size}"
        cases = base / "cases"
        synthetic.generate(cases, size)
        config = sitebuild.write_config(base, cases, base / "site")
        seconds, result = run_timed([sys.executable, "-m", "generator", "build", "--config", str(config)], 1)
        if result.returncode != 0:
            rows.append([f"{size:,}", "failed", "", "", "", "", "", "", "", ""])
            continue
        site = base / "site"
        case_pages = list((site / "cases").glob("*/index.html"))
        largest = max(p.stat().st_size for p in case_pages)
        catalogue_kb = (site / "assets/dx/catalogue-data.js").stat().st_size / 1024
        home = (site / "index.html").read_text(encoding="utf-8")  # the inline map of Japan (geo_map.py)
        map_kb = len(re.search(r'<svg class="dx-geo".*?</svg>', home, re.S).group(0).encode("utf-8")) / 1024
        # the generator's pages written out, then MkDocs alone on them
        docs = base / "docs-out"
        gen_seconds, gen = run_timed([sys.executable, "-m", "generator", "build", "--docs-out", str(docs),
                                      "--root", str(cases)], 1)
        for page in (REPO / "docs").glob("*.md"):
            shutil.copy(page, docs / page.name)
        plain = yaml.safe_load(config.read_text(encoding="utf-8"))
        plain["docs_dir"] = str(docs)
        plain["site_dir"] = str(base / "plain-site")
        plain["plugins"] = []
        plain_config = base / "plain.yml"
        plain_config.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
        plain_seconds, plain_result = run_timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                                                 str(plain_config)], 1)
        overhead = (seconds - plain_seconds) / plain_seconds * 100 if plain_result.returncode == 0 else float("nan")
        times[size] = seconds
        rows.append([f"{size:,}", f"{seconds:.1f}", f"{seconds / size * 1000:.1f}", f"{_tree_size(site) / 2**20:.0f}",
                     f"{largest / 1024:.1f}", f"{catalogue_kb:,.0f}", f"{map_kb:,.0f}", f"{gen_seconds:.1f}", f"{plain_seconds:.1f}",
                     f"{overhead:+.0f} %"])
        if size in search_sizes:
            search_rows.extend(bench_search_site(size, base, docs, config))
        shutil.rmtree(base)
    out = table("site build (python -m generator build), one run each",
                ["cases", "build s", "ms/case", "site MB", "largest case page KB", "catalogue data KB",
                 "home map KB", "generator only s", "plain mkdocs s", "added by generator"], rows)
    notes = []
    if 2000 in times and 10000 in times:
        ratio = times[10000] / times[2000]
        notes.append(f"10,000 / 2,000 build time: {ratio:.1f} x (target <= 6 x: {'met' if ratio <= 6 else 'MISSED'})")
    largest_rows = [r for r in rows if r[0] == "10,000" and r[1] != "failed"]
    if largest_rows:
        kb = float(largest_rows[0][4])
        notes.append(f"largest case page at 10,000: {kb:.1f} KB (target <= 60 KB: {'met' if kb <= 60 else 'MISSED'})")
        added = float(largest_rows[0][9].split()[0])
        notes.append(f"added by the generator at 10,000: {added:+.0f} % (target <= 15 %: "
                     f"{'met' if added <= 15 else 'MISSED'})")
    return out + ("\n" + "\n".join(notes) if notes else "")


MATERIAL_QUERY_LIMIT = 20  # queries run through Material's search (it is slow to drive)
MATERIAL_MAX = 2000        # corpus sizes up to which Material's search is measured beside ours


def bench_search_site(size: int, base: Path, docs_out: Path, config: Path) -> list[list[str]]:
    """Our search on a built site (HTTP and file://), and Material's built-in search beside it."""
    import statistics

    from bench_search import searched_as_typed
    from browser import Browser, http_server
    from search_queries import QUERIES
    from test_browser_search import engine_results, reference

    site = base / "site"
    index_kb = _tree_size(site / "search") / 1024
    expected = {q: reference(site, q) for q in QUERIES}
    browser = Browser()
    rows = []
    try:
        for transport in ("http", "file"):
            with http_server(site) as url:
                start_url = (url + "areas/") if transport == "http" else (site / "areas/index.html").as_uri()
                page = browser.new_page(url if transport == "http" else "file://", intercept=False)
                sizes_loaded = []
                if transport == "http":
                    page.on("requestfinished", lambda r: sizes_loaded.append(
                        (r.url, r.sizes()["responseBodySize"])))
                page.goto(start_url)
                page.wait_for_load_state("networkidle")
                sizes_loaded.clear()
                timings, loaded = [], []
                # the first two queries are distinct words, for the bytes a first and a second query load;
                # timed as typed, so not those the box only searches on Enter (recall below has them all)
                for number, query in enumerate(["おくやみ", "書かない窓口"] + [
                        q for q in QUERIES if q not in ("おくやみ", "書かない窓口") and searched_as_typed(q)]):
                    box = page.locator("#dx-header-q")
                    box.fill("")
                    box.focus()
                    page.evaluate("() => { window.__last = 0; document.getElementById('dx-header-q')"
                                  ".addEventListener('input', () => { window.__last = performance.now(); }); }")
                    before = sum(size for _, size in sizes_loaded)
                    page.keyboard.type(query)
                    page.wait_for_function("q => window.DXS && window.DXS.timing && window.DXS.timing.query === q "
                                           "&& window.DXS.timingEnd", arg=query)
                    ms = page.evaluate("() => window.DXS.timingEnd - window.__last")
                    timings.append(ms)
                    if number < 2:
                        loaded.append(sum(size for _, size in sizes_loaded) - before)
                got = engine_results(page, QUERIES)
                recall = sum(len(set(got[q]) & set(expected[q])) for q in QUERIES) / max(
                    1, sum(len(expected[q]) for q in QUERIES))
                exact = sum(1 for q in QUERIES if got[q] == expected[q])
                first_kb = f"{loaded[0] / 1024:.0f}" if transport == "http" else "(same)"
                second_kb = f"{loaded[1] / 1024:.0f}" if transport == "http" else "(same)"
                rows.append([f"{size:,}", f"ours, {transport}", f"{recall * 100:.1f} %", f"{exact}/{len(QUERIES)}",
                             first_kb, second_kb, f"{statistics.median(timings):.0f}", f"{max(timings):.0f}",
                             f"{index_kb:,.0f}"])
        if size <= MATERIAL_MAX:
            rows.append(material_recall(size, base, docs_out, config, expected, browser))
    finally:
        browser.close()
    return rows


def material_recall(size, base, docs_out, config, expected, browser) -> list[str]:
    """Material's built-in search (lunr + TinySegmenter) on the same pages and queries."""
    import yaml

    from browser import http_server
    from search_queries import QUERIES
    material = yaml.safe_load(config.read_text(encoding="utf-8"))
    material["docs_dir"] = str(docs_out)
    material["site_dir"] = str(base / "material-site")
    material["plugins"] = [{"search": {"lang": "ja"}}]
    material_config = base / "material.yml"
    material_config.write_text(yaml.safe_dump(material, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(material_config)],
                            cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        return [f"{size:,}", "Material search", "build failed", "", "", "", "", "", ""]
    site = base / "material-site"
    meta = json.loads((base / "site/search/meta.js").read_text(encoding="utf-8")[len('DXS_LOAD("meta",'):-3])
    urls = {}
    for n in range(meta["docs"]):
        text = (base / f"site/search/d/{n}.js").read_text(encoding="utf-8")
        urls[n] = json.loads(text[text.index(",") + 1:-3])["u"]
    queries = QUERIES[:MATERIAL_QUERY_LIMIT]
    found_total = wanted_total = exact = 0
    with http_server(site) as url:
        page = browser.new_page(url)
        for query in queries:  # a fresh page each time: Material keeps no state between queries
            page.goto(url + "about/")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.fill("input.md-search__input", query)
            try:  # waits for Material's worker to build its index
                page.wait_for_function("document.querySelector('.md-search-result__meta') && "
                                       "!/入力|Type|Initializing|初期化/.test(document.querySelector("
                                       "'.md-search-result__meta').textContent)", timeout=120_000)
            except Exception:
                continue
            page.wait_for_timeout(300)
            for _ in range(400):  # results render in batches as the list scrolls
                more = page.evaluate("() => { const l = document.querySelector('.md-search__scrollwrap');"
                                     " const n = document.querySelectorAll('.md-search-result__item').length;"
                                     " if (l) l.scrollTop = l.scrollHeight; return n; }")
                page.wait_for_timeout(40)
                if page.evaluate("() => document.querySelectorAll('.md-search-result__item').length") == more:
                    break
            hrefs = page.evaluate("() => Array.from(document.querySelectorAll('.md-search-result__item > "
                                  "a.md-search-result__link')).map(a => a.getAttribute('href'))")
            pages = {re.sub(r"#.*$", "", re.sub(r"^https?://[^/]+/", "", h)) for h in hrefs}
            wanted = {urls[n] for n in expected[query]}
            found_total += len(pages & wanted)
            wanted_total += len(wanted)
            exact += pages & wanted == wanted
    recall = found_total / max(1, wanted_total)
    return [f"{size:,}", "Material, rendered results (lower bound)", f"{recall * 100:.1f} %", f"{exact}/{len(queries)}",
            "", "", "", "", f"{_tree_size(site / 'search') / 1024:,.0f}"]


RAW_MARKDOWN = """
import sys, time
sys.path.insert(0, {tests!r})
import pathological
from generator.site.markdown import BodyRenderer
renderer = BodyRenderer()
renderer.extension.sanitize.start(lambda name: name, "body-")
start = time.perf_counter()
try:
    renderer.md.convert(pathological.OVER_LIMITS[{name!r}])  # Markdown itself, no limits
    print(f"{{time.perf_counter() - start:.2f}} s")
except RecursionError:
    print("RecursionError")
"""


def bench_render(repeat: int, raw_timeout: float = 30.0) -> str:
    """Render time of one case body: a normal one, the costliest within check's limits,
    and pathological ones with the checker bypassed (the renderer refuses them), beside
    what Python-Markdown alone takes on them."""
    import pathological
    from generator.check import renderable
    from generator.site.markdown import BodyRenderer, RenderFailed

    renderer = BodyRenderer()

    def best(body: str) -> tuple[float, str]:
        times, outcome = [], "rendered"
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                renderer.render(body, lambda name: name)
            except RenderFailed:
                outcome = "refused: " + renderable.problems(body)[0].rule
            times.append(time.perf_counter() - start)
        return min(times), outcome

    rows = []
    bodies = [("normal case", pathological.NORMAL, False)]
    bodies += [(f"within limits: {name}", body, False) for name, body in pathological.WITHIN_LIMITS.items()]
    bodies += [(f"over limits: {name}", pathological.OVER_LIMITS[name], True)
               for name in ("[^ × 15,000", "- × 600 then x", "*** rule × 12,000 lines")]
    for label, body, raw in bodies:
        seconds, outcome = best(body)
        markdown_alone = ""
        if raw:
            try:
                done = subprocess.run([sys.executable, "-c", RAW_MARKDOWN.format(tests=str(Path(__file__).parent),
                                                                                 name=label.split(": ", 1)[1])],
                                      cwd=REPO, capture_output=True, text=True, timeout=raw_timeout)
                markdown_alone = done.stdout.strip() or done.stderr.strip()[-60:]
            except subprocess.TimeoutExpired:
                markdown_alone = f"> {raw_timeout:.0f} s"
        rows.append([label, f"{len(body):,}", f"{seconds * 1000:,.0f}", outcome, markdown_alone])
    return table("render of one case body (checker bypassed for the pathological ones)",
                 ["body", "chars", "ms", "renderer", "Python-Markdown alone"], rows) + \
        "\ntarget: any body that passes check renders in about a second or less"


def bench_judged(sizes: list[int], workdir: Path) -> str:
    """The judged relevance set (tests/search_judged.py) over its fictional cases plus
    synthetic ones, in Chromium over HTTP and file://: per kind of query, how many find
    every relevant case, put a right one first, or find nothing; and per size the time
    from the last keystroke in the header box to results on screen, and the bytes the
    first and the second query load."""
    import statistics

    import search_judged
    import sitebuild
    from bench_search import open_counting
    from browser import Browser, http_server
    from test_browser_search import engine_details

    queries = [q for _, q, _ in search_judged.JUDGED]
    kinds = list(dict.fromkeys(k for k, _, _ in search_judged.JUDGED))
    quality, speed = [], []
    browser = Browser()
    try:
        for size in sizes:
            base = workdir / f"judged-{size}"
            cases = base / "cases"
            synthetic.generate(cases, size, seed=7)
            search_judged.write_cases(cases)
            result = sitebuild.build(cases, base / "site", directory_urls=False)
            if result.returncode != 0:
                speed.append([f"{size:,}", "build failed", "", "", "", ""])
                continue
            site = base / "site"
            for transport in ("http", "file"):
                with http_server(site) as url:
                    page, loaded_bytes = open_counting(browser, site, transport, url)
                    timings, first_two = [], []
                    for number, query in enumerate(queries):
                        box = page.locator("#dx-header-q")
                        box.fill("")
                        box.focus()
                        page.evaluate("() => { window.__last = 0; document.getElementById('dx-header-q')"
                                      ".addEventListener('input', () => { window.__last = performance.now(); }); }")
                        before = sum(loaded_bytes)
                        page.keyboard.type(query)
                        page.wait_for_function("q => window.DXS && window.DXS.timing && window.DXS.timing.query === q"
                                               " && window.DXS.timingEnd", arg=query)
                        timings.append(page.evaluate("() => window.DXS.timingEnd - window.__last"))
                        if number < 2:
                            first_two.append(sum(loaded_bytes) - before)
                    got = engine_details(page, queries)
                ids = {q: [u.rstrip("/").split("/")[-1].removesuffix(".html") for u in got[q]["urls"]] for q in queries}
                verdict = search_judged.judge(ids)
                for kind in kinds + ["all"]:
                    mine = [q for k, q, _ in search_judged.JUDGED if kind in (k, "all")]
                    quality.append([f"{size:,}", transport, kind, str(len(mine)),
                                    str(sum(verdict[q][0] for q in mine)), str(sum(verdict[q][1] for q in mine)),
                                    str(sum(1 for q in mine if not ids[q]))])
                kb = [f"{b / 1024:.0f}" for b in first_two] if transport == "http" else ["(same)", "(same)"]
                speed.append([f"{size:,}", transport, kb[0], kb[1], f"{statistics.median(timings):.0f}",
                              f"{max(timings):.0f}"])
    finally:
        browser.close()
    return (table("judged relevance set (tests/search_judged.py) over its cases + synthetic ones, in Chromium",
                  ["cases", "transport", "kind", "queries", "all relevant found", "right case first",
                   "zero results"], quality)
            + table(f"judged queries typed in the header box: 1st query 「{queries[0]}」, 2nd 「{queries[1]}」",
                    ["cases", "transport", "KB 1st query", "KB 2nd query", "median ms", "max ms"], speed)
            + "\ntargets at 10,000: first results <= 150 ms after the last keystroke, <= 400 KB for a first query")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the case generator.")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for check (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown")
    parser.add_argument("--site-sizes", default="200,2000,10000",
                        help="corpus sizes for the site build (default 200,2000,10000; empty to skip)")
    parser.add_argument("--search-sizes", default="2000,10000",
                        help="site sizes also measured for search, in Chromium (default 2000,10000)")
    parser.add_argument("--scale-sizes", default="2000,10000",
                        help="sizes for peak memory, build time and offline zip (default 2000,10000; empty to skip)")
    parser.add_argument("--judged-sizes", default="2000,10000",
                        help="sizes for the judged relevance set of search (default 2000,10000; empty to skip)")
    parser.add_argument("--latency-sizes", default="2000,10000",
                        help="sizes for search latency and bytes per kind of query, each query the first on a "
                             "fresh page (tests/bench_search.py; default 2000,10000; empty to skip)")
    parser.add_argument("--search-zip-sizes", default="",
                        help="sizes for the search index's share of the offline zip, hosted layout against "
                             "packed (tests/bench_search_zip.py; default none: it builds a site of that size)")
    parser.add_argument("--preview-sizes", default="2000",
                        help="sizes for make serve's save → changed page, beside a full build (default 2000; "
                             "empty to skip)")
    parser.add_argument("--suite", action="store_true",
                        help="also time the whole test suite in one process and in make test's workers "
                             "(tests/bench_suite.py; several minutes a run)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    site_sizes = [int(s) for s in args.site_sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(bench_check(sizes, args.repeat, Path(tmp)), flush=True)
        print(bench_render(args.repeat), flush=True)
        search_sizes = [int(s) for s in args.search_sizes.split(",") if s]
        search_rows: list = []
        if site_sizes:
            print(bench_site(site_sizes, Path(tmp), search_sizes, search_rows), flush=True)
        if search_rows:
            print(table("search (queries of tests/search_queries.py; header box, typed in Chromium)",
                        ["cases", "engine", "recall", "exact queries", "KB 1st query", "KB 2nd query",
                         "median ms", "max ms", "index KB"], search_rows))
            print("targets at 10,000: first results <= 150 ms, <= 400 KB for a first query, recall 100 %")
        scale_sizes = [int(s) for s in args.scale_sizes.split(",") if s]
        if scale_sizes:  # peak memory, build time against plain MkDocs, offline zip (bench_scale.py)
            import bench_scale
            print(bench_scale.bench_scale(scale_sizes, 1, Path(tmp)), flush=True)
        judged_sizes = [int(s) for s in args.judged_sizes.split(",") if s]
        if judged_sizes:
            print(bench_judged(judged_sizes, Path(tmp)), flush=True)
        latency_sizes = [int(s) for s in args.latency_sizes.split(",") if s]
        if latency_sizes:
            import bench_search
            print(bench_search.bench_search_latency(latency_sizes, Path(tmp)), flush=True)
        search_zip_sizes = [int(s) for s in args.search_zip_sizes.split(",") if s]
        if search_zip_sizes:
            import bench_search_zip
            print(bench_search_zip.bench_search_zip(search_zip_sizes, Path(tmp)), flush=True)
        preview_sizes = [int(s) for s in args.preview_sizes.split(",") if s]
        if preview_sizes:  # incremental preview in a real `mkdocs serve --dirty` (bench_preview.py)
            import bench_preview
            print(bench_preview.bench_preview(preview_sizes, Path(tmp)), flush=True)
    if args.suite:  # make test under 5 minutes on 2 cores (bench_suite.py)
        import bench_suite
        print(bench_suite.bench_suite([], 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
