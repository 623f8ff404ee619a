"""The plan pause (clinical-rules.md section 6): a warning sign binds the whole app.

:func:`plan_status` says whether the exercise plan is paused, why (in the very words
the self-check or the session advice used), since when, and what to do. Every page
asks it; none works it out on its own. The rules:

* **Self-checks.** The latest self-check day counts: its self-checks, practice runs'
  warning records and the records kept of deleted self-checks. A sign there pauses
  unless a clearance clears it. A self-check without such signs (saved, not a practice
  run) ends a pause from an earlier day. On the same day, safety first: a warning
  found that day still stands, whatever else was answered that day, so the pause
  cannot be dodged by answering again at once.
* **Clearances.** A clearance clears the signs it covered on the self-checks it
  covered, whatever their urgency. On other (later) self-checks an ``emergency`` sign
  always pauses; a covered history sign (:data:`HISTORY_SIGNS`) never pauses again;
  another covered ``gp_soon`` sign is cleared on self-checks dated up to 12 weeks after
  the examination; a sign the clearance did not cover pauses.
* **Sessions.** The ``see_gp`` rule of section 4 (swelling, locking or giving way; three
  red sessions within 14 days) on the sessions after the latest examination date and
  from the latest clean self-check's day on (that day included: safety first).

Deleting a self-check never lifts a pause: the store keeps a warning record of a
deleted self-check that found a warning sign, and it counts here like the self-check.

:func:`status_of` is the same decision on plain lists (the report and the store use
it); :func:`cleared_signs` is what the self-check page passes to ``assess`` so that a
new result already shows which signs a clearance covers. Pure: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kneecore.content import not_a_diagnosis
from kneecore.models import Clearance, PhaseStart, Run, SelfCheckResult, Session, SignUrgency
from kneecore.progression import Recommendation, recommend, session_warning
from kneecore.running import run_warning
from kneecore.selfcheck import HISTORY_SIGNS
from kneecore.words import format_day, join_words

if TYPE_CHECKING:
    from kneecore.content import Library
    from kneecore.store import UserStore

#: A covered ``gp_soon`` sign stays cleared on self-checks up to this many days after
#: the examination (12 weeks); on day 85 it pauses again.
CLEARED_DAYS = 84
#: The sign id of a version-1 result's warning when it named no red flag.
V1_WARNING = "warning"
#: Sign ids of the session rules (kept apart from self-check ids on purpose: a clearance
#: after swelling in a session does not clear "visibly swollen" in a later self-check).
SESSION_SIGNS = {
    "swelling": "session_swelling",
    "locking": "session_locking",
    "giving_way": "session_giving_way",
}
SESSION_RED = "session_red"

Source = Literal["selfcheck", "session", "run"]

# Our words. The reasons themselves are the result's own; these say what to do.
HEADLINES: dict[SignUrgency, str] = {
    "emergency": "get medical help today. Your exercise plan is paused.",
    "gp_soon": "have your knee checked. Your exercise plan is paused until then.",
}
WHAT_TO_DO: dict[SignUrgency, str] = {
    "emergency": (
        "if you have not been seen yet, go to urgent care or an emergency department "
        "today, and do not exercise this knee until you have been checked"
    ),
    "gp_soon": (
        "if you have not been seen yet, book an appointment with a GP or "
        "physiotherapist, and pause these exercises until then"
    ),
}
AFTER = (
    "When a GP or physiotherapist has examined your knee and said you can exercise, "
    "record it here to restart your plan. A self-check on a later day that finds no "
    "warning signs restarts it too."
)
_SIGN_PREFIX = "Warning sign: "


@dataclass(frozen=True)
class Cause:
    """One warning sign that pauses the plan now."""

    sign: str
    urgency: SignUrgency
    #: The day it was reported (for a session rule: the latest session behind it).
    date: dt.date
    source: Source
    #: The self-check (or kept record) it comes from; None for a session rule.
    selfcheck_id: str | None = None


@dataclass(frozen=True)
class PlanStatus:
    """Whether the plan is paused, and everything a page needs to show it.

    Pages show an ``st.error`` for ``urgency == "emergency"`` and an ``st.warning``
    for ``"gp_soon"``: ``headline``, then ``reasons`` (the words of the result that
    caused the pause), then ``actions``.
    """

    paused: bool
    urgency: SignUrgency | None = None
    reasons: list[str] = field(default_factory=list)
    #: The day of what caused the pause.
    since: dt.date | None = None
    actions: list[str] = field(default_factory=list)
    source: Source | None = None
    headline: str = ""
    #: Every sign pausing the plan, with its day: what a clearance recorded now covers.
    causes: list[Cause] = field(default_factory=list)
    #: Sessions from this day on count for the session rules (earlier ones were answered
    #: by a clearance or a clean self-check); None: all of them.
    counts_from: dt.date | None = None

    @property
    def sign_ids(self) -> list[str]:
        return list(dict.fromkeys(c.sign for c in self.causes))


# -- which signs of one self-check pause -------------------------------------------------


def _signs(check: SelfCheckResult) -> list[tuple[str, SignUrgency, str | None]]:
    """(id, urgency, reason) of every warning sign of a result.

    A version-1 result has no ``signs``: its red flags carry its urgency, and its
    reasons are shown as a whole (reason None here).
    """
    if check.signs:
        return [(s.id, s.urgency, s.reason) for s in check.signs]
    if check.urgency in ("emergency", "gp_soon"):
        urgency: SignUrgency = "emergency" if check.urgency == "emergency" else "gp_soon"
        return [(flag, urgency, None) for flag in check.red_flags or [V1_WARNING]]
    return []


def _cleared(
    check: SelfCheckResult, sign: str, urgency: SignUrgency, clearances: Sequence[Clearance]
) -> bool:
    """Whether a clearance clears this sign of this self-check (section 6).

    ``cleared_on`` stamped by the self-check page is not trusted on its own: the rules
    are applied here again, so a result added any other way is judged the same.
    """
    for clearance in clearances:
        if sign not in clearance.covers:
            continue
        if check.id in clearance.selfcheck_ids:
            return True  # the very self-check the clinician was asked about
        if urgency == "emergency":
            continue  # an emergency on a later self-check always pauses again
        if sign in HISTORY_SIGNS:
            return True  # history that cannot change
        if check.date <= clearance.examined + dt.timedelta(days=CLEARED_DAYS):
            return True
    return False


def _pausing(
    check: SelfCheckResult, clearances: Sequence[Clearance]
) -> tuple[list[Cause], list[str]]:
    """The causes of one self-check that still pause, and their reasons in its words."""
    causes: list[Cause] = []
    reasons: list[str] = []
    for sign, urgency, reason in _signs(check):
        if _cleared(check, sign, urgency, clearances):
            continue
        causes.append(Cause(sign, urgency, check.date, "selfcheck", check.id))
        if reason is not None:
            reasons.append(reason)
    if causes and not check.signs:
        reasons = list(check.reasons) or [
            f"Your self-check on {format_day(check.date)} found a warning sign."
        ]
    return causes, reasons


def short_reason(reason: str) -> str | None:
    """ "could not take four steps after an injury" from the sign's reason, if it says."""
    if not reason.startswith(_SIGN_PREFIX):
        return None
    first = reason[len(_SIGN_PREFIX) :].split(". ", 1)[0].rstrip(".").strip()
    return first or None


