"""Benchmark of the preview (`make serve`): save a case → its new page is served.

Drives a real `mkdocs serve --dirty` (what `make serve` runs) on a synthetic
corpus, saves an edit to one case and polls the case page over HTTP until the
edit is in it; then polls the open data file (computed after the pages, see
generator/incremental.py) until it holds the edit too. Beside it, in the same
run, the full build of the same corpus (`generator build`), so the ratio
holds on a loaded machine where the absolute times do not.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import synthetic

REPO = Path(__file__).resolve().parent.parent
TARGET = 2.0  # seconds from save to the changed page, at 2,000 cases
ISSUE_FULL = 16.0  # seconds a save took before (issue 15: 15–17 s at 2,000 cases, 2 idle cores)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, text: str, timeout: float, every: float = 0.02) -> float | None:
    """When `text` is first served at `url`. A large file is polled less often: sending it
    takes the server's time from the build being measured."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = _get(url)
        if body is not None and text in body:
            return time.perf_counter()
        time.sleep(every)
    return None


def _quiet(log: Path, seconds: float, timeout: float = 300) -> None:
    """Wait until the server's log has not grown for `seconds` (a build, and the
    follow-up build that hands over the background outputs, are over)."""
    start, size, since = time.perf_counter(), -1, time.perf_counter()
    while time.perf_counter() - start < timeout:
        now = log.stat().st_size
        if now != size:
            size, since = now, time.perf_counter()
        elif time.perf_counter() - since >= seconds:
            return
        time.sleep(0.1)


def measure(size: int, workdir: Path, edits: int = 3) -> dict:
    import sitebuild

    base = workdir / f"preview-{size}"
    cases = base / "cases"
    paths = synthetic.generate(cases, size)
    config = sitebuild.write_config(base, cases, base / "site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    full = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config)], cwd=REPO,
                          capture_output=True, text=True, env=env)
    full_seconds = time.perf_counter() - start
    if full.returncode != 0:
        raise RuntimeError(full.stderr[-2000:])
    port = _free_port()
    root = f"http://127.0.0.1:{port}/"
    log = base / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config),
                                   "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, stdout=out,
                                  stderr=subprocess.STDOUT, env=env)
    try:
        start = time.perf_counter()
        if _wait_for(root, "</html>", 600) is None:
            raise RuntimeError("serve did not start: " + log.read_text()[-2000:])
        first_seconds = time.perf_counter() - start
        _quiet(log, 3)
        pages, data = [], []
        for number in range(edits):
            path = paths[(number * 397) % len(paths)]
            marker = f"編集確認{number}号"
            text = path.read_text(encoding="utf-8")
            edited = text.replace("\ntitle: \"", f"\ntitle: \"{marker}", 1)
            assert edited != text, path
            saved = time.perf_counter()
            path.write_text(edited, encoding="utf-8")
            visible = _wait_for(f"{root}cases/{path.stem}/", marker, 120)
            exported = _wait_for(f"{root}data/cases.json", marker, 300, every=0.5)
            if visible is None or exported is None:
                raise RuntimeError("the edit never showed: " + log.read_text()[-3000:])
            pages.append(visible - saved)
            data.append(exported - saved)
            _quiet(log, 2)
    finally:
        server.terminate()
        server.wait(30)
    return {"size": size, "full": full_seconds, "first": first_seconds, "pages": pages, "data": data}


def bench_preview(sizes: list[int], workdir: Path, edits: int = 3) -> str:
    from bench import table

    rows, notes = [], []
    for size in sizes:
        m = measure(size, workdir, edits)
        page = statistics.median(m["pages"])
        rows.append([f"{size:,}", f"{m['full']:.1f}", f"{m['first']:.1f}", f"{page:.2f}",
                     f"{max(m['pages']):.2f}", f"{statistics.median(m['data']):.2f}",
                     f"{page / m['full'] * 100:.0f} %"])
        if size == 2000:
            notes.append(f"save → changed page at 2,000 cases: {page:.2f} s, median of {edits} "
                         f"(target <= {TARGET:.0f} s: {'met' if page <= TARGET else 'MISSED'}); "
                         f"full build {m['full']:.1f} s in the same run, so {page / m['full'] * 100:.0f} % of it "
                         f"(the target is {TARGET / ISSUE_FULL * 100:.0f} % of the {ISSUE_FULL:.0f} s full rebuild "
                         f"measured for issue 15 on an idle machine)")
    out = table(f"preview (mkdocs serve --dirty), save → served; {os.cpu_count()} cores, machine shared",
                ["cases", "full build s", "serve start s", "save→page s (median)", "save→page s (max)",
                 "save→data s (median)", "page / full build"], rows)
    return out + ("\n" + "\n".join(notes) if notes else "")


if __name__ == "__main__":
    import argparse
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000")
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(bench_preview([int(s) for s in args.sizes.split(",")], Path(folder), args.edits))
