"""SIGKILL at many moments of a real `build` and `export`: the output is always
the whole previous tree or the whole new one, never missing, never mixed, and
the next run succeeds and removes what the killed ones left.

Two kinds of kill, both real SIGKILLs of the CLI process:
- after a spread of delays covering the whole run (measured first), so most
  land while MkDocs writes the staging folder;
- at named moments of the swap, which no delay can hit reliably (just before
  and after the exchange or the link switch, and half-way through deleting the
  replaced tree), by a launcher that wraps those calls and kills its own
  process there. The launcher changes no behaviour otherwise.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import synthetic
from conftest import REPO
from sitebuild import write_config

EPOCH = "1798761600"  # 2027-01-01: after every synthetic date
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH)

LAUNCHER = """
import errno, os, signal, sys
from pathlib import Path
from generator import outputs
from generator.cli import main

point, target = os.environ["KILL_AT"], Path(os.environ["KILL_TARGET"])
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if os.environ.get("NO_EXCHANGE"):
    def refuse(a, b):
        raise OSError(errno.EINVAL, os.strerror(errno.EINVAL), str(a))
    outputs._exchange = refuse
exchange, replace, swap, discard = outputs._exchange, os.replace, outputs._swap, outputs._discard
swapped = False

def wrapped_exchange(a, b):
    if point == "before-exchange" and Path(b) == target:
        die()
    exchange(a, b)
    if point == "after-exchange" and Path(b) == target:
        die()

def wrapped_replace(a, b, **kw):
    if point == "before-link-switch" and Path(b) == target:
        die()
    replace(a, b, **kw)
    if point == "after-link-switch" and Path(b) == target:
        die()

def wrapped_swap(staging, t):
    global swapped
    result = swap(staging, t)
    swapped = True
    return result