# -- the decision ------------------------------------------------------------------------


def status_of(
    selfchecks: Iterable[SelfCheckResult],
    warning_records: Iterable[SelfCheckResult],
    clearances: Iterable[Clearance],
    sessions: Iterable[Session],
    *,
    runs: Iterable[Run] = (),
    today: dt.date | None = None,
    library: Library | None = None,
) -> PlanStatus:
    """:func:`plan_status` on plain lists (any order)."""
    today = today or dt.date.today()
    cleared = sorted(clearances, key=lambda c: (c.examined, c.recorded))
    # No self-check is left out for being dated after today: after a flight west or a
    # clock change a warning may carry tomorrow's date, and it must still bind.
    checks = list(selfchecks)
    records = list(warning_records)

    warnings: list[tuple[SelfCheckResult, list[Cause], list[str]]] = []
    clean_days: list[dt.date] = []
    for check in checks:
        causes, reasons = _pausing(check, cleared)
        if causes:
            warnings.append((check, causes, reasons))
        elif not check.practice:
            clean_days.append(check.date)
    for record in records:
        causes, reasons = _pausing(record, cleared)
        if causes:
            warnings.append((record, causes, reasons))

    last_clean = max(clean_days, default=None)
    latest = max([w[0].date for w in warnings] + clean_days, default=None)
    standing = [w for w in warnings if w[0].date == latest]

    check_causes = [c for _, causes, _ in standing for c in causes]
    check_reasons = list(dict.fromkeys(r for _, _, reasons in standing for r in reasons))

    counts_from = _counts_from(cleared, last_clean)
    session_causes, session_since, session_reason = _session_part(
        sessions, counts_from, today=today, library=library
    )
    # Runs answer to the same rule as sessions (clinical rules, sections 6 and 7): a run
    # that swelled, locked or gave way, or three red runs in 14 days, pause the plan.
    run_causes, run_since, run_reason = _run_part(runs, counts_from, today=today)
    causes = check_causes + session_causes + run_causes
    if not causes:
        return PlanStatus(paused=False, counts_from=counts_from)

    urgency: SignUrgency = (
        "emergency" if any(c.urgency == "emergency" for c in causes) else "gp_soon"
    )
    source: Source = "selfcheck" if check_causes else "session" if session_causes else "run"
    since = latest if check_causes else min(d for d in (session_since, run_since) if d)
    reasons = check_reasons + [r for r in (session_reason, run_reason) if r]
    actions = []
    if check_causes:
        actions.append(_check_action(standing, urgency, today))
    if session_causes:
        actions.append(_session_action(session_causes, today))
    if run_causes:
        actions.append(_session_action(run_causes, today, "runs"))
    actions += [AFTER, not_a_diagnosis()]
    return PlanStatus(
        paused=True,
        urgency=urgency,
        reasons=reasons,
        since=since,
        actions=actions,
        source=source,
        headline=HEADLINES[urgency][0].upper() + HEADLINES[urgency][1:],
        causes=causes,
        counts_from=counts_from,
    )


