"""The threshold state machine of one sensor: pure, no database, no clock of its own.

A *danger episode* starts when a reading reaches the danger level and lasts until a reading
falls below the warn level (recovery). Between warn and danger nothing changes: a gauge
hovering around its danger mark must not open and recover a report every minute, which is
why recovery needs the lower (warn) level. One episode is one report:

- reaching danger with no episode           -> ``create`` (a new report)
- reaching danger within HOLD_OFF of the last recovery (same report) -> ``reopen``
- later readings while in the episode       -> at most one ``note`` per NOTE_EVERY_MS, and
  only when the peak rose (the timeline gets the peak and the time above danger, not a
  row per reading)
- falling below warn                        -> ``recovered`` (a note with the summary)

Only readings newer than the sensor's latest drive it (ingest.py filters), so a QoS-1
redelivery or a late, out-of-order reading is stored but never replays a transition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOLD_OFF_MS = 6 * 3600 * 1000
NOTE_EVERY_MS = 15 * 60 * 1000


@dataclass
class Episode:
    start_ms: int | None = None
    peak: float | None = None
    peak_ms: int | None = None
    above_ms: int = 0              # time above danger, closed stretches only
    above_since_ms: int | None = None
    noted_ms: int | None = None
    noted_peak: float | None = None
    recovered_ms: int | None = None

    @classmethod
    def from_dict(cls, d: dict) -> Episode:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def active(self) -> bool:
        return self.start_ms is not None and self.recovered_ms is None

    def time_above(self, now_ms: int) -> int:
        extra = now_ms - self.above_since_ms if self.above_since_ms is not None else 0
        return self.above_ms + max(0, extra)


@dataclass
class Action:
    kind: str          # create | reopen | note | recovered
    at_ms: int
    value: float
    episode: Episode = field(repr=False, default=None)  # type: ignore[assignment]


def level(value: float, warn: float, danger: float) -> str:
    if value >= danger:
        return "danger"
    if value >= warn:
        return "warn"
    return "ok"


def step(ep: Episode, has_report: bool, at_ms: int, value: float, warn: float,
         danger: float) -> tuple[Episode, str, list[Action]]:
    """Apply one reading. Returns the episode, the reading's level and the actions."""
    lv = level(value, warn, danger)
    out: list[Action] = []
    if lv == "danger":
        if not ep.active:
            if has_report and ep.recovered_ms is not None and at_ms - ep.recovered_ms <= HOLD_OFF_MS:
                ep.recovered_ms = None
                kind = "reopen"
            else:
                ep = Episode(start_ms=at_ms, peak=value, peak_ms=at_ms)
                kind = "create"
            ep.above_since_ms = at_ms
            ep.noted_ms, ep.noted_peak = at_ms, max(value, ep.peak or value)
            if value > (ep.peak or value) or ep.peak is None:
                ep.peak, ep.peak_ms = value, at_ms
            out.append(Action(kind, at_ms, value, ep))
            return ep, lv, out
        if ep.above_since_ms is None:
            ep.above_since_ms = at_ms
        if ep.peak is None or value > ep.peak:
            ep.peak, ep.peak_ms = value, at_ms
    elif ep.active and ep.above_since_ms is not None:
        ep.above_ms += at_ms - ep.above_since_ms
        ep.above_since_ms = None
    if ep.active and lv == "ok":
        ep.recovered_ms = at_ms
        out.append(Action("recovered", at_ms, value, ep))
        ep.noted_ms, ep.noted_peak = at_ms, ep.peak
    elif ep.active and (ep.noted_ms is None or at_ms - ep.noted_ms >= NOTE_EVERY_MS) \
            and ep.peak is not None and (ep.noted_peak is None or ep.peak > ep.noted_peak):
        out.append(Action("note", at_ms, value, ep))
        ep.noted_ms, ep.noted_peak = at_ms, ep.peak
    return ep, lv, out
