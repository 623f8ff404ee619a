"""The Pain Monitoring Model's traffic light for one session.

Pain during exercise: 0-3 green (safe), 4-5 amber (acceptable, do not add load),
6+ red (too much). Next-morning pain must have settled back to the pre-session level:
one point above is amber, two or more is red. A session's zone is the worse of the two.
"""

from __future__ import annotations

from kneecore.models import Zone

GREEN_MAX = 3
AMBER_MAX = 5
MORNING_AMBER_RISE = 1
MORNING_RED_RISE = 2

_ORDER: dict[Zone, int] = {"green": 0, "amber": 1, "red": 2}


def _check(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{name}: pain must be a whole number from 0 to 10, got {value!r}")


def during_zone(pain_during: int) -> Zone:
    """Zone of the worst pain felt while exercising."""
    _check("pain_during", pain_during)
    if pain_during <= GREEN_MAX:
        return "green"
    if pain_during <= AMBER_MAX:
        return "amber"
    return "red"


def morning_zone(pain_before: int | None, pain_next_morning: int | None) -> Zone:
    """Zone of next-morning pain against the pre-session level (green when unknown)."""
    _check("pain_before", pain_before)
    _check("pain_next_morning", pain_next_morning)
    if pain_before is None or pain_next_morning is None:
        return "green"
    rise = pain_next_morning - pain_before
    if rise >= MORNING_RED_RISE:
        return "red"
    if rise >= MORNING_AMBER_RISE:
        return "amber"
    return "green"


def worst(*zones: Zone) -> Zone:
    return max(zones, key=_ORDER.__getitem__)


def zone(
    pain_during: int, pain_before: int | None = None, pain_next_morning: int | None = None
) -> Zone:
    """The session's zone: the worse of its during-exercise and next-morning zones."""
    return worst(during_zone(pain_during), morning_zone(pain_before, pain_next_morning))
