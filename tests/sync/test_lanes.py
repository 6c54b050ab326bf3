"""Lanes and quarantine: a poisoned mutation never blocks the queue, a big photo never
delays a text update, attachments travel by hash (thumbnail first), resumably."""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import time

import pytest

from console.operations.base import write_outbox
from console.store.timefmt import new_id, utcnow
from console.store.transaction import write_transaction
from console.sync import pusher, state
from console.sync.attachments import attach_file
from console.sync.testing.proxy import LinkShape, ProxyThread
from tests.sync.helpers import edit, new_report


def _poison(conn, actor: str, report_id: str) -> str:
    with write_transaction(conn):
        return write_outbox(conn, entity="report", entity_id=report_id, op="patch",
                            fields={"category_code": "tidak_ada_kategori_ini"}, actor=actor,
                            at=utcnow(), base_revision=1)


def test_a_poisoned_mutation_is_quarantined_and_blocks_nothing(make_console):
    a = make_console(max_push=3)
    first = [new_report(a, title=f"Sebelum {i}") for i in range(4)]
    a.sync()
    bad = a.call(_poison, a.username, first[0])
    after = [new_report(a, title=f"Sesudah {i}") for i in range(7)]
    edit(a, first[1], title="Diubah setelah racun")
    report = a.sync()
    assert report.complete and report.quarantined == 1
    (item,) = a.call(state.quarantined)
    assert item.id == bad and item.report_id == first[0]
    assert "422" in item.last_error and "tidak_ada_kategori_ini" in item.last_error
    counts = a.call(state.counts)
    assert counts.pending == 0 and counts.quarantined == 1
    assert a.call(state.report_sync_states, [first[0], after[0]]) == {
        first[0]: state.QUARANTINED, after[0]: state.SYNCED}
    b = make_console()
    b.sync()
    assert {r[0] for r in b.sql("SELECT id FROM report")} >= set(after)
    assert b.scalar("SELECT title FROM report WHERE id = ?", first[1]) == "Diubah setelah racun"
    # The operator gives it up: it leaves the outbox, the timeline keeps what was refused.
    a.call(pusher.discard, bad, a.username)
    assert a.call(state.counts).quarantined == 0
    detail = json.loads(a.scalar("SELECT detail FROM report_event WHERE report_id = ? AND"
                                 " kind = 'sync_discard'", first[0]))
    assert detail["mutation"]["fields"] == {"category_code": "tidak_ada_kategori_ini"}


def test_requeue_sends_a_quarantined_change_again_with_a_new_id(make_console):
    a = make_console()
    rid = new_report(a)
    a.sync()
    with_note = a.call(lambda c: _note_for_unknown_report(c, a.username))
    a.sync()
    (item,) = a.call(state.quarantined)
    assert item.id == with_note and "404" in item.last_error
    # The cause goes away (here: the note is pointed at a real report), then requeue.
    a.call(lambda c: c.execute("UPDATE outbox SET payload = json_set(payload, '$.fields.report_id', ?)"
                               " WHERE id = ?", (rid, with_note)) and c.commit())
    a.call(pusher.requeue, with_note)
    assert a.sync().complete
    assert a.call(state.counts).quarantined == 0
    b = make_console()  # the server has the note once: another console receives it
    b.sync()
    assert b.scalar("SELECT count(*) FROM note WHERE report_id = ?", rid) == 1


def _note_for_unknown_report(conn, actor):
    with write_transaction(conn):
        return write_outbox(conn, entity="note", entity_id=new_id(), op="note",
                            fields={"report_id": new_id(), "body": "catatan"}, actor=actor,
                            at=utcnow())


