"""Stage 2, check: every rule of the record format, all problems at once.

`check_root` reads the cases under a root (or some of them), checks each file
(front matter, body, where it lives), then the rules that span records
(unique IDs, references). It returns the records that passed, with their
checked values, for the model, and every diagnostic, sorted.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import casefiles, load, synonyms, vocabulary
from .. import dates
from ..diagnostics import Diagnostic, Reporter
from ..municipalities import Registry, registry
from ..suggest import did_you_mean
from .body import check_body
from .folder import folder_diagnostics
from .fields import FieldChecker
from .renderable import check_renderable
from .quality import check_cycles, check_quality
from .values import INVALID, date_parts, date_start

FILE_NAME = re.compile(r"^([0-9]{6})-([a-z0-9-]{3,60})$")


@dataclass
class FileContext:
    report: Reporter
    registry: Registry
    areas: list[str]
    today: dt.date
    case_dir: Path
    references: list = field(default_factory=list)  # (key path, case ID, node)
    accepted: dict = field(default_factory=dict)    # key path → [(node, value)] the value rules accepted
    sibling_name: str | None = None
    folder: casefiles.CaseFolder = field(default_factory=casefiles.CaseFolder)  # the case's own folder


@dataclass
class CheckedCase:
    """A record with no errors: where it is, its checked front-matter values, its body."""

    path: Path
    display: str
    data: dict
    body: str
    body_line: int
    headings: list[str]

    @property
    def case_id(self) -> str:
        return self.path.stem


@dataclass
class CheckResult:
    cases: list[CheckedCase]
    diagnostics: list[Diagnostic]
    files: int
    areas: list[vocabulary.Area] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)  # search synonym groups

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class _Outcome:
    """What checking one file gives; plain data, so worker processes can return it."""

    diagnostics: list[Diagnostic]
    case: CheckedCase | None  # None when the file has errors
    references: list  # (key path, case ID, line, column), also from a file with errors
    display: str
    case_id: str


PARALLEL_FROM = 400  # files; below this a worker pool costs more than it saves


def _display(path: Path, base: str) -> str:
    """The path as shown to people: relative to the working folder when inside it."""
    absolute = os.path.abspath(path)
    return absolute[len(base) + 1:] if absolute.startswith(base + os.sep) else absolute


def check_root(root: Path, files: list[Path] | None = None, today: dt.date | None = None,
               display_base: Path | None = None, build_day: dt.date | None = None,
               cache=None) -> CheckResult:
    """Check the cases under ``root``; only ``files`` when given (IDs still come from all).

    ``today`` (default: the real date) is what a date may not be after. ``build_day``
    is what a record's age is measured from: the build date (SOURCE_DATE_EPOCH when
    set, else ``today`` when given), so the stale warning and the stale notice on the
    case page agree, and a reproducible build dated in the past refuses nothing.

    ``cache`` (incremental.CheckCache, the preview's): files unchanged since the previous
    call keep their outcome; the rules that span records run over every file all the same.
    """
    build_day = build_day or today or dates.build_date()
    today = today or dt.date.today()
    base = os.path.abspath(display_base or Path.cwd())
    root_report = Reporter(_display(root / vocabulary.FILE_NAME, base))
    vocab = vocabulary.load_vocabulary(root, root_report)
    synonym_report = Reporter(_display(root / synonyms.FILE_NAME, base))
    groups = synonyms.load_synonyms(root, synonym_report)
    areas = [a.name for a in vocab]
    folder_problems: list[load.FolderProblem] = []
    all_files = load.discover(root, folder_problems)
    targets = sorted(set(files)) if files is not None else all_files
    settings = (root, areas, (today, build_day), base)
    cached = {}
    if cache is not None:
        cache.begin(settings)
        cached = {path: outcome for path in targets if (outcome := cache.lookup(path)) is not None}
    to_check = [path for path in targets if path not in cached]
    if len(to_check) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        workers = min(os.cpu_count() or 1, 8)
        chunks = [to_check[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            fresh = pool.map(_check_chunk, [(settings, chunk) for chunk in chunks])
    else:
        chunks, fresh = [to_check], [_check_chunk((settings, to_check))]
    for chunk, chunk_outcomes in zip(chunks, fresh):
        cached.update(zip(chunk, chunk_outcomes))
        if cache is not None:
            for path, outcome in zip(chunk, chunk_outcomes):
                cache.store(path, outcome)
    if cache is not None:
        cache.retain(targets)
    outcomes = [cached[path] for path in targets]
    diagnostics = list(root_report.items) + synonym_report.items
    for outcome in outcomes:
        diagnostics.extend(outcome.diagnostics)
    diagnostics += [Diagnostic(_display(p.path, base), 1, 1, "error", p.rule, p.message, p.hint)
                    for p in folder_problems]
    ids = _check_ids(all_files, base, targets, diagnostics)
    checked = []
    for outcome in outcomes:
        report = Reporter(outcome.display)
        _check_references(outcome.case_id, outcome.references, ids, report)
        diagnostics.extend(report.items)
        if outcome.case is not None:
            checked.append(outcome.case)
    diagnostics.extend(check_cycles([(o.case_id, o.display, o.references) for o in outcomes]))
    failed = {d.file for d in diagnostics if d.is_error}
    checked = sorted((c for c in checked if c.display not in failed), key=lambda c: c.case_id)
    diagnostics.sort(key=Diagnostic.sort_key)
    return CheckResult(checked, diagnostics, len(targets), vocab, synonyms=groups)


def _check_chunk(job) -> list[_Outcome]:
    (root, areas, (today, build_day), base), paths = job
    reg = registry()
    root_abs = os.path.abspath(root)
    return [check_file(path, Reporter(_display(path, base)), root_abs, reg, areas, today, build_day)
            for path in paths]


def check_file(path: Path, report: Reporter, root: str, reg: Registry, areas: list[str],
               today: dt.date, build_day: dt.date | None = None) -> _Outcome:
    """Every check of one file; the record-level ones use whatever values were valid,
    so a field error does not hide the other problems of the record."""
    folder = casefiles.scan(path.with_suffix(""))
    report.items.extend(folder_diagnostics(folder, report.file))
    source = load.read_case(path, report.file, report)
    if source is None:
        _check_location(path, root, None, report, reg)
        return _Outcome(report.items, None, [], report.file, path.stem)
    ctx = FileContext(report, reg, areas, today, path.with_suffix(""), folder=folder)
    data = FieldChecker(ctx).check_front(source.front)
    if not check_renderable(source.body, source.body_line, report):
        headings = check_body(source.body, source.body_line, ctx.case_dir, report, folder)
    else:
        headings = []  # a body over the length limit is not read further: its checks could take minutes
    _check_timeline(ctx.accepted.get("timeline.date", []), report)
    _check_updated(ctx.accepted.get("updated", []), today, report)
    check_quality(source.front, ctx.accepted, build_day or today, report)
    codes = ctx.accepted.get("municipality.code", [])
    _check_location(path, root, codes[0] if codes else None, report, reg)
    references = [(p, value, node.line, node.column) for p, value, node in ctx.references]
    case = None
    if data is not INVALID:
        case = CheckedCase(path, report.file, data, source.body, source.body_line, headings)
    return _Outcome(report.items, case, references, report.file, path.stem)


def _precision(parts: tuple) -> int:
    return sum(1 for p in parts if p is not None)


def _check_timeline(dates: list, report: Reporter) -> None:
    """Dates ascending: each compared, at the precision both have, with the latest before it."""
    latest = None  # (parts, text) of the latest date so far
    for node, value in dates:
        parts = date_parts(value)
        if latest is not None:
            common = min(_precision(parts), _precision(latest[0]))
            if parts[:common] < latest[0][:common]:
                report.at(node, "timeline-order",
                          f"timeline の日付が古い順になっていません（{value} が {latest[1]} の後にあります）",
                          hint="timeline は日付の古い順に並べてください")
        if latest is None or date_start(value) > date_start(latest[1]):
            latest = (parts, value)


def _check_updated(updated: list, today: dt.date, report: Reporter) -> None:
    for node, value in updated:
        if date_start(value) > today:
            report.at(node, "date-future", f"updated（最終確認日）の {value} が未来の日付です",
                      hint=f"内容を確認した日（今日なら \"{today.isoformat()}\"）を書いてください")


def _check_location(path: Path, root: str, accepted_code: tuple | None, report: Reporter,
                    reg: Registry) -> None:
    """cases/<prefecture>/<code>-<slug>.md, agreeing with municipality.code when it is valid.

    ``accepted_code`` is the (node, value) of a valid municipality.code, or None.
    """
    absolute = os.path.abspath(path)
    if not absolute.startswith(root + os.sep):
        report.error("path-layout", f"事例ファイルは事例フォルダ {root} の中に置いてください",
                     hint="cases/<都道府県>/<団体コード>-<名前>.md")
        return
    parts = absolute[len(root) + 1:].split(os.sep)
    if len(parts) != 2 or path.suffix != ".md":
        report.error("path-layout", "事例ファイルの場所が正しくありません",
                     hint="cases/<都道府県のローマ字>/<団体コード>-<名前>.md に置いてください")
        return
    folder = parts[0]
    match = FILE_NAME.match(path.stem)
    if not match:
        report.error("path-name", f"ファイル名「{path.name}」が「<団体コード6桁>-<名前>.md」の形になっていません",
                     hint="名前は半角の小文字英字・数字・ハイフンで 3〜60 文字（例: 222208-okuyami-one-stop.md）")
    if folder not in reg.prefecture_by_romaji:
        report.error("path-prefecture", f"フォルダ名「{folder}」は都道府県のローマ字名ではありません",
                     hint=did_you_mean(folder, reg.prefecture_by_romaji) or "例: hokkaido, tokyo, shizuoka")
    if accepted_code is None:
        return
    code_node, code = accepted_code
    if match and match.group(1) != code:
        report.at(code_node, "path-code",
                  f"ファイル名の団体コード {match.group(1)} と municipality.code の {code} が一致しません",
                  hint=f"ファイル名を {code}-{match.group(2)}.md にするか、団体コードを確かめてください")
    expected = reg.prefecture_of(reg.by_code[code])
    if folder in reg.prefecture_by_romaji and folder != expected.romaji:
        report.at(code_node, "path-prefecture",
                  f"{reg.by_code[code].full_name} の事例は cases/{expected.romaji}/ に置いてください（今は cases/{folder}/）",
                  hint=f"cases/{expected.romaji}/{path.name}")


def _check_ids(all_files: list[Path], base: str, targets: list[Path],
               diagnostics: list[Diagnostic]) -> set[str]:
    by_id: dict[str, list[Path]] = {}
    for path in all_files:
        by_id.setdefault(path.stem, []).append(path)
    target_set = set(targets)
    for case_id, paths in by_id.items():
        if len(paths) > 1:
            for path in paths:
                if path not in target_set:
                    continue
                others = "、".join(_display(p, base) for p in paths if p != path)
                report = Reporter(_display(path, base))
                report.error("id-duplicate", f"事例 ID「{case_id}」が他のファイル（{others}）と重なっています",
                             hint="事例 ID はファイル名です。名前の部分を変えて重ならないようにしてください")
                diagnostics.extend(report.items)
    return set(by_id)


def _check_references(own: str, refs: list, ids: set[str], report: Reporter) -> None:
    """inspired_by / related name existing cases other than this one (``own``, its ID)."""
    seen = set()
    for path, target, line, column in refs:
        if (path, target) in seen:
            continue  # a repeated item is reported as such, once
        seen.add((path, target))
        if target == own:
            report.error("ref-self", f"{path} に自分自身（{target}）は書けません", line, column)
        elif target not in ids:
            report.error("ref-unknown", f"{path} の事例「{target}」が見つかりません",
                         line, column,
                         hint=did_you_mean(target, ids, 0.7) or "事例ファイルの名前（.md を除く）を書いてください")
