"""Priority rules: 1 (life/safety, act now) .. 4 (low).

==========  =========================================================================
priority    meaning
==========  =========================================================================
1           life or safety at risk now; loud alert on every console, 112 dispatch
2           urgent: hours, not days (blocked road, rising water)
3           normal LAPOR! handling
4           low: cosmetic, informational, administrative
==========  =========================================================================

Rules of :func:`default_priority`, applied in this order (lower number = more urgent;
"at least 2" means the number is capped at 2):

=====  ===========================================  ==================================
step   condition                                    result
=====  ===========================================  ==================================
1      always                                       the category's default_priority
2      channel phone_112                            at least 2 (the city's emergency
                                                    line; callers are mid-incident)
3      channel sensor and category banjir           at least 2 (a gauge only reports
                                                    past its alarm threshold)
4      triage emergency                             1
5      triage information, prank or ghost           4 (closed on the phone; must never
                                                    sound the priority-1 alarm)
=====  ===========================================  ==================================

Triage comes last because it is a human judgement made on the call and overrides
what the channel alone suggests. Operators can still change the priority by hand;
this is only the starting value.
"""

from __future__ import annotations

from typing import Final

from .catalog import Channel, category
from .workflow import Triage

__all__ = ["HIGHEST", "LOWEST", "default_priority", "validate_priority"]

HIGHEST: Final = 1
LOWEST: Final = 4


def validate_priority(p: object) -> int:
    """Return ``p`` if it is an int in 1..4, else raise ValueError.

    bool is rejected although it is an int subclass (True would pass as 1), and
    so are strings like "1": the wire format carries numbers, and accepting text
    here would let a malformed payload slip through as a valid priority.
    """
    if type(p) is not int:
        raise ValueError(f"priority must be an int 1..4, got {type(p).__name__} {p!r}")
    if not HIGHEST <= p <= LOWEST:
        raise ValueError(f"priority must be between {HIGHEST} and {LOWEST}, got {p}")
    return p


def default_priority(
    category_code: str, channel: Channel | str, triage: Triage | str | None = None
) -> int:
    """Starting priority for a new report (rules in the module docstring).

    Raises KeyError for an unknown category and ValueError for an unknown channel
    or triage value.
    """
    cat = category(category_code)
    ch = Channel(channel)
    tri = None if triage is None else Triage(triage)

    p = cat.default_priority
    if ch is Channel.PHONE_112:
        p = min(p, 2)
    if ch is Channel.SENSOR and cat.code == "banjir":
        p = min(p, 2)
    if tri is Triage.EMERGENCY:
        p = HIGHEST
    elif tri in (Triage.INFORMATION, Triage.PRANK, Triage.GHOST):
        p = LOWEST
    return validate_priority(p)
