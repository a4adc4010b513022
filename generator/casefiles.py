"""A case's own folder: which files in it may be published, and how the body names them.

The folder (`cases/<pref>/<id>/`) is contributed content, so nothing in it is
trusted: a symlink would publish whatever it points at (`/proc/self/environ`),
an HTML or SVG file would run script on the site's origin, a FIFO would stall
the build, and a name like `CON` or `a\\b` breaks the offline zip on Windows.
`scan` is the one judge, used by `check` (which reports each refused file)
and by the build (which publishes only what `scan` accepts, so it stays safe
when the checker is bypassed). It never follows a link: the folder is opened
with O_NOFOLLOW and every file by name relative to that open folder, so a
path can only be a plain file directly inside it.

Paths in the body and in `resources[].file` are read as GitHub and Markdown
editors read them, relative to the Markdown file: `<id>/map.png`. The older
bare form (`map.png`) still names the same file, with a warning `fix` rewrites.
"""

from __future__ import annotations

import os
import stat
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from . import filekinds

MAX_FILE_BYTES = 10 * 1024 * 1024     # one attached file
MAX_FOLDER_BYTES = 30 * 1024 * 1024   # all files of one case folder
MAX_FILES = 100                       # files in one case folder
MAX_NAME = 100                        # characters of a file name

