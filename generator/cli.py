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
from .scaffold import ScaffoldError, new_case
from .vocabulary import FILE_NAME as VOCABULARY

DEFAULT_ROOT = Path("cases")


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Japanese and English, exit 2."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 使い方の誤り / usage error: {message}", file=sys.stderr)
        print(f"詳しくは / see: {self.prog} --help", file=sys.stderr)
        sys.exit(2)


def _root_of(path: Path) -> tuple[Path, list[Path] | None]:
    """(cases root, files to check or None for all) for one command-line path."""
    if os.path.isdir(path):  # os.path: a folder that cannot be read is no traceback
        if os.path.isfile(path / VOCABULARY) or not os.path.isfile(path.parent / VOCABULARY):
            return path, None
        if not os.access(path, os.R_OK | os.X_OK):
            return path.parent, None  # the whole root is checked, which names the unreadable folder
        return path.parent, sorted(p for p in path.glob("*.md") if p.is_file() or p.is_symlink())
    for parent in list(path.parents)[:3]:
        if os.path.isfile(parent / VOCABULARY):
            return parent, [path]
    return path.parent.parent, [path]


def _group_paths(paths: list[Path]) -> dict[Path, list[Path] | None]:
    groups: dict[Path, list[Path] | None] = {}
    for path in paths:
        try:
            os.lstat(path)
        except FileNotFoundError:
            raise UsageError(f"パスがありません / no such path: {path}") from None
        except OSError as exc:
            raise UsageError(f"パスを読めません / cannot read the path: {path}: {exc.strerror}") from None
        root, files = _root_of(path)
        if files is None or groups.get(root, []) is None:
            groups[root] = None
        else:
            groups.setdefault(root, []).extend(files)
    return groups


def cmd_check(args) -> int:
    paths = args.paths or [DEFAULT_ROOT]
    diagnostics, files = [], 0
    for root, selected in _group_paths(paths).items():
        result = check_root(root, selected)
        diagnostics.extend(result.diagnostics)
        files += result.files
    if diagnostics or args.format == "json":
        print(FORMATTERS[args.format](diagnostics))
    if args.format != "json":
        print(summary(diagnostics, files), file=sys.stderr)
    return 1 if any(d.is_error for d in diagnostics) else 0


