"""The console's preferences: declared once, read back as their declared types."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from console.views import settings as prefs


def test_values_come_back_typed_from_an_ini_file(tmp_path):
    # Linux keeps QSettings in an INI file: bools and lists come back as text.
    store = QSettings(str(tmp_path / "posko.ini"), QSettings.Format.IniFormat)
    prefs.write(store, "map/heat", True)
    prefs.write(store, "map/hidden_categories", ["banjir"])
    store.sync()
    again = QSettings(str(tmp_path / "posko.ini"), QSettings.Format.IniFormat)
    assert prefs.read(again, "map/heat") is True
    assert prefs.read(again, "map/hidden_categories") == ["banjir"]
    assert prefs.read(again, "map/color_by") == "priority"  # never written: the default
    assert prefs.read(None, "map/hidden_categories") == []


def test_an_undeclared_key_is_refused():
    with pytest.raises(KeyError, match="not a declared setting"):
        prefs.write(None, "map/colour_by", "status")
    with pytest.raises(KeyError):
        prefs.read(None, "map/colour_by")


def test_every_key_the_views_use_is_declared():
    import re
    from pathlib import Path

    views = Path(prefs.__file__).parent
    used = set()
    for path in views.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'prefs\.(?:read|write)\([^,]+, "([^"]+)"', text))
        used |= {f"map/{k}" for k in re.findall(r'self\._(?:setting|store)\("(\w+)"', text)}
    assert used and used <= set(prefs.SETTINGS), used - set(prefs.SETTINGS)
