"""Wall time of the test suite in one process against `make test`'s parallel workers.

`make test` must stay under 5 minutes on 2 cores. Whether parallel workers help
depends on how much of a run waits (on Chromium, on build subprocesses) rather
than computes, so this runs the same tests both ways, alternately, `--repeat`
times, and prints the wall and CPU seconds of each run, the load average around
it (other work on the machine inflates the seconds: compare the ratio, and
repeat on a quiet machine), and the slowest tests of the last parallel run.

    python tests/bench_suite.py [--repeat N] [--workers "-n auto --dist loadfile"] [pytest args…]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKERS = "-n auto --dist loadfile"  # as the Makefile's TEST_WORKERS


def run(args: list[str]) -> tuple[float, float, str, str]:
    """(wall seconds, CPU seconds of pytest and everything it started, load before → after, output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=10", *args],
                          cwd=REPO, capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, f"{load:.1f} → {os.getloadavg()[0]:.1f}", proc.stdout


def bench_suite(pytest_args: list[str], repeat: int, workers: str = WORKERS) -> str:
    modes = [("one process", []), (f"workers ({workers})", shlex.split(workers))]
    rows, walls, last = [], {name: [] for name, _ in modes}, ""
    for n in range(repeat):
        for name, extra in modes:
            wall, cpu, load, out = run(extra + pytest_args)
            walls[name].append(wall)
            summary = out.strip().splitlines()[-1] if out.strip() else "(no output)"
            rows.append(f"  {n + 1}  {name:<40} {wall:7.1f} s wall {cpu:7.1f} s CPU  load {load:<12} {summary}")
            last = out
    one, many = (min(walls[name]) for name, _ in modes)
    slowest = re.search(r"=+ slowest 10 durations =+\n(.*?)\n(?:=|\Z)", last, re.S)
    return "\n".join(["test suite: one process against parallel workers", *rows,
                      f"best of {repeat}: {one:.1f} s → {many:.1f} s (× {many / one:.2f}); target: under 300 s on 2 cores",
                      "slowest tests of the last parallel run:", slowest.group(1) if slowest else "  (none)"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="alternating runs of each mode (default 1)")
    parser.add_argument("--workers", default=WORKERS, help=f"pytest-xdist options (default {WORKERS!r})")
    args, pytest_args = parser.parse_known_args(argv)
    print(bench_suite(pytest_args, args.repeat, args.workers), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
