"""A case's own folder is untrusted: what `check` refuses there, and what never reaches the site.

A hostile corpus (symlinks to /etc/passwd and /proc/self/environ, HTML, SVG,
an ELF program named `.png`, HTML named `.png`, Windows-reserved and overlong
names, a backslash and a control character in names, a FIFO, an oversize file,
a nested folder, a folder over the folder limit, a case folder and a
prefecture folder that are symlinks) is built in a temporary cases root, since
git keeps symlinks and FIFOs badly. `check` names each entry once; the site and
the offline zip, built through the normal path and with the checker bypassed
(as tests/test_injection.py does), hold no trace of any of them.

Permission tests run the command line as an unprivileged user when the tests
run as root (root reads everything), so the denial is real.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import OTHER_PATH, REPO, TODAY, VALID_PATH, CasesRoot, png_bytes, run_cli, valid_text
from generator import casefiles, model, offline, pipeline
from generator.check import check_root
from generator.site.pages import SiteOptions, build_site
from sitebuild import build as cli_build, bypass_checker
from sitebuild import write_config

CASE_ID = "222208-okuyami-one-stop"
FOLDER = f"shizuoka/{CASE_ID}"
OTHER_FOLDER = OTHER_PATH[:-3]
MARK = "HOSTILE-MARK-7f3a"
SCRIPT_HINT = "サイトでスクリプトが動くおそれがあるため"
NAME_HINT = casefiles.NAME_HINT
LINK = ("asset-link", "シンボリックリンクは置けません（リンク先が公開されてしまうため）",
        "リンクを消し、公開してよいファイルそのものを置いてください")

# name in the case folder → (rule, message, hint) check must give for it, exactly once
HOSTILE = {
    "passwd.txt": LINK,
    "env.txt": LINK,
    "etc": LINK,
    "page.html": ("asset-kind", f"HTML ファイルは事例のフォルダに置けません（{SCRIPT_HINT}）", "PDF にしてください"),
    "old.htm": ("asset-kind", f"HTML ファイルは事例のフォルダに置けません（{SCRIPT_HINT}）", "PDF にしてください"),
    "logo.svg": ("asset-kind", f"SVG 画像は事例のフォルダに置けません（{SCRIPT_HINT}）", "PNG に書き出してください"),
    "tool.png": ("asset-content", "拡張子は .png（PNG 画像）ですが、中身は 実行ファイル（プログラム） です",
                 "元のアプリで PNG 画像 として保存し直してください。中身に合わない拡張子は付けないでください"),
    "photo.png": ("asset-content", "拡張子は .png（PNG 画像）ですが、中身は HTML です",
                  "元のアプリで PNG 画像 として保存し直してください。中身に合わない拡張子は付けないでください"),
    "CON": ("asset-name", "ファイル名「CON」は Windows で使えない名前です", NAME_HINT),
    "aux.txt": ("asset-name", "ファイル名「aux」は Windows で使えない名前です", NAME_HINT),
    "a" * 246 + ".png": ("asset-name", "ファイル名が長すぎます（250 文字）。100 文字までです", NAME_HINT),
    "back\\slash.png": ("asset-name", "ファイル名に使えない文字（\\）があります", NAME_HINT),
    "bell\x07.png": ("asset-name", "ファイル名に制御文字（U+0007）があります", NAME_HINT),
    "pipe.csv": ("asset-special", "通常のファイルではありません（名前付きパイプ・デバイスなど）", "このファイルを消してください"),
    "big.pdf": ("asset-too-large", "ファイルが大きすぎます（10,485,761 バイト）。1 ファイル 10 MiB（10,485,760 バイト）までです",
                "画像は縮小するか JPEG にし、PDF は画質を下げて保存し直してください"),
    "sub": ("asset-nested", "事例のフォルダの中にフォルダは置けません",
            f"中のファイルを {CASE_ID}/ の直下に移し、このフォルダを消してください"),
}
SHOWN = {"bell\x07.png": "bell\\u0007.png"}  # how a name with a control character is printed


def plant_hostile(folder: Path) -> None:
    """Every kind of entry the case folder must refuse, each carrying MARK where it has content."""
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/proc/self/environ", folder / "env.txt")
    os.symlink("/etc", folder / "etc")
    (folder / "page.html").write_text(f"<script>window.x='{MARK}'</script>", encoding="utf-8")
    (folder / "old.htm").write_text(f"<p>{MARK}</p>", encoding="utf-8")
    (folder / "logo.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><!--{MARK}--></svg>',
                                     encoding="utf-8")
    (folder / "tool.png").write_bytes(b"\x7fELF\x02\x01\x01\0" + b"\0" * 56 + MARK.encode())
    (folder / "photo.png").write_text(f"<html><script>alert('{MARK}')</script></html>", encoding="utf-8")
    for name in ("CON", "aux.txt", "a" * 246 + ".png", "back\\slash.png", "bell\x07.png"):
        (folder / name).write_text(MARK, encoding="utf-8")
    os.mkfifo(folder / "pipe.csv")
    with open(folder / "big.pdf", "wb") as big:
        big.write(b"%PDF-1.4\n" + MARK.encode())
        big.truncate(casefiles.MAX_FILE_BYTES + 1)
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.png").write_bytes(png_bytes())


def plant_full_folder(folder: Path) -> None:
    """Four valid PDFs of 8 MiB each: every file fine, the folder over 30 MiB."""
    folder.mkdir(exist_ok=True)
    for n in range(4):
        with open(folder / f"part{n}.pdf", "wb") as part:
            part.write(b"%PDF-1.4\n" + MARK.encode())
            part.truncate(8 * 1024 * 1024)


def plant_linked_folders(root: Path, outside: Path) -> None:
    """The other case's folder is a symlink to /etc; a prefecture folder is a symlink to a
    folder outside the root holding a valid-looking case; a case file is a symlink."""
    os.symlink("/etc", root / OTHER_FOLDER)
    (outside / "131016-linked-case.md").write_text(valid_text(), encoding="utf-8")
    os.symlink(outside, root / "tokyo")
    os.symlink("/etc/passwd", root / "shizuoka" / "222208-leak.md")


def proc_environ_sample() -> bytes:
    """A piece of this process's environment as /proc/self/environ shows it."""
    data = Path("/proc/self/environ").read_bytes()
    return max(data.split(b"\0"), key=len)


