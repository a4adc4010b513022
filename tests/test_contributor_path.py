"""A first-time contributor following CONTRIBUTING.md path (b) gets from nothing to a passing check.

The repository's files (what a clone would hold: `git ls-files` with the
untracked files that are not ignored, so work not yet committed counts too)
are copied to a temporary folder. Then every command of the path's `sh`
blocks runs there exactly as written: `git clone` and `cd` are what the copy
stands for; each `make` command gets only VENV pointed at the venv running
this test and a fresh STAMP, so nothing is reinstalled. After `make new`,
the placeholders are filled in as a person would; the last `make check`
must pass.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SECTION = re.compile(r"^## [0-9]+\. \(b\) .*?$(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
SH_BLOCK = re.compile(r"^([ \t]*)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
CREATED = re.compile(r"^作成しました: (.+)$", re.MULTILINE)

# What a person writes for each placeholder (【要記入】), by key; list items by their list.
VALUES = {"summary": "窓口で死亡・相続の手続きをまとめて受け付ける。", "status": "運用中", "date": "2023-06",
          "event": "取組に着手", "department": "デジタル部 業務改革課", "phone": "055-995-1804"}
ITEMS = {"areas": "おくやみ・死亡手続", "problems": "遺族が複数の課を回らなければならなかった",
         "sources": "https://www.city.example.lg.jp/press/okuyami.html"}
KEY_VALUE = re.compile(r'^(\s*(?:- )?)(\w+): "[^"]*【要記入】[^"]*"(.*)$')
LIST_ITEM = re.compile(r'^(\s*- )"[^"]*【要記入】[^"]*"(.*)$')
TOP_KEY = re.compile(r"^(\w+):")


def path_b_commands() -> list[str]:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = SECTION.search(text)
    assert section, "CONTRIBUTING.md に「## N. (b) …」の節がありません"
    commands = []
    for indent, block in SH_BLOCK.findall(section.group(1)):
        commands += [line[len(indent):].strip() for line in block.splitlines() if line.strip()]
    return commands


def fill_in(text: str) -> str:
    """Replace every placeholder outside comments, as the guide's step 1 asks."""
    lines, top = [], None
    for line in text.split("\n"):
        key = TOP_KEY.match(line)
        top = key.group(1) if key else top
        if "【要記入】" in line and not line.lstrip().startswith("#"):
            if line.strip() == "【要記入】":
                line = "本文です。"
            elif (match := KEY_VALUE.match(line)) and match.group(2) in VALUES:
                line = f'{match.group(1)}{match.group(2)}: "{VALUES[match.group(2)]}"{match.group(3)}'
            elif (match := LIST_ITEM.match(line)) and top in ITEMS:
                line = f'{match.group(1)}"{ITEMS[top]}"{match.group(2)}'
            else:
                pytest.fail(f"ひな形の新しい「【要記入】」の埋め方がわかりません: {line}")
        lines.append(line)
    return "\n".join(lines)


def repository_files() -> list[str]:
    if not shutil.which("git") or not (REPO / ".git").exists():
        pytest.skip("git の作業ツリーではありません / not a git work tree")
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return [name for name in out.split("\0") if name and (REPO / name).is_file()]


def clean_env() -> dict[str, str]:
    """This process's environment without what an enclosing `make test` passes down."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def test_path_b_from_a_fresh_clone_to_a_passing_check(tmp_path):
    venv = Path(sys.prefix)
    if not (venv / "bin" / "python").exists() or not shutil.which("make"):
        pytest.skip("make と venv が必要です / needs make and a venv")
    clone = tmp_path / "clone"
    for name in repository_files():
        target = clone / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    assert not (clone / ".venv").exists() and (clone / "Makefile").is_file()
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than the copied pyproject.toml: make sees the venv as installed
    commands = path_b_commands()
    assert commands[:2] == ["git clone <このリポジトリ>", "cd <リポジトリのフォルダ>"]  # the copy stands for these
    makes = commands[2:]
    assert all(c.startswith("make ") for c in makes), f"make 以外のコマンドの扱いをこのテストに足してください: {makes}"
    assert makes[0].startswith("make new ") and makes[-1] == "make check"
    created = None
    for command in makes:
        proc = subprocess.run([*shlex.split(command), f"VENV={venv}", f"STAMP={stamp}"], cwd=clone,
                              env=clean_env(), capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert "Traceback" not in proc.stdout + proc.stderr
        assert "pip install" not in proc.stdout, "make reinstalled the venv"
        if command.startswith("make new"):
            assert proc.returncode == 0, proc.stdout + proc.stderr
            created = clone / CREATED.search(proc.stdout).group(1)
            assert created.parent.parent == clone / "cases"
            created.write_text(fill_in(created.read_text(encoding="utf-8")), encoding="utf-8")
    assert created is not None and "【要記入】" not in "\n".join(
        line for line in created.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "エラー 0 件" in proc.stderr
    assert str(created.relative_to(clone)) not in proc.stdout  # no warning about the new case either
