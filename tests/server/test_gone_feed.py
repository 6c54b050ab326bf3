"""Issue 12 M12: every report that finally left a kelurahan account's region yields a
'gone' row, however many departures of reports that came back precede it.

The departures query used to take ``limit + 1`` rows and drop, afterwards, those of
reports back in scope; when those filled the page, ``more`` was false, the cursor jumped
to head and the gone rows behind them were never sent: the console kept reports that had
left its region.
"""

from __future__ import annotations

import pytest

from tests.server.helpers import KEL_A1, create_mut, patch_mut, pull_all, push

KEL_B = "3273-2484-30965"  # Antapani Kidul, another kecamatan


class Mover:
    def __init__(self, client) -> None:
        self.client = client
        self.rev: dict[str, int] = {}
        self.queue: list[dict] = []

    def create(self, n: int) -> list[str]:
        muts = [create_mut(KEL_A1) for _ in range(n)]
        for res in push(self.client, *muts):
            assert res["status"] == "applied", res
        ids = [m["entity_id"] for m in muts]
        self.rev.update(dict.fromkeys(ids, 1))
        return ids

    def move(self, rid: str, region: str) -> None:
        self.queue.append(patch_mut(rid, self.rev[rid], region_code=region))
        self.rev[rid] += 1

    def bounce(self, rid: str, times: int) -> None:
        for _ in range(times):
            self.move(rid, KEL_B)
            self.move(rid, KEL_A1)

    def send(self) -> None:
        for i in range(0, len(self.queue), 250):
            for res in push(self.client, *self.queue[i:i + 250]):
                assert res["status"] == "applied", res
        self.queue.clear()


@pytest.mark.parametrize("limit", [1, 50, 300])
@pytest.mark.slow
def test_every_report_finally_outside_yields_a_gone_row(live, limit):
    city = Mover(live.account("supervisor"))
    kel = live.account("kelurahan", regions=[KEL_A1])
    bouncers = city.create(3)
    leavers = city.create(4)
    _, cursor = pull_all(kel)
    city.move(leavers[0], KEL_B)  # leaves before the bouncing
    city.bounce(bouncers[2], 1)
    city.bounce(bouncers[1], 2)
    # The last report row in scope comes after departures that alone fill a page.
    city.bounce(bouncers[0], limit + 2)
    for rid in leavers[1:3]:
        city.move(rid, KEL_B)
    city.bounce(leavers[3], 3)  # out and back three times, then out for good
    city.move(leavers[3], KEL_B)
    city.send()
    out, end = pull_all(kel, cursor, limit)
    gone = {row["report_id"] for row in out.get("gone", [])}
    assert gone == set(leavers)
    back = {row["id"] for row in out.get("report", [])}
    assert set(bouncers) <= back and not back & set(leavers)
