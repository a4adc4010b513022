"""Outputs replaced whole (generator/outputs.py): the exchange, the symbolic-link
fallback, the lock, the removal of what killed builds left, and the messages.

A reader in another process lists the target while it is swapped hundreds of
times: it must never find it missing. The same holds where the exchange is
refused (the fallback, forced here by refusing the exchange as an NFS mount does).
"""

from __future__ import annotations

import errno
import fcntl
import functools
import json
import os
import subprocess
import sys
import tarfile
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import outputs


def write(folder: Path, version: int) -> None:
    """A small tree whose every file names its version."""
    (folder / "sub").mkdir()
    for name in (f"v{version}.html", "index.html", "sub/page.html"):
        (folder / name).write_text(f"version {version}", encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def expected(version: int) -> dict[str, str]:
    text = f"version {version}"
    return {"index.html": text, "sub/page.html": text, f"v{version}.html": text}


def publish(target: Path, version: int) -> None:
    with outputs.replacing(target) as staging:
        write(staging, version)


def beside(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir())


@pytest.fixture
def no_exchange(monkeypatch):
    """The filesystem refuses RENAME_EXCHANGE (as NFS or CIFS do): the link fallback."""
    def refuse(a, b):
        raise OSError(errno.EINVAL, os.strerror(errno.EINVAL), str(a))
    monkeypatch.setattr(outputs, "_exchange", refuse)


def test_the_target_stays_a_real_directory_swapped_whole(tmp_path):
    target = tmp_path / "site"
    publish(target, 1)
    assert target.is_dir() and not target.is_symlink() and snapshot(target) == expected(1)
    first = target.stat().st_ino
    publish(target, 2)
    assert not target.is_symlink() and snapshot(target) == expected(2)
    assert target.stat().st_ino != first  # a new tree, not files rewritten in place
    assert beside(target) == [".site.lock", "site"]  # the old tree and the staging are gone


def test_the_exchange_is_one_system_call_through_libc_and_the_raw_syscall(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    (a / "x").write_text("a")
    b.mkdir()
    (b / "y").write_text("b")
    outputs._exchange(a, b)
    assert [p.name for p in a.iterdir()] == ["y"] and [p.name for p in b.iterdir()] == ["x"]
    import ctypes
    syscall = outputs._renameat2_syscall(ctypes.CDLL(None, use_errno=True))
    if syscall is None:
        pytest.skip(f"no renameat2 system call number for {os.uname().machine}")
    assert syscall(os.fsencode(a), os.fsencode(b)) == 0
    assert [p.name for p in a.iterdir()] == ["x"] and [p.name for p in b.iterdir()] == ["y"]
    assert syscall(os.fsencode(a), os.fsencode(tmp_path / "missing")) == -1


READER = """
import json, os, sys, time
target, stop = sys.argv[1], sys.argv[2]
missing = reads = 0
versions, shapes = set(), set()
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        names = sorted(os.listdir(target))
    except FileNotFoundError:
        missing += 1
        continue
    reads += 1
    mine = [n for n in names if n.startswith("v")]
    shapes.add(len(mine))
    versions.update(mine)
print(json.dumps({"missing": missing, "reads": reads, "versions": len(versions), "shapes": sorted(shapes)}))
"""


def watch_while_swapping(tmp_path: Path, target: Path, swaps: int) -> dict:
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(target), str(stop)], stdout=subprocess.PIPE,
                              text=True)
    assert reader.stdout.readline().strip() == "ready"
    for version in range(2, swaps + 2):
        publish(target, version)
    stop.touch()
    out, _ = reader.communicate(timeout=60)
    return json.loads(out)


def test_a_reader_never_finds_the_target_missing_or_mixed(tmp_path):
    target = tmp_path / "site"
    publish(target, 1)
    seen = watch_while_swapping(tmp_path, target, 300)
    assert seen["missing"] == 0
    assert seen["versions"] > 1, "the reader saw no swap at all"
    # One version per listing, never two. (A listing begun in the old tree just as it
    # is deleted can come back short: that tree is no longer the target.)
    assert max(seen["shapes"]) == 1
    assert beside(target) == [".site.lock", "site", "stop"]


def test_without_the_exchange_a_reader_never_finds_the_link_missing(tmp_path, no_exchange):
    target = tmp_path / "site"
    publish(target, 1)
    assert target.is_symlink()
    seen = watch_while_swapping(tmp_path, target, 300)
    assert seen["missing"] == 0 and seen["versions"] > 1 and max(seen["shapes"]) == 1


def test_without_the_exchange_the_target_is_a_link_to_the_whole_tree(tmp_path, no_exchange):
    target = tmp_path / "site"
    publish(target, 1)
    first = os.readlink(target)
    assert target.is_symlink() and first.startswith(".site-new-") and "/" not in first
    assert snapshot(target) == expected(1)
    publish(target, 2)
    second = os.readlink(target)
    assert snapshot(target) == expected(2) and second != first
    # The tree replaced stays for readers that had read the old link, until the next build.
    assert beside(target) == sorted([".site.lock", "site", first, second])
    publish(target, 3)
    assert snapshot(target) == expected(3)
    assert beside(target) == sorted([".site.lock", "site", second, os.readlink(target)])


