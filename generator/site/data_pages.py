"""The data page (open data files, the offline zip) and the accessibility page."""

from __future__ import annotations

import json

from .. import exports, schema
from ..offline import DOWNLOAD_PATH
from . import background
from .formatting import size_text


class DataPages:
    """Part of SiteBuilder (pages.py): data and accessibility."""

    def accessibility_page(self) -> None:
        path = self.options.accessibility_results
        results = json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None
        self.page("accessibility.md", "アクセシビリティ方針", "accessibility.html.j2", in_nav=True,
                  description="ウェブアクセシビリティの方針と試験の結果", results=results)


    def data_files(self):
        """The open data files' maker, holding only what they are made from (the preview
        may run it later, in a thread: memo.aggregate)."""
        collection, urls, today, areas, site_url = (self.collection, self.urls, self.today, self.areas,
                                                    self.options.site_url)

        def exported() -> dict[str, bytes]:
            return {
                "data/cases.csv": exports.cases_csv(collection),
                "data/cases.json": exports.cases_json(collection, urls, today),
                "data/case.schema.json": (json.dumps(schema.with_vocabulary([a.name for a in areas]),
                                                     ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                "feed.xml": exports.atom_feed(collection, urls, today, site_url),
            }

        return exported


    def start_data_files(self) -> None:
        """A spooled build makes the open data files on another core while the listings
        are made (background.py); the data page waits for them, as it shows their sizes."""
        self.data_later = background.Later(self.data_files(), self.options.spool / "data", "公開データ")


    def data_page(self) -> None:
        later, self.data_later = self.data_later, None
        if later is not None:
            files = later.result()  # site path → its file in the spool
            sizes = {path: source.stat().st_size for path, source in files.items()}
        else:
            exported = self.data_files()
            files = exported() if self.memo is None else self.memo.aggregate(
                "data", self.memo.collection_key(self.collection), exported)
            sizes = {path: len(content) for path, content in files.items()}
        for path, content in files.items():
            self.tree.add_file(path, content)
        notes = {
            "data/cases.csv": ("cases.csv", "Excel 向けの表（1 行 1 事例）"),
            "data/cases.json": ("cases.json", "すべての項目を含む JSON"),
            "data/case.schema.json": ("case.schema.json", "記録の形式（JSON Schema）"),
        }
        downloads = [(label, path, size_text(sizes[path]), note) for path, (label, note) in notes.items()]
        offline_zip = None
        if self.options.offline_zip and not self.options.offline:
            zip_path, zip_date = self.options.offline_zip
            self.tree.add_file(DOWNLOAD_PATH, zip_path)
            offline_zip = (DOWNLOAD_PATH, size_text(zip_path.stat().st_size), zip_date.isoformat())
        self.page("data.md", "データ", "data.html.j2", in_nav=True,
                  description="事例データ（CSV・JSON）のダウンロードと利用条件", downloads=downloads,
                  columns=[(header, text) for header, text, _ in exports.COLUMNS], count=len(self.collection),
                  build_date=self.today.isoformat(), offline_zip=offline_zip, offline=self.options.offline)