def _counts_from(clearances: Sequence[Clearance], last_clean: dt.date | None) -> dt.date | None:
    """The first day whose sessions count for the session rules.

    Sessions on the examination day or before were seen by the clinician; sessions
    before the latest clean self-check's day were answered by it (that day itself still
    counts: safety first). Red-session counts therefore start again after a clearance.
    """
    days = [c.examined + dt.timedelta(days=1) for c in clearances]
    if last_clean is not None:
        days.append(last_clean)
    return max(days, default=None)


def _session_part(
    sessions: Iterable[Session],
    counts_from: dt.date | None,
    *,
    today: dt.date,
    library: Library | None,
) -> tuple[list[Cause], dt.date | None, str | None]:
    """The session ``see_gp`` rule on the sessions that count: causes, since, reason."""
    counted = [s for s in sessions if counts_from is None or s.date >= counts_from]
    if not counted:
        return [], None, None
    warning = session_warning(counted, today=today, library=library)
    if warning is None:
        return [], None, None
    behind = [s for s in counted if s.id in set(warning.session_ids)]
    flagged = [s for s in behind if s.swelling or s.locking or s.giving_way]
    causes = []
    for flag, sign in SESSION_SIGNS.items():
        days = [s.date for s in flagged if getattr(s, flag)]
        if days:
            causes.append(Cause(sign, "gp_soon", max(days), "session"))
    if flagged:
        return causes, min(s.date for s in flagged), warning.reason
    days = sorted(s.date for s in behind)
    # Paused from the day of the third red session within 14 days.
    third = days[min(2, len(days) - 1)]
    return [Cause(SESSION_RED, "gp_soon", days[-1], "session")], third, warning.reason


def _check_action(
    standing: Sequence[tuple[SelfCheckResult, list[Cause], list[str]]],
    urgency: SignUrgency,
    today: dt.date,
) -> str:
    day = format_day(standing[0][0].date, today)
    shorts = [
        s
        for _, causes, reasons in standing
        for s in (short_reason(r) for r in reasons)
        if s is not None
    ]
    what = join_words(list(dict.fromkeys(shorts))) if shorts else "a warning sign"
    todo = WHAT_TO_DO[urgency]
    return f"On {day} you reported: {what}; {todo}."


