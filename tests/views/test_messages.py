"""What the operator reads for the core's codes: a known code is a sentence in the UI
language; an unknown code, or an exception without one, is a general Indonesian
sentence with the raw detail after it — never raw English alone."""

from __future__ import annotations

from console.operations.base import OperationError
from console.sync.engine import SyncStatus
from console.sync.errors import Offline
from console.views import messages


def test_a_known_code_is_a_sentence_with_its_values(qapp):
    exc = OperationError("title is too long (300 characters; at most 200)", code="too_long",
                         field="title", length=300, limit=200)
    assert messages.error_text(exc) == "Judul terlalu panjang (300 karakter; paling banyak 200)."


def test_unknown_codes_and_plain_exceptions_keep_the_detail_beside_indonesian(qapp):
    odd = OperationError("the moon is full", code="moon_full")
    text = messages.describe(odd)
    assert text.text == "Terjadi kesalahan tak terduga." and text.detail == "the moon is full"
    assert messages.error_text(KeyError("x")).startswith("Terjadi kesalahan tak terduga.\n(")
    assert "&lt;b&gt;" in messages.describe(RuntimeError("<b>")).rich()  # escaped, not markup


def test_sync_status_lines(qapp):
    done = SyncStatus(state="online", message="up to date; 2 change(s) refused",
                      code="up_to_date", params={"quarantined": 2, "clock_skew_s": 600.0})
    line = messages.sync_status_text(done)
    assert line.startswith("Data sudah mutakhir. 2 perubahan ditolak server perlu diperiksa.")
    assert "selisih 10 menit" in line
    offline = Offline("no answer from http://10.0.0.9 (timed out)")
    status = SyncStatus(state="offline", message=str(offline), code=offline.error_code)
    assert messages.sync_status_text(status) == (
        "Server pusat tidak menjawab; pekerjaan tetap tersimpan di sini dan dikirim saat "
        "sambungan kembali.\n(no answer from http://10.0.0.9 (timed out))")
    # A status a view made itself (already translated) is shown as it is.
    assert messages.sync_status_text(SyncStatus(state="login", message="Perlu masuk")) == (
        "Perlu masuk")


def test_quarantine_reasons(qapp):
    known = messages.quarantine_reason("422: title is required")
    assert known.text == "Server menolak isi perubahan ini karena tidak sah."
    assert known.detail == "422: title is required"
    unknown = messages.quarantine_reason("something odd happened")
    assert unknown.text == "Server menolak perubahan ini."
    assert unknown.detail == "something odd happened"
