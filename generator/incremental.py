"""Incremental rebuilds for the preview (`make serve`): what a save has to redo.

A full build stays the reference. The preview keeps, between two builds of
one `serve` session, what a full build would compute again unchanged:

- per case file, the outcome of its checks, keyed by the file (stat, and the
  hash of its bytes when the stat moved) and its case folder's listing; the
  rules that span records (IDs, references, cycles) still run over all files;
- per generated page, its HTML, keyed by a fingerprint of everything its
  template is given: a Case stands for its file's hash, its folder listing and
  its reverse links, all a Case is made from (so a page is rendered again when
  a case it shows changed, and only then);
- the outputs made from every case at once (search index, open data), keyed by
  every case; after an edit they are computed in a background thread, so the
  edited page is served first and they follow (Preview.start_deferred).

Anything the keys cannot see (templates, options, vocabulary) is part of a
session key; when that changes, everything is rebuilt. The equivalence test
(tests/test_incremental.py) builds a site incrementally after edits and
compares it with a clean build, file by file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import threading
from pathlib import Path

from .model import Case

TEMPLATES = Path(__file__).parent / "site" / "templates"
_PLAIN = {str, int, float, bool, type(None), bytes}
_CASE = "\x00case"  # precedes a case's fingerprint in a key
_FIELDS: dict[type, tuple] = {}  # dataclass → its field names


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def folder_signature(folder: Path) -> tuple:
    """Names, kinds, sizes and times of what a case folder holds (nothing when it has no folder)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    signature = []
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        signature.append((entry.name, stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns))
    return tuple(sorted(signature))