@pytest.fixture
def nested_root(tmp_path) -> CasesRoot:
    (tmp_path / "cases").mkdir()
    return CasesRoot(tmp_path / "cases")


@pytest.fixture
def hostile(tmp_path) -> CasesRoot:
    (tmp_path / "cases").mkdir()
    (tmp_path / "outside").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    plant_hostile(cases.path / FOLDER)
    plant_linked_folders(cases.path, tmp_path / "outside")
    return cases


def _expected_diagnostics() -> list[tuple[str, str, str, str]]:
    rows = [(f"{FOLDER}/{SHOWN.get(name, name)}", *rule) for name, rule in HOSTILE.items()]
    rows.append((OTHER_FOLDER, "asset-link", "事例のフォルダがシンボリックリンクです。リンクは公開できません",
                 "リンクを消し、画像や資料を 142077-kakanai-madoguchi/ という普通のフォルダに入れてください"))
    rows.append(("tokyo", "path-link", "事例のフォルダの中にシンボリックリンクは置けません（リンク先を読まないため）",
                 "リンクを消し、フォルダやファイルそのものを置いてください"))
    rows.append(("shizuoka/222208-leak.md", "path-link", "事例ファイルがシンボリックリンクです。リンクは読みません",
                 "リンクを消し、事例ファイルそのものを置いてください"))
    return sorted(rows)


