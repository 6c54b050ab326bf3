"""The e2e fixture itself: a desk opens on realistic seeded reports that went through
their workflow (timeline and outbox written by the operations)."""


def test_desk_opens_with_seeded_reports(desk):
    assert desk.window.queue.model.rowCount() >= 3
    statuses = dict(desk.sql("SELECT title, status FROM report"))
    assert statuses["Sampah menumpuk di TPS Ciroyom tidak diangkut"] == "dispatched"
    assert desk.scalar("SELECT count(*) FROM outbox") >= 3
