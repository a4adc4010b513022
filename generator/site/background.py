"""Files made in a forked process while the build goes on (DocsTree.add_later).

The search index is a fifth of a 10,000-case build and depends only on the case
pages' search documents; MkDocs' page rendering, which follows, uses one core. On
a second core the index is made beside the listings and MkDocs, and the engine
puts its files in place when the pages are written (mkdocs_adapter.on_post_build).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
import traceback
from pathlib import Path
from typing import Callable


class BackgroundFailed(Exception):
    """The process making the files failed or died; the build must not go on without them."""


class Later:
    """`make()` → {site path: bytes}, run in a forked child that writes each file into
    `folder` (the build's spool) and hands back only their names."""

    def __init__(self, make: Callable[[], dict[str, bytes]], folder: Path, what: str) -> None:
        self.folder, self.what = folder, what
        self.started = time.perf_counter()
        self.seconds: float | None = None  # from start to the files being handed back
        self._files: dict[str, Path] | None = None
        receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._receive = receive
        self._process = multiprocessing.get_context("fork").Process(
            target=_run, args=(make, folder, send, os.getpid()), name=f"jichitai-dx {what}", daemon=False)
        self._process.start()
        send.close()  # the child's end: EOF here once the child is gone

    def result(self) -> dict[str, Path]:
        """Wait for the files (site path → file in the spool). Raises BackgroundFailed."""
        if self._files is None:
            try:
                ok, value = self._receive.recv()
            except (EOFError, OSError):
                ok, value = False, ("作成中のプロセスが終了しました（メモリ不足などで止められた可能性があります）。"
                                    "空きメモリを確かめて、もう一度実行してください")
            finally:
                self._receive.close()
                self._process.join()
            if not ok:
                raise BackgroundFailed(f"{self.what}を作れませんでした: {value}")
            self._files = {path: self.folder / name for path, name in value.items()}
            self.seconds = time.perf_counter() - self.started
        return self._files

    def cancel(self) -> None:
        """A build that failed elsewhere: stop the child, leave nothing running."""
        if self._files is None and self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _run(make, folder: Path, send, parent: int) -> None:
    _die_with(parent)
    # The objects inherited from the parent are never freed here: keeping the collector
    # off them keeps their memory shared with the parent instead of copied.
    gc.freeze()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        names = {}
        for number, (path, content) in enumerate(make().items()):
            names[path] = name = str(number)
            with open(folder / name, "wb") as out:
                out.write(content)
        send.send((True, names))
    except BaseException as exc:  # reported to the parent, which fails the build with it
        send.send((False, "".join(traceback.format_exception_only(exc)).strip()))
    finally:
        send.close()
        os._exit(0)  # nothing of the parent's (atexit, open pools) runs in the child


def _die_with(parent: int) -> None:
    """A killed build must not leave the child writing into its half-made output (the
    next build removes that folder): on Linux the kernel ends the child with the parent."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child ends when its work is done
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)
