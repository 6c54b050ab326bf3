"""Dependencies between layers run one way (issue 16). Read from the source with ``ast``,
so an import inside a function (a lazy import that hides a cycle) counts as well."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

#: (modules that must not import, modules they must not import, why)
RULES = [
    ("console.domain", ("console.store", "console.operations", "console.export",
                        "console.sync", "console.views", "server"),
     "the domain is the bottom layer"),
    ("console.operations", ("console.export",),
     "the export reads operations and the store, not the other way"),
    ("console.store", ("console.sync", "console.operations", "console.export"),
     "the sync engine writes through the store, the store knows nothing of it"),
    ("server.db", ("server.seed", "server.open_db"),
     "the seed builds on the database; open_db.py migrates and then seeds"),
    ("server.errors", ("server.routes",),
     "Open311 is a mounted application that installs the error handlers with its format"),
]


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(prefix: str) -> list[Path]:
    base = REPO_ROOT.joinpath(*prefix.split("."))
    if base.with_suffix(".py").is_file():
        return [base.with_suffix(".py")]
    return sorted(p for p in base.rglob("*.py") if "migrations" not in p.parts)


def imported_names(path: Path, root: Path = REPO_ROOT) -> set[str]:
    """Every module ``path`` imports, relative imports resolved to absolute names."""
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            # ``from pkg import mod`` imports the module pkg.mod
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize(("layer", "forbidden", "why"), RULES, ids=[r[0] for r in RULES])
def test_imports_run_one_way(layer, forbidden, why):
    modules = _modules(layer)
    assert modules, f"no modules found for {layer}"
    bad = sorted(
        f"{path.relative_to(REPO_ROOT)} imports {name}"
        for path in modules
        for name in imported_names(path)
        if any(_is_under(name, f) for f in forbidden)
    )
    assert not bad, f"{why}:\n" + "\n".join(bad)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path):
    pkg = tmp_path / "console" / "store"
    pkg.mkdir(parents=True)
    module = pkg / "thing.py"
    module.write_text("def f():\n    from ..sync import pusher\n    import console.export.data\n")
    names = imported_names(module, tmp_path)
    assert "console.sync.pusher" in names
    assert "console.export.data" in names