def _jpeg(width: int, height: int, seed: int) -> bytes:
    from PIL import Image

    rnd = os.urandom if seed is None else __import__("random").Random(seed).randbytes
    img = Image.frombytes("RGB", (width, height), rnd(width * height * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue()


@pytest.mark.slow
def test_a_5mb_photo_does_not_delay_a_text_update(live, make_console, tmp_path):
    photo = tmp_path / "foto-banjir.jpg"
    photo.write_bytes(_jpeg(2400, 1800, seed=1))
    assert photo.stat().st_size > 5_000_000
    with ProxyThread("127.0.0.1", live.port, LinkShape(rate_bps=16_000_000, latency_s=0.01)) as proxy:
        a = make_console(proxy.url)
        rid = new_report(a)
        a.sync()
        # The photo is queued first, then a text update.
        a.call(attach_file, a.username, rid, photo, blob_dir=a.path / "blobs")
        edit(a, rid, title="Banjir setinggi lutut")
        text_id = a.scalar("SELECT id FROM outbox ORDER BY seq DESC LIMIT 1")
        batches: list[list[str]] = []
        real_push = a.engine.transport.push

        def spy(payloads):
            batches.append([json.loads(p)["id"] for p in payloads])
            return real_push(payloads)

        a.engine.transport.push = spy
        marks: dict[str, float] = {}
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        later: list[str] = []

        def watch():
            while "photo" not in marks and time.monotonic() - t0 < 60:
                rows = a.sql("SELECT upload FROM sync_blob WHERE sha256 = ?", sha)
                pending = {r[0] for r in a.sql("SELECT id FROM outbox")}
                if text_id not in pending:
                    marks.setdefault("text", time.monotonic())
                if rows and rows[0][0] == 0:
                    marks.setdefault("photo", time.monotonic())
                if later and later[0] not in pending:
                    marks.setdefault("text2", time.monotonic())
                if "text" in marks and not later and proxy.stats.bytes_up > 1_500_000:
                    # Mid-upload, the operator changes the report again.
                    edit(a, rid, description="Air naik")
                    later.append(a.scalar("SELECT id FROM outbox ORDER BY seq DESC LIMIT 1"))
                time.sleep(0.02)

        t0 = time.monotonic()
        watcher = threading.Thread(target=watch)
        watcher.start()
        while True:
            if a.engine.run_cycle().complete and a.engine.status.pending == 0 and \
                    not a.sql("SELECT 1 FROM sync_blob WHERE upload = 1"):
                break
        watcher.join()
        assert text_id in batches[0]  # the text update went in the very first batch
        assert marks["text"] < marks["photo"]
        assert later and marks["text2"] < marks["photo"]  # one chunk, not the whole photo
    # Another console gets the thumbnail and the photo, by hash, intact.
    b = make_console()
    b.sync()
    thumb, path = b.sql("SELECT thumb_path, local_path FROM sync_blob WHERE sha256 = ?", sha)[0]
    assert path and hashlib.sha256(open(path, "rb").read()).hexdigest() == sha
    assert b.scalar("SELECT local_path FROM attachment WHERE sha256 = ?", sha) == path


def test_while_the_outbox_goes_out_the_priority_lane_is_looked_at_not_spun_on(live, make_console):
    """The pull lane, caught up while a long push goes on, looks at the priority lane a
    few times a second. It used to spin (an event that stayed set was its wait), so one
    core of the operator's PC ran flat out for as long as a push took."""
    # The module's server holds other tests' reports and photos: this desk catches up on
    # a good line first, then only its pushes go through the slow one. The pull lane stays
    # on the good line, so it is caught up at once and has nothing to do but watch.
    a = make_console(max_push=5, urgent_every_s=0.5, attachments=False)
    a.sync()
    shape = LinkShape(rate_bps=32_000, latency_s=0.05)
    with ProxyThread("127.0.0.1", live.port, shape) as proxy:
        a.engine.transport.base_url = proxy.url
        made = [new_report(a, title=f"Lampu jalan mati di gang {i}") for i in range(30)]
        looks: list[float] = []
        real_look = a.engine._maybe_urgent

        def look(*args):  # noqa: ANN002
            looks.append(time.monotonic())
            return real_look(*args)

        a.engine._maybe_urgent = look
        t0 = time.monotonic()
        a.sync()
        took = time.monotonic() - t0
    assert a.scalar("SELECT count(*) FROM outbox") == 0 and len(made) == 30
    assert took >= 1.0, took  # the link sets the pace: 30 reports at 32 kbit/s
    # Still watching for emergencies meanwhile, four times a second at most.
    assert 1 <= len(looks) <= took / 0.25 + 2, (len(looks), took)


def test_thumbnails_come_before_files_and_downloads_resume(live, make_console, tmp_path):
    a = make_console()
    rid = new_report(a)
    pics = []
    for i in range(3):
        p = tmp_path / f"foto{i}.jpg"
        p.write_bytes(_jpeg(400, 300, seed=10 + i))
        pics.append(hashlib.sha256(p.read_bytes()).hexdigest())
        a.call(attach_file, a.username, rid, p, blob_dir=a.path / "blobs")
    assert a.sync().complete
    b = make_console(download_files=False)
    b.sync()
    rows = b.sql("SELECT sha256, thumb_path, local_path FROM sync_blob")
    mine = {r[0]: r for r in rows if r[0] in pics}
    assert all(r[1] and r[2] is None for r in mine.values())  # thumbnails only
    # A half-downloaded file resumes from its .part file.
    sha = pics[0]
    part = b.path / "blobs" / "partial" / f"{sha}.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    data = open(a.scalar("SELECT local_path FROM sync_blob WHERE sha256 = ?", sha), "rb").read()
    part.write_bytes(data[:1000])
    b.engine.attachments.download_files = True
    b.sync()
    for s in pics:
        path = b.scalar("SELECT local_path FROM sync_blob WHERE sha256 = ?", s)
        assert hashlib.sha256(open(path, "rb").read()).hexdigest() == s


def test_an_oversize_request_is_split_and_the_culprit_quarantined(make_console):
    a = make_console()
    rid = new_report(a)
    a.sync()
    with_huge = a.call(lambda c: _huge_note(c, a.username, rid))
    small = [new_report(a, title=f"Kecil {i}") for i in range(3)]
    report = a.sync()
    assert report.complete
    (item,) = a.call(state.quarantined)
    assert item.id == with_huge and "413" in item.last_error
    assert a.call(state.report_sync_states, small) == dict.fromkeys(small, state.SYNCED)


def _huge_note(conn, actor, rid):
    with write_transaction(conn):
        return write_outbox(conn, entity="note", entity_id=new_id(), op="note",
                            fields={"report_id": rid, "body": "x" * 2_500_000}, actor=actor,
                            at=utcnow())
