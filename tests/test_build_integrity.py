"""Reproducible and atomic builds.

Two builds of the same sources with SOURCE_DATE_EPOCH set give byte-identical
site/ and dist/; a build that fails or is killed part-way leaves the previous
site/ exactly as it was.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import synthetic
from conftest import REPO, CasesRoot
from sitebuild import write_config

EPOCH = "1767225600"


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(args, env=None, **kwargs):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, capture_output=True, text=True,
                          env=env, **kwargs)


def test_two_builds_are_byte_identical(tmp_path):
    synthetic.generate(tmp_path / "cases", 30, seed=4)
    cases = CasesRoot(tmp_path / "cases")
    outputs = []
    for n in (1, 2):
        config = write_config(tmp_path, cases.path, tmp_path / f"site{n}")
        assert run(["build", "--config", str(config)], {"SOURCE_DATE_EPOCH": EPOCH}).returncode == 0
        assert run(["export", "--config", str(config), "--out", str(tmp_path / f"dist{n}")],
                   {"SOURCE_DATE_EPOCH": EPOCH}).returncode == 0
        outputs.append((digest(tmp_path / f"site{n}"), digest(tmp_path / f"dist{n}")))
    (site1, dist1), (site2, dist2) = outputs
    assert len(site1) > 100 and site1 == site2
    assert sorted(dist1) == sorted(dist2) and dist1 == dist2


def test_the_comparison_catches_a_difference(tmp_path):
    """The gate can fail: a build stamped with another date differs."""
    synthetic.generate(tmp_path / "cases", 5, seed=4)
    cases = CasesRoot(tmp_path / "cases")
    digests = []
    for n, epoch in ((1, EPOCH), (2, "1798761600")):
        config = write_config(tmp_path, cases.path, tmp_path / f"site{n}")
        assert run(["build", "--config", str(config)], {"SOURCE_DATE_EPOCH": epoch}).returncode == 0
        digests.append(digest(tmp_path / f"site{n}"))
    assert digests[0] != digests[1]


def test_a_killed_build_leaves_the_previous_site(tmp_path):
    (tmp_path / "cases").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    config = write_config(tmp_path, cases.path, tmp_path / "site")
    assert run(["build", "--config", str(config)]).returncode == 0
    before = digest(tmp_path / "site")
    synthetic.generate(cases.path, 600, seed=8)  # a bigger build, to kill in the middle
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--config", str(config)], cwd=REPO,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    staging = []
    while time.time() < deadline and process.poll() is None:
        staging = [p for p in tmp_path.glob(".site-*") if p.is_dir() and any(p.rglob("*.html"))]
        if staging:
            break
        time.sleep(0.05)
    assert staging, "the build never started writing"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert digest(tmp_path / "site") == before
    assert filecmp.dircmp(tmp_path / "site", staging[0]).left_only  # the killed copy was half-written


def test_a_failed_export_leaves_the_previous_dist(tmp_path):
    (tmp_path / "cases").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    config = write_config(tmp_path, cases.path, tmp_path / "site")
    assert run(["export", "--config", str(config), "--out", str(tmp_path / "dist")]).returncode == 0
    before = digest(tmp_path / "dist")
    cases.write("shizuoka/222208-okuyami-one-stop.md", "---\ntitle: 壊れた\n")
    result = run(["export", "--config", str(config), "--out", str(tmp_path / "dist")])
    assert result.returncode == 1
    assert "前回の dist/ はそのまま残っています" in result.stderr and "Traceback" not in result.stderr
    assert digest(tmp_path / "dist") == before
