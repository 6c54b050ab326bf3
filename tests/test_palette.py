"""One colour per meaning, shared by the queue, the live map and the PDF map."""

from __future__ import annotations


def test_the_queue_dots_are_the_map_markers_colours(qapp):
    # One priority palette: the queue's dot for P3 is the map's P3 marker colour.
    from console import palette
    from console.views import queue_model

    dots = [queue_model.P1_COLOR, queue_model.P2_COLOR, queue_model.P3_COLOR,
            queue_model.P4_COLOR]
    assert [c.name() for c in dots] == [palette.PRIORITY_COLORS[p] for p in (1, 2, 3, 4)]
