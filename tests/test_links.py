"""`python -m generator links`: every URL of the cases, with file:line (nothing is fetched)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

from conftest import OTHER_PATH, REPO, VALID_PATH

CASES = REPO / "cases"


def run_cli(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_json_lists_each_url_of_the_fixture_with_its_place(root):
    proc = run_cli("links", "--format", "json", ".", cwd=root.path)
    assert proc.returncode == 0, proc.stderr
    found = [(d["file"], d["line"], d["column"], d["key"], d["url"]) for d in json.loads(proc.stdout)]
    assert [f for f in found if f[0] == VALID_PATH] == [
        (VALID_PATH, 47, 10, "contacts.url", "https://www.city.example.lg.jp/kaikaku/"),
        (VALID_PATH, 53, 10, "resources.url", "https://www.city.example.lg.jp/press/okuyami.html"),
        (VALID_PATH, 60, 5, "sources", "https://www.city.example.lg.jp/press/okuyami.html"),
    ]
    assert [f for f in found if f[0] == OTHER_PATH] == [
        (OTHER_PATH, 17, 10, "contacts.url", "https://www.city.example.lg.jp/shimin/"),
        (OTHER_PATH, 19, 5, "sources", "https://www.city.example.lg.jp/press/kakanai.html"),
    ]
    assert {f[0] for f in found} == {VALID_PATH, OTHER_PATH}
    assert proc.stderr.strip().startswith(f"URL {len(found)} 件")


def test_markdown_groups_the_places_of_one_url(root):
    proc = run_cli("links", str(root.path / VALID_PATH), cwd=root.path)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"- <https://www.city.example.lg.jp/kaikaku/> — `{VALID_PATH}:47`（contacts.url）",
        f"- <https://www.city.example.lg.jp/press/okuyami.html> — `{VALID_PATH}:53`（resources.url）、"
        f"`{VALID_PATH}:60`（sources）",
    ]


def test_every_source_of_the_bundled_cases_is_listed():
    proc = run_cli("links", "--format", "json")
    assert proc.returncode == 0
    listed = {(d["file"], d["url"]) for d in json.loads(proc.stdout)}
    for path in sorted(CASES.glob("*/*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        for url in front.get("sources", []):
            assert (str(path.relative_to(REPO)), url) in listed


def test_an_unreadable_case_is_reported_and_the_others_still_listed(root):
    root.write("tokyo/132047-broken.md", "---\ntitle: [\n---\n")
    proc = run_cli("links", "--format", "json", ".", cwd=root.path)
    assert proc.returncode == 1
    assert len(json.loads(proc.stdout)) > 0
    assert "tokyo/132047-broken.md:" in proc.stderr
    assert "読めないファイルがあります。make check で確かめてください。" in proc.stderr


def test_a_bad_format_is_a_usage_error():
    proc = run_cli("links", "--format", "csv")
    assert proc.returncode == 2
    assert "使い方の誤り / usage error" in proc.stderr