def test_check_names_every_hostile_entry_once(hostile):
    result = hostile.check()
    found = sorted((d.file, d.rule, d.message, d.hint) for d in result.diagnostics
                   if d.rule.startswith(("asset-", "path-link")))
    assert found == _expected_diagnostics()
    assert all(d.line == 1 and d.column == 1 and d.is_error for d in result.diagnostics if d.rule.startswith("asset-"))
    assert not result.ok


def test_check_command_reports_them_in_japanese_and_fails(hostile):
    proc = run_cli("check", str(hostile.path))  # no traceback (run_cli asserts), no stall on the FIFO
    assert proc.returncode == 1
    for file, rule, message, hint in _expected_diagnostics():
        assert f"{hostile.path}/{file}:1:1: error[{rule}]: {message}\n    ヒント: {hint}" in proc.stdout


def test_folder_over_the_limit_is_named_and_nothing_of_it_published(root):
    plant_full_folder(root.path / FOLDER)
    result = root.check()
    assert [(d.file, d.rule, d.message) for d in result.diagnostics] == [
        (FOLDER, "asset-folder-too-large",
         "事例のフォルダのファイルが大きすぎます（6 個、合計 32.0 MiB）。1 事例 100 個・合計 30 MiB までです")]
    assert casefiles.scan(root.path / FOLDER, keep=True).files == {}


def test_folder_with_too_many_files_is_named(root):
    for n in range(casefiles.MAX_FILES - 1):
        (root.path / FOLDER / f"note{n}.txt").write_text("メモ", encoding="utf-8")
    assert [(d.file, d.rule, d.message) for d in root.check().diagnostics] == [
        (FOLDER, "asset-folder-too-large",
         "事例のフォルダのファイルが多すぎます（101 個、合計 0.0 MiB）。1 事例 100 個・合計 30 MiB までです")]


def _all_output(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(p.relative_to(folder)), p.read_bytes()) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()]


def _assert_no_trace(entries: list[tuple[str, bytes]]) -> None:
    """No hostile name, no hostile content, nothing read through a link."""
    secrets = [MARK.encode(), b"root:x:0:0", proc_environ_sample(), b"\x7fELF"]
    names = " ".join(name for name, _ in entries)
    for name in list(HOSTILE) + ["inner.png", "part0.pdf", "linked-case", "222208-leak", "passwd"]:
        assert name not in names, name
    for name, data in entries:
        for secret in secrets:
            assert secret not in data, (name, secret[:20])
        assert casefiles.windows_problem(Path(name).name) is None, name


