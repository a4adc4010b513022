"""The build's shortcuts at scale (issue 15) make the site they replace, byte for byte:
Material's navigation and tabs rendered once per distinct result and the generated
pages' Markdown step done once (mkdocs_frame.py), the search index and the open data
made in forked processes (site/background.py). And a background process that fails
fails the build, leaving the previous site and no process behind."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import synthetic
from conftest import REPO
from generator import mkdocs_adapter, mkdocs_frame
from generator.site import search_index
from sitebuild import write_config

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1798761600")


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("shortcuts")
    synthetic.generate(base / "cases", 40, seed=7)
    return write_config(base, base / "cases", base / "site")


def test_cached_navigation_and_markdown_give_the_same_pages(config, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    renders = []
    cached = mkdocs_frame._cached

    def counted(render, nav, targets):
        def render_counted(context):
            renders.append(context.get("page"))
            yield from render(context)
        return cached(render_counted, nav, targets)

    monkeypatch.setattr(mkdocs_frame, "_cached", counted)
    shortcut = mkdocs_adapter.build_site(config, tmp_path / "shortcut")
    pages = len(list(shortcut.rglob("*.html")))
    # the navigation and the tabs: rendered for the pages in the navigation and once per
    # depth of the others, not twice per page
    assert pages > 100 and 0 < len(renders) < pages / 4

    monkeypatch.setattr(mkdocs_frame, "cache_partials", lambda env, config, nav: None)
    monkeypatch.setattr(mkdocs_frame.MarkerRender, "render",
                        lambda self, page, config, files: type(page).render(page, config, files))
    plain = mkdocs_adapter.build_site(config, tmp_path / "plain")
    assert digest(shortcut) == digest(plain)


def test_background_files_are_those_made_in_the_build_process(config, tmp_path):
    """`build --docs-out` makes the search index and the open data in its own process:
    the files the build's forked processes made are the same bytes."""
    site, docs = tmp_path / "site", tmp_path / "docs"
    for args in (["--site-dir", str(site)], ["--docs-out", str(docs)]):
        result = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(config), *args],
                                cwd=REPO, capture_output=True, text=True, env=ENV)
        assert result.returncode == 0, result.stderr
    built, written = digest(site), digest(docs)
    made = [path for path in written
            if (path.startswith(("search/", "data/")) and not path.endswith(".md")) or path == "feed.xml"]
    assert len([p for p in made if p.startswith("search/")]) > 20 and "data/cases.json" in made
    assert {path: built.get(path) for path in made} == {path: written[path] for path in made}
    assert not (site / mkdocs_adapter.SPOOL_DIR).exists()


@pytest.mark.parametrize("how, message", [
    ("raise", "検索インデックスを作れませんでした: MemoryError: no room for the index"),
    ("kill", "検索インデックスを作れませんでした: 作成中のプロセスが終了しました"),
])
def test_a_failed_background_process_fails_the_build_and_keeps_the_site(config, tmp_path, monkeypatch, caplog,
                                                                         how, message):
    site = mkdocs_adapter.build_site(config, tmp_path / "site")
    before = digest(site)

    def broken(*args, **kwargs):  # runs in the forked child
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise MemoryError("no room for the index")

    monkeypatch.setattr(search_index, "shard_files", broken)
    with pytest.raises(mkdocs_adapter.BuildFailed):
        mkdocs_adapter.build_site(config, site)
    assert message in caplog.text  # MkDocs logs a plugin's error, then aborts
    assert digest(site) == before
    assert multiprocessing.active_children() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # no staging folder left