def cmd_new(args) -> int:
    try:
        path = new_case(args.root, args.municipality, args.prefecture, args.slug, args.title)
    except ScaffoldError as exc:
        print(f"エラー: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"    ヒント: {exc.hint}", file=sys.stderr)
        return 1
    print(f"作成しました: {path}")
    print("「【要記入】」をすべて書き換えてから、make check（python -m generator check）で確かめてください。")
    return 0


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
    """The generated pages as a plain docs folder, for any engine (and the benchmark)."""
    from . import pipeline
    from .site.markdown import RenderFailed
    from .site.pages import SiteOptions
    try:
        result = pipeline.run(args.root, SiteOptions(directory_urls=not args.no_directory_urls))
    except RenderFailed as exc:  # only a record that bypassed check gets here
        _print_failure(exc, "ページは書き出しませんでした。")
        return 1
    if result.check.diagnostics:
        print(format_for_build(result.check.diagnostics), file=sys.stderr)
    if not result.ok:
        return 1
    result.tree.write(args.docs_out)
    print(f"ページ {len(result.tree.pages)} 枚とファイル {len(result.tree.files)} 個を書きました: {args.docs_out}")
    return 0


def _case_files(paths: list[Path]) -> list[Path]:
    """The case files a list of command-line paths stands for (as `check` reads them)."""
    from . import load
    files: list[Path] = []
    for root, selected in _group_paths(paths).items():
        files.extend(selected if selected is not None else load.discover(root))
    return files


def cmd_fix(args) -> int:
    from . import fix
    return fix.run(_case_files(args.paths or [DEFAULT_ROOT]), args.write, sys.stdout, sys.stderr)


def cmd_from_issue(args) -> int:
    from . import intake
    from .diagnostics import format_text
    if str(args.file) == "-":
        data, shown = sys.stdin.buffer.read(), "標準入力"
    elif not args.file.is_file():
        raise UsageError(f"ファイルがありません / no such file: {args.file}")
    else:
        data, shown = args.file.read_bytes(), str(args.file)
    if not (args.root / VOCABULARY).is_file():
        raise UsageError(f"事例フォルダ {args.root} に {VOCABULARY} がありません。--root を確かめてください / "
                         f"no {VOCABULARY} in the cases root {args.root}")
    try:
        body = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(f"{shown}: エラー: Issue の本文が UTF-8 として読めません。UTF-8 で保存し直してください", file=sys.stderr)
        return 1
    try:
        result = intake.intake(body, args.root)
    except intake.IntakeError as exc:
        print(f"{shown}: エラー: {exc}", file=sys.stderr)
        print("    ヒント: GitHub の投稿フォーム（事例を投稿する）で作った Issue の本文をそのまま渡してください",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"エラー: 事例ファイルを書けません: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.format == "text":
        for d in result.diagnostics:
            print(format_text([d]))
            if d.line in result.origin:
                print(f"    フォームの項目: 「{result.origin[d.line]}」")
    elif result.diagnostics or args.format == "json":
        print(FORMATTERS[args.format](result.diagnostics))
    if result.ok:
        print(f"作成しました: {result.path}", file=sys.stderr)
        for message in result.fixed:
            print(f"    回答を直しました: {message}", file=sys.stderr)
        return 0
    print(summary(result.diagnostics, 1).replace("1 件のファイルを検査", "フォームの回答を検査"), file=sys.stderr)
    print(f"回答に誤りがあるため、{result.display} は作りませんでした。", file=sys.stderr)
    return 1


def cmd_reference(args) -> int:
    from . import reference
    text = reference.render()
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"エラー: 書けません: {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"書きました: {args.out}", file=sys.stderr)
    return 0


def cmd_links(args) -> int:
    from . import links
    from .fix import display_path
    found, problems = links.list_links(_case_files(args.paths or [DEFAULT_ROOT]), display_path)
    print(links.FORMATTERS[args.format](found))
    if problems:
        print(FORMATTERS["text"](problems), file=sys.stderr)
        print("読めないファイルがあります。make check で確かめてください。", file=sys.stderr)
        return 1
    print(f"URL {len(found)} 件（{len({link.url for link in found})} 種類）", file=sys.stderr)
    return 0


def cmd_stats(args) -> int:
    from . import stats
    if not (args.root / VOCABULARY).is_file():
        raise UsageError(f"事例フォルダ {args.root} に {VOCABULARY} がありません。--root を確かめてください / "
                         f"no {VOCABULARY} in the cases root {args.root}")
    counts, failed = stats.collect(args.root)
    print(stats.FORMATTERS[args.format](counts))
    if failed:
        print(f"エラーのある事例ファイル {failed} 件は数えていません。make check で確かめてください。", file=sys.stderr)
        return 1
    return 0


def _add_stats_command(sub) -> None:
    stats = sub.add_parser(
        "stats", help="事例の数を数える / count the cases",
        description="事例集の数を数えます: 事例、都道府県、団体の種類、分野、参考にした事例のつながり、"
                    "人口・費用・電話か URL の問い合わせ先・出典のある事例、着手と開始の両方がある事例と"
                    "その間の月数の中央値。エラーのある事例は数えず、終了コード 1 になります。\n"
                    "Count the knowledge base as the site sees it: cases, prefectures, municipality types, "
                    "areas covered, inspired_by links, cases with population, cost, a phone or URL contact, "
                    "sources, both kick-off and launch (and the median months between). Cases with errors "
                    "are not counted and the exit code is 1.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    stats.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                       help="事例フォルダ（既定: cases/）/ cases root (default: cases/)")
    stats.add_argument("--format", choices=["text", "json"], default="text",
                       help="出力形式 / output form (default: text)")
    stats.set_defaults(func=cmd_stats)


def _add_tooling_commands(sub) -> None:
    """fix, from-issue, reference, links: the contributor tooling of issue 6."""
    fix = sub.add_parser(
        "fix", help="機械的に直せる誤りを直す / apply the safe fixes",
        description="check の指摘のうち、直し方が 1 つに決まるものを直します: 団体コードの引用符、"
                    "全角の数字・英字（団体コード・日付・電話・メール・URL）、団体名のケ/ヶ、和暦の日付、"
                    "経過（timeline）の順序、行末の空白、ファイル名だけの古い書き方のパス（<事例ID>/ファイル名 に）。"
                    "コメントや書き方はそのまま残します。\n"
                    "既定では差分を表示するだけで、--write を付けたときだけ書き換えます。"
                    "終了コード: 直すところがなければ 0、直すところがあれば 1（--write では書き換えて 0）。\n\n"
                    "Apply the fixes that have exactly one right answer: quote municipality codes, fold "
                    "full-width digits and letters in codes, dates, phones, e-mail addresses and URLs, the "
                    "official ケ/ヶ spelling of names, era dates to Western dates, timeline order, trailing "
                    "spaces, bare attachment paths made relative to the case file (<id>/name). Text-level edits: comments and formatting are kept. Shows a unified diff; "
                    "writes only with --write. Exit 0 when nothing is left to fix, 1 when fixes are pending.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    fix.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                     help="事例フォルダ（既定: cases/）、都道府県フォルダ、または事例ファイル / "
                          "a cases root (default: cases/), a prefecture folder, or case files")
    fix.add_argument("--write", action="store_true",
                     help="ファイルを書き換える（付けなければ差分の表示だけ）/ write the fixes (default: show the diff)")
    fix.set_defaults(func=cmd_fix)

    from_issue = sub.add_parser(
        "from-issue", help="投稿フォームの Issue から事例ファイルを作る / case file from an issue form",
        description="GitHub の投稿フォーム（事例を投稿する）で作られた Issue の本文から事例ファイルを作り、"
                    "正しい場所に書きます。回答に誤りがあれば、check と同じ形で指摘し、何も書きません"
                    "（終了コード 1）。\n"
                    "Build a case file from the body of an issue made with the case submission form, "
                    "check it with the rules of `check` and write it at its proper path under --root. "
                    "When an answer is wrong, print the diagnostics for the would-be file and write nothing "
                    "(exit 1).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    from_issue.add_argument("file", type=Path, metavar="FILE",
                            help="Issue の本文のファイル（- なら標準入力）/ the issue body, or - for stdin")
    from_issue.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                            help="事例フォルダ（既定: cases/）/ cases root (default: cases/)")
    from_issue.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                            help="指摘の出力形式: text、github、json / diagnostics form (default: text)")
    from_issue.set_defaults(func=cmd_from_issue)

    reference = sub.add_parser(
        "reference", help="項目の一覧（Markdown）を作る / print the field reference",
        description="JSON Schema から、事例ファイルの項目の一覧（docs/field-reference.md）を Markdown で作ります。\n"
                    "Print the field reference (docs/field-reference.md) generated from the JSON Schema, "
                    "as Markdown.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    reference.add_argument("--out", type=Path, metavar="FILE",
                           help="書き出すファイル（既定: 標準出力）/ write to FILE instead of stdout "
                                "(e.g. docs/field-reference.md)")
    reference.set_defaults(func=cmd_reference)

    links_cmd = sub.add_parser(
        "links", help="事例の URL を一覧にする / list the URLs of the cases",
        description="事例ファイルに書かれた URL（出典・資料・問い合わせ先）を、ファイル名と行番号とともに一覧にします。"
                    "接続の確認はしません（.github/workflows/links.yml が行います）。\n"
                    "List every URL of the case records (sources, resources, contacts) with file:line. "
                    "Nothing is fetched: the weekly workflow checks them.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    links_cmd.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                           help="事例フォルダ（既定: cases/）、都道府県フォルダ、または事例ファイル / "
                                "a cases root (default: cases/), a prefecture folder, or case files")
    links_cmd.add_argument("--format", choices=["markdown", "json"], default="markdown",
                           help="出力形式 / output form (default: markdown)")
    links_cmd.set_defaults(func=cmd_links)


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
                       help="サイトではなく、生成したページを Markdown のフォルダとして書き出す / "
                            "write the generated pages as a plain docs folder instead of building")
    build.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                       help="--docs-out で使う事例フォルダ（既定: cases/）/ cases root for --docs-out (default: cases/)")
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
    _add_tooling_commands(sub)
    _add_stats_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"{parser.prog}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
