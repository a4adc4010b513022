"""Benchmarks: `make bench` prints a table per measured target.

Synthetic corpora are generated into a temporary folder (never into cases/).
Timings are wall-clock seconds of the real command, best of --repeat runs.

    python tests/bench.py [--sizes 1000,10000] [--repeat 3] [--site-sizes 200,2000,10000]
"""

from __future__ import annotations

import argparse
import os
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


def bench_site(sizes: list[int], workdir: Path) -> str:
    """Full build vs. the plain MkDocs build of the same generated docs tree."""
    import shutil

    import yaml

    import sitebuild
    rows = []
    times = {}
    for size in sizes:
        base = workdir / f"site-{size}"
        cases = base / "cases"
        synthetic.generate(cases, size)
        config = sitebuild.write_config(base, cases, base / "site")
        seconds, result = run_timed([sys.executable, "-m", "generator", "build", "--config", str(config)], 1)
        if result.returncode != 0:
            rows.append([f"{size:,}", "failed", "", "", "", "", "", "", ""])
            continue
        site = base / "site"
        case_pages = list((site / "cases").glob("*/index.html"))
        largest = max(p.stat().st_size for p in case_pages)
        catalogue_kb = (site / "assets/dx/catalogue-data.js").stat().st_size / 1024
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
                     f"{largest / 1024:.1f}", f"{catalogue_kb:,.0f}", f"{gen_seconds:.1f}", f"{plain_seconds:.1f}",
                     f"{overhead:+.0f} %"])
        shutil.rmtree(base)
    out = table("site build (python -m generator build), one run each",
                ["cases", "build s", "ms/case", "site MB", "largest case page KB", "catalogue data KB",
                 "generator only s", "plain mkdocs s", "added by generator"], rows)
    notes = []
    if 2000 in times and 10000 in times:
        ratio = times[10000] / times[2000]
        notes.append(f"10,000 / 2,000 build time: {ratio:.1f} x (target <= 6 x: {'met' if ratio <= 6 else 'MISSED'})")
    largest_rows = [r for r in rows if r[0] == "10,000" and r[1] != "failed"]
    if largest_rows:
        kb = float(largest_rows[0][4])
        notes.append(f"largest case page at 10,000: {kb:.1f} KB (target <= 60 KB: {'met' if kb <= 60 else 'MISSED'})")
        added = float(largest_rows[0][8].split()[0])
        notes.append(f"added by the generator at 10,000: {added:+.0f} % (target <= 15 %: "
                     f"{'met' if added <= 15 else 'MISSED'})")
    return out + ("\n" + "\n".join(notes) if notes else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the case generator.")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for check (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown")
    parser.add_argument("--site-sizes", default="200,2000,10000",
                        help="corpus sizes for the site build (default 200,2000,10000; empty to skip)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    site_sizes = [int(s) for s in args.site_sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(bench_check(sizes, args.repeat, Path(tmp)), flush=True)
        if site_sizes:
            print(bench_site(site_sizes, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
