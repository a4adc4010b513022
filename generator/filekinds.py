"""What a contributed file really is, by its bytes, and whether that matches its name.

A case folder is published as is on the site's own origin, so a file whose
name says `.png` but whose bytes are HTML (or SVG, or a program) could run
script there or be handed to staff as something it is not. Every allowed
kind is therefore recognised by its content as well as by its extension;
anything not recognised is refused, never guessed at.
"""

from __future__ import annotations

import io
import struct
import zipfile

ODF_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
OOXML_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OOXML_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "マクロ付きの Word 文書（.docm）",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "マクロ付きの Excel ブック（.xlsm）",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "マクロ付きの PowerPoint（.pptm）",
}
MAX_CONTENT_TYPES = 1024 * 1024  # bytes of [Content_Types].xml read at most (a zip may be a bomb)

# extension → what it must contain, as people name it
ALLOWED = {
    ".png": "PNG 画像", ".jpg": "JPEG 画像", ".jpeg": "JPEG 画像", ".gif": "GIF 画像", ".webp": "WebP 画像",
    ".pdf": "PDF",
    ".docx": "Word 文書（.docx）", ".xlsx": "Excel ブック（.xlsx）", ".pptx": "PowerPoint（.pptx）",
    ".odt": "OpenDocument 文書（.odt）", ".ods": "OpenDocument 表計算（.ods）",
    ".odp": "OpenDocument プレゼンテーション（.odp）",
    ".csv": "CSV（UTF-8 のテキスト）", ".txt": "テキスト（UTF-8）",
}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
ALLOWED_TEXT = ("画像（PNG・JPEG・GIF・WebP）と資料（PDF・Word／Excel／PowerPoint の .docx・.xlsx・.pptx・"
                "OpenDocument の .odt・.ods・.odp・CSV・テキスト .txt）")

# Refused extensions with the fix that suits them: (what it is, why, how to fix)
_ACTIVE = "サイトでスクリプトが動くおそれがあるため"
_HTML = ("HTML ファイル", _ACTIVE, "PDF にしてください")
_SCRIPT = ("プログラムやスクリプト", "", "このファイルは消してください")
REFUSED = {
    ".svg": ("SVG 画像", _ACTIVE, "PNG に書き出してください"),
    ".svgz": ("SVG 画像", _ACTIVE, "PNG に書き出してください"),
    **{ext: _HTML for ext in (".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt")},
    **{ext: ("旧形式の Office ファイル", "マクロを含められるため",
             "Word・Excel・PowerPoint で .docx・.xlsx・.pptx 形式で保存し直すか、PDF にしてください")
       for ext in (".doc", ".xls", ".ppt", ".rtf")},
    **{ext: ("マクロ付きの Office ファイル", "マクロを含むため",
             "マクロを含まない形式（.docx・.xlsx・.pptx）で保存し直すか、PDF にしてください")
       for ext in (".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".potm", ".ppsm", ".xlam", ".ppam")},
    **{ext: ("この形式の画像", "ブラウザで表示できないことがあるため", "PNG か JPEG に変換してください")
       for ext in (".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif", ".jfif", ".ico", ".emf", ".wmf")},
    **{ext: _SCRIPT for ext in (".js", ".mjs", ".exe", ".bat", ".cmd", ".com", ".scr", ".msi", ".dll", ".sh",
                                ".ps1", ".vbs", ".vbe", ".wsf", ".jar", ".py", ".php", ".pl", ".rb", ".hta",
                                ".lnk", ".url", ".swf", ".wasm", ".css")},
    **{ext: ("圧縮ファイル", "中身を確かめられないため",
             "展開して、中の画像や資料（使える種類のもの）をそのまま置いてください")
       for ext in (".zip", ".lzh", ".7z", ".rar", ".gz", ".tar", ".cab")},
    ".md": ("Markdown ファイル", "",
            "事例ファイル（.md）は cases/<都道府県>/ に置いてください。フォルダには画像と資料だけを入れます"),
}


def extension(name: str) -> str:
    """The lower-case extension with its dot, '' for none (a leading dot starts no extension)."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _zip_kind(data: bytes) -> str:
    """What a ZIP archive holds: an OpenDocument, an Office Open XML file, or just a ZIP."""
    if data[30:38] == b"mimetype" and data[8:10] == b"\0\0":  # ODF: first entry, stored
        name_length, extra_length = struct.unpack("<HH", data[26:30])
        size = struct.unpack("<I", data[18:22])[0]
        start = 30 + name_length + extra_length
        mime = data[start:start + size]
        for ext, expected in ODF_TYPES.items():
            if mime == expected and _zip_opens(data):
                return ext
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES:
                return "zip"
            with archive.open(info) as part:
                types = part.read(MAX_CONTENT_TYPES).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a damaged or hostile archive raises many kinds; it is no document
        return "zip"
    for ext, main in OOXML_TYPES.items():
        if f'ContentType="{main}"' in types:
            return ext
    for main, label in OOXML_MACRO_TYPES.items():
        if f'ContentType="{main}"' in types:
            return label
    return "zip"


def _zip_opens(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.namelist())
    except Exception:  # noqa: BLE001 - see _zip_kind
        return False


MARKUP = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta", b"<object",
          b"<embed", b"<a ", b"<img", b"<div", b"<style", b"<title", b"<table", b"<p>", b"<br", b"<h1")


def _text_kind(data: bytes) -> str:
    """'svg', 'html', 'xml', 'text', or a label for text that is not UTF-8 / not text."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"\0" in body:
        return "binary"
    head = body[:1024].lstrip().lower()
    if b"<svg" in head:
        return "svg"
    if head.startswith(MARKUP) or b"<html" in head or b"<script" in head:
        return "html"
    if head.startswith(b"<?xml"):
        return "xml"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        for codec, label in (("cp932", "Shift_JIS（CP932）"), ("euc_jp", "EUC-JP")):
            try:
                body.decode(codec)
            except UnicodeDecodeError:
                continue
            return label
        return "binary"
    return "text"


def identify(data: bytes) -> str:
    """The kind the bytes are: an allowed extension ('.png', '.docx'...) or a label of what else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\x7fELF") or data.startswith(b"MZ") or data[:4] in (
            b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return "実行ファイル（プログラム）"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "旧形式の Office ファイル"
    if data.startswith(b"#!"):
        return "スクリプト"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 のテキスト"
    kind = _text_kind(data)
    return {"svg": "SVG 画像", "html": "HTML", "xml": "XML", "binary": "不明な形式"}.get(kind, kind)


def content_problem(ext: str, data: bytes) -> str | None:
    """None when the bytes are what the (allowed) extension says; else what they are instead."""
    found = identify(data)
    if ext in (".csv", ".txt"):
        return None if found == "text" else found
    if found == ext or (ext == ".jpeg" and found == ".jpg"):
        return None
    if found == "text":
        return "テキスト"
    if found == "zip":
        return "ZIP（圧縮ファイル）"
    return ALLOWED.get(found, found)
