"""Outputs (`site/`, `dist/`) replaced whole: never missing, never mixed.

Why: a web server, GitHub's Pages upload or a colleague copying the offline
zip may read an output while a build runs, and a build can be killed or meet a
full disk at any moment. So every output is written into a staging folder
beside its target and swapped in with one system call:

- Linux: renameat2(RENAME_EXCHANGE) exchanges staging and target, so the
  target stays a real directory that is, at every instant, the whole old tree
  or the whole new one. The old tree, now under the staging name, is deleted
  afterwards.
- Where that call does not exist (macOS, other systems) or the filesystem
  refuses it (some network filesystems): the target is a symbolic link to a
  hidden sibling (`site -> .site-new-xxxxxxxx`), switched by renaming a new
  link over it, which is atomic on POSIX. The tree it pointed to is kept until
  the next build, for readers that had already read the old link. A real
  directory left by an earlier build is converted to a link once; only that
  first swap has a moment (between two renames) with no target.

A lock file beside the target (`.site.lock`, taken with flock) serialises the
builds of one target: a second build waits, saying so after a second. Holding
the lock also proves that every staging folder left beside the target belongs
to a killed build, so they are removed then. Locking needs fcntl (POSIX); on
Windows builds are not serialised.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import platform
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

WAIT_NOTICE_SECONDS = 1.0
RENAME_EXCHANGE = 2
AT_FDCWD = -100
# Where libc lacks renameat2() (old glibc, musl), the raw system call still works.
SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "i686": 353, "armv7l": 382}
# The exchange is not available here: fall back to the symbolic link.
UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


class OutputError(Exception):
    """An output could not be written; the message names the path, the hint what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def output_path(path: Path | str) -> Path:
    """Absolute, with the parent resolved but not the target itself: in the
    fallback the target is a link to be replaced, not followed."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


@contextlib.contextmanager
def replacing(target: Path | str) -> Iterator[Path]:
    """Yield an empty staging folder; when the block ends normally, it becomes `target`.

    When the block raises, the staging folder is removed and `target` is
    untouched. An OSError (disk full, permissions, read-only place) becomes
    an OutputError with a Japanese message.
    """
    target = output_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise describe(exc, target) from None
    with _locked(target):
        remove_stale(target)
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
        except OSError as exc:
            raise describe(exc, target) from None
        try:
            yield staging
            os.chmod(staging, 0o755)
            replaced = _swap(staging, target)
        except OSError as exc:
            _discard(staging)
            if exc.errno is None:  # not the system's (jinja2's TemplateNotFound is an OSError)
                raise
            raise describe(exc, target) from None
        except BaseException:
            _discard(staging)
            raise
        if replaced is not None:
            _discard(replaced)


@contextlib.contextmanager
def scratch(target: Path | str) -> Iterator[Path]:
    """A temporary folder beside `target` for intermediate files (the site an export
    zips), removed on exit; one left by a killed build is removed as stale."""
    target = output_path(target)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-work-", dir=target.parent))
    except OSError as exc:
        raise describe(exc, target) from None
    try:
        yield folder
    finally:
        _discard(folder)


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    path = lock_path(target)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise describe(exc, target) from None
    try:
        deadline = time.monotonic() + WAIT_NOTICE_SECONDS
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                print(f"別のビルドが終わるのを待っています（{target} を作っているビルドがあります。"
                      f"ロックファイル: {path}）", file=sys.stderr, flush=True)
                fcntl.flock(fd, fcntl.LOCK_EX)
                break
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _leftover_pattern(name: str) -> re.Pattern:
    """Names this module gives staging, replaced trees, scratch folders and links,
    and the names earlier versions used (`.site-xxxxxxxx`, `.site-old-<pid>`)."""
    return re.compile(rf"\.{re.escape(name)}-(?:(?:new|old|work|link)-[a-z0-9_]{{8}}|[a-z0-9_]{{8}}|old-[0-9]+)")


def _live_link_target(target: Path) -> str | None:
    """The sibling folder `target` links to, when it is one of ours."""
    if not target.is_symlink():
        return None
    destination = os.readlink(target)
    return destination if _leftover_pattern(target.name).fullmatch(destination) else None


def remove_stale(target: Path) -> list[str]:
    """Remove what killed builds left beside `target`. Call only with the lock held."""
    pattern = _leftover_pattern(target.name)
    live = _live_link_target(target)
    removed = []
    with os.scandir(target.parent) as entries:
        names = [entry.name for entry in entries]
    for name in sorted(names):
        if pattern.fullmatch(name) and name != live:
            _discard(target.parent / name)
            removed.append(name)
    return removed


def _discard(path: Path) -> None:
    """Best effort: what cannot be removed now is stale next time."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _swap(staging: Path, target: Path) -> Path | None:
    """Put `staging` in place of `target` atomically; return what to delete after.

    Raises only before the switch, so the caller may then discard `staging`.
    """
    if target.is_symlink():
        return _swap_link(staging, target)
    if not os.path.lexists(target):
        if exchange_supported(target):
            os.rename(staging, target)
            return None
        return _swap_link(staging, target)
    try:
        _exchange(staging, target)
        return staging  # now holding the old tree
    except OSError as exc:
        if exc.errno not in UNSUPPORTED:
            raise
    # A real directory where the exchange is refused: converted to a link once.
    old = target.parent / f".{target.name}-old-{secrets.token_hex(4)}"
    os.rename(target, old)
    try:
        os.symlink(staging.name, target)
    except OSError:
        os.rename(old, target)
        raise
    return old


