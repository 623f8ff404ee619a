"""A valid store file cut off at any byte is refused, and left exactly as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecore.store import Store, StoreError


def test_a_valid_file_truncated_at_every_byte_offset_is_refused_untouched(tmp_path):
    path = tmp_path / "knee-data.json"
    store = Store(path, exercise_ids={"quad_set", "bridge"})
    for days_ago, ex in enumerate(["quad_set", "bridge", "quad_set"]):
        store.add_session(
            {
                "date": dt.date.today() - dt.timedelta(days=days_ago),
                "exercises": [{"exercise_id": ex, "sets": 2, "reps": [8, 9], "load_kg": 2.5}],
                "pain_before": 1,
                "pain_during": 3,
                "pain_after": 2,
                "notes": "Knie tat weh — ça va ✓",
            }
        )
    store.add_selfcheck({"urgency": "none", "phase": 1, "akps": 71, "answers": {"q": 1.5}})
    store.start_phase(1)
    store.update_settings({"units": "lb"})
    valid = path.read_bytes()
    assert len(valid) > 1000

    for offset in range(len(valid)):
        cut = valid[:offset]
        path.write_bytes(cut)
        fresh = Store(path, exercise_ids={"quad_set"})
        with pytest.raises(StoreError):
            fresh.sessions()
        if offset % 50 == 0:  # a write attempt is refused too (sampled: writes are slower)
            with pytest.raises(StoreError):
                fresh.update_settings({"units": "kg"})
        assert path.read_bytes() == cut, f"offset {offset} was changed"

    path.write_bytes(valid)
    assert len(Store(path, exercise_ids={"quad_set"}).sessions()) == 3