UNSAFE_CHARACTERS = set('\\/:*?"<>|#%')
RESERVED_NAMES = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                  | {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³"})
NAME_HINT = "半角の英数字・ハイフン・アンダースコアを使った短い名前（例: map.png、shiyousho-2023.pdf）に変えてください"
_MiB = 1024 * 1024
TOO_LARGE = f"1 ファイル {MAX_FILE_BYTES // _MiB} MiB（{MAX_FILE_BYTES:,} バイト）までです"


@dataclass(frozen=True)
class Problem:
    """A refused entry of a case folder; ``name`` None is the folder itself."""

    name: str | None
    rule: str
    message: str
    hint: str


@dataclass
class CaseFolder:
    files: dict[str, bytes | None] = field(default_factory=dict)  # publishable name → content (if kept)
    present: set[str] = field(default_factory=set)                 # every name in the folder
    problems: list[Problem] = field(default_factory=list)


def shown(name: str) -> str:
    """A name as it can be printed: control characters and undecodable bytes as escapes."""
    out = []
    for char in name:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs"):
            code = ord(char)
            out.append(f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def windows_problem(name: str) -> str | None:
    """Why a file name cannot be extracted on Windows (or printed), or None."""
    bad = sorted({c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs")})
    if any(0xdc80 <= ord(c) <= 0xdcff for c in bad):
        return "ファイル名に UTF-8 で読めない文字があります"
    if bad:
        return "ファイル名に制御文字（" + "、".join(f"U+{ord(c):04X}" for c in bad) + "）があります"
    unsafe = sorted(set('\\/:*?"<>|') & set(name))
    if unsafe:
        return "ファイル名に使えない文字（" + " ".join(unsafe) + "）があります"
    if name.endswith((".", " ")):
        return "ファイル名の最後が「.」か空白になっています（Windows で扱えません）"
    if name.split(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
        return f"ファイル名「{name.split('.')[0]}」は Windows で使えない名前です"
    return None


def name_problem(name: str) -> str | None:
    """Why a file name is unsafe for an attachment (on Windows, in a URL, in a zip), or None."""
    problem = windows_problem(name)
    if problem:
        return problem
    unsafe = sorted(UNSAFE_CHARACTERS & set(name))
    if unsafe:
        return "ファイル名に使えない文字（" + " ".join(unsafe) + "）があります"
    if len(name) > MAX_NAME:
        return f"ファイル名が長すぎます（{len(name)} 文字）。{MAX_NAME} 文字までです"
    if name.startswith("."):
        return "名前が「.」で始まるファイル（隠しファイル）は置けません"
    return None


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _read(folder_fd: int, name: str, limit: int) -> bytes:
    """The bytes of a regular file in the open folder, never through a link nor from a FIFO."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                 dir_fd=folder_fd)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or opened.st_nlink > 1:
            raise OSError(0, "通常のファイルではありません")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def scan(case_dir: Path, keep: bool = False) -> CaseFolder:
    """Every entry of a case folder judged; ``keep`` also returns the accepted files' bytes.

    A missing folder is an empty one (attachments are optional).
    """
    folder = CaseFolder()
    problem = folder.problems.append
    case_id = case_dir.name
    try:
        info = os.lstat(case_dir)
    except FileNotFoundError:
        return folder
    except OSError as exc:
        problem(Problem(None, "asset-unreadable", f"事例のフォルダを読めません: {_reason(exc)}",
                        "フォルダの読み取り権限を確かめてください"))
        return folder
    if stat.S_ISLNK(info.st_mode):
        problem(Problem(None, "asset-link", "事例のフォルダがシンボリックリンクです。リンクは公開できません",
                        f"リンクを消し、画像や資料を {case_id}/ という普通のフォルダに入れてください"))
        return folder
    if not stat.S_ISDIR(info.st_mode):
        problem(Problem(None, "asset-special", f"「{case_id}」はフォルダではありません",
                        f"画像や資料は {case_id}/ という名前のフォルダに入れてください"))
        return folder
    try:
        folder_fd = os.open(case_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        problem(Problem(None, "asset-unreadable", f"事例のフォルダを読めません: {_reason(exc)}",
                        "フォルダの読み取り権限を確かめてください"))
        return folder
    try:
        _scan_open(folder_fd, case_id, folder, keep)
    finally:
        os.close(folder_fd)
    return folder


def _scan_open(folder_fd: int, case_id: str, folder: CaseFolder, keep: bool) -> None:
    problem = folder.problems.append
    try:
        with os.scandir(folder_fd) as entries:
            listed = sorted((entry.name, entry.stat(follow_symlinks=False)) for entry in entries)
    except OSError as exc:
        problem(Problem(None, "asset-unreadable", f"事例のフォルダを読めません: {_reason(exc)}",
                        "フォルダの読み取り権限を確かめてください"))
        return
    seen: dict[str, str] = {}
    total = 0
    accepted: dict[str, bytes] = {}
    for name, info in listed:
        folder.present.add(name)
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            problem(Problem(name, "asset-link", "シンボリックリンクは置けません（リンク先が公開されてしまうため）",
                            "リンクを消し、公開してよいファイルそのものを置いてください"))
            continue
        if stat.S_ISDIR(mode):
            problem(Problem(name, "asset-nested", "事例のフォルダの中にフォルダは置けません",
                            f"中のファイルを {case_id}/ の直下に移し、このフォルダを消してください"))
            continue
        if not stat.S_ISREG(mode):
            problem(Problem(name, "asset-special", "通常のファイルではありません（名前付きパイプ・デバイスなど）",
                            "このファイルを消してください"))
            continue
        if info.st_nlink > 1:  # git never checks one out; another name of it may be any file
            problem(Problem(name, "asset-link", "ハードリンクは置けません（リンク先が公開されてしまうため）",
                            "リンクを消し、公開してよいファイルそのものを置いてください"))
            continue
        unsafe = name_problem(name)
        if unsafe:
            problem(Problem(name, "asset-name", unsafe, NAME_HINT))
            continue
        ext = filekinds.extension(name)
        if ext not in filekinds.ALLOWED:
            what, why, fix = filekinds.REFUSED.get(ext, ("この種類のファイル", "", ""))
            problem(Problem(name, "asset-kind", f"{what}は事例のフォルダに置けません" + (f"（{why}）" if why else ""),
                            fix or f"置けるのは{filekinds.ALLOWED_TEXT}です"))
            continue
        folded = _fold(name)
        if folded in seen:
            problem(Problem(name, "asset-name-clash",
                            f"ファイル名が「{seen[folded]}」と大文字・小文字の違いしかありません（Windows では同じ名前です）",
                            "どちらかの名前を変えてください"))
            continue
        seen[folded] = name
        if info.st_size > MAX_FILE_BYTES:
            problem(Problem(name, "asset-too-large",
                            f"ファイルが大きすぎます（{info.st_size:,} バイト）。{TOO_LARGE}",
                            "画像は縮小するか JPEG にし、PDF は画質を下げて保存し直してください"))
            continue
        try:
            data = _read(folder_fd, name, MAX_FILE_BYTES)
        except OSError as exc:
            problem(Problem(name, "asset-unreadable", f"ファイルを読めません: {_reason(exc)}",
                            "ファイルの読み取り権限を確かめてください"))
            continue
        if len(data) > MAX_FILE_BYTES:
            problem(Problem(name, "asset-too-large",
                            f"ファイルが大きすぎます。{TOO_LARGE}",
                            "画像は縮小するか JPEG にし、PDF は画質を下げて保存し直してください"))
            continue
        found = filekinds.content_problem(ext, data)
        if found:
            expected = filekinds.ALLOWED[ext]
            problem(Problem(name, "asset-content", f"拡張子は {ext}（{expected}）ですが、中身は {found} です",
                            _content_hint(ext, found)))
            continue
        total += len(data)
        accepted[name] = data
    if len(accepted) > MAX_FILES or total > MAX_FOLDER_BYTES:
        what = "大きすぎます" if total > MAX_FOLDER_BYTES else "多すぎます"
        problem(Problem(None, "asset-folder-too-large",
                        f"事例のフォルダのファイルが{what}（{len(accepted)} 個、合計 {total / _MiB:.1f} MiB）。"
                        f"1 事例 {MAX_FILES} 個・合計 {MAX_FOLDER_BYTES // _MiB} MiB までです",
                        "載せる資料を選ぶか、画像を縮小してください。大きな資料は団体のサイトに置いて url で示せます"))
        return  # nothing of an over-full folder is published
    folder.files = {name: data if keep else None for name, data in accepted.items()}


def _content_hint(ext: str, found: str) -> str:
    if ext in (".csv", ".txt") and found.startswith(("Shift_JIS", "EUC-JP", "UTF-16")):
        return ("文字コードを UTF-8 にして保存し直してください（Excel では「CSV UTF-8（コンマ区切り）」、"
                "メモ帳では文字コード「UTF-8」）")
    return f"元のアプリで {filekinds.ALLOWED[ext]} として保存し直してください。中身に合わない拡張子は付けないでください"


# -- paths written in a case file ---------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    """A local path from the body or `resources[].file`, read relative to the Markdown file."""

    name: str | None   # the file name in the case folder; None when the path leaves the folder
    bare: bool         # written the older way, as the bare name (`map.png`)
    fragment: str      # `#page=2` and the like, kept for the link


def resolve(target: str, case_id: str) -> Reference:
    """Where a local path points: `<case_id>/<name>` (or the bare `<name>`), percent-decoded.

    Absolute paths, backslashes, `..` (also as `%2e%2e`) and undecodable escapes leave
    the folder; a path into a subfolder names a file that is never published.
    """
    path, hash_mark, fragment = target.partition("#")
    path = path.split("?", 1)[0]
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return Reference(None, False, "")
    if decoded.startswith("/") or "\\" in decoded or "\0" in decoded:
        return Reference(None, False, "")
    parts = [p for p in decoded.split("/") if p != "."]
    if ".." in parts or not parts or "" in parts:
        return Reference(None, False, "")
    fragment = hash_mark + fragment
    if len(parts) >= 2 and parts[0] == case_id:
        return Reference("/".join(parts[1:]), False, fragment)
    return Reference("/".join(parts), True, fragment)


def canonical(name: str, case_id: str) -> str:
    """The form to write: relative to the Markdown file, as GitHub's preview reads it."""
    return f"{case_id}/{name}"
