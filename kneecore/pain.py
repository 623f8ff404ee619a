"""The Pain Monitoring Model's traffic light for one session (clinical-rules.md section 3).

Pain during exercise: 0-3 green (safe), 4-5 amber (acceptable, do not add load),
6+ red (too much). Next-morning pain must have settled back to the pre-session level:
one point above is amber, two or more is red. A session's zone is the worse of the two.

A day's traffic light is its worst session's (:func:`worst_of_latest_day`): a red
session in the morning is never hidden by a green one later that day, so "the latest
session" in every rule means the worst one of the latest day.

The words shown with the numbers (the scale's anchors) and the plain meaning of each
zone live in ``content/pain_scale.yaml`` so a physiotherapist can reword them; the
thresholds stay here because tests pin them to the specification.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecore.content import CONTENT_DIR, load_yaml_model
from kneecore.models import Zone

GREEN_MAX = 3
AMBER_MAX = 5
MORNING_AMBER_RISE = 1
MORNING_RED_RISE = 2

_ORDER: dict[Zone, int] = {"green": 0, "amber": 1, "red": 2}
ZONE_ICONS: dict[Zone, str] = {"green": "🟢", "amber": "🟠", "red": "🔴"}
PAIN_SCALE_FILE = "pain_scale.yaml"


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


class Dated(Protocol):
    """A session or a run: anything logged on a day."""

    @property
    def date(self) -> dt.date: ...


D = TypeVar("D", bound=Dated)


def worst_of_latest_day(items: Iterable[D], zone_of: Callable[[D], Zone]) -> D | None:
    """The item of the latest day with that day's worst zone (None: no items).

    The day's traffic light is its worst item's: a red session earlier the same day is
    never hidden by a green one after it. Of items equally bad, the first logged.
    """
    listed = list(items)
    if not listed:
        return None
    last_day = max(item.date for item in listed)
    day = [item for item in listed if item.date == last_day]
    return max(day, key=lambda item: _ORDER[zone_of(item)])


def zone(
    pain_during: int, pain_before: int | None = None, pain_next_morning: int | None = None
) -> Zone:
    """The session's zone: the worse of its during-exercise and next-morning zones."""
    return worst(during_zone(pain_during), morning_zone(pain_before, pain_next_morning))


def explain_zone(
    pain_during: int, pain_before: int | None = None, pain_next_morning: int | None = None
) -> str:
    """Why a session has its zone, in plain words, e.g. for the feedback after saving."""
    during = during_zone(pain_during)
    parts = [f"worst pain during exercise {pain_during}/10 ({during})"]
    if pain_next_morning is None:
        parts.append("next-morning pain not entered yet")
    else:
        morning = morning_zone(pain_before, pain_next_morning)
        parts.append(
            f"next morning {pain_next_morning}/10 against {pain_before}/10 before ({morning})"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


# -- the scale's words, from content/ ------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Anchor(_Model):
    from_: int = Field(alias="from", ge=0, le=10)
    to: int = Field(ge=0, le=10)
    words: str = Field(min_length=2, max_length=40)


class ZoneText(_Model):
    label: str = Field(min_length=2, max_length=20)
    short: str = Field(min_length=2, max_length=40)
    meaning: str = Field(min_length=10, max_length=400)


class PainScale(_Model):
    """Anchor words for 0 to 10 and the meaning of each zone."""

    anchors: list[Anchor] = Field(min_length=1)
    zones: dict[Zone, ZoneText]

    @model_validator(mode="after")
    def _covers_0_to_10_once(self) -> PainScale:
        expected = 0
        for anchor in self.anchors:
            if anchor.from_ != expected or anchor.to < anchor.from_:
                raise ValueError(
                    f"anchors must cover 0 to 10 in order without gaps or overlaps; "
                    f"expected a range starting at {expected}, got {anchor.from_}-{anchor.to}"
                )
            expected = anchor.to + 1
        if expected != 11:
            raise ValueError("anchors must reach 10")
        missing = {"green", "amber", "red"} - set(self.zones)
        if missing:
            raise ValueError(f"zones: missing {', '.join(sorted(missing))}")
        return self

    def words(self, pain: int) -> str:
        """The anchor words for a 0 to 10 rating, e.g. ``mild`` for 2."""
        _check("pain", pain)
        for anchor in self.anchors:
            if anchor.from_ <= pain <= anchor.to:
                return anchor.words
        raise ValueError(f"pain: no words for {pain}")  # unreachable: validated on load

    def label(self, pain: int) -> str:
        """A rating with its words, e.g. ``2 · mild``, for sliders and tables."""
        return f"{pain} · {self.words(pain)}"

    def legend(self) -> str:
        """All anchors in one line, e.g. ``0 no pain · 1-3 mild · ...``."""
        return " · ".join(
            f"{a.from_}{'' if a.to == a.from_ else f'-{a.to}'} {a.words}" for a in self.anchors
        )

    def zone_label(self, zone_: Zone) -> str:
        """Icon and word, e.g. ``🟢 Green``: meaning never rests on colour alone."""
        return f"{ZONE_ICONS[zone_]} {self.zones[zone_].label}"

    def zone_words(self, zone_: Zone) -> str:
        """Label and short phrase, e.g. ``Amber: acceptable, do not add load``."""
        return f"{self.zones[zone_].label}: {self.zones[zone_].short}"

    def zone_meaning(self, zone_: Zone) -> str:
        return self.zones[zone_].meaning


def load_pain_scale(path: str | Path | None = None) -> PainScale:
    """Load and validate ``content/pain_scale.yaml`` (or ``path``)."""
    if path is None:
        return _default_scale()
    return _load(Path(path))


@functools.cache
def _default_scale() -> PainScale:
    return _load(CONTENT_DIR / PAIN_SCALE_FILE)


def _load(file: Path) -> PainScale:
    return load_yaml_model(file, PainScale)
