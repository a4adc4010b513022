"""The contributor tools' commands (new, fix, from-issue, reference, links,
stats): helpers around the case files, not stages of the build. They are kept
out of `cli.py` so the pipeline's commands (check, build, export) read on
their own.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .cli_common import DEFAULT_ROOT, UsageError, group_paths
from .diagnostics import FORMATTERS, summary
from .scaffold import ScaffoldError, new_case
from .vocabulary import FILE_NAME as VOCABULARY


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


def _case_files(paths: list[Path]) -> tuple[list[Path], list]:
    """The case files a list of command-line paths stands for (as `check` reads them), and
    diagnostics for the folders left out (unreadable, or a link), which a tool must name
    rather than pass over.

    A folder given that cannot be read is left out on its own: `check` reads the
    whole root then, to name it, but `fix --write` must not touch cases it was not given.
    """
    from . import load
    from .diagnostics import Diagnostic
    from .fix import display_path
    files: list[Path] = []
    left_out: list[load.FolderProblem] = []
    given = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.scandir(path).close()
        except OSError as exc:
            left_out.append(load.unreadable_folder(path, exc))
            continue
        given.append(path)
    for root, selected in group_paths(given).items():
        files.extend(selected if selected is not None else load.discover(root, left_out))
    return files, [Diagnostic(display_path(p.path), 1, 1, "error", p.rule, p.message, p.hint) for p in left_out]


def _report_left_out(left_out: list, consequence: str) -> int:
    """Name the folders a contributor tool could not read (stderr); 1 when there are any."""
    if not left_out:
        return 0
    print(FORMATTERS["text"](left_out), file=sys.stderr)
    print(f"読めないフォルダがあります。{consequence}make check で確かめてください。", file=sys.stderr)
    return 1


def cmd_fix(args) -> int:
    from . import fix
    files, left_out = _case_files(args.paths or [DEFAULT_ROOT])
    status = fix.run(files, args.write, sys.stdout, sys.stderr)
    return _report_left_out(left_out, "その中の事例は直していません。") or status


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
    files, left_out = _case_files(args.paths or [DEFAULT_ROOT])
    found, problems = links.list_links(files, display_path)
    print(links.FORMATTERS[args.format](found))
    status = 0
    if problems:
        print(FORMATTERS["text"](problems), file=sys.stderr)
        print("読めないファイルがあります。make check で確かめてください。", file=sys.stderr)
        status = 1
    else:
        print(f"URL {len(found)} 件（{len({link.url for link in found})} 種類）", file=sys.stderr)
    return _report_left_out(left_out, "その中の事例の URL は一覧にありません。") or status


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


def add_stats_command(sub) -> None:
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


def add_tooling_commands(sub) -> None:
    """fix, from-issue, reference, links: the contributor tooling of issue 6."""
    fix = sub.add_parser(
        "fix", help="機械的に直せる誤りを直す / apply the safe fixes",
        description="check の指摘のうち、直し方が 1 つに決まるものを直します: 団体コードの引用符、"
                    "全角の数字・英字（団体コード・日付・電話・メール・URL）、団体名のケ/ヶ、和暦の日付、"
                    "経過（timeline）の順序、行末の空白、ファイル名だけの古い書き方のパス（<事例ID>/ファイル名 に）。"
                    "コメントや書き方はそのまま残します。\n"
                    "既定では差分を表示するだけで、--write を付けたときだけ書き換えます。"
                    "終了コード: 直すところがなければ 0、直すところがあれば 1（--write では書き換えて 0）、"
                    "読めないファイルやフォルダがあれば 1。\n\n"
                    "Apply the fixes that have exactly one right answer: quote municipality codes, fold "
                    "full-width digits and letters in codes, dates, phones, e-mail addresses and URLs, the "
                    "official ケ/ヶ spelling of names, era dates to Western dates, timeline order, trailing "
                    "spaces, bare attachment paths made relative to the case file (<id>/name). Text-level edits: comments and formatting are kept. Shows a unified diff; "
                    "writes only with --write. Exit 0 when nothing is left to fix, 1 when fixes are pending or a "
                    "file or folder could not be read (each is named).",
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
                    "接続の確認はしません（.github/workflows/links.yml が行います）。"
                    "読めないファイルやフォルダがあれば、それを示して終了コード 1 です。\n"
                    "List every URL of the case records (sources, resources, contacts) with file:line. "
                    "Nothing is fetched: the weekly workflow checks them. Exit 1 when a file or folder "
                    "could not be read (each is named).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    links_cmd.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                           help="事例フォルダ（既定: cases/）、都道府県フォルダ、または事例ファイル / "
                                "a cases root (default: cases/), a prefecture folder, or case files")
    links_cmd.add_argument("--format", choices=["markdown", "json"], default="markdown",
                           help="出力形式 / output form (default: markdown)")
    links_cmd.set_defaults(func=cmd_links)
