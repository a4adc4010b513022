"""Which site engine the adapter runs: MkDocs 1.6.1 (the default) or ProperDocs.

MkDocs 1.6.1 is the last 1.x release; ProperDocs is its maintained fork, a
drop-in for the same mkdocs.yml, plugins and themes. Material imports
`mkdocs.*` itself, so choosing ProperDocs cannot be a matter of importing it
instead: its `properdocs.replacement` module routes every `mkdocs.*` import to
`properdocs.*`, and that only works before anything has imported MkDocs. The
choice is therefore one per process, read from the environment (DX_ENGINE,
which `make ENGINE=...` sets) when the adapter is imported.

This module imports neither engine at import time: the command line uses it
to report a wrong choice in Japanese before any engine code runs.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys

ENV = "DX_ENGINE"
DEFAULT = "mkdocs"
# name → (the distribution that provides it, the logger its messages go to)
ENGINES = {"mkdocs": ("mkdocs", "mkdocs"), "properdocs": ("properdocs", "properdocs")}


class EngineError(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def selected() -> str:
    """The engine this process uses: ProperDocs when its command line already
    routed the imports (`python -m properdocs serve`), else DX_ENGINE."""
    if "properdocs.replacement" in sys.modules:
        return "properdocs"
    name = os.environ.get(ENV, "").strip().lower() or DEFAULT
    if name not in ENGINES:
        raise EngineError(f"サイトの生成エンジン {ENV}={name!r} は使えません",
                          f"{' か '.join(ENGINES)} を指定してください（例: make build ENGINE=properdocs）")
    return name


def logger_name() -> str:
    """The root logger of the running engine: its build counts warnings there."""
    return ENGINES[selected()][1]


def mkdocs2_problem(version: str) -> str | None:
    """Why an installed `mkdocs` of this version cannot build the site, or None.

    MkDocs 2 drops plugins (the pipeline runs as one) and the theming that
    Material and theme/ build on; only the exact pin in pyproject.toml keeps
    it out, so a resolver that ignored the pin must be caught here.
    """
    match = re.match(r"\s*v?(\d+)", version)
    if match is None:
        return f"mkdocs のバージョン {version!r} を読めません"
    if int(match.group(1)) >= 2:
        return (f"mkdocs {version} が入っています。MkDocs 2 はプラグインと今のテーマを使えないため、"
                "このサイトを作れません")
    return None


def activate() -> str:
    """Make `import mkdocs...` resolve to the selected engine; returns its name.

    Raises EngineError (with a hint) when the engine is not installed, when
    MkDocs was imported before ProperDocs could take its place, or when the
    installed MkDocs is 2.x.
    """
    name = selected()
    if name == "properdocs":
        loaded = sys.modules.get("mkdocs")
        if loaded is not None and loaded.__name__ != "properdocs":
            raise EngineError("MkDocs が先に読み込まれたため、ProperDocs に切り替えられません",
                              "ProperDocs は新しいプロセスで選んでください（DX_ENGINE=properdocs python -m generator build）")
        try:
            import properdocs.replacement  # noqa: F401  (routes mkdocs.* to properdocs.*)
        except ImportError:
            raise EngineError("ProperDocs が入っていません",
                              "make build ENGINE=properdocs なら自動で入ります"
                              "（手で入れるなら .venv/bin/pip install -e '.[properdocs]'）") from None
        return name
    try:
        version = importlib.metadata.version("mkdocs")
    except importlib.metadata.PackageNotFoundError:
        raise EngineError("MkDocs が入っていません", "make build で .venv を作り直してください") from None
    problem = mkdocs2_problem(version)
    if problem:
        raise EngineError(problem, "pyproject.toml の固定どおり mkdocs==1.6.1 を入れ直すか"
                                   "（make clean; make build）、ENGINE=properdocs で作ってください")
    return name
