"""The pre-commit hook (.pre-commit-hooks.yaml) and this repository's use of it.

pre-commit itself is not a dependency; the test does what it does: select
the changed files by the hook's `files` pattern and run its entry with them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest
import yaml

from conftest import OTHER_PATH, REPO, VALID_PATH, valid_text

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def published() -> dict:
    assert [h["id"] for h in HOOKS] == ["jichitai-dx-check"]
    return HOOKS[0]


def local() -> dict:
    (repo,) = CONFIG["repos"]
    assert repo["repo"] == "local"
    (hook,) = repo["hooks"]
    return hook


def test_the_published_hook_runs_check():
    hook = published()
    assert hook["entry"] == "python -m generator check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True


def test_the_local_hook_is_the_published_one_with_the_project_venv():
    hook, mine = published(), local()
    assert mine["id"] == hook["id"] and mine["files"] == hook["files"]
    assert mine["entry"] == ".venv/bin/" + hook["entry"]
    assert mine["language"] == "system"


@pytest.mark.parametrize("path, selected", [
    ("cases/shizuoka/222208-okuyami-one-stop.md", True),
    ("cases/hokkaido/012084-kakanai-one-stop-madoguchi.md", True),
    ("cases/areas.yml", False),
    ("cases/shizuoka/222208-okuyami-one-stop/flow.md", False),
    ("docs/about.md", False),
    ("CONTRIBUTING.md", False),
])
def test_the_hook_selects_case_files_only(path, selected):
    assert bool(re.search(published()["files"], path)) is selected


def run_hook(root, *relative: str) -> subprocess.CompletedProcess:
    entry = shlex.split(published()["entry"])
    command = [sys.executable, *entry[1:]] + [str(root.path / r) for r in relative]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def test_the_hook_passes_good_cases_and_stops_a_commit_with_an_error(root):
    proc = run_hook(root, VALID_PATH, OTHER_PATH)
    assert proc.returncode == 0, proc.stdout
    root.write(VALID_PATH, valid_text().replace('code: "222208"', "code: 222208"))
    proc = run_hook(root, VALID_PATH)
    assert proc.returncode == 1
    assert f"{VALID_PATH}:5:9: error[code-unquoted]" in proc.stdout.replace(str(root.path) + "/", "")
