"""Translation upkeep for the console (Qt Linguist files).

The source strings in ``console/views`` are Bahasa Indonesia; English ships as
``resources/translations/posko_en.ts`` (edited with Qt Linguist or by hand) compiled to
``posko_en.qm``.

    python -m console.i18n_tools update   # re-scan sources into the .ts, compile the .qm
    python -m console.i18n_tools check    # non-zero if a string lacks a finished English
                                          # translation, a .qm is out of date, or a view
                                          # shows text that bypasses translation
    python -m console.i18n_tools fill FILE.tsv   # scan, then set English from a TSV of
                                          # context<TAB>source<TAB>english (plural:
                                          # english forms joined by " || "), compile

Qt's own strings (standard buttons, context menus, file dialog) have no Indonesian in
PySide6, so Posko ships ``resources/translations/qt_id.ts`` (hand-made, sources are Qt's
English); ``update`` compiles it to ``qt_id.qm`` and ``check`` checks it is finished and
compiled. ``check`` also runs ``console.i18n_lint`` (text shown without tr(), error codes
without an Indonesian sentence).

All use ``pyside6-lupdate`` / ``pyside6-lrelease`` from the running interpreter's
environment (or PATH).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = (ROOT / "console" / "views",)
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("en",)
#: Qt's own strings per UI language, hand-translated (no lupdate: the sources are Qt's).
QT_LANGUAGES = ("id",)


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"posko_{lang}.ts"


def qm_path(lang: str) -> Path:
    return TRANSLATIONS / f"posko_{lang}.qm"


def qt_ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"qt_{lang}.ts"


def qt_qm_path(lang: str) -> Path:
    return TRANSLATIONS / f"qt_{lang}.qm"


def sources() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in d.rglob("*.py"))


def tool(name: str) -> str:
    """Path of ``pyside6-<name>``: next to this Python first, then on PATH."""
    exe = f"pyside6-{name}"
    for candidate in (
        Path(sys.executable).parent / exe,
        Path(sys.executable).parent / f"{exe}.exe",
    ):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(exe)
    if found is None:
        raise SystemExit(f"{exe} not found; install PySide6 (pip install 'posko[console]')")
    return found


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{Path(args[0]).name} failed:\n{result.stdout}{result.stderr}")


def lupdate(ts: Path, lang: str) -> None:
    _run(
        [
            tool("lupdate"),
            *map(str, sources()),
            "-ts",
            str(ts),
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "id",
            "-target-language",
            lang,
            "-silent",
        ]
    )


def lrelease(ts: Path, qm: Path) -> None:
    _run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)])


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            translation = message.find("translation")
            if translation is None or translation.get("type") in (
                "unfinished",
                "vanished",
                "obsolete",
            ):
                missing.append((name, source))
                continue
            forms = translation.findall("numerusform")
            texts = [f.text for f in forms] if forms else [translation.text]
            if not all(t and t.strip() for t in texts):
                missing.append((name, source))
    return missing


def update() -> int:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        lupdate(ts_path(lang), lang)
        lrelease(ts_path(lang), qm_path(lang))
        missing = unfinished(ts_path(lang))
        print(f"{ts_path(lang).relative_to(ROOT)}: {len(missing)} unfinished")
        for context, source in missing:
            print(f"  [{context}] {source!r}")
    for lang in QT_LANGUAGES:
        lrelease(qt_ts_path(lang), qt_qm_path(lang))
        print(f"{qt_qm_path(lang).relative_to(ROOT)}: compiled")
    return 0


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def fill(tsv: Path, lang: str = "en") -> int:
    """Re-scan the sources, then give every (context, source) in ``tsv`` its English text
    and mark it finished. Lines: ``context<TAB>source<TAB>english``; ``\\n`` stands for a
    newline; plural messages take their forms joined by `` || ``. Prints what it could not
    place (a source that is not in the scan) and what stays unfinished."""
    ts = ts_path(lang)
    lupdate(ts, lang)
    wanted: dict[tuple[str, str], str] = {}
    for n, line in enumerate(Path(tsv).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{tsv}:{n}: want context<TAB>source<TAB>english")
        context, source, english = (_unescape(p) for p in parts)
        wanted[(context, source)] = english
    tree = ET.parse(ts)
    placed = set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (name, message.findtext("source", ""))
            if key not in wanted:
                continue
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            forms = translation.findall("numerusform")
            if message.get("numerus") == "yes":
                texts = wanted[key].split(" || ")
                for f in forms:
                    translation.remove(f)
                for text in texts if len(texts) > 1 else texts * 2:
                    ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = wanted[key]
            placed.add(key)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lupdate(ts, lang)  # back to lupdate's own layout
    lrelease(ts, qm_path(lang))
    for key in wanted.keys() - placed:
        print(f"not in the sources: [{key[0]}] {key[1]!r}")
    missing = unfinished(ts)
    print(f"{ts.relative_to(ROOT)}: {len(missing)} unfinished")
    for context, source in missing:
        print(f"  [{context}] {source!r}")
    return 0


def check() -> int:
    """Fail if any source string lacks a finished translation or a .qm is stale. Works on
    copies: the files in the tree are not modified."""
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            problems += _check_catalogue(lang, ts_path(lang), qm_path(lang), Path(tmp),
                                         refresh=True)
        for lang in QT_LANGUAGES:  # Qt's own strings: not extracted from our sources
            problems += _check_catalogue(f"qt_{lang}", qt_ts_path(lang), qt_qm_path(lang),
                                         Path(tmp), refresh=False)
    from console import i18n_lint

    for finding in i18n_lint.scan():
        print(finding)
        problems += 1
    if problems:
        print(f"{problems} translation problem(s)")
        return 1
    print("translations complete")
    return 0


def _check_catalogue(name: str, ts: Path, qm: Path, tmp: Path, *, refresh: bool) -> int:
    """One catalogue's problems: every message finished, the shipped .qm compiled from the
    .ts (with ``refresh``, the .ts as ``update`` would leave it: a copy run through
    lupdate, so a string new in the sources counts as unfinished)."""
    if not ts.exists():
        hint = "; run: python -m console.i18n_tools update" if refresh else ""
        print(f"missing {ts.relative_to(ROOT)}{hint}")
        return 1
    if refresh:
        fresh_ts = tmp / ts.name
        shutil.copyfile(ts, fresh_ts)
        lupdate(fresh_ts, name)
        ts = fresh_ts
    problems = 0
    for context, source in unfinished(ts):
        print(f"{name}: no finished translation: [{context}] {source!r}")
        problems += 1
    fresh_qm = tmp / qm.name
    lrelease(ts, fresh_qm)
    if not qm.exists() or qm.read_bytes() != fresh_qm.read_bytes():
        print(f"{qm.relative_to(ROOT)} is out of date; run: python -m console.i18n_tools update")
        problems += 1
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m console.i18n_tools", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", choices=("update", "check", "fill"))
    parser.add_argument("tsv", nargs="?", help="with fill: context<TAB>source<TAB>english")
    args = parser.parse_args(argv)
    if args.command == "fill":
        if not args.tsv:
            parser.error("fill needs a TSV file")
        return fill(Path(args.tsv))
    return update() if args.command == "update" else check()


if __name__ == "__main__":
    sys.exit(main())
