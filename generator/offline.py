"""The offline copy: a site built for file:// packed into a dated zip.

Staff on the closed government network get the site as a zip on a file
server; opened from disk, it must work with no internet. The zip is
reproducible: entries sorted, fixed timestamps and permissions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from pathlib import Path

from . import casefiles

PREFIX = "jichitai-dx-jirei"
README_NAME = "はじめにお読みください.txt"


def names(build_date: dt.date) -> tuple[str, str]:
    """(zip file name, top folder inside it) for a build date."""
    stamp = build_date.strftime("%Y%m%d")
    return f"{PREFIX}-offline-{stamp}.zip", f"{PREFIX}-{stamp}"


# Where the hosted site publishes the newest zip, under a name that does not change.
DOWNLOAD_PATH = f"download/{PREFIX}-offline.zip"
# An element whose whitespace is content (or code), kept whole; else whitespace between two tags.
_COMPACTABLE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)|(?<=>)\s+(?=<)", re.S | re.I)


def compact_html(page: str) -> str:
    """A page of the offline copy with the templates' indentation between tags reduced to
    one line break, which a browser renders alike: each file of the zip is compressed on
    its own, and that indentation costs a tenth of every page."""
    return _COMPACTABLE.sub(lambda match: match.group(1) or "\n", page)


def latest(folder: Path) -> tuple[Path, dt.date] | None:
    """The newest offline zip `export` wrote into `folder`, with its build date, if any.

    The hosted build publishes it (deploy: make export, then make build), so the data
    page links a file that exists rather than a promise.
    """
    found = []
    for path in folder.glob(f"{PREFIX}-offline-*.zip"):
        stamp = path.name[len(PREFIX) + len("-offline-"):-len(".zip")]
        try:
            found.append((dt.datetime.strptime(stamp, "%Y%m%d").date(), path))
        except ValueError:
            continue
    if not found:
        return None
    date, path = max(found)
    return path, date


def readme(build_date: dt.date, cases: int) -> bytes:
    text = f"""自治体DX事例集 オフライン版（{build_date.year}年{build_date.month}月{build_date.day}日作成、事例 {cases} 件）

■ 使い方
1. この zip ファイルを、ファイルサーバーやパソコンの好きな場所に展開してください
   （zip を右クリックして「すべて展開」）。
2. 展開したフォルダの中の「index.html」をダブルクリックすると、ブラウザで事例集が開きます。
3. インターネットに接続していない端末でも、検索と事例カタログの絞り込みを含めて、
   すべての機能を使えます。このオフライン版は外部と一切通信しません。
4. 事例のページは 32 件ずつ 1 つのファイル（cases フォルダの g-1.html など）に、
   団体のページは都道府県ごとに 1 つのファイルにまとめてあります。リンクから開くと、
   その事例だけが表示されます。事例の場所を人に伝えるときは、アドレスを「#」の後ろまで
   含めて伝えてください。

■ 注意
- zip を展開せずに中のファイルを開くと、正しく表示されません。必ず展開してから開いてください。
- Microsoft Edge、Google Chrome、Firefox で表示を確認しています。
- 内容は作成日時点のものです。最新の状況は、各事例の問い合わせ先に確認してください。
- 事例の一覧は data フォルダの cases.csv（Excel で開けます）と cases.json にもあります。

■ 利用条件
事例の文章とデータは、特に断りのある事例を除き、クリエイティブ・コモンズ 表示 4.0 国際
（CC BY 4.0）で提供しています。利用するときは、実施団体の名前と「自治体DX事例集」を
出典として示してください。
"""
    # BOM and CRLF: Windows Notepad shows it correctly
    return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")


def package(site: Path, target: Path, build_date: dt.date, cases: int, exclude: tuple = ()) -> Path:
    """Zip `site` under a dated top folder, with the readme beside index.html.

    `exclude`: site-relative path prefixes the offline copy does not need.
    """
    _, folder = names(build_date)
    stamp = (build_date.year, build_date.month, build_date.day, 0, 0, 0)
    entries = [p for p in _regular_files(site) if not p.relative_to(site).as_posix().startswith(exclude)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _add(archive, f"{folder}/{README_NAME}", readme(build_date, cases), stamp)
        for path in entries:
            _add(archive, f"{folder}/{path.relative_to(site).as_posix()}", path.read_bytes(), stamp)
    return target


def _regular_files(site: Path) -> list[Path]:
    """Every plain file of the site whose path staff can extract on Windows, sorted.

    The build publishes only such files; this holds even if something else put a
    link (whose target would be packed) or a name Windows refuses into the folder.
    """
    found = []
    for folder, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if casefiles.windows_problem(d) is None]
        for name in files:
            path = Path(folder) / name
            if casefiles.windows_problem(name) is None and stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
    return sorted(found)


def _add(archive: zipfile.ZipFile, name: str, data: bytes, stamp) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.flag_bits |= 0x800  # names are UTF-8
    archive.writestr(info, data)
