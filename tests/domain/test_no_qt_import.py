"""The server imports console.domain; it must not drag in Qt or the SQL layer."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

CHECK = (
    "import console.domain.workflow, console.domain.sla, console.domain.catalog, "
    "console.domain.priority, console.domain.geo, console.domain.sla_metrics, sys; "
    "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy', 'sqlmodel')));"
    "assert not bad, bad"
)


def test_domain_imports_without_qt_or_sql():
    # A fresh interpreter: in this one pytest plugins (pytest-qt) may already have loaded Qt.
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