def _swap_link(staging: Path, target: Path) -> None:
    """Switch the link. The tree it pointed to stays until the next build removes
    it as stale: a reader that had just read the old link value still finds it."""
    link = target.parent / f".{target.name}-link-{secrets.token_hex(4)}"
    os.symlink(staging.name, link)  # relative: the parent folder can move
    try:
        os.replace(link, target)
    except OSError:
        _discard(link)
        raise


def exchange_supported(target: Path) -> bool:
    """Whether the filesystem holding `target` exchanges two folders (probed beside it)."""
    with scratch(target) as probe:
        (probe / "a").mkdir()
        (probe / "b").mkdir()
        try:
            _exchange(probe / "a", probe / "b")
        except OSError as exc:
            if exc.errno in UNSUPPORTED:
                return False
            raise
    return True


def _exchange(a: Path, b: Path) -> None:
    """Exchange two paths in one system call."""
    call = _renameat2()
    if call is None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS), str(a))
    if call(os.fsencode(a), os.fsencode(b)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "renameat2"):
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return lambda a, b: function(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
    return _renameat2_syscall(libc)


def _renameat2_syscall(libc):
    number = SYS_RENAMEAT2.get(platform.machine())
    if number is None or not hasattr(libc, "syscall"):
        return None
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    return lambda a, b: syscall(ctypes.c_long(number), ctypes.c_int(AT_FDCWD), ctypes.c_char_p(a),
                                ctypes.c_int(AT_FDCWD), ctypes.c_char_p(b), ctypes.c_uint(RENAME_EXCHANGE))


REASONS = {
    errno.ENOSPC: "ディスクの空きがありません",
    errno.EDQUOT: "ディスクの使用量の上限（クォータ）を超えました",
    errno.EFBIG: "ファイルの大きさの上限を超えました",
    errno.EACCES: "アクセスする権限がありません",
    errno.EPERM: "この操作は許可されていません",
    errno.EROFS: "読み取り専用の場所です",
    errno.ENOTDIR: "フォルダであるべき場所にファイルがあります",
    errno.EEXIST: "フォルダであるべき場所にファイルがあります",
    errno.EISDIR: "ファイルであるべき場所にフォルダがあります",
}


def describe(exc: OSError, target: Path) -> OutputError:
    """A Japanese message for an OSError met while making `target`."""
    where = exc.filename if exc.filename is not None else target
    if exc.filename2 is not None and _is_output(exc.filename2, target):
        where = exc.filename2  # a copy: the file being written, not the one read
    where = _as_in_target(where, target)
    reason = REASONS.get(exc.errno, exc.strerror or str(exc))
    code = errno.errorcode.get(exc.errno, "") if exc.errno else ""
    message = f"{target} を作れませんでした: {where}: {reason}" + (f"（{code}）" if code else "")
    again = "作り直しの間は、前回の出力と新しい出力の両方が置ける空きが要ります"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = f"{target.parent} のあるディスクの空きを増やしてから、もう一度実行してください。{again}"
    elif exc.errno == errno.EFBIG:
        hint = "ファイルの大きさの上限（ulimit -f）を外すか、上限のない環境で実行してください"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not _is_output(where, target):
        hint = "表示されたファイルを読めるか（所有者・権限）を確かめてから、もう一度実行してください"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = (f"{target.parent} に書き込めるか（所有者・権限・読み取り専用でないか）を確かめるか、"
                "書き込める出力先を指定してください（build は --site-dir、export は --out）")
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        hint = "表示された場所にあるものを移すか、別の出力先を指定してください（build は --site-dir、export は --out）"
    else:
        hint = "表示されたファイルやフォルダを確かめてから、もう一度実行してください"
    return OutputError(message, hint)


def _as_in_target(path, target: Path) -> str:
    """A path inside the staging folder, shown where it would have been in the target
    (the staging folder is gone by the time the message is read)."""
    path = os.path.abspath(os.fsdecode(path))
    relative = os.path.relpath(path, target.parent)
    first, _, rest = relative.partition(os.sep)
    if first.startswith(f".{target.name}-new-") and _leftover_pattern(target.name).fullmatch(first):
        return str(target / rest) if rest else str(target)
    return path

def _is_output(path, target: Path) -> bool:
    """Whether `path` is the target, inside it, or one of its staging folders."""
    path = os.path.abspath(os.fsdecode(path))
    return (path in (str(target), str(target.parent)) or path.startswith(str(target) + os.sep)
            or path.startswith(str(target.parent / f".{target.name}")))