@pytest.fixture
def bypassed_site(tmp_path, monkeypatch):
    """The site and the offline zip built from a checked collection, hostile files planted after
    the check: the build alone must refuse them."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "outside").mkdir()
    cases = CasesRoot(tmp_path / "cases")
    checked = check_root(cases.path, today=TODAY)
    assert checked.ok
    collection = model.build(checked.cases)
    plant_hostile(cases.path / FOLDER)
    shutil.rmtree(cases.path / OTHER_FOLDER, ignore_errors=True)
    plant_linked_folders(cases.path, tmp_path / "outside")
    for case in collection:  # the body links each hostile file, in both path forms
        case.body += "\n\n" + "\n".join(f"[x]({CASE_ID}/{name}) ![y]({name})" for name in HOSTILE if "\\" not in name)
        case.resources = case.resources + [{"title": "漏えい", "file": "passwd.txt"}, {"title": "頁", "file": "page.html"}]

    bypass_checker(monkeypatch, checked, collection)
    config = load_config(str(write_config(tmp_path, cases.path, tmp_path / "site")))
    mkdocs_build(config)
    target = offline.package(tmp_path / "site", tmp_path / "offline.zip", TODAY, len(collection))
    return tmp_path / "site", target


def test_bypassed_build_publishes_no_hostile_file(bypassed_site):
    site, _ = bypassed_site
    entries = _all_output(site)
    _assert_no_trace(entries)
    assert (site / f"cases/{CASE_ID}/flow.png").read_bytes() == png_bytes()  # the good files still are
    page = (site / f"cases/{CASE_ID}/index.html").read_text(encoding="utf-8")
    assert 'src="flow.png"' in page
    for name in ("passwd.txt", "page.html", "logo.svg", "tool.png", "etc"):
        assert f'href="{name}"' not in page and f'src="{name}"' not in page
    assert "漏えい" in page  # the resource is listed, as text


def test_bypassed_offline_zip_holds_no_hostile_file(bypassed_site):
    _, target = bypassed_site
    with zipfile.ZipFile(target) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    _assert_no_trace(entries)
    assert any(name.endswith(f"cases/{CASE_ID}/flow.png") for name, _ in entries)


def test_normal_build_and_export_refuse_and_keep_nothing(hostile, tmp_path):
    proc = cli_build(hostile.path, tmp_path / "out" / "site")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "error[asset-link]" in proc.stdout + proc.stderr
    assert not (tmp_path / "out" / "site" / "cases").exists()
    config = write_config(tmp_path / "out", hostile.path, tmp_path / "out" / "site")
    proc = run_cli("export", "--config", str(config), "--out", str(tmp_path / "dist"))
    assert proc.returncode == 1
    assert not (tmp_path / "dist").exists() or not any((tmp_path / "dist").iterdir())


def test_offline_zip_skips_links_and_unsafe_names_in_the_site_folder(tmp_path):
    site = tmp_path / "site"
    (site / "cases").mkdir(parents=True)
    (site / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    os.symlink("/etc/passwd", site / "cases" / "passwd.txt")
    os.symlink("/etc", site / "etc")
    for name in ("CON", "aux.txt", "a\\b.png", "bell\x07.png", "dot."):
        (site / "cases" / name).write_text(MARK, encoding="utf-8")
    target = offline.package(site, tmp_path / "o.zip", TODAY, 0)
    with zipfile.ZipFile(target) as archive:
        names = [n.split("/", 1)[1] for n in archive.namelist()]
    assert names == [offline.README_NAME, "index.html"]


# -- the findings of the issue, one by one -------------------------------------------------

def test_finding_1_symlink_to_proc_environ_is_refused(root):
    os.symlink("/proc/self/environ", root.path / FOLDER / "env.txt")
    assert [(d.file, d.rule, d.message) for d in root.check().diagnostics] == [
        (f"{FOLDER}/env.txt", "asset-link", "シンボリックリンクは置けません（リンク先が公開されてしまうため）")]


def test_finding_1_case_folder_that_is_a_symlink_is_refused(root):
    shutil.rmtree(root.path / FOLDER)
    target = root.path.parent / "elsewhere"
    target.mkdir()
    (target / "flow.pdf").write_bytes(b"%PDF-1.4\n")
    (target / "flow.png").write_bytes(png_bytes())
    os.symlink(target, root.path / FOLDER)
    rules = [(d.file, d.rule) for d in root.check().diagnostics]
    assert (FOLDER, "asset-link") in rules
    assert casefiles.scan(root.path / FOLDER, keep=True).files == {}


def test_hard_link_is_refused(root, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(MARK, encoding="utf-8")
    os.link(secret, root.path / FOLDER / "notes.txt")
    assert [(d.file, d.rule, d.message) for d in root.check().diagnostics] == [
        (f"{FOLDER}/notes.txt", "asset-link", "ハードリンクは置けません（リンク先が公開されてしまうため）")]
    assert "notes.txt" not in casefiles.scan(root.path / FOLDER, keep=True).files


@pytest.mark.parametrize("name, content, message, hint", [
    ("page.html", "<p>x</p>", f"HTML ファイルは事例のフォルダに置けません（{SCRIPT_HINT}）", "PDF にしてください"),
    ("page.htm", "<p>x</p>", f"HTML ファイルは事例のフォルダに置けません（{SCRIPT_HINT}）", "PDF にしてください"),
    ("map.svg", "<svg/>", f"SVG 画像は事例のフォルダに置けません（{SCRIPT_HINT}）", "PNG に書き出してください"),
])
def test_finding_2_html_and_svg_are_refused(root, name, content, message, hint):
    (root.path / FOLDER / name).write_text(content, encoding="utf-8")
    assert [(d.file, d.rule, d.message, d.hint) for d in root.check().diagnostics] == [
        (f"{FOLDER}/{name}", "asset-kind", message, hint)]


def test_finding_5_overlong_paths_in_the_body_and_resources_are_messages(root):
    long = "a" * 300 + ".png"
    text = (valid_text().replace(f"![業務フロー図]({CASE_ID}/flow.png)", f"![業務フロー図]({CASE_ID}/{long})")
            .replace(f'file: "{CASE_ID}/flow.pdf"', f'file: "{CASE_ID}/{long}"'))
    path = root.write(VALID_PATH, text)
    proc = run_cli("check", str(path))
    assert proc.returncode == 1
    assert f"error[body-image-missing]: 本文の画像「{CASE_ID}/{long}」のファイルがありません" in proc.stdout
    assert f"error[file-missing]: resources.file（ファイル） のファイル「{CASE_ID}/{long}」がありません" in proc.stdout


UNSAFE_NAMES = ["back\\slash.png", "bell\x07.png", "tab\tname.png", "CON", "aux.txt", "a" * 246 + ".png"]


def test_finding_11_unsafe_names_reach_neither_site_nor_zip(root, tmp_path):
    checked = check_root(root.path, today=TODAY)
    for name in UNSAFE_NAMES:
        (root.path / FOLDER / name).write_bytes(png_bytes() if name.endswith(".png") else b"text")
    assert sorted(d.file for d in root.check().diagnostics if d.rule == "asset-name") == sorted(
        f"{FOLDER}/{casefiles.shown(name)}" for name in UNSAFE_NAMES)
    tree, _ = build_site(model.build(checked.cases), checked.areas, SiteOptions(build_date=TODAY), root.path)
    tree.write(tmp_path / "docs")
    with zipfile.ZipFile(offline.package(tmp_path / "docs", tmp_path / "o.zip", TODAY, 2)) as archive:
        names = archive.namelist()
    assert f"jichitai-dx-jirei-20261126/cases/{CASE_ID}/flow.png" in names
    for name in UNSAFE_NAMES:
        assert f"cases/{CASE_ID}/{name}" not in tree.files
        assert not any(n.endswith("/" + name) for n in names)


# -- permissions: really denied, also when the tests run as root ----------------------------

@pytest.fixture
def shared_root():
    """A cases root an unprivileged user can read (pytest's tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="dx-case-files-"))
    os.chmod(base, 0o755)
    (base / "cases").mkdir()
    cases = CasesRoot(base / "cases")
    for path in [base, *base.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    yield cases
    for path in base.rglob("*"):
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    shutil.rmtree(base)


def run_unprivileged(*args: str) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` as a user without root's right to read everything."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    if prefix and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([*prefix, sys.executable, "-m", "generator", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def test_finding_10_unreadable_prefecture_folder_is_an_error(shared_root):
    folder = shared_root.path / "kanagawa"
    os.chmod(folder, 0)
    for target in (shared_root.path, folder):  # the whole root, or just that prefecture
        proc = run_unprivileged("check", str(target))
        assert proc.returncode == 1
        assert (f"{folder}:1:1: error[folder-unreadable]: フォルダを読めません: Permission denied\n"
                "    ヒント: フォルダの読み取り権限を確かめてください（中の事例を検査できません）") in proc.stdout
    proc = run_unprivileged("check", str(shared_root.path / OTHER_PATH))  # a case file inside it
    assert proc.returncode == 2
    assert f"パスを読めません / cannot read the path: {shared_root.path / OTHER_PATH}: Permission denied" in proc.stderr


@pytest.mark.parametrize("command, consequence", [
    ("fix", "その中の事例は直していません。"),
    ("links", "その中の事例の URL は一覧にありません。"),
])
def test_contributor_tools_name_an_unreadable_prefecture_folder(shared_root, command, consequence):
    shared_root.write(VALID_PATH, valid_text().replace("\n---\n", "   \n---\n", 1))  # something to fix
    folder = shared_root.path / "kanagawa"
    os.chmod(folder, 0)
    named = (f"{folder}:1:1: error[folder-unreadable]: フォルダを読めません: Permission denied\n"
             "    ヒント: フォルダの読み取り権限を確かめてください（中の事例を検査できません）\n"
             f"読めないフォルダがあります。{consequence}make check で確かめてください。\n")
    whole = run_unprivileged(command, str(shared_root.path))
    assert whole.returncode == 1
    assert named in whole.stderr
    assert VALID_PATH in whole.stdout  # the readable prefecture is still fixed or listed
    alone = run_unprivileged(command, str(folder))  # given alone: nothing else is touched
    assert alone.returncode == 1
    assert named in alone.stderr
    assert alone.stdout.strip() in ("", "[]")


def test_finding_5_symlink_to_an_unreadable_file_is_a_message(shared_root):
    secret = shared_root.path.parent / "secret.txt"
    secret.write_text(MARK, encoding="utf-8")
    os.chmod(secret, 0)
    os.symlink(secret, shared_root.path / FOLDER / "secret.txt")
    proc = run_unprivileged("check", str(shared_root.path))
    assert proc.returncode == 1
    assert f"{shared_root.path}/{FOLDER}/secret.txt:1:1: error[asset-link]: " in proc.stdout


def test_unreadable_attachment_case_folder_and_case_file_are_errors(shared_root):
    os.chmod(shared_root.path / FOLDER / "flow.pdf", 0)
    os.chmod(shared_root.path / OTHER_PATH, 0)
    other_folder = shared_root.path / OTHER_FOLDER
    other_folder.mkdir()
    os.chmod(other_folder, 0)
    proc = run_unprivileged("check", str(shared_root.path))
    assert proc.returncode == 1
    assert f"{shared_root.path}/{FOLDER}/flow.pdf:1:1: error[asset-unreadable]: ファイルを読めません: Permission denied" \
        in proc.stdout
    assert f"{shared_root.path}/{OTHER_PATH}:1:1: error[file-unreadable]: ファイルを読めません: Permission denied" \
        in proc.stdout
    assert f"{other_folder}:1:1: error[asset-unreadable]: 事例のフォルダを読めません: Permission denied" in proc.stdout


# -- names and kinds ----------------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("CON", "ファイル名「CON」は Windows で使えない名前です"),
    ("con.png", "ファイル名「con」は Windows で使えない名前です"),
    ("LPT1.pdf", "ファイル名「LPT1」は Windows で使えない名前です"),
    ("aux.txt", "ファイル名「aux」は Windows で使えない名前です"),
    ("a:b.png", "ファイル名に使えない文字（:）があります"),
    ("why?.png", "ファイル名に使えない文字（?）があります"),
    ("map#1.png", "ファイル名に使えない文字（#）があります"),
    ("trailing.png.", "ファイル名の最後が「.」か空白になっています（Windows で扱えません）"),
    ("trailing.png ", "ファイル名の最後が「.」か空白になっています（Windows で扱えません）"),
    (".htaccess", "名前が「.」で始まるファイル（隠しファイル）は置けません"),
    ("gpj.\u202eexe.png", "ファイル名に制御文字（U+202E）があります"),
    ("x" * 97 + ".png", "ファイル名が長すぎます（101 文字）。100 文字までです"),
])
def test_unsafe_names(root, name, message):
    (root.path / FOLDER / name).write_bytes(png_bytes())
    assert [(d.rule, d.message) for d in root.check().diagnostics] == [("asset-name", message)]


def test_names_that_differ_only_by_case(root):
    (root.path / FOLDER / "Flow.png").write_bytes(png_bytes())
    assert [(d.file, d.rule, d.message) for d in root.check().diagnostics] == [
        (f"{FOLDER}/flow.png", "asset-name-clash",
         "ファイル名が「Flow.png」と大文字・小文字の違いしかありません（Windows では同じ名前です）")]


def test_undecodable_name_is_printed_escaped(root):
    os.close(os.open(os.fsencode(root.path / FOLDER) + b"/caf\xe9.png", os.O_CREAT | os.O_WRONLY, 0o644))
    proc = run_cli("check", str(root.path))
    assert proc.returncode == 1
    assert f"{FOLDER}/caf\\xe9.png:1:1: error[asset-name]: ファイル名に UTF-8 で読めない文字があります" in proc.stdout


def _zip(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first and index == 0 else None)
    return buffer.getvalue()


def _ooxml(main: str) -> bytes:
    types = (f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f'<Override PartName="/main.xml" ContentType="{main}"/></Types>')
    return _zip([("[Content_Types].xml", types.encode()), ("main.xml", b"<x/>")])


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize("name, data", [
    ("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
    ("photo.jpeg", b"\xff\xd8\xff\xe1\0\x10Exif\0"),
    ("anim.gif", b"GIF89a\x01\0\x01\0"),
    ("pic.webp", b"RIFF\x10\0\0\0WEBPVP8 "),
    ("shiyousho.docx", _ooxml(DOCX)),
    ("hyou.xlsx", _ooxml(XLSX)),
    ("setsumei.pptx", _ooxml(PPTX)),
    ("bunsho.odt", _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")], True)),
    ("data.csv", "団体,件数\r\n裾野市,3\r\n".encode("utf-8-sig")),
    ("memo.txt", "メモ".encode("utf-8")),
    ("地図.png", png_bytes()),
])
def test_allowed_kinds_are_accepted(root, name, data):
    (root.path / FOLDER / name).write_bytes(data)
    assert root.check().diagnostics == []
    assert name in casefiles.scan(root.path / FOLDER).files


@pytest.mark.parametrize("name, data, found", [
    ("macro.docx", _ooxml(DOCM), "マクロ付きの Word 文書（.docm）"),
    ("archive.docx", _zip([("a.txt", b"x")]), "ZIP（圧縮ファイル）"),
    ("sheet.xlsx", _ooxml(DOCX), "Word 文書（.docx）"),
    ("fake.pdf", b"<html><body>x</body></html>", "HTML"),
    ("image.jpg", png_bytes(), "PNG 画像"),
    ("prog.pdf", b"MZ\x90\0" + b"\0" * 60, "実行ファイル（プログラム）"),
    ("text.png", "ただの文章".encode("utf-8"), "テキスト"),
    ("vector.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG 画像"),
    ("page.txt", b"<!DOCTYPE html><html><script>x</script>", "HTML"),
    ("binary.txt", b"abc\0def", "不明な形式"),
])
def test_content_that_does_not_match_the_extension(root, name, data, found):
    (root.path / FOLDER / name).write_bytes(data)
    [diagnostic] = root.check().diagnostics
    ext = Path(name).suffix
    assert (diagnostic.rule, diagnostic.message) == (
        "asset-content", f"拡張子は {ext}（{casefiles.filekinds.ALLOWED[ext]}）ですが、中身は {found} です")


def test_shift_jis_csv_is_refused_with_how_to_save_utf8(root):
    (root.path / FOLDER / "data.csv").write_bytes("団体,件数\r\n裾野市,3\r\n".encode("cp932"))
    assert [(d.rule, d.message, d.hint) for d in root.check().diagnostics] == [
        ("asset-content", "拡張子は .csv（CSV（UTF-8 のテキスト））ですが、中身は Shift_JIS（CP932） です",
         "文字コードを UTF-8 にして保存し直してください（Excel では「CSV UTF-8（コンマ区切り）」、メモ帳では文字コード「UTF-8」）")]


@pytest.mark.parametrize("name, message, hint", [
    ("tool.exe", "プログラムやスクリプトは事例のフォルダに置けません", "このファイルは消してください"),
    ("old.doc", "旧形式の Office ファイルは事例のフォルダに置けません（マクロを含められるため）",
     "Word・Excel・PowerPoint で .docx・.xlsx・.pptx 形式で保存し直すか、PDF にしてください"),
    ("notes.md", "Markdown ファイルは事例のフォルダに置けません",
     "事例ファイル（.md）は cases/<都道府県>/ に置いてください。フォルダには画像と資料だけを入れます"),
    ("noext", "この種類のファイルは事例のフォルダに置けません", f"置けるのは{casefiles.filekinds.ALLOWED_TEXT}です"),
])
def test_refused_kinds_say_what_to_do(root, name, message, hint):
    (root.path / FOLDER / name).write_bytes(b"x")
    assert [(d.rule, d.message, d.hint) for d in root.check().diagnostics] == [("asset-kind", message, hint)]


def test_fifo_case_file_does_not_stall_check(root):
    os.mkfifo(root.path / "shizuoka" / "222208-fifo-case.md")
    result = root.check()
    assert [(d.file, d.rule) for d in result.diagnostics if d.rule == "path-special"] == [
        ("shizuoka/222208-fifo-case.md", "path-special")]


# -- paths relative to the Markdown file ---------------------------------------------------

def _tree(root: CasesRoot, text: str, directory_urls: bool = True):
    root.write(VALID_PATH, text)
    result = pipeline.run(root.path, SiteOptions(directory_urls=directory_urls, build_date=TODAY))
    assert result.ok, [d for d in result.check.diagnostics if d.is_error]
    return result.tree


@pytest.mark.parametrize("directory_urls, src", [(True, "flow.png"), (False, f"{CASE_ID}/flow.png")])
def test_file_relative_and_bare_image_paths_render_to_the_published_copy(root, directory_urls, src):
    relative = valid_text()
    bare = relative.replace(f"({CASE_ID}/flow.png)", "(flow.png)").replace(f'"{CASE_ID}/flow.pdf"', '"flow.pdf"')
    for text in (relative, bare):
        tree = _tree(root, text, directory_urls)
        html = tree.pages[f"cases/{CASE_ID}.md"].html
        assert f'src="{src}"' in html
        assert f'href="{src[:-3]}pdf"' in html  # the resource file
        assert tree.files[f"cases/{CASE_ID}/flow.png"] == png_bytes()
        assert tree.files[f"cases/{CASE_ID}/flow.pdf"] == b"%PDF-1.4\n"


def test_build_ignores_a_case_reached_through_a_symlinked_prefecture(nested_root):
    root = nested_root
    outside = root.path.parent / "outside"
    (outside / "142077-kakanai-madoguchi").mkdir(parents=True)
    (outside / "142077-kakanai-madoguchi" / "leak.png").write_bytes(png_bytes() + MARK.encode())
    os.symlink(outside, root.path / "tokyo")
    checked = check_root(root.path, today=TODAY)
    collection = model.build([c for c in checked.cases])
    other = collection.by_id["142077-kakanai-madoguchi"]
    other.path = root.path / "tokyo" / "142077-kakanai-madoguchi.md"
    tree, _ = build_site(collection, checked.areas, SiteOptions(build_date=TODAY), root.path)
    assert not [path for path in tree.files if "leak" in path]
    assert (root.path / "tokyo", "path-link") in [(root.path / d.file, d.rule) for d in checked.diagnostics]


def test_link_to_a_refused_file_is_text_not_a_link(root):
    (root.path / FOLDER / "map.svg").write_text("<svg/>", encoding="utf-8")
    collection = model.build(check_root(root.path, today=TODAY).cases)
    for case in collection:
        case.body += f"\n\n[地図]({CASE_ID}/map.svg) ![地図]({CASE_ID}/map.svg)"
    tree, _ = build_site(collection, check_root(root.path, today=TODAY).areas, SiteOptions(build_date=TODAY), root.path)
    html = tree.pages[f"cases/{CASE_ID}.md"].html
    assert "map.svg" not in html
    assert f"cases/{CASE_ID}/map.svg" not in tree.files