def wrapped_discard(path):
    if point == "while-deleting-the-old-tree" and swapped and path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        for p in files[: len(files) // 2]:
            p.unlink()
        die()
    discard(path)

outputs._exchange, os.replace, outputs._swap, outputs._discard = (
    wrapped_exchange, wrapped_replace, wrapped_swap, wrapped_discard)
sys.exit(main(sys.argv[1:]))
"""
SWAP_POINTS = ["before-exchange", "after-exchange", "while-deleting-the-old-tree"]
LINK_POINTS = ["before-link-switch", "after-link-switch"]  # the tree replaced is deleted by the next build


def digest(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(target: Path) -> list[str]:
    live = os.readlink(target) if target.is_symlink() else None
    return sorted(p.name for p in target.parent.glob(f".{target.name}-*") if p.name != live)


class Scenario:
    """One output (site/ or dist/) with its old and new contents known."""

    def __init__(self, base: Path, command: str, target: Path, no_exchange: bool = False):
        self.base, self.command, self.target, self.no_exchange = base, command, target, no_exchange
        self.old = self.new = None

    def args(self, config: Path) -> list[str]:
        if self.command == "build":
            return ["build", "--config", str(config), "--site-dir", str(self.target)]
        return ["export", "--config", str(config), "--out", str(self.target)]

    def env(self, point: str = "none") -> dict:
        return dict(ENV, KILL_AT=point, KILL_TARGET=str(self.target), NO_EXCHANGE="1" if self.no_exchange else "")

    def popen(self, config: Path, point: str = "none") -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", LAUNCHER, *self.args(config)], cwd=REPO, env=self.env(point),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def complete(self, config: Path) -> float:
        start = time.monotonic()
        process = self.popen(config)
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return time.monotonic() - start

    def restore_old(self, pristine: Path) -> None:
        """Put the old output back, as the previous build would have left it."""
        if digest(self.target) == self.old:
            return
        if self.target.is_symlink():
            copy = self.target.parent / f".{self.target.name}-new-{secrets.token_hex(4)}"
            shutil.copytree(pristine, copy, symlinks=True)
            link = self.target.parent / f".{self.target.name}-link-{secrets.token_hex(4)}"
            os.symlink(copy.name, link)
            os.replace(link, self.target)
        else:
            shutil.rmtree(self.target)
            shutil.copytree(pristine, self.target, symlinks=True)

    def check_whole(self, what: str) -> str:
        now = digest(self.target)
        assert now, f"{what}: {self.target.name} is missing"
        if now not in (self.old, self.new):
            differ = sorted(set(now) ^ set(self.new)) + [n for n in now if n in self.new and now[n] != self.new[n]]
            pytest.fail(f"{what}: {self.target.name} is neither the old nor the new output: {differ[:10]}")
        return "old" if now == self.old else "new"


@pytest.fixture(scope="module")
def configs(tmp_path_factory):
    base = tmp_path_factory.mktemp("kill")
    synthetic.generate(base / "old-cases", 3, seed=21)
    synthetic.generate(base / "new-cases", 4, seed=22)
    old = write_config(base, base / "old-cases", base / "unused").rename(base / "old.yml")
    new = write_config(base, base / "new-cases", base / "unused").rename(base / "new.yml")
    return base, old, new


def prepare(configs, command: str, name: str, no_exchange: bool = False) -> tuple[Scenario, Path, float]:
    base, old_config, new_config = configs
    folder = base / name
    folder.mkdir()
    scenario = Scenario(folder, command, folder / ("site" if command == "build" else "dist"), no_exchange)
    reference = Scenario(folder, command, folder / "reference", no_exchange)
    seconds = reference.complete(new_config)
    scenario.new = digest(reference.target)
    scenario.complete(old_config)
    scenario.old = digest(scenario.target)
    assert scenario.old and scenario.new and scenario.old != scenario.new
    pristine = folder / "pristine"
    shutil.copytree(scenario.target, pristine)
    return scenario, pristine, seconds


def kill_everywhere(configs, scenario: Scenario, pristine: Path, seconds: float, points: list[str],
                    delays: int) -> None:
    _, _, new_config = configs
    timed = []
    for n in range(delays):
        scenario.restore_old(pristine)
        delay = seconds * (0.25 + 0.85 * n / (delays - 1))
        process = scenario.popen(new_config)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=120)
        timed.append(scenario.check_whole(f"killed after {delay:.2f} s"))
    assert "old" in timed, "no kill landed before the swap"
    outcomes = []
    for point in points:
        scenario.restore_old(pristine)
        process = scenario.popen(new_config, point)
        _, err = process.communicate(timeout=120)
        assert process.returncode == -signal.SIGKILL, f"{point}: not killed ({process.returncode}): {err}"
        outcomes.append((point, scenario.check_whole(point)))
    assert [o for p, o in outcomes if p.startswith("before")] == ["old"]
    assert all(o == "new" for p, o in outcomes if not p.startswith("before"))
    assert leftovers(scenario.target), "the last kill left nothing to clean"
    # The link fallback keeps the tree it switched away from until the next build.
    kept = [os.readlink(scenario.target)] if scenario.target.is_symlink() else []
    scenario.complete(new_config)  # the next build succeeds and removes what the killed ones left
    assert digest(scenario.target) == scenario.new
    assert leftovers(scenario.target) == kept


def test_killing_build_at_any_moment_leaves_a_whole_site(configs):
    scenario, pristine, seconds = prepare(configs, "build", "build")
    assert not scenario.target.is_symlink()
    kill_everywhere(configs, scenario, pristine, seconds, SWAP_POINTS, delays=6)


def test_killing_export_at_any_moment_leaves_a_whole_dist(configs):
    scenario, pristine, seconds = prepare(configs, "export", "export")
    kill_everywhere(configs, scenario, pristine, seconds, SWAP_POINTS, delays=4)


def test_killing_build_where_the_exchange_is_refused_leaves_a_whole_site(configs):
    scenario, pristine, seconds = prepare(configs, "build", "link", no_exchange=True)
    assert scenario.target.is_symlink()
    kill_everywhere(configs, scenario, pristine, seconds, LINK_POINTS, delays=2)
