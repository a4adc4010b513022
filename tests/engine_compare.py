"""Compare two builds of the site file by file, ignoring only the generator <meta>.

The test of the ProperDocs fallback and the pull-request workflow use it:
`python tests/engine_compare.py SITE_A SITE_B` exits 1 and lists the
differing files when the engines built anything differently.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Material prints the engine's name and version here; that is the one expected difference.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    return GENERATOR.sub(b'<meta name="generator">', data) if path.suffix == ".html" else data


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that exist in one build only or differ beyond the generator tag."""
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    found = [f"{name}: {a.name} にだけあります" for name in sorted(files_a - files_b)]
    found += [f"{name}: {b.name} にだけあります" for name in sorted(files_b - files_a)]
    found += [f"{name}: 内容が違います" for name in sorted(files_a & files_b)
              if normalised(a / name) != normalised(b / name)]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("使い方 / usage: python tests/engine_compare.py SITE_A SITE_B", file=sys.stderr)
        return 2
    a, b = map(Path, argv)
    found = differences(a, b)
    for line in found[:50]:
        print(line)
    files = sum(1 for p in a.rglob("*") if p.is_file())
    if found:
        print(f"違いのあるファイル {len(found)} 個（{files} 個中）", file=sys.stderr)
        return 1
    print(f"{files} 個のファイルが同じです（generator の meta を除く）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