def test_a_real_directory_becomes_the_link_where_the_exchange_is_refused(tmp_path, no_exchange):
    target = tmp_path / "site"
    target.mkdir()
    write(target, 1)  # left by an earlier version of the generator
    publish(target, 2)
    assert target.is_symlink() and snapshot(target) == expected(2)
    assert beside(target) == sorted([".site.lock", "site", os.readlink(target)])


def test_the_link_serves_over_http_and_packs_for_github_pages(tmp_path, no_exchange):
    """`python -m http.server -d site` and upload-pages-artifact's `tar --dereference` follow the link."""
    target = tmp_path / "site"
    publish(target, 1)
    publish(target, 2)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(target))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/sub/page.html", timeout=10) as r:
            assert r.read().decode() == "version 2"
    finally:
        server.shutdown()
        server.server_close()
    archive = tmp_path / "artifact.tar"
    subprocess.run(["tar", "--dereference", "--hard-dereference", "--directory", str(target), "-cf",
                    str(archive), "."], check=True)
    with tarfile.open(archive) as tar:
        assert sorted(m.name for m in tar.getmembers() if m.isfile()) == ["./index.html", "./sub/page.html",
                                                                         "./v2.html"]


def test_leftovers_of_killed_builds_are_removed_and_nothing_else(tmp_path):
    target = tmp_path / "site"
    publish(target, 1)
    leftovers = [".site-new-ab12cd34", ".site-old-0a1b2c3d", ".site-work-zz_9abcd", ".site-abcdefgh",
                 ".site-old-4242"]
    for name in leftovers:
        (tmp_path / name).mkdir()
        write(tmp_path / name, 0)
    os.symlink(".site-new-ab12cd34", tmp_path / ".site-link-12345678")
    keep = [".site-keep", "site-new-abcdefgh", ".sitemap-abcdefgh", ".dist-new-abcdefgh", ".site-new-abcdefgh9"]
    for name in keep:
        (tmp_path / name).mkdir()
    (tmp_path / ".site-new-abcdefgh.txt").write_text("mine")
    publish(target, 2)
    assert beside(target) == sorted([".site.lock", "site", ".site-new-abcdefgh.txt", *keep])
    assert snapshot(target) == expected(2)


def test_the_live_tree_of_the_link_is_not_a_leftover(tmp_path, no_exchange):
    target = tmp_path / "site"
    publish(target, 1)
    assert outputs.remove_stale(target) == []
    assert snapshot(target) == expected(1)


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path, capsys):
    target = tmp_path / "site"
    publish(target, 1)
    assert capsys.readouterr().err == ""
    holder = os.open(outputs.lock_path(target), os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another build is running
    staging_of_the_other = tmp_path / ".site-new-running"
    staging_of_the_other.mkdir()
    released = threading.Event()

    def finish_the_other_build():
        staging_of_the_other.rmdir()
        released.set()
        os.close(holder)

    timer = threading.Timer(1.5, finish_the_other_build)
    timer.start()
    with outputs.replacing(target) as staging:
        assert released.is_set(), "entered while the other build held the lock"
        write(staging, 2)
    timer.join()
    err = capsys.readouterr().err
    assert "別のビルドが終わるのを待っています" in err and str(outputs.lock_path(target)) in err
    assert snapshot(target) == expected(2)


def test_a_failure_in_the_block_keeps_the_previous_output(tmp_path):
    target = tmp_path / "site"
    publish(target, 1)
    with pytest.raises(outputs.OutputError) as failure:
        with outputs.replacing(target) as staging:
            write(staging, 2)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging / "sub" / "page.html"))
    message = str(failure.value)
    assert message.startswith(f"{target} を作れませんでした: ") and "ディスクの空きがありません（ENOSPC）" in message
    assert "page.html" in message and "空きを増やして" in failure.value.hint
    assert snapshot(target) == expected(1) and beside(target) == [".site.lock", "site"]
    with pytest.raises(KeyboardInterrupt):
        with outputs.replacing(target) as staging:
            write(staging, 3)
            raise KeyboardInterrupt
    assert snapshot(target) == expected(1) and beside(target) == [".site.lock", "site"]


def test_a_place_that_cannot_be_written_is_named_with_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(outputs.OutputError) as failure:
        publish(blocker / "site", 1)
    assert f"{blocker}: フォルダであるべき場所にファイルがあります" in str(failure.value)
    assert "別の出力先" in failure.value.hint
    error = outputs.describe(OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "site")),
                             tmp_path / "site")
    assert "読み取り専用の場所です（EROFS）" in error.message and "--site-dir" in error.hint
    error = outputs.describe(OSError(errno.EACCES, os.strerror(errno.EACCES), "/etc/theme.css"), tmp_path / "site")
    assert "/etc/theme.css: アクセスする権限がありません" in error.message and "読めるか" in error.hint
