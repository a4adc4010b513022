"""Reproducible and atomic builds.

Two builds of the same sources with SOURCE_DATE_EPOCH set give byte-identical
site/ and dist/; a build that fails or is killed part-way leaves the previous
site/ exactly as it was.
"""

from __future__ import annotations

import fcntl
import filecmp
import hashlib
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def small_site(tmp_path: Path, cases: int = 3, seed: int = 5) -> Path:
    synthetic.generate(tmp_path / "cases", cases, seed=seed)
    return write_config(tmp_path, tmp_path / "cases", tmp_path / "site")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".site-", ".dist-")))


def test_a_write_refused_midway_keeps_site_and_dist_and_says_why(tmp_path):
    """A file-size limit makes the kernel refuse a write half-way, as a full disk does."""
    config = small_site(tmp_path)
    site, dist = tmp_path / "site", tmp_path / "dist"
    build, export = ["build", "--config", str(config)], ["export", "--config", str(config), "--out", str(dist)]
    assert run(build).returncode == 0 and run(export).returncode == 0
    before = digest(site), digest(dist)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))  # Material's bundle map is 1 MB

    for args, target, outcome, shown in ((build, site, "前回のサイトはそのまま残っています", f"{site}/assets/"),
                                         (export, dist, "前回の dist/ はそのまま残っています", str(tmp_path))):
        result = run(args, preexec_fn=limit)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"エラー: {target} を作れませんでした: {shown}" in result.stderr  # site/: not the staging name
        assert ".min.js.map: ファイルの大きさの上限を超えました（EFBIG）" in result.stderr
        assert "    ヒント: ファイルの大きさの上限（ulimit -f）を外すか" in result.stderr and outcome in result.stderr
    assert (digest(site), digest(dist)) == before
    assert leftovers(tmp_path) == []


NAMESPACE_DRIVER = """
import hashlib, json, os, subprocess, sys
mount_point, size, old, new = sys.argv[1:5]
site = os.path.join(mount_point, "site")
subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount_point], check=True)

def build(config):
    p = subprocess.run([sys.executable, "-m", "generator", "build", "--config", config, "--site-dir", site],
                       capture_output=True, text=True)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(site) for f in fs)
    digest = {f: hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files}
    return {"code": p.returncode, "err": p.stderr, "beside": sorted(os.listdir(mount_point)), "digest": digest}

steps = [build(old), build(new)]
subprocess.run(["mount", "-o", "remount,ro", mount_point], check=True)
steps.append(build(new))
print(json.dumps(steps))
"""


def test_a_full_disk_and_a_read_only_disk_keep_the_site_and_say_why(tmp_path):
    """A real full filesystem: a tmpfs sized for one site, in a private mount namespace."""
    unshare = ["unshare", "--user", "--map-root-user", "--mount"]
    if not shutil.which("unshare") or subprocess.run([*unshare, "true"], capture_output=True).returncode:
        pytest.skip("no user and mount namespaces here (unshare) to mount a small tmpfs")
    config = small_site(tmp_path / "old")
    synthetic.generate(tmp_path / "new" / "cases", 5, seed=6)
    new_config = write_config(tmp_path / "new", tmp_path / "new" / "cases", tmp_path / "new" / "site")
    assert run(["build", "--config", str(config)]).returncode == 0
    used = sum(p.lstat().st_blocks * 512 for p in (tmp_path / "old" / "site").rglob("*"))
    (tmp_path / "mnt").mkdir()
    driver = subprocess.run([*unshare, sys.executable, "-c", NAMESPACE_DRIVER, str(tmp_path / "mnt"),
                             str(used * 3 // 2), str(config), str(new_config)], cwd=REPO, capture_output=True,
                            text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert driver.returncode == 0, driver.stderr
    first, full, read_only = json.loads(driver.stdout)
    assert first["code"] == 0 and first["digest"], first["err"]
    assert full["code"] == 1 and "Traceback" not in full["err"], full["err"]
    assert "ディスクの空きがありません（ENOSPC）" in full["err"] and "ディスクの空きを増やして" in full["err"]
    assert "前回のサイトはそのまま残っています" in full["err"]
    assert full["digest"] == first["digest"] and full["beside"] == [".site.lock", "site"]
    assert read_only["code"] == 1 and "Traceback" not in read_only["err"], read_only["err"]
    assert "読み取り専用の場所です（EROFS）" in read_only["err"] and "--site-dir" in read_only["err"]
    assert read_only["digest"] == first["digest"]


def test_a_second_build_waits_for_the_running_one_and_says_so(tmp_path):
    config = small_site(tmp_path)
    build = [sys.executable, "-m", "generator", "build", "--config", str(config)]
    assert run(build[3:]).returncode == 0
    before = digest(tmp_path / "site")
    holder = os.open(tmp_path / ".site.lock", os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a build is running
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    waiting = subprocess.Popen(build, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([waiting.stderr], [], [], 60)
        assert ready, "no word from the waiting build"
        assert "別のビルドが終わるのを待っています" in waiting.stderr.readline()
        assert waiting.poll() is None and digest(tmp_path / "site") == before
    finally:
        os.close(holder)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "サイトを作りました" in out


def test_two_builds_at_once_both_succeed(tmp_path):
    config = small_site(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    builds = [subprocess.Popen([sys.executable, "-m", "generator", "build", "--config", str(config)], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    results = [(b.communicate(timeout=180), b.returncode) for b in builds]
    assert [code for _, code in results] == [0, 0], [err for (_, err), _ in results]
    assert (tmp_path / "site" / "index.html").is_file() and leftovers(tmp_path) == []
