"""Benchmarks: `make bench` prints a table per measured target.

Synthetic corpora are generated into a temporary folder (never into cases/).
Timings are wall-clock seconds of the real command, best of --repeat runs.

    python tests/bench.py [--sizes 1000,10000] [--repeat 3]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the case generator.")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for check (default 1000,10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        print(bench_check(sizes, args.repeat, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
