"""Scale benchmark (issue 15): peak memory and time of `generator build` beside plain
MkDocs on the same pages, and the size of the offline zip beside the hosted site.

Every number comes from real commands on a synthetic corpus, measured in the same run,
so the ratios hold even on a busy machine (absolute seconds do not: compare ratios).

    python tests/bench_scale.py [--sizes 2000,10000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RSS_TARGET = (10_000, 1024)       # MiB of peak RSS of `build` at 10,000 cases
ZIP_TARGET = (10_000, 50.0)       # MiB of the offline zip at 10,000 cases
TIME_TARGET = (10_000, 0.85)      # build time / plain MkDocs time at 10,000 cases


SAMPLE_EVERY = 0.05  # seconds between two readings of the process tree's memory


def _tree(pid: int) -> list[int]:
    """The process and its descendants (a build may fork workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _pss_kib(pids: list[int]) -> int:
    """Proportional set size of the processes together: pages shared by forked workers
    count once, unlike a sum of their RSS."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def run_peak(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess, float]:
    """(seconds, peak memory in MiB, result, CPU seconds) of one command. The CPU seconds are
    user + system of the command and every process it forked (wait4 counts the children it
    waited for): less noisy than the seconds on a shared machine. The peak is the larger of the
    largest process's own peak RSS (wait4) and the highest PSS of its process tree,
    sampled every SAMPLE_EVERY seconds (workers the build forks count too)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err, text=True)
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _pss_kib(_tree(child.pid)))
            time.sleep(SAMPLE_EVERY)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, child.returncode, out.read(), err.read())
    return seconds, max(usage.ru_maxrss, tree_peak) / 1024, result, usage.ru_utime + usage.ru_stime


def tree_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def zip_breakdown(path: Path, top: int = 4) -> str:
    """The biggest parts of the zip (compressed bytes and entries), for where to look next."""
    parts: dict[str, list[int]] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            names = info.filename.split("/")[1:]
            key = "/".join(names[:2]) if names[0] == "search" and len(names) > 2 else names[0]
            entry = parts.setdefault(key if len(names) > 1 else "(top)", [0, 0])
            entry[0] += info.compress_size + 76 + 2 * len(info.filename.encode())  # headers included
            entry[1] += 1
    biggest = sorted(parts.items(), key=lambda kv: -kv[1][0])[:top]
    return ", ".join(f"{name} {size / 2**20:.1f} ({count:,})" for name, (size, count) in biggest)


def bench_scale(sizes: list[int], repeat: int, workdir: Path) -> str:
    import yaml

    import sitebuild
    from bench import table
    rows, notes = [], []
    for size in sizes:
        base = workdir / f"scale-{size}"
        cases = base / "cases"
        synthetic.generate(cases, size)
        config = sitebuild.write_config(base, cases, base / "site")
        docs = base / "docs-out"
        gen = subprocess.run([sys.executable, "-m", "generator", "build", "--docs-out", str(docs), "--root", str(cases)],
                             cwd=REPO, capture_output=True, text=True)
        if gen.returncode != 0:
            rows.append([f"{size:,}", "docs-out failed"] + [""] * 11)
            continue
        for page in (REPO / "docs").glob("*.md"):
            shutil.copy(page, docs / page.name)
        plain = yaml.safe_load(config.read_text(encoding="utf-8"))
        plain.update(docs_dir=str(docs), site_dir=str(base / "plain-site"), plugins=[])
        plain_config = base / "plain.yml"
        plain_config.write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
        build_runs, plain_runs = [], []
        for _ in range(repeat):  # alternated, so both see the same load on a shared machine
            build_runs.append(run_peak([sys.executable, "-m", "generator", "build", "--config", str(config)]))
            plain_runs.append(run_peak([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain_config)]))
        failed = next((r for _, _, r, _ in build_runs + plain_runs if r.returncode != 0), None)
        if failed is not None:
            rows.append([f"{size:,}", "failed: " + " ".join(failed.args[-4:])] + [""] * 11)
            continue
        build_s, build_mib = min(s for s, _, _, _ in build_runs), max(m for _, m, _, _ in build_runs)
        plain_s, plain_mib = min(s for s, _, _, _ in plain_runs), max(m for _, m, _, _ in plain_runs)
        build_cpu, plain_cpu = min(c for *_, c in build_runs), min(c for *_, c in plain_runs)
        hosted = tree_mib(base / "site")
        export_s, export_mib, exported, _ = run_peak([sys.executable, "-m", "generator", "export", "--config", str(config),
                                                   "--out", str(base / "dist")])
        archive = next((base / "dist").glob("*.zip"), None) if exported.returncode == 0 else None
        zip_mib = archive.stat().st_size / 2**20 if archive else float("nan")
        rows.append([f"{size:,}", f"{build_mib:,.0f}", f"{plain_mib:,.0f}", f"{build_mib / plain_mib:.2f}",
                     f"{build_s:.1f}", f"{plain_s:.1f}", f"{build_s / plain_s:.2f}", f"{build_cpu:.1f}",
                     f"{plain_cpu:.1f}", f"{build_cpu / plain_cpu:.2f}", f"{export_mib:,.0f}",
                     f"{zip_mib:.1f}", f"{hosted:.0f}"])
        if archive:
            notes.append(f"zip at {size:,}, MiB (entries): {zip_breakdown(archive)}")
        if size == RSS_TARGET[0]:
            notes.append(f"peak RSS of build at {size:,}: {build_mib:,.0f} MiB (target <= {RSS_TARGET[1]:,} MiB: "
                         f"{'met' if build_mib <= RSS_TARGET[1] else 'MISSED'})")
        if size == TIME_TARGET[0]:
            ratio = build_s / plain_s
            notes.append(f"build / plain MkDocs at {size:,}: {ratio:.2f} x (target <= {TIME_TARGET[1]} x: "
                         f"{'met' if ratio <= TIME_TARGET[1] else 'MISSED'})")
        if size == ZIP_TARGET[0]:
            notes.append(f"offline zip at {size:,}: {zip_mib:.1f} MiB, hosted site {hosted:.0f} MiB (target <= "
                         f"{ZIP_TARGET[1]:.0f} MiB: {'met' if zip_mib <= ZIP_TARGET[1] else 'MISSED'})")
        shutil.rmtree(base)
    return (table(f"scale: peak memory, time and offline zip ({os.cpu_count()} cores, best time / highest peak "
                  f"of {repeat})",
                  ["cases", "build MiB", "plain MiB", "RSS ratio", "build s", "plain s", "time ratio",
                   "build CPU s", "plain CPU s", "CPU ratio", "export MiB", "zip MiB", "hosted MiB"], rows)
            + ("\n" + "\n".join(notes) if notes else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Peak memory, build time and offline zip size at scale.")
    parser.add_argument("--sizes", default="2000,10000", help="corpus sizes (default 2000,10000)")
    parser.add_argument("--repeat", type=int, default=1, help="build and plain runs per size (best time, highest peak)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        print(bench_scale([int(s) for s in args.sizes.split(",") if s], args.repeat, Path(tmp)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
