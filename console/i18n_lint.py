"""Text that reaches the operator without translation, found by reading the source (AST).

Two rules, run by ``python -m console.i18n_tools check``:

1. In the views, a literal with words passed straight to something the operator reads
   (``setText``, ``setWindowTitle``, ``setToolTip``, ``showMessage``, ``show_message``,
   ``QMessageBox.warning``, ``QLabel(...)``, ``QAction(...)``, ...) must go through
   ``tr()`` / ``QCoreApplication.translate``; and an exception's own text (``str(exc)``,
   ``f"{exc}"``) is English from the core: show ``messages.error_text(exc)`` instead.
   Logging and printing are not shown to the operator and are not checked. A line that
   must stay as it is says why and ends with ``# i18n: ok``.
2. In the core (operations, sync, domain, store), every ``OperationError(...)`` names its
   ``code=``, and every code the core can raise (``code="..."`` at a raise, a class's
   ``error_code``, a sync status ``code``) has a sentence in console/views/messages.py.

Pure ``ast``: no import of the scanned code, so a broken view still gets its report.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ROOT / "console" / "views"
CORE = tuple(ROOT / "console" / d for d in ("operations", "sync", "domain", "store"))
MESSAGES = VIEWS / "messages.py"

#: Methods whose text argument the operator reads -> its positions (default: the first).
SINK_METHODS: dict[str, tuple[int, ...]] = {
    name: (0,) for name in (
        "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis",
        "setPlaceholderText", "showMessage", "show_message", "setLabelText", "setTitle",
        "setInformativeText", "setDetailedText", "setHeaderLabels",
        "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "addRow", "setAccessibleName",
        "setCancelButtonText", "addMenu", "setPrefix", "setSuffix", "setSpecialValueText")
} | {"addTab": (1,), "insertTab": (2,), "setTabText": (1,)}
#: Constructors (and static helpers) whose text arguments the operator reads.
SINK_CALLS: dict[str, tuple[int, ...]] = {
    "QLabel": (0,), "QAction": (0, 1), "QPushButton": (0, 1), "QCheckBox": (0,),
    "QRadioButton": (0,), "QGroupBox": (0,), "QMenu": (0,), "QCommandLinkButton": (0, 1),
    "QMessageBox": (1, 2), "QProgressDialog": (0, 1),
    **{f"QMessageBox.{m}": (1, 2) for m in ("warning", "critical", "information",
                                             "question", "about")},
    **{f"QInputDialog.{m}": (1, 2) for m in ("getText", "getItem", "getInt",
                                              "getMultiLineText")},
    "QFileDialog.getSaveFileName": (1,), "QFileDialog.getOpenFileName": (1,),
}
#: Keyword arguments that carry text at any sink.
SINK_KEYWORDS = frozenset({"text", "title", "caption", "label", "action", "informativeText"})
#: Literals with letters that are not words to translate: key names, addresses, the name.
NOT_WORDS = re.compile(r"^(Posko|[A-Z][a-z]*(\+[A-Za-z0-9]+)+|\S*://\S*|[\w.-]+\.[a-z]{2,4})$")
#: Calls whose arguments never reach the operator.
QUIET = re.compile(r"^(self\.)?_?(log|logger|logging|warnings)\.\w+$|^print$")
EXCEPTION_NAMES = frozenset({"exc", "error", "err", "e", "ex"})
OK_MARK = "# i18n: ok"
#: Calls that return translated text (Qt's, or console/views/messages.py's).
TRANSLATING = frozenset({"tr", "translate", "lookup", "error_text", "plain", "rich",
                         "sync_status_text", "quarantine_reason", "describe"})
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%\d|&")


def _name(node: ast.AST) -> str:
    """Dotted name of a call's target: ``QMessageBox.warning``, ``self.label.setText``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    if isinstance(node, ast.Call):
        return _name(node.func) + "()"
    return ""


def _words(text: str) -> bool:
    """Does this literal hold words (not just symbols, numbers, placeholders, key names)?"""
    if NOT_WORDS.match(text.strip()):
        return False
    return bool(re.search(r"[A-Za-z]{2,}", _PLACEHOLDER.sub("", text)))


def _is_translation(node: ast.AST) -> bool:
    """tr(...), self.tr(...), QCoreApplication.translate(...), X.format(...) on those."""
    if isinstance(node, ast.Call):
        short = _name(node.func).rsplit(".", 1)[-1]
        if short in TRANSLATING or short.endswith("_label"):
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "format_map"):
            return _is_translation(node.func.value)
    return False


