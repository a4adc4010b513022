"""HTML validity: the Nu Html Checker (vnu.jar from the npm package vnu-jar,
run with the machine's Java) over one built page of each type. Errors from
this project's templates fail; the one error that comes from Material's own
base template is listed (and explained on the accessibility page)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = ["index.html", "catalogue/index.html", "cases/222208-okuyami-one-stop/index.html",
         "prefectures/index.html", "prefectures/shizuoka/index.html", "municipalities/index.html",
         "municipalities/222208/index.html", "status/index.html",
         "areas/index.html", "areas/madoguchi/index.html", "status/unyou/index.html", "tags/index.html",
         "search/index.html", "data/index.html", "accessibility/index.html", "about/index.html",
         "learning/index.html", "nearby/index.html"]
# Material's base.html: <input type="checkbox" autocomplete="off"> on its drawer and search toggles.
# The template is not one of ours and has no block to override it without copying it.
MATERIAL_KNOWN = [("autocomplete", 'class="md-toggle"')]


def vnu(files) -> list[dict]:
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci` (the Makefile's test target does)")
    java = shutil.which("java")
    assert java, "Java is needed for the Nu Html Checker"
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
                            capture_output=True, text=True)
    return json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]


def ours(messages) -> list[dict]:
    return [m for m in messages
            if not any(word in m["message"] and marker in m.get("extract", "") for word, marker in MATERIAL_KNOWN)]


@pytest.fixture(scope="module")
def site(shared_site):
    return shared_site / "site"


def test_pages_of_every_type_have_no_errors_from_our_templates(site):
    messages = vnu([site / page for page in PAGES])
    mine = ours(messages)
    assert mine == [], json.dumps(mine, ensure_ascii=False, indent=1)
    assert len(messages) - len(mine) <= 2 * len(PAGES)  # only Material's two toggles per page


def test_the_checker_catches_a_planted_error(site):
    page = (site / PAGES[2]).read_text(encoding="utf-8")
    planted = site / "planted.html"
    planted.write_text(page.replace('<p class="dx-summary">', '<span><p id="timeline">x</p></span><p class="dx-summary">',
                                    1), encoding="utf-8")
    try:
        messages = ours(vnu([planted]))
    finally:
        planted.unlink()
    texts = " ".join(m["message"] for m in messages)
    assert "Duplicate ID" in texts or "not allowed as child" in texts
