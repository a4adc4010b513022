"""Search latency and bytes per kind of query, each query typed as the first one on a fresh page.

Every query of the judged set (tests/search_judged.py) and of the recall set
(tests/search_queries.py) is typed into the header box of a page opened
afresh (nothing cached), over HTTP and from file://, on a site of the judged
cases plus synthetic ones. Per kind of query it prints the median and the
largest time from the last keystroke to results on screen and the most
bytes a query loaded (HTTP only), against the budgets of issue 11.

With other work on the machine absolute times are noisy: each query is timed
--repeat times (best kept), and the median of a plain one-word query
(「窓口」) measured in the same run is printed beside them as the baseline.

    python tests/bench_search.py --size 10000 [--site /tmp/built-site [--against /tmp/earlier-site]] [--repeat 2]
                                 [--transport file]   (the offline copy's packed index is read from disk)
                                 [--routed]           (as measured before: requests routed through Playwright,
                                                       a connection per file)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LATENCY_BUDGET_MS = 150
FIRST_QUERY_BUDGET_KB = 400
BASELINE_QUERY = "窓口"


def build_site(size: int, workdir: Path) -> Path:
    import search_judged
    import sitebuild
    import synthetic
    cases = workdir / "cases"
    synthetic.generate(cases, size, seed=7)
    search_judged.write_cases(cases)
    result = sitebuild.build(cases, workdir / "site", directory_urls=False)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return workdir / "site"


def searched_as_typed(query: str) -> bool:
    """Whether the header box searches the query as you type: not one character that is not a
    kanji (の, ヶ), searched on Enter only (search-ui.js, lone)."""
    from generator.textnorm import has_kanji, normalize
    return not (len(normalize(query)) == 1 and not has_kanji(normalize(query)))


def kinds_and_queries() -> list[tuple[str, str]]:
    """The judged and recall queries, but those the header box does not search as you type."""
    import search_judged
    from search_queries import QUERIES
    pairs = [(kind, query) for kind, query, _ in search_judged.JUDGED]
    seen = {q for _, q in pairs}
    return pairs + [("recall set", q) for q in QUERIES if q not in seen and searched_as_typed(q)]


def open_counting(browser, site: Path, transport: str, url: str, routed: bool = False):
    """A fresh page of the site (over HTTP or from disk) with a header box, and the list the
    body sizes of its later HTTP responses go to (empty from file://). routed: every request
    through Playwright, as this bench measured before (--routed)."""
    page = browser.new_page(url if transport == "http" else "file://", intercept=routed)
    loaded: list[int] = []
    if transport == "http":
        page.on("requestfinished", lambda r: loaded.append(r.sizes()["responseBodySize"]))
        page.goto(url + "areas/index.html")
    else:
        page.goto((site / "areas/index.html").as_uri())
    page.wait_for_load_state("networkidle")
    loaded.clear()
    return page, loaded


def first_query(browser, site: Path, transport: str, query: str, url: str,
                routed: bool = False) -> tuple[float, int]:
    """(ms from the last keystroke to results on screen, bytes loaded for the query) on a fresh page."""
    page, loaded = open_counting(browser, site, transport, url, routed)
    box = page.locator("#dx-header-q")
    box.focus()
    page.wait_for_function("window.DXS !== undefined")
    page.evaluate("() => { window.__last = 0; document.getElementById('dx-header-q')"
                  ".addEventListener('input', () => { window.__last = performance.now(); }); }")
    page.keyboard.type(query)
    page.wait_for_function("q => window.DXS && window.DXS.timing && window.DXS.timing.query === q "
                           "&& window.DXS.timingEnd", arg=query, timeout=60_000)
    ms = page.evaluate("() => window.DXS.timingEnd - window.__last")
    page.wait_for_load_state("networkidle")
    if page.blocked:
        raise SystemExit(f"「{query}」 asked for something outside the site: {page.blocked[:3]}")
    total = sum(loaded)
    page.context.close()
    return ms, total


def measure(site: Path, repeat: int, transports=("http", "file"), routed: bool = False) -> list[list[str]]:
    from browser import Browser, http_server
    pairs = kinds_and_queries()
    browser = Browser()
    rows = []
    try:
        with http_server(site, keep_alive=not routed) as url:
            for transport in transports:
                per_kind: dict[str, list[tuple[float, int, str]]] = {}
                base = []
                for _ in range(max(3, repeat)):
                    base.append(first_query(browser, site, transport, BASELINE_QUERY, url, routed)[0])
                for kind, query in pairs:
                    runs = [first_query(browser, site, transport, query, url, routed) for _ in range(repeat)]
                    ms = min(r[0] for r in runs)
                    per_kind.setdefault(kind, []).append((ms, max(r[1] for r in runs), query))
                everything = [x for items in per_kind.values() for x in items]
                for kind, items in list(per_kind.items()) + [("all", everything)]:
                    slowest = max(items)
                    heaviest = max(items, key=lambda x: x[1])
                    rows.append([transport, kind, str(len(items)), f"{statistics.median(x[0] for x in items):.0f}",
                                 f"{slowest[0]:.0f} 「{slowest[2]}」",
                                 f"{heaviest[1] / 1024:.0f} 「{heaviest[2]}」" if transport == "http" else "",
                                 str(sum(1 for x in items if x[0] > LATENCY_BUDGET_MS)),
                                 str(sum(1 for x in items if x[1] > FIRST_QUERY_BUDGET_KB * 1024))])
                rows.append([transport, f"baseline 「{BASELINE_QUERY}」", str(len(base)),
                             f"{statistics.median(base):.0f}", f"{max(base):.0f}", "", "", ""])
    finally:
        browser.close()
    return rows


def compare(site: Path, other: Path, repeat: int, transports=("http", "file"), routed: bool = False) -> str:
    """Each query on this site and on another (an earlier build of the same corpus), one after
    the other, so the load of a shared machine falls on both alike: per kind, both sides'
    median and largest time and most bytes, and the ratios."""
    from bench import table
    from browser import Browser, http_server
    browser = Browser()
    rows = []
    try:
        with http_server(site, keep_alive=not routed) as url, http_server(other, keep_alive=not routed) as other_url:
            for transport in transports:
                per_kind: dict[str, list] = {}
                for kind, query in kinds_and_queries():
                    mine = [first_query(browser, site, transport, query, url, routed) for _ in range(repeat)]
                    theirs = [first_query(browser, other, transport, query, other_url, routed) for _ in range(repeat)]
                    per_kind.setdefault(kind, []).append(
                        (min(r[0] for r in mine), max(r[1] for r in mine),
                         min(r[0] for r in theirs), max(r[1] for r in theirs)))
                everything = [x for items in per_kind.values() for x in items]
                for kind, items in list(per_kind.items()) + [("all", everything)]:
                    med = [statistics.median(x[i] for x in items) for i in (0, 2)]
                    top = [max(x[i] for x in items) for i in (0, 1, 2, 3)]
                    kb = f"{top[1] / 1024:.0f} / {top[3] / 1024:.0f}" if transport == "http" else ""
                    slow = [sum(1 for x in items if x[i] > LATENCY_BUDGET_MS) for i in (0, 2)]
                    heavy = [sum(1 for x in items if x[i] > FIRST_QUERY_BUDGET_KB * 1024) for i in (1, 3)]
                    rows.append([transport, kind, str(len(items)), f"{med[0]:.0f} / {med[1]:.0f}",
                                 f"{med[0] / med[1]:.2f}", f"{top[0]:.0f} / {top[2]:.0f}", f"{top[0] / top[2]:.2f}", kb,
                                 f"{slow[0]} / {slow[1]}", f"{heavy[0]} / {heavy[1]}" if transport == "http" else ""])
    finally:
        browser.close()
    return table(f"search, this site / {other} (each query the first on a fresh page, the two sites in turn)",
                 ["transport", "kind", "queries", "median ms", "ratio", "max ms", "ratio", "max KB",
                  f"over {LATENCY_BUDGET_MS} ms", f"over {FIRST_QUERY_BUDGET_KB} KB"], rows)


def report(size: int, rows: list[list[str]]) -> str:
    from bench import table
    return (table(f"search at {size:,} cases: each query the first on a fresh page, typed in the header box",
                  ["transport", "kind", "queries", "median ms", "max ms", "max KB loaded",
                   f"over {LATENCY_BUDGET_MS} ms", f"over {FIRST_QUERY_BUDGET_KB} KB"], rows)
            + f"\nbudgets: results <= {LATENCY_BUDGET_MS} ms after the last keystroke (no typing pause: each "
              f"keystroke searches, one typed past stops), <= {FIRST_QUERY_BUDGET_KB} KB for a first query")


def bench_search_latency(sizes: list[int], workdir: Path, repeat: int = 1, routed: bool = False) -> str:
    out = []
    for size in sizes:
        folder = workdir / f"search-latency-{size}"
        out.append(report(size, measure(build_site(size, folder), repeat, routed=routed)))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="synthetic cases beside the judged ones")
    parser.add_argument("--site", type=Path, help="an already built site of that corpus (skips the build)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per query; the best time is kept")
    parser.add_argument("--against", type=Path, help="with --site: an earlier build of the same corpus to compare with")
    parser.add_argument("--transport", choices=["http", "file"], action="append",
                        help="only this transport (repeatable; default both), e.g. file for an offline copy")
    parser.add_argument("--routed", action="store_true",
                        help="measure as this bench did until 2026-11-30, for comparison: every request routed "
                             "through Playwright (a round trip to this process each) and a connection per file")
    args = parser.parse_args(argv)
    transports = tuple(args.transport or ("http", "file"))
    if args.site and args.against:
        print(compare(args.site, args.against, args.repeat, transports, args.routed))
        return 0
    if args.site:
        print(report(args.size, measure(args.site, args.repeat, transports, args.routed)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        print(bench_search_latency([args.size], Path(tmp), args.repeat, args.routed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