class _Views(ast.NodeVisitor):
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path, self.lines = path, lines
        self.findings: list[str] = []
        self.exc_names: list[set[str]] = [set()]
        self.beside_words = 0  # inside the values of a translated sentence

    def _report(self, node: ast.AST, what: str) -> None:
        line = self.lines[node.lineno - 1] if node.lineno <= len(self.lines) else ""
        if OK_MARK in line:
            return
        where = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        if not any(f.startswith(f"{where}:{node.lineno}: ") for f in self.findings):
            self.findings.append(f"{where}:{node.lineno}: {what}")  # one finding a line

    # exception names in scope: ``except X as name`` and parameters called exc/error
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        params = {a.arg for a in node.args.args + node.args.kwonlyargs}
        self.exc_names.append(self.exc_names[-1] | (params & EXCEPTION_NAMES))
        self.generic_visit(node)
        self.exc_names.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.exc_names[-1] = self.exc_names[-1] | {node.name}
        self.generic_visit(node)

    def _exception_text(self, node: ast.AST) -> bool:
        """``str(exc)`` or an f-string showing ``exc``."""
        names = self.exc_names[-1]
        if isinstance(node, ast.Call) and _name(node.func) == "str" and node.args:
            arg = node.args[0]
            return isinstance(arg, ast.Name) and arg.id in names
        if isinstance(node, ast.JoinedStr):
            return any(isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)
                       and v.value.id in names for v in node.values)
        return False

    def _untranslated(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _words(node.value)
        if isinstance(node, ast.JoinedStr):
            return any(isinstance(v, ast.Constant) and _words(str(v.value)) for v in node.values)
        if isinstance(node, ast.List | ast.Tuple):
            return any(self._untranslated(e) for e in node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._untranslated(node.left) or self._untranslated(node.right)
        return False

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        short = name.rsplit(".", 1)[-1]
        if QUIET.search(name):
            return  # logging, printing: not for the operator (and not descended into)
        positions = SINK_CALLS.get(name) or SINK_CALLS.get(short) if (
            name in SINK_CALLS or short in SINK_CALLS) else SINK_METHODS.get(short, ())
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "format_map") \
                and _is_translation(node.func.value):
            # the values of a translated sentence: an exception there is detail beside words
            self.beside_words += 1
            self.generic_visit(node)
            self.beside_words -= 1
            return
        shown = [a for i, a in enumerate(node.args) if i in positions]
        shown += [k.value for k in node.keywords if positions and k.arg in SINK_KEYWORDS]
        for arg in shown:
            if not _is_translation(arg) and self._untranslated(arg):
                self._report(arg, f"text shown without tr(): {ast.unparse(arg)[:60]} in {name}()")
        self._check_exception_text(node)
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._check_exception_text(node)
        self.generic_visit(node)

    def _check_exception_text(self, node: ast.AST) -> None:
        if not self.beside_words and self._exception_text(node):
            self._report(node, f"an exception's English text shown as is: {ast.unparse(node)};"
                               " use messages.error_text(exc)")


def scan_views(folder: Path = VIEWS) -> list[str]:
    findings: list[str] = []
    for path in sorted(Path(folder).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        visitor = _Views(path, text.splitlines())
        visitor.visit(ast.parse(text, str(path)))
        findings += visitor.findings
    return findings


def _modules(folders: Iterable[Path]) -> Iterator[tuple[Path, ast.Module]]:
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            if "testing" in path.parts:
                continue  # test helpers (fake servers) are not the console
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _coded_classes(trees: list[tuple[Path, ast.Module]]) -> dict[str, str | None]:
    """Class name -> its ``error_code`` (None: inherits one) for every coded error class."""
    bases: dict[str, list[str]] = {}
    own: dict[str, str | None] = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases[node.name] = [_name(b).rsplit(".", 1)[-1] for b in node.bases]
            for stmt in node.body:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(
                    stmt, "target", None)
                value = getattr(stmt, "value", None)
                if isinstance(target, ast.Name) and target.id == "error_code" \
                        and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    own[node.name] = value.value
    coded = dict(own)
    changed = True
    while changed:
        changed = False
        for cls, parents in bases.items():
            if cls not in coded and any(p in coded for p in parents):
                coded[cls] = None
                changed = True
    return coded


def _message_codes(path: Path) -> dict[str, set[str]]:
    """Keys of the ERRORS / SYNC_STATUS tables in console/views/messages.py."""
    tables: dict[str, set[str]] = {"ERRORS": set(), "SYNC_STATUS": set()}
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name) and target.id in tables \
                    and isinstance(node.value, ast.Dict):
                tables[target.id] = {k.value for k in node.value.keys
                                     if isinstance(k, ast.Constant)}
    return tables


def check_codes(core: Iterable[Path] = CORE, messages: Path = MESSAGES) -> list[str]:
    """Every OperationError names a code; every code has an Indonesian sentence."""
    trees = list(_modules(core))
    coded = _coded_classes(trees)
    tables = _message_codes(messages)
    findings: list[str] = []

    def where(path: Path, node: ast.AST) -> str:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        return f"{shown}:{node.lineno}"

    for cls, code in coded.items():
        if code is not None and code not in tables["ERRORS"]:
            findings.append(f"error class {cls}: code {code!r} has no sentence in messages.ERRORS")
    for path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = _name(node.func).rsplit(".", 1)[-1]
            code_kw = next((k.value for k in node.keywords if k.arg == "code"), None)
            literal = code_kw.value if isinstance(code_kw, ast.Constant) else None
            if callee == "_update":  # the sync engine's status (console/sync/engine.py)
                says = any(k.arg == "message" for k in node.keywords)
                if says and code_kw is None:
                    findings.append(f"{where(path, node)}: a sync status message without "
                                    "code=; the operator would read the English")
                elif literal is not None and literal not in tables["SYNC_STATUS"] | tables["ERRORS"]:
                    findings.append(f"{where(path, node)}: sync status code {literal!r} has no "
                                    "sentence in messages.SYNC_STATUS")
                continue
            if callee not in coded:
                continue
            if callee == "OperationError" and code_kw is None:
                findings.append(f"{where(path, node)}: OperationError without code=; name one "
                                "and give it a sentence in console/views/messages.py ERRORS")
            elif code_kw is not None and not isinstance(literal, str):
                findings.append(f"{where(path, node)}: code= must be a literal string")
            elif literal is not None and literal not in tables["ERRORS"]:
                findings.append(f"{where(path, node)}: code {literal!r} has no sentence in "
                                "console/views/messages.py ERRORS")
    return findings


def scan(views: Path = VIEWS, core: Iterable[Path] = CORE, messages: Path = MESSAGES) -> list[str]:
    return scan_views(views) + check_codes(core, messages)


if __name__ == "__main__":
    import sys

    found = scan()
    print("\n".join(found) or "no untranslated text found")
    sys.exit(1 if found else 0)
