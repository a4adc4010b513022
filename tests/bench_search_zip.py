"""The search index's share of the offline zip: the hosted layout (a file per record, per
big entry, per block of positions) against the packed one the offline copy writes
(shard_files(packed=True)), both made from the same documents in the same run and each
file deflated alone at level 9, as offline.package does, with the zip's per-file headers.

The documents come from a built site's records (search/d/), so no second build is needed:

    python tests/bench_search_zip.py --site /tmp/built-site       # a hosted build, e.g. bench_search's
    python tests/bench_search_zip.py --size 10000                 # builds one first (about 75 s)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ZIP_HEADERS = 30 + 46  # local file header + central directory entry, before the name (twice)


def site_documents(site: Path):
    """The SearchDocs of a built site, read back from its records (fields as shown, the URL)."""
    from generator.site.search_index import SearchDoc
    search = site / "search"

    def payload(path: Path):
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index(",") + 1:text.rindex(")")])

    meta = payload(search / "meta.js")
    return [SearchDoc(d["u"], d["t"], d["p"], d["s"], d["f"], 0, 0, [])
            for d in (payload(search / f"d/{n}.js") for n in range(meta["docs"]))]


def zipped(files: dict[str, bytes]) -> dict[str, list[float]]:
    """Per folder (b, d, p, r, s, the top files): [files, raw bytes, bytes in a zip]."""
    out: dict[str, list[float]] = {}
    for path, content in files.items():
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        size = len(deflate.compress(content) + deflate.flush())
        name = f"search/{path}".encode()
        row = out.setdefault(path.split("/")[0] if "/" in path else "(top)", [0, 0, 0])
        row[0] += 1
        row[1] += len(content)
        row[2] += min(size, len(content)) + ZIP_HEADERS + 2 * len(name)
    return out


def measure(site: Path) -> str:
    from bench import table
    from generator.site.search_index import build_index, shard_files
    docs = site_documents(site)
    with tempfile.TemporaryDirectory(prefix="bench-search-zip-") as spill:
        index = build_index(docs, spill=Path(spill))
    # the hosted layout as an offline copy would hold it: a pair's positions by block only, not also whole
    hosted = zipped({path: content for path, content in shard_files(index, docs).items()
                     if not (path.startswith("p/") and "-" not in path)})
    packed = zipped(shard_files(index, docs, packed=True))
    mib = 1 << 20
    rows = []
    for folder in sorted(set(hosted) | set(packed)):
        h, p = hosted.get(folder, [0, 0, 0]), packed.get(folder, [0, 0, 0])
        rows.append([folder, f"{h[0]:,} / {p[0]:,}", f"{h[1] / mib:.2f} / {p[1] / mib:.2f}",
                     f"{h[2] / mib:.2f} / {p[2] / mib:.2f}", f"{p[2] / h[2]:.2f}" if h[2] else "-"])
    total = [sum(row[i] for row in hosted.values()) for i in range(3)], \
        [sum(row[i] for row in packed.values()) for i in range(3)]
    rows.append(["all", f"{total[0][0]:,} / {total[1][0]:,}", f"{total[0][1] / mib:.2f} / {total[1][1] / mib:.2f}",
                 f"{total[0][2] / mib:.2f} / {total[1][2] / mib:.2f}", f"{total[1][2] / total[0][2]:.2f}"])
    return table(f"search index in the offline zip, {len(docs):,} documents: hosted layout / packed "
                 "(each file deflated alone, with its zip headers)",
                 ["folder", "files", "raw MiB", "zipped MiB", "ratio"], rows)


def bench_search_zip(sizes: list[int], workdir: Path) -> str:
    import bench_search
    return "\n".join(measure(bench_search.build_site(size, workdir / f"search-zip-{size}")) for size in sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="synthetic cases beside the judged ones")
    parser.add_argument("--site", type=Path, help="an already built (hosted) site; skips the build")
    args = parser.parse_args(argv)
    if args.site:
        print(measure(args.site))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-search-zip-") as tmp:
        print(bench_search_zip([args.size], Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
