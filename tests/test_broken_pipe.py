"""`python -m generator … | head`: a reader that leaves early ends the command quietly.

The commands run as a contributor's shell runs them: stdout a pipe, block
buffered (the test environment's PYTHONUNBUFFERED is removed), so output still
in the buffer meets the closed pipe at the end of the command as well as
output written while the reader is gone. Either way: exit 141 (as a shell
reports SIGPIPE) and no traceback or "Exception ignored" on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import synthetic
from conftest import REPO

ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONIOENCODING": "utf-8"}


def assert_quiet(returncode: int, stderr: str) -> None:
    assert returncode == 141, stderr
    for noise in ("Traceback", "BrokenPipeError", "Exception ignored", "Broken pipe"):
        assert noise not in stderr


@pytest.mark.parametrize("args", [
    ["stats"],                       # a few lines: all still buffered when the command ends
    ["check", "--format", "json"],
    ["reference"],                   # more than the buffer: written while the command runs
])
def test_reader_gone_before_any_output(args):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=REPO, env=ENV, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", timeout=120)
    finally:
        os.close(write_end)
    assert_quiet(proc.returncode, proc.stderr)


def test_reader_that_takes_one_line_of_a_long_listing(tmp_path):
    """`links --format json | head -1` on 200 cases: far more than a pipe holds (64 KiB)."""
    synthetic.generate(tmp_path / "cases", 200, seed=5)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "links", "--format", "json", str(tmp_path / "cases")],
                            cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"[\n"
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    assert_quiet(proc.wait(timeout=120), stderr)
