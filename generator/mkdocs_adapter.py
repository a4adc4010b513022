"""The one place MkDocs enters: a plugin that runs the pipeline inside
`mkdocs build` / `mkdocs serve`, and an atomic build for the command line.

The core knows nothing of MkDocs; moving to another engine that reads
mkdocs.yml means replacing this module, not the pipeline. The engine behind
the `mkdocs` imports is MkDocs 1.6.1 or ProperDocs, its fork (engine.py picks
it before the imports below).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from . import engine

engine.activate()  # before the first mkdocs import: it may route them to ProperDocs

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from . import incremental, mkdocs_frame, mkdocs_preview, outputs, pipeline
from .offline import compact_html, latest as offline_latest
from .diagnostics import format_for_build, summary
from .site.background import BackgroundFailed
from .site.markdown import RenderFailed
from .site.formatting import format_date
from .site.pages import SiteOptions

log = logging.getLogger(f"{engine.logger_name()}.plugins.jichitai-dx")
HTML_MARKER = "<!-- jichitai-dx: generated page -->"
TITLED_MARKER = "<!-- jichitai-dx: generated page with its own <h1> -->"
# Material ships its search engine even with its search plugin off; our search replaces it.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
OFFLINE_KEY = "dx_offline"
SPOOL_DIR = ".jichitai-dx-spool"  # in the output folder while it is being built


class CasesConfig(Config):
    cases_dir = c.Type(str, default="cases")
    accessibility_results = c.Type(str, default="docs/accessibility-results.json")
    edit_url = c.Optional(c.Type(str))
    # Where `export` writes the offline zip; the newest one there is published on the data page.
    dist_dir = c.Type(str, default="dist")


class CasesPlugin(BasePlugin[CasesConfig]):
    """Adds the generated pages and files of the Case collection to the build."""

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.last_good = None
        # `serve --dirty` (make serve): MkDocs renders and copies only the files that report
        # a change, and each generated file reports whether its content really changed.
        self.dirty = self.serving and dirty
        self.preview = incremental.Preview() if self.serving else None
        self.handed: dict[str, object] = {}  # destination → what it was made from, last build
        self.banner_key = None
        self.server = None
        if self.dirty:
            logging.getLogger(f"{engine.logger_name()}.commands.build").addFilter(mkdocs_preview.DIRTY_NOTICE)

    def on_config(self, config):
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.cases_root = (base / self.config.cases_dir).resolve()
        self.accessibility_results = (base / self.config.accessibility_results).resolve()
        self.dist_dir = (base / self.config.dist_dir).resolve()
        self.html: dict = {}  # docs path → the generated Page (its HTML may be spooled)
        return config

    def site_options(self, config) -> SiteOptions:
        offline = config.extra.get(OFFLINE_KEY)
        # The offline copy is read on a closed network: no edit links to GitHub, dated as its snapshot.
        return SiteOptions(directory_urls=config.use_directory_urls,
                           edit_url=None if offline else self.config.edit_url,
                           site_url=config.site_url or "", accessibility_results=self.accessibility_results,
                           offline=bool(offline), offline_zip=None if offline else offline_latest(self.dist_dir),
                           grouped=bool(offline),  # each file of the zip is compressed alone
                           build_date=dt.date.fromisoformat(offline["date"]) if offline else None)

    def on_files(self, files, config):
        options = self.site_options(config)
        self.spool = None
        if not getattr(self, "serving", False):
            # Pages and files go to disk as they are made and come back one at a time
            # (on_post_page, MkDocs' copy), so the build never holds the whole site. The
            # folder is inside the output being made: a killed build's is removed with it.
            self.spool = options.spool = Path(config.site_dir) / SPOOL_DIR
            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool.mkdir(parents=True)
        try:
            preview = getattr(self, "preview", None)
            if preview is not None:
                # a save while the last one's search index is being made: let it finish (the
                # check and the case pages may fork worker processes, never beside that thread)
                preview.wait()
            result = pipeline.run(self.cases_root, options, preview=preview)
        # RenderFailed: a record that reached the renderer unchecked; BackgroundFailed: the
        # process making the search index or the open data died (killed, out of memory)
        except (RenderFailed, BackgroundFailed) as exc:
            raise PluginError(str(exc)) from None
        diagnostics = result.check.diagnostics
        if diagnostics:
            print(format_for_build(diagnostics), file=sys.stderr)
        self.problems = []
        if not result.ok:
            message = "事例ファイルにエラーがあるため、サイトを作れません。" + summary(diagnostics, result.check.files)
            if not (getattr(self, "serving", False) and self.last_good):
                raise PluginError(message)
            # Preview: keep serving the last good pages, with the problems on every page.
            log.error("%s 直るまで、前回の正常な内容を表示します。", message)
            self.problems = [d for d in diagnostics if d.is_error]
            result = self.last_good
        else:
            self.last_good = result
        # The pages are finished HTML: MkDocs gets only their front matter and a marker,
        # and the HTML goes in after its Markdown step (parsing it again is most of
        # MkDocs' time on these pages, and changes nothing).
        self.html = {}
        self.marker_render = mkdocs_frame.MarkerRender()
        # The banner and the page frame are on every page: when they change, every page did.
        banner_key = (repr(self.problems), mkdocs_preview.frame_key(config))
        everything = banner_key != getattr(self, "banner_key", None)
        self.banner_key = banner_key
        previous, handed = getattr(self, "handed", {}), {}
        for src, page in result.tree.pages.items():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            self.html[src] = page
            content = page.front_matter(escape_html=True) + "\n" + HTML_MARKER + "\n"
            file = _Generated.generated(config, src, content=content, inclusion=inclusion)
            handed[file.abs_dest_path] = made = (content, page.html)
            file.modified = everything or previous.get(file.abs_dest_path) != made
            files.append(file)
        for path, content in result.tree.files.items():
            if isinstance(content, Path):
                file = _Generated.generated(config, path, abs_src_path=str(content))
                if self.spool is not None and content.parent.parent == self.spool:
                    # spooled: moved into place now (same disk), where MkDocs' copy leaves it
                    os.makedirs(os.path.dirname(file.abs_dest_path), exist_ok=True)
                    os.replace(content, file.abs_dest_path)
                    file.abs_src_path = file.abs_dest_path
                made = mkdocs_preview.source_signature(content)  # not MkDocs' test (newer than the copy): a
                # file replaced by an older one (a checkout) must be copied too
            else:
                file = _Generated.generated(config, path, content=content)
                made = content
            handed[file.abs_dest_path] = made
            file.modified = previous.get(file.abs_dest_path) != made
            files.append(file)
        self.handed = handed
        self.later = result.tree  # its files made in the background go in last (on_post_build)
        if getattr(self, "dirty", False):
            mkdocs_preview.remove_stale(config.site_dir, set(previous) - set(handed))
            for file in files.documentation_pages():
                if file.generated_by is None:
                    # docs/*.md: a few pages, read again every time so that their titles
                    # are known to the navigation of the pages that are rendered
                    file.is_modified = lambda: True
        rendered = ""
        if getattr(self, "preview", None) is not None:
            rendered = f"、作り直し {len(self.preview.site.rendered)} 枚"
        log.info("事例 %d 件からページ %d 枚を作りました（%s%s）", len(result.collection), len(result.tree.pages),
                 ", ".join(f"{name} {seconds:.1f} 秒" for name, seconds in result.seconds.items()), rendered)
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav  # for on_env: the navigation partials are cached against it
        return nav

    def on_env(self, env, config, files):
        """In the preview, the theme's environment of the previous build, its templates
        compiled once (compiling them is a good part of a small rebuild). It reloads a
        template that changed on disk, so editing the theme still shows. In every build,
        the navigation and tabs are rendered once per distinct result (mkdocs_frame)."""
        if getattr(self, "dirty", False):
            key = (tuple(config.theme.dirs), str(config.theme.locale), repr(dict(config.theme)))
            cached = getattr(self, "theme_env", None)
            if cached is not None and cached[0] == key:
                env = cached[1]
            else:
                env.auto_reload = True
                self.theme_env = (key, env)
        if getattr(self, "nav", None) is not None:
            mkdocs_frame.cache_partials(env, config, self.nav)
        return env

    def on_post_build(self, config):
        tree, self.later = getattr(self, "later", None), None
        if tree is not None and tree.later:
            # made on another core while MkDocs wrote the pages (the search index): moved
            # into place from the spool (same disk), where MkDocs' copy would have put them
            start, jobs = time.perf_counter(), list(tree.later)
            try:
                made = tree.finish_later()
            except BackgroundFailed as exc:
                raise PluginError(str(exc)) from None
            for path, source in made.items():
                target = os.path.join(config.site_dir, path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(source, target)
            log.info("並行して作ったファイル %d 個を置きました（%s、ページの後の待ち %.1f 秒）", len(made),
                     ", ".join(f"{job.what} {job.seconds:.1f} 秒" for job in jobs), time.perf_counter() - start)
        if getattr(self, "spool", None) is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
        if getattr(self, "preview", None) is not None:
            self.preview.start_deferred(self._request_rebuild)

    def _request_rebuild(self) -> None:
        """Ask the preview server for a build, as a saved file does: the search index and the
        data files computed after the last build are then handed over. (LiveReloadServer has
        no public call for it; without it they come with the next save.)"""
        server = self.server
        condition = getattr(server, "_rebuild_cond", None)
        if condition is None:
            return
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    def on_pre_page(self, page, config, files):
        if page.file.src_uri in self.html:  # a generated page: its Markdown is only the marker
            page.render = functools.partial(self.marker_render.render, page)
        return page

    def on_page_content(self, html, page, config, files):
        generated = self.html.get(page.file.src_uri)
        if generated is not None:
            if HTML_MARKER not in html:
                raise PluginError(f"{page.file.src_uri}: 生成したページの目印が見つかりません")
            if generated.html_file is None:
                html = generated.html
            else:  # spooled: its HTML comes back as the page is written (on_post_page)
                # Material adds the title as an <h1> when the content has none: it must see the page's own.
                html = TITLED_MARKER if generated.titled else HTML_MARKER
        if getattr(self, "problems", None):
            html = mkdocs_preview.problems_banner(self.problems) + html
        return html

    def on_post_page(self, output, page, config):
        """A spooled page's HTML goes in where the marker is, one page at a time: MkDocs
        holds only markers until each page is written, never the whole site."""
        generated = self.html.get(page.file.src_uri)
        if generated is not None and generated.html_file is not None:
            marker = TITLED_MARKER if TITLED_MARKER in output else HTML_MARKER
            output = output.replace(marker, generated.read_html(), 1)
        return compact_html(output) if config.extra.get(OFFLINE_KEY) else output

    def on_build_error(self, error):
        tree, self.later = getattr(self, "later", None), None
        if tree is not None:
            tree.cancel_later()
        if getattr(self, "spool", None) is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
        # the preview folder may now lack what the last build handed over: hand it all again
        self.handed = {}

    def on_serve(self, server, config, builder):
        server.watch(str(self.cases_root))
        self.server = server
        return server


class _Generated(File):
    """A generated file that says whether it changed since the last build (`serve --dirty`)."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


