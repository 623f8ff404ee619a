"""kneecore: the pure core of Kneecare, a rehab companion for runner's knee.

No Streamlit here. Pages read widgets, call one function of this package, and show
the result. Each module has one job:

* :mod:`~kneecore.content` -- the exercise library from ``content/`` (validated on load)
* :mod:`~kneecore.models` -- the stored data shapes (sessions, runs, self-checks, phases,
  settings)
* :mod:`~kneecore.store` -- the only way to read or write the user's data, behind the
  interface pages use (:mod:`~kneecore.userstore`), its rules written once
  (:mod:`~kneecore.storerules`) for the file and for a clinic's server
  (:mod:`kneecore.clinic`: PostgreSQL, accounts, login); built from the file's shape
  (:mod:`~kneecore.storefile`), locked reads and writes (:mod:`~kneecore.storebase`,
  :mod:`~kneecore.storelock`, :mod:`~kneecore.atomic`), daily copies
  (:mod:`~kneecore.backup`), checks of new items (:mod:`~kneecore.storecheck`),
  export and import (:mod:`~kneecore.transfer`) and giving freed memory back after a
  read (:mod:`~kneecore.heap`)
* :mod:`~kneecore.pain` -- the Pain Monitoring Model's zones and the pain scale's words
* :mod:`~kneecore.questionnaire` and :mod:`~kneecore.selfcheck` -- the self-check's
  content and its decisions (red flags, Kujala score, starting phase), with
  :mod:`~kneecore.selfcheck_flow` -- the self-check page's steps as pure functions
* :mod:`~kneecore.progression` -- the advice after each session, and days in a phase
* :mod:`~kneecore.running` -- return to running: a run's zone, the walk-run advice, flags
  on single runs, the entry checklist and maintenance (content in ``content/running/``),
  with :mod:`~kneecore.run_log` -- the Runs page's form, gate and answer as pure
  functions, :mod:`~kneecore.run_import` -- runs from watch files made ready to save,
  :mod:`~kneecore.running_trends` and :mod:`~kneecore.charts_running` -- weekly running
  load against pain, and the level, for Progress and the report, and
  :mod:`~kneecore.today_running` -- Today's running card
* :mod:`~kneecore.runfiles` -- runs read from watch files (GPX, TCX, FIT, a Strava
  archive), with :mod:`~kneecore.runfiles_base`, :mod:`~kneecore.runfiles_xml`,
  :mod:`~kneecore.runfiles_fit` and :mod:`~kneecore.runfiles_archive`
* :mod:`~kneecore.safety` -- the plan pause: whether a warning sign stands, and what a
  clinician's clearance covers
* :mod:`~kneecore.tracker` -- the log form's drafts and parsing, and the history, with
  :mod:`~kneecore.last_action` -- the log page's latest action, its answer and its undo
* :mod:`~kneecore.today` -- what Today says: since when, the last 7 days, the mornings
  still to enter
* :mod:`~kneecore.trends` -- the trend rules, once: week-on-week rise, early against
  late, a real change in the knee score
* :mod:`~kneecore.analytics`, :mod:`~kneecore.progress_view` and :mod:`~kneecore.charts`
  -- progress frames, which charts a date range shows, and the charts, with
  :mod:`~kneecore.chart_summaries` -- each chart's one-line reading in words
* :mod:`~kneecore.report` (the report's facts) and :mod:`~kneecore.report_pdf` (its
  layout), :mod:`~kneecore.reminders`, :mod:`~kneecore.export` -- the PDF report, the
  calendar file and the CSV export
* :mod:`~kneecore.demo` -- generated histories for the demo view, tests and benchmarks
* :mod:`~kneecore.access` -- the access token the app's link carries, and
  :mod:`~kneecore.launch` -- the command that starts the app with that link (and phone mode)
* :mod:`~kneecore.words` -- how dates, counts and lists are written, and
  :mod:`~kneecore.errors` -- validation errors in plain words

The names below are re-exported here for convenience. Pages import from the modules
themselves, which keeps each page's dependencies visible; the heavy modules (analytics,
charts, report: pandas, Altair, fpdf2, vl-convert) are not imported by this package, so
``import kneecore`` stays cheap.
"""

from kneecore.content import ContentError, Exercise, Library, load_library, load_running
from kneecore.demo import generate_history
from kneecore.models import (
    Clearance,
    ExerciseEntry,
    PhaseStart,
    Run,
    SelfCheckResult,
    Session,
    Settings,
    WarningSign,
    Zone,
)
from kneecore.pain import PainScale, load_pain_scale, zone
from kneecore.progression import (
    Recommendation,
    days_in_phase,
    recommend,
    session_warning,
    session_zone,
)
from kneecore.running import RunAdvice, run_zone
from kneecore.safety import PlanStatus, cleared_signs, plan_status
from kneecore.store import (
    MAX_IMPORT_BYTES,
    InvalidImport,
    Store,
    StoreError,
    default_store_path,
)
from kneecore.words import format_date, format_day, join_words, plural

__all__ = [
    "MAX_IMPORT_BYTES",
    "Clearance",
    "ContentError",
    "Exercise",
    "ExerciseEntry",
    "InvalidImport",
    "Library",
    "PainScale",
    "PhaseStart",
    "PlanStatus",
    "Recommendation",
    "Run",
    "RunAdvice",
    "SelfCheckResult",
    "Session",
    "Settings",
    "Store",
    "StoreError",
    "WarningSign",
    "Zone",
    "cleared_signs",
    "days_in_phase",
    "default_store_path",
    "format_date",
    "format_day",
    "generate_history",
    "join_words",
    "load_library",
    "load_pain_scale",
    "load_running",
    "plan_status",
    "plural",
    "recommend",
    "run_zone",
    "session_warning",
    "session_zone",
    "zone",
]
