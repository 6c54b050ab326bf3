"""Masking and neutralising, unit by unit."""

from console.export.safety import (
    EXCEL_MAX_CHARS,
    looks_like_formula,
    mask_name,
    mask_phone,
    neutralise_csv,
    xml_text,
)


def test_mask_name_and_phone():
    assert mask_name("Budi Santoso") == "B*** S******"
    assert mask_name("Ani") == "A**"
    assert mask_name(None) is None and mask_name("") == ""
    assert mask_phone("081234567890") == "0812******90"
    assert mask_phone("+62 812-3456-7890") == "+62 81*-****-**90"
    assert mask_phone("112") == "**2"


def test_formula_detection_and_csv_prefix():
    for text in ('=HYPERLINK("http://x","y")', "+cmd", "-1", "@SUM(1)", "\t=1", "\r=1",
                 "  =1+1", "\n@x"):
        assert looks_like_formula(text), text
        assert neutralise_csv(text) == "'" + text
    for text in ("Jalan rusak", "", "1-2", "a=b", "'=already"):
        assert not looks_like_formula(text), text
        assert neutralise_csv(text) == text


def test_xml_text_drops_control_characters_and_caps_length():
    assert xml_text("a\x00b\x07c\td\ne") == "abc\td\ne"
    long = "x" * (EXCEL_MAX_CHARS + 10)
    assert len(xml_text(long)) == EXCEL_MAX_CHARS
