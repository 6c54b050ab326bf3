"""The default catalogue that both console and server seed from."""

import re

import pytest

from console.domain.catalog import (
    AGENCIES,
    CATEGORIES,
    AgencyKind,
    CategoryDef,
    Channel,
    agency,
    category,
)

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


def test_codes_are_short_lowercase_ascii_and_keyed_correctly():
    for code, a in AGENCIES.items():
        assert code == a.code and CODE.match(code), code
    for code, c in CATEGORIES.items():
        assert code == c.code and CODE.match(code), code
    assert len({a.code for a in AGENCIES.values()}) == len(AGENCIES)
    assert len({c.code for c in CATEGORIES.values()}) == len(CATEGORIES)


def test_every_agency_the_design_names_is_present():
    assert set(AGENCIES) >= {
        "polisi", "ambulans", "damkar", "bpbd", "pupr", "sda", "dlh", "dishub",
        "satpolpp", "pdam", "pln", "telkom", "pmi", "kelurahan", "kecamatan",
    }
    assert agency("pdam").kind is AgencyKind.UTILITY


def test_every_default_agency_exists():
    for c in CATEGORIES.values():
        if c.default_agency is None:
            # Only the 112 information call has nobody to dispatch to.
            assert c.code == "informasi"
        else:
            assert agency(c.default_agency).code == c.default_agency


def test_priorities_and_slas_are_sane():
    for c in CATEGORIES.values():
        assert type(c.default_priority) is int and 1 <= c.default_priority <= 4
        assert c.sla_verify_days == 3 and c.sla_followup_days == 5  # LAPOR! defaults
        if c.emergency:
            assert c.sla_dispatch_minutes == 5  # 112 target
            assert c.default_priority <= 2


def test_life_safety_categories_are_emergencies():
    for code in ("kebakaran", "kecelakaan", "darurat_medis", "bencana_longsor"):
        assert category(code).emergency and category(code).default_priority == 1
    assert not category("jalan_rusak").emergency
    assert category("banjir").name_id == "Banjir / Genangan"
    assert category("jalan_rusak").name_id == "Jalan Rusak"


def test_lookup_errors_name_the_valid_codes():
    with pytest.raises(KeyError, match="unknown category code 'fire'.*kebakaran"):
        category("fire")
    with pytest.raises(KeyError, match="unknown agency code 'police'.*polisi"):
        agency("police")


def test_catalogue_is_read_only():
    with pytest.raises(TypeError):
        CATEGORIES["x"] = category("sampah")  # type: ignore[index]
    with pytest.raises(AttributeError):
        category("sampah").default_priority = 1  # type: ignore[misc]


def test_bad_category_definitions_fail_early():
    with pytest.raises(ValueError, match="default_priority"):
        CategoryDef("x", "X", "X", 5, None)
    with pytest.raises(ValueError, match="sla_dispatch_minutes"):
        CategoryDef("x", "X", "X", 1, None, emergency=True)


def test_channel_wire_values():
    assert {c.value for c in Channel} == {
        "app", "sms", "whatsapp", "phone_112", "phone", "walk_in", "social", "sensor",
    }
