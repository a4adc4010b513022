"""Shared fixtures: a temporary cases root holding fixture cases."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from generator import engine

if engine.selected() == "properdocs":
    # DX_ENGINE=properdocs: route the tests' own `mkdocs` imports to ProperDocs too,
    # before any test module imports MkDocs (the choice holds for the whole process).
    engine.activate()

from generator.check import check_root

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 26)
VALID_PATH = "shizuoka/222208-okuyami-one-stop.md"
OTHER_PATH = "kanagawa/142077-kakanai-madoguchi.md"


def png_bytes() -> bytes:
    """A real 1×1 PNG: the checker recognises attached files by their content, not their name."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff")) + chunk(b"IEND", b""))


def valid_text() -> str:
    return (FIXTURES / "valid-case.md").read_text(encoding="utf-8")


class CasesRoot:
    """A cases root in a temporary folder, with the vocabulary and two cases."""

    def __init__(self, path: Path):
        self.path = path
        shutil.copy(REPO / "cases" / "areas.yml", path / "areas.yml")
        self.write(OTHER_PATH, (FIXTURES / "other-case.md").read_text(encoding="utf-8"))
        self.write(VALID_PATH, valid_text())
        assets = path / "shizuoka" / "222208-okuyami-one-stop"
        assets.mkdir()
        (assets / "flow.pdf").write_bytes(b"%PDF-1.4\n")
        (assets / "flow.png").write_bytes(png_bytes())

    def write(self, relative: str, content: str | bytes) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def make_stale(self, relative: str = OTHER_PATH, updated: str = "2024-02") -> None:
        """Give a case an `updated` date more than two years old, for the stale notice."""
        path = self.path / relative
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'(?m)^updated: .*$', f'updated: "{updated}"', text, count=1), encoding="utf-8")

    def check(self, *relative: str):
        files = [self.path / r for r in relative] if relative else None
        return check_root(self.path, files, today=TODAY, display_base=self.path)

    def check_case(self, text: str | bytes, relative: str = VALID_PATH):
        """Write one case (replacing the valid one) and check only it."""
        self.write(relative, text)
        return self.check(relative)


@pytest.fixture
def root(tmp_path) -> CasesRoot:
    return CasesRoot(tmp_path)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` as a contributor runs it; never a traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (see browser.py)."""
    from browser import Browser
    b = Browser()
    yield b
    b.close()


# Site builds are the suite's largest cost: every module that only reads a built site shares
# one of these two, built once per session (per worker under xdist). A module that plants a
# file in one removes it again.

SHARED_SYNTHETIC = 60


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory) -> Path:
    """cases/ and site/ (directory URLs): SHARED_SYNTHETIC synthetic cases and the two
    fixture cases, one of them stale. Returns the folder holding both."""
    from sitebuild import fixture_site
    base = tmp_path_factory.mktemp("shared-site")
    fixture_site(base, SHARED_SYNTHETIC, seed=7)
    return base


@pytest.fixture(scope="session")
def shared_file_site(tmp_path_factory) -> Path:
    """The same kind of site with file URLs (cases/x.html) and 130 synthetic cases: more
    than the catalogue shows at once. Returns the folder holding cases/ and site/."""
    from sitebuild import fixture_site
    base = tmp_path_factory.mktemp("shared-file-site")
    fixture_site(base, 130, seed=7, directory_urls=False)
    return base


@pytest.fixture(autouse=True)
def _close_test_pages(request):
    """A browser test's pages are closed when it ends (those of module fixtures, set up
    before this, stay open for the module's other tests)."""
    if "browser" not in request.fixturenames:
        yield
        return
    b = request.getfixturevalue("browser")
    opened = len(b.contexts)
    yield
    b.close_since(opened)


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is marked `browser` (deselect with -m "not browser")."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
