"""Command line: `python -m generator` and the `jichitai-dx` console script.

Exit codes: 0 no error (warnings allowed), 1 a contributor's error, 2 a usage
error. Nothing a contributor can cause ends in a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .check import check_root
from .diagnostics import FORMATTERS, format_for_build, summary
from .engine import EngineError
from .cli_common import DEFAULT_ROOT, Parser, UsageError, group_paths
from .cli_tools import add_stats_command, add_tooling_commands, cmd_new


def cmd_check(args) -> int:
    paths = args.paths or [DEFAULT_ROOT]
    diagnostics, files = [], 0
    for root, selected in group_paths(paths).items():
        result = check_root(root, selected)
        diagnostics.extend(result.diagnostics)
        files += result.files
    if diagnostics or args.format == "json":
        print(FORMATTERS[args.format](diagnostics))
    if args.format != "json":
        print(summary(diagnostics, files), file=sys.stderr)
    return 1 if any(d.is_error for d in diagnostics) else 0


def cmd_build(args) -> int:
    from .mkdocs_adapter import BuildFailed, build_site
    from .outputs import OutputError
    if not args.config.is_file():
        raise UsageError(f"設定ファイルがありません / no such config: {args.config}")
    if args.docs_out:
        return _write_docs_tree(args)
    try:
        target = build_site(args.config, args.site_dir, False if args.no_directory_urls else None)
    except (BuildFailed, OutputError) as exc:
        _print_failure(exc, "サイトは作られませんでした。前回のサイトはそのまま残っています。")
        return 1
    print(f"サイトを作りました: {target}")
    return 0


def _print_failure(exc: Exception, outcome: str) -> None:
    print(f"エラー: {exc}", file=sys.stderr)
    if getattr(exc, "hint", ""):
        print(f"    ヒント: {exc.hint}", file=sys.stderr)
    print(outcome, file=sys.stderr)


def cmd_export(args) -> int:
    """dist/: the offline zip and the open data, replaced whole or not at all (outputs.replacing)."""
    import json
    import shutil

    from . import offline, outputs
    from .mkdocs_adapter import UNUSED_THEME_FILES, BuildFailed, build_into
    from .pipeline import build_date
    if not args.config.is_file():
        raise UsageError(f"設定ファイルがありません / no such config: {args.config}")
    out = outputs.output_path(args.out)
    try:
        with outputs.replacing(out) as staging, outputs.scratch(out) as work:
            date = build_date()
            site = build_into(args.config, work / "site", directory_urls=False, offline_date=date)
            meta = json.loads((site / "data/cases.json").read_text(encoding="utf-8"))
            zip_name, _ = offline.names(date)
            offline.package(site, staging / zip_name, date, meta["count"], exclude=UNUSED_THEME_FILES)
            for name in ("data/cases.json", "data/cases.csv", "data/case.schema.json", "feed.xml"):
                shutil.copyfile(site / name, staging / Path(name).name)
    except (BuildFailed, outputs.OutputError) as exc:
        _print_failure(exc, f"書き出しは行いませんでした。前回の {out.name}/ はそのまま残っています。")
        return 1
    print(f"書き出しました: {out}（事例 {meta['count']} 件、作成日 {date.isoformat()}）")
    for path in sorted(out.iterdir()):
        print(f"  {path.name:45s} {path.stat().st_size / 1024:10,.0f} KB")
    return 0


def _write_docs_tree(args) -> int:
    """The site's docs folder as the adapter hands it to the engine (generated pages plus
    docs_dir), for another engine to build (the Zensical canary) and the benchmark.

    Settings come from the config as for `build`; the folder is replaced whole or
    not at all, like site/."""
    import dataclasses
    import shutil

    from . import outputs, pipeline
    from .mkdocs_adapter import BuildFailed, docs_tree_settings
    from .site.markdown import RenderFailed
    failed = "ページは書き出しませんでした。前回の出力はそのまま残っています。"
    try:
        cases_root, options, docs_dir = docs_tree_settings(args.config, False if args.no_directory_urls else None)
        options = dataclasses.replace(options, source_relative_links=args.source_relative_links)
        result = pipeline.run(args.root or cases_root, options)
    except (BuildFailed, RenderFailed) as exc:  # RenderFailed: only a record that bypassed check
        _print_failure(exc, failed)
        return 1
    if result.check.diagnostics:
        print(format_for_build(result.check.diagnostics), file=sys.stderr)
    if not result.ok:
        print("事例ファイルにエラーがあるため、" + failed, file=sys.stderr)
        return 1
    try:
        with outputs.replacing(outputs.output_path(args.docs_out)) as staging:
            if docs_dir.is_dir():
                shutil.copytree(docs_dir, staging, dirs_exist_ok=True)
            result.tree.write(staging)
    except outputs.OutputError as exc:
        _print_failure(exc, failed)
        return 1
    print(f"ページ {len(result.tree.pages)} 枚とファイル {len(result.tree.files)} 個を書きました: {args.docs_out}")
    return 0


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m generator",
        description="自治体DX事例集の生成ツール: 事例ファイルを検査し、サイトとデータを作ります。\n"
                    "Generator of the Japanese local-government DX case catalogue: "
                    "checks case files and builds the site and data.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser,
                                title="コマンド / commands")

    check = sub.add_parser(
        "check", help="事例ファイルを検査する / check case files",
        description="事例ファイルを検査し、問題をすべて報告します。エラーがなければ終了コード 0、"
                    "エラーがあれば 1、使い方の誤りは 2。\n"
                    "Check case files and report every problem. Exit 0 when there is no error "
                    "(warnings allowed), 1 on any error, 2 on a usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="事例フォルダ（既定: cases/）、その中の都道府県フォルダ、または事例ファイル / "
                            "a cases root (default: cases/), a prefecture folder in it, or case files")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                       help="出力形式: text（人向け）、github（GitHub Actions の注釈）、json / "
                            "output form: text, github (Actions annotations), json (default: text)")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser(
        "new", help="新しい事例ファイルを作る / scaffold a new case",
        description="事例ファイルのひな形を正しい場所に作ります。団体コードは団体名から入ります。\n"
                    "Write a new case file at its proper path, with the municipality code filled in "
                    "and placeholders (【要記入】) that `check` flags until replaced.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("--municipality", required=True, metavar="NAME",
                     help="団体名（例: 裾野市）/ municipality name, e.g. 裾野市")
    new.add_argument("--prefecture", metavar="PREF",
                     help="同じ名前の団体が複数あるときの都道府県（例: 東京都 または tokyo）/ "
                          "prefecture, when the name is shared (e.g. 東京都 or tokyo)")
    new.add_argument("--slug", required=True,
                     help="ファイル名の名前の部分: 半角小文字英数字とハイフン、3〜60 文字 / "
                          "file-name part: a-z, 0-9, '-', 3 to 60 characters")
    new.add_argument("--title", required=True, help="事例の題名（60 文字以内）/ title, at most 60 characters")
    new.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                     help="事例フォルダ（既定: cases/）/ cases root (default: cases/)")
    new.set_defaults(func=cmd_new)

    build = sub.add_parser(
        "build", help="サイトを作る / build the site",
        description="事例を検査し、サイトを site/ に作ります。エラーがあれば作らず、前回のサイトを残します。"
                    "新しいサイトは隣の隠しフォルダに作ってから、まるごと入れ替えます。途中で止まっても、"
                    "ディスクがいっぱいでも、site/ は前回のままです。同じ出力先へのビルドは 1 つずつ動き、"
                    "後のものは先のものが終わるのを待ちます。"
                    "エラーはすべて示し、警告は規則ごとの件数だけを示します（1 件ずつは check で）。\n"
                    "Check the cases and build the site into site/ (via mkdocs.yml). On any error nothing "
                    "is written and the previous site stays as it was. The new site is built in a hidden "
                    "folder beside site/ and swapped in whole, so a killed build or a full disk leaves the "
                    "previous site; a second build of the same site waits for the first (lock: .site.lock). "
                    "Errors are printed in full, warnings as a count per rule (`check` lists each one).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                       help="MkDocs の設定ファイル（既定: mkdocs.yml）/ MkDocs config (default: mkdocs.yml)")
    build.add_argument("--site-dir", type=Path, help="出力先（既定: 設定の site_dir）/ output folder (default: site_dir)")
    build.add_argument("--no-directory-urls", action="store_true",
                       help="cases/x.html の形の URL で作る（ファイルから開く用）/ file URLs (cases/x.html), for opening from disk")
    build.add_argument("--docs-out", type=Path, metavar="DIR",
                       help="サイトではなく、生成したページと docs/ を Markdown のフォルダとして書き出す"
                            "（ほかのエンジンで作る用）/ write the docs folder (generated pages plus docs_dir) "
                            "instead of building, for another engine to build")
    build.add_argument("--source-relative-links", action="store_true",
                       help="--docs-out のページ内リンクを元ファイルからの相対にする（生の HTML のリンクも"
                            "書き換えるエンジン、Zensical 用）/ with --docs-out: links relative to each page's "
                            "source file, for engines that rebase links in raw HTML (Zensical)")
    build.add_argument("--root", type=Path,
                       help="--docs-out で使う事例フォルダ（既定: 設定の cases_dir）/ "
                            "cases root for --docs-out (default: the config's cases_dir)")
    build.set_defaults(func=cmd_build)

    export = sub.add_parser(
        "export", help="オフライン版とデータを書き出す / write the offline copy and open data",
        description="ファイルから開けるサイト（オフライン版 zip）と、cases.json・cases.csv・JSON Schema・"
                    "Atom フィードを dist/ に書き出します。dist/ はまるごと入れ替わり、失敗や中断では前回のままです。\n"
                    "Write dist/: the offline zip (the site built for file://, named with the build date), "
                    "cases.json, cases.csv (Excel), the JSON Schema and the Atom feed. dist/ is replaced "
                    "whole or not at all (lock: .dist.lock).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                        help="MkDocs の設定ファイル（既定: mkdocs.yml）/ MkDocs config (default: mkdocs.yml)")
    export.add_argument("--out", type=Path, default=Path("dist"), help="出力先（既定: dist/）/ output folder (default: dist/)")
    export.set_defaults(func=cmd_export)
    add_tooling_commands(sub)
    add_stats_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        status = args.func(args)
        sys.stdout.flush()  # output still buffered meets a reader that left here, not at exit
        return status
    except UsageError as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:  # the engine choice or install, found when the adapter loads
        _print_failure(exc, "サイトは作られませんでした。前回の出力はそのまま残っています。")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `... | head`: the reader left; stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
