"""The one table of text limits both console and server apply (issue 12 M11, H2)."""

from __future__ import annotations

from console.domain import limits


def test_characters_bytes_and_controls():
    assert limits.text_problem("note", "a" * 10_000) is None
    assert "characters" in limits.text_problem("note", "a" * 10_001)
    assert "bytes" in limits.text_problem("note", "\U0001F600" * 9_000)
    assert limits.text_problem("description", "baris\r\nbaris\tdua") is None
    for ch in "\x00\x01\x0b\x1f\x7f\x85\ufffe":
        assert "control character" in limits.text_problem("title", f"a{ch}b")
    assert limits.without_controls("a\x0bb\x01c\nd") == "a b c\nd"