class CheckCache:
    """The per-file check outcomes of the previous build (check_root's `cache`).

    An outcome depends on the file, its case folder and the session settings
    (areas, dates, root, display base); the cross-record rules are never cached.
    """

    def __init__(self) -> None:
        self.settings = None
        self.entries: dict[Path, tuple] = {}   # path → (stat, digest, folder, outcome)
        self.pending: dict[Path, tuple] = {}   # path → (stat, digest, folder) read before checking it
        self.reused = 0

    def begin(self, settings) -> None:
        if settings != self.settings:
            self.entries.clear()
            self.settings = settings
        self.pending.clear()
        self.reused = 0

    def lookup(self, path: Path):
        """The cached outcome when the file and its folder are as they were, else None.

        The signature is taken before the file is checked, so a save during the
        check makes the next build check the file again."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        stat_key = (info.st_mtime_ns, info.st_size, info.st_ino)
        folder = folder_signature(path.with_suffix(""))
        entry = self.entries.get(path)
        if entry is not None and entry[2] == folder and entry[0] == stat_key:
            self.reused += 1
            return entry[3]
        try:
            digest = _digest(path.read_bytes())
        except OSError:
            return None
        if entry is not None and entry[2] == folder and entry[1] == digest:
            self.entries[path] = (stat_key, digest, folder, entry[3])
            self.reused += 1
            return entry[3]
        self.pending[path] = (stat_key, digest, folder)
        return None

    def store(self, path: Path, outcome) -> None:
        signature = self.pending.pop(path, None)
        if signature is not None:
            self.entries[path] = (*signature, outcome)

    def source(self, path: Path) -> tuple | None:
        """(hash, folder listing) of the file as last checked."""
        entry = self.entries.get(path)
        return None if entry is None else entry[1:3]

    def retain(self, paths) -> None:
        """Forget files that are gone."""
        keep = set(paths)
        for path in [p for p in self.entries if p not in keep]:
            del self.entries[path]


class SiteMemo:
    """Pages, case renderings and the search index of the previous build, by input fingerprint."""

    def __init__(self) -> None:
        self.settings = None
        self.pages: dict[str, tuple] = {}     # docs path → (key, Page)
        self.cases: dict[str, tuple] = {}     # case ID → (key, RenderedCase)
        self.fingerprints: dict[int, bytes] = {}  # id(Case) → fingerprint, for this build
        self.rendered: set[str] = set()       # docs paths rendered (not reused) in this build
        self.aggregates: dict[str, tuple] = {}  # name → (key, value)
        self.defer = False                     # compute changed aggregates after the build
        self.deferred: dict[str, tuple] = {}   # name → (key, compute) queued by this build
        self.files: CheckCache | None = None   # the file hashes behind the fingerprints
        self.env = None                        # the Jinja environment, its templates compiled once

    def begin(self, collection, settings) -> None:
        """Start a build: fingerprint every case; forget everything when the settings changed."""
        settings = (settings, _templates_signature())
        if settings != self.settings:
            self.pages.clear()
            self.cases.clear()
            self.aggregates.clear()
            self.settings = settings
        self.fingerprints = {id(case): self._fingerprint(case) for case in collection}
        self.rendered = set()
        self.deferred = {}

    def _fingerprint(self, case: Case) -> bytes:
        """A Case is made from its file and the reverse links (model.build): the file's hash
        and folder listing from the check cache, when it has them, stand for the rest."""
        source = self.files.source(case.path) if self.files is not None else None
        if source is None:
            return _digest(repr(case).encode("utf-8", "surrogatepass")
                           + repr(folder_signature(case.path.with_suffix(""))).encode())
        return _digest(repr((str(case.path), source, case.inspired)).encode("utf-8", "surrogatepass"))

    def key(self, *values) -> bytes:
        parts: list = []
        self._walk(values, parts)
        return _digest(repr(parts).encode("utf-8", "surrogatepass"))

    def _walk(self, value, out: list) -> None:
        """A flat description of a template's inputs; a Case is its fingerprint.

        Values of a kind not listed here go in by repr: a default repr holds the
        object's address, so such a page is never wrongly reused, only re-rendered.
        (Lists are walked in place: they are most of the calls, on every save.)"""
        kind = type(value)
        if kind in _PLAIN:
            out.append(value)
        elif kind is Case:
            out.append(_CASE)
            out.append(self.fingerprints.get(id(value)) or repr(value))
        elif kind is list or kind is tuple:
            out.append(("[", len(value)))
            fingerprints = self.fingerprints
            for item in value:
                kind = type(item)
                if kind in _PLAIN:
                    out.append(item)
                elif kind is Case:
                    out.append(_CASE)
                    out.append(fingerprints.get(id(item)) or repr(item))
                else:
                    self._walk(item, out)
        elif isinstance(value, (list, tuple)):  # a named tuple
            out.append(kind.__qualname__)
            self._walk(list(value), out)
        elif isinstance(value, dict):
            out.append(("{", len(value)))
            for name, item in value.items():
                self._walk(name, out)
                self._walk(item, out)
        elif isinstance(value, (set, frozenset)):
            out.append(("set", tuple(sorted(map(repr, value)))))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
            out.append(kind.__qualname__)
            for name in names:
                self._walk(getattr(value, name), out)
        elif callable(value) and "<" not in getattr(value, "__qualname__", "<"):
            # a module-level function or method; a lambda or closure may hold anything
            out.append(("fn", value.__module__, value.__qualname__))
        else:
            out.append(repr(value))

    def page(self, src: str, key: bytes):
        """The page rendered from the same inputs last time, or None."""
        entry = self.pages.get(src)
        if entry is not None and entry[0] == key:
            return entry[1]
        self.rendered.add(src)
        return None

    def aggregate(self, name: str, key: bytes, compute):
        """An output made from every case at once (the search index, the open data files).

        Unchanged inputs: the stored value. Changed, with `defer` on and a value from
        before: that value now, and `compute` queued for `Preview.start_deferred` (the preview
        shows the edited page first; these follow a moment later). Otherwise computed here."""
        entry = self.aggregates.get(name)
        if entry is not None and entry[0] == key:
            return entry[1]
        if self.defer and entry is not None:
            self.deferred[name] = (key, compute)
            return entry[1]
        value = compute()
        self.aggregates[name] = (key, value)
        return value

    def collection_key(self, collection, *extra) -> bytes:
        """Every case (by fingerprint) in collection order, plus `extra`."""
        return self.key([(case.id, self.fingerprints.get(id(case))) for case in collection], extra)

    def keep(self, pages: dict) -> None:
        """Drop pages the build no longer makes."""
        for src in [s for s in self.pages if s not in pages]:
            del self.pages[src]


def _templates_signature() -> tuple:
    return folder_signature(TEMPLATES)


class Preview:
    """One `serve` session's memory of the previous build."""

    def __init__(self, defer: bool = True) -> None:
        self.checks = CheckCache()
        self.site = SiteMemo()
        self.site.defer = defer
        self.site.files = self.checks
        self._lock = threading.Lock()
        self._queue: dict[str, tuple] = {}
        self._worker: threading.Thread | None = None

    def start_deferred(self, done) -> None:
        """Compute the aggregates the last build queued, in a background thread, then call
        `done` (which asks the server for a rebuild: a quick one, every page unchanged but
        the ones that show the aggregates). One thread at a time; the adapter waits for it
        before the next build."""
        with self._lock:
            self._queue.update(self.site.deferred)
            self.site.deferred = {}
            if not self._queue or self._worker is not None:
                return
            self._worker = threading.Thread(target=self._work, args=(done,), name="dx-preview-aggregates",
                                            daemon=True)
            self._worker.start()

    def _work(self, done) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    break
                jobs, self._queue = self._queue, {}
            for name, (key, compute) in jobs.items():
                try:
                    self.site.aggregates[name] = (key, compute())
                except Exception:  # noqa: BLE001  the next build computes it in the foreground and reports
                    self.site.aggregates.pop(name, None)
        done()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the background aggregates are done (for tests and the bench)."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self._worker is None
