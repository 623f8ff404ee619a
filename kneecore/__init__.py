"""kneecore: the pure core of Kneecare, a rehab companion for runner's knee.

No Streamlit here. Pages read widgets, call one function of this package, and show
the result. The public API:

* content: :func:`load_library`, :class:`Library`, :class:`Exercise`, :class:`ContentError`
* data: :class:`Store`, :class:`StoreError`, :func:`default_store_path`
* models: :class:`Session`, :class:`ExerciseEntry`, :class:`SelfCheckResult`,
  :class:`PhaseStart`, :class:`Settings`
* rules: :func:`kneecore.pain.zone`
"""

from kneecore.content import ContentError, Exercise, Library, load_library
from kneecore.models import ExerciseEntry, PhaseStart, SelfCheckResult, Session, Settings
from kneecore.pain import zone
from kneecore.store import Store, StoreError, default_store_path

__all__ = [
    "ContentError",
    "Exercise",
    "ExerciseEntry",
    "Library",
    "PhaseStart",
    "SelfCheckResult",
    "Session",
    "Settings",
    "Store",
    "StoreError",
    "default_store_path",
    "load_library",
    "zone",
]