class BuildFailed(Exception):
    pass


def build_site(config_file: Path, site_dir: Path | None = None, directory_urls: bool | None = None) -> Path:
    """Build into a staging folder beside the target, then swap it in (outputs.replacing).

    A build that fails or is killed leaves the previous site untouched.
    """
    config = _load_config(config_file, directory_urls)
    target = outputs.output_path(site_dir or config.site_dir)
    with outputs.replacing(target) as staging:
        _build(config, staging)
    return target


def build_into(config_file: Path, folder: Path, directory_urls: bool | None = None,
               offline_date: dt.date | None = None) -> Path:
    """Build into `folder` as it is, with no swap: for a site that is only an
    intermediate (the one `export` zips), inside a folder the caller swaps.

    `offline_date`: build the offline copy of that date (a snapshot banner on every
    page, no GitHub edit links, links that need the internet marked).
    """
    config = _load_config(config_file, directory_urls)
    if offline_date is not None:
        # The theme reads it too (theme/main.html), hence config.extra.
        config.extra[OFFLINE_KEY] = {"date": offline_date.isoformat(), "label": format_date(offline_date.isoformat())}
    _build(config, folder)
    return folder


def docs_tree_settings(config_file: Path, directory_urls: bool | None = None) -> tuple[Path, SiteOptions, Path]:
    """(cases root, site options, docs_dir) as a build with this config would use them,
    for `build --docs-out`: the tree another engine builds gets the same edit and site
    URLs, accessibility results and offline zip as the pages this engine builds."""
    config = _load_config(config_file, directory_urls)
    plugin = next((p for p in config.plugins.values() if isinstance(p, CasesPlugin)), None)
    if plugin is None:
        raise BuildFailed(f"{config_file} の plugins に jichitai-dx がありません")
    plugin.on_config(config)
    return plugin.cases_root, plugin.site_options(config), Path(config.docs_dir)


def _load_config(config_file: Path, directory_urls: bool | None):
    from mkdocs.config import load_config

    _configure_logging()
    overrides = {}
    if directory_urls is not None:
        overrides["use_directory_urls"] = directory_urls
    try:
        return load_config(str(config_file), **overrides)
    except Abort as exc:
        raise BuildFailed(f"mkdocs.yml を読めません: {exc}") from None


def _build(config, folder: Path) -> None:
    from mkdocs.commands.build import build

    config.site_dir = str(folder)
    # as `mkdocs build` does; it also ends any preview state of this process's plugin
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (PluginError, Abort) as exc:
        raise BuildFailed(str(exc)) from None


def _configure_logging() -> None:
    logger = logging.getLogger(engine.logger_name())
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