def _session_action(causes: Sequence[Cause], today: dt.date, what: str = "sessions") -> str:
    day = format_day(min(c.date for c in causes), today)
    todo = WHAT_TO_DO["gp_soon"]
    return f"On {day} your {what} showed a reason to have your knee checked; {todo}."


def _run_part(
    runs: Iterable[Run], counts_from: dt.date | None, *, today: dt.date
) -> tuple[list[Cause], dt.date | None, str | None]:
    """The run ``see_gp`` rule on the runs that count: causes, since, reason."""
    counted = [r for r in runs if counts_from is None or r.date >= counts_from]
    warning = run_warning(counted, today) if counted else None
    if warning is None:
        return [], None, None
    causes = [Cause(sign, "gp_soon", day, "run") for sign, day in warning.signs.items()]
    return causes, warning.since, warning.reason


def plan_status(
    store: UserStore, today: dt.date | None = None, library: Library | None = None
) -> PlanStatus:
    """Whether the exercise plan is paused now, why, since when and what to do.

    ``today`` is injectable for tests; ``library`` defaults to the content library.
    """
    return status_of(
        store.selfchecks(),
        store.warning_records(),
        store.clearances(),
        store.sessions(),
        runs=store.runs(),
        today=today,
        library=library,
    )


def programme_start(
    phases: Sequence[PhaseStart], clearances: Sequence[Clearance]
) -> dt.date | None:
    """When the programme (re)started, for the six-week review and the self-check prompt.

    The first phase start, or the latest clearance's examination day when later
    (section 6: the six-week review counts from the clearance date).
    """
    starts = [min(p.started for p in phases)] if phases else []
    starts += [c.examined for c in clearances]
    return max(starts, default=None)


def advice_of(
    sessions: Sequence[Session],
    selfchecks: Sequence[SelfCheckResult],
    phases: Sequence[PhaseStart],
    clearances: Sequence[Clearance],
    status: PlanStatus,
    *,
    today: dt.date | None = None,
    library: Library | None = None,
    logged: str | None = None,
) -> Recommendation:
    """The app's advice now: the one call every page and the report make.

    While paused it is ``see_gp`` with the pause's reasons; otherwise the progression
    rules, with the six-week review counted from :func:`programme_start` and the
    session ``see_gp`` rule on the same sessions the pause looks at, so the advice and
    the pause can never disagree.
    """
    current = max(phases, key=lambda p: p.started) if phases else None
    return recommend(
        sessions,
        current,
        today=today,
        library=library,
        selfchecks=selfchecks,
        programme_start=programme_start(phases, clearances),
        pause=list(status.reasons) if status.paused else None,
        logged=logged,
        see_gp_from=status.counts_from,
    )


def advise(
    store: UserStore,
    status: PlanStatus | None = None,
    *,
    today: dt.date | None = None,
    library: Library | None = None,
    logged: str | None = None,
) -> Recommendation:
    """:func:`advice_of` for everything in ``store`` (``status``: already read, or None)."""
    return advice_of(
        store.sessions(),
        store.selfchecks(),
        store.phase_history(),
        store.clearances(),
        status or plan_status(store, today=today, library=library),
        today=today,
        library=library,
        logged=logged,
    )


def cleared_signs(store: UserStore, today: dt.date | None = None) -> dict[str, dt.date]:
    """Sign id -> examination day of the clearance that covers it on a self-check today.

    For ``selfcheck.assess(..., cleared=...)``: covered history signs always, other
    covered signs up to 12 weeks after the examination. ``assess`` never clears an
    emergency sign, and :func:`plan_status` checks the rules again on the saved result.
    """
    today = today or dt.date.today()
    found: dict[str, dt.date] = {}
    for clearance in store.clearances():
        if clearance.examined > today:
            continue
        fresh = today <= clearance.examined + dt.timedelta(days=CLEARED_DAYS)
        for sign in clearance.covers:
            if sign == V1_WARNING or sign.startswith(("session_", "run_")):
                continue
            if sign in HISTORY_SIGNS or fresh:
                found[sign] = max(found.get(sign, clearance.examined), clearance.examined)
    return found


__all__ = [
    "CLEARED_DAYS",
    "HISTORY_SIGNS",
    "Cause",
    "PlanStatus",
    "advice_of",
    "advise",
    "cleared_signs",
    "plan_status",
    "programme_start",
    "short_reason",
    "status_of",
]
