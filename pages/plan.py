"""Exercise plan page: one phase's exercises with pictures, doses and safety cues.

Everything shown comes from the validated library in ``content/``; this page only picks
the phase and the muscle filter and lays the cards out so they scan well on a phone.
While the plan is paused (``kneecore.safety``) the page shows the pause instead of any
exercise card. When the latest self-check says the person is pregnant, exercises done
lying on the back or front are marked with their alternative.
"""

from __future__ import annotations

import streamlit as st

from kneecore.content import Exercise, Library
from kneecore.store import StoreError
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.pause import show_pause

PHASES = [1, 2, 3]
HARDER_RULE = "Make it harder when it is easy and pain stays at 3/10 or less."


def current_phase() -> int | None:
    """The user's current phase from the store, or None (also when the store is broken)."""
    try:
        current = get_store().current_phase()
    except StoreError as err:
        show_store_error(err)
        return None
    return current.phase if current is not None else None


def is_paused() -> bool:
    """Show the pause if there is one; a broken store is explained by current_phase."""
    try:
        return show_pause("plan").paused
    except StoreError:
        return False


def pregnant() -> bool:
    """The latest saved self-check's answer to "are you pregnant?" (False when unknown)."""
    try:
        checks = [c for c in get_store().selfchecks() if not c.practice]
    except StoreError:
        return False
    return bool(checks and checks[-1].answers.get("pregnant") is True)


def show_paused_plan() -> None:
    """What the plan says instead of exercise cards while a warning sign stands."""
    st.header("No exercises for now")
    st.markdown(
        "Your exercises are hidden until your knee has been checked: what you reported "
        "above needs a professional look before you load the knee. You can still log "
        "exercises a GP or physiotherapist gives you, and see your history."
    )
    st.page_link(
        "pages/self_check.py",
        label="Redo the self-check after your check-up",
        icon=":material/checklist:",
    )


def numbered(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1))


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def show_phase_summary(library: Library, phase: int) -> None:
    info = library.phase(phase)
    st.header(f"Phase {phase}: {info.name}")
    st.write(info.goal)
    if info.avoid:
        st.warning(f"**Avoid for now**\n\n{bullets(info.avoid)}", icon=":material/block:")
    with st.expander("How you know you are ready to move on"):
        st.markdown(bullets(info.ready_when))


@st.dialog("Drawing", width="large")
def show_drawing_large(path: str, name: str, alt: str) -> None:
    """The drawing at the dialog's full width, for a closer look on a phone."""
    st.markdown(f"**{name}**")
    st.image(path, width="stretch", alt=alt)
    st.caption(alt)


def show_exercise(
    library: Library, number: int, exercise: Exercise, expecting: bool = False
) -> None:
    with st.container(border=True):
        st.markdown(f"### {number}. {exercise.name}")
        if expecting and exercise.pregnancy_alternative:
            st.info(
                "**Pregnant: from 16 weeks, do this instead.** This exercise is done lying "
                f"on your back or front. {exercise.pregnancy_alternative}",
                icon=":material/pregnant_woman:",
            )
        # Side by side on a wide screen; Streamlit stacks the columns on a phone.
        picture, words = st.columns([3, 2], vertical_alignment="center")
        with picture:
            # st.image turns a local SVG file into a data URI; "stretch" fits the column.
            st.image(
                str(library.illustration_path(exercise)),
                width="stretch",
                alt=exercise.illustration_alt,
            )
            if st.button(
                f"Enlarge drawing: {exercise.name}",
                key=f"enlarge_{exercise.id}",
                icon=":material/zoom_in:",
            ):
                show_drawing_large(
                    str(library.illustration_path(exercise)),
                    exercise.name,
                    exercise.illustration_alt,
                )
        with words:
            st.markdown(f"**Dose:** {exercise.dose.describe()}")
            st.write(exercise.purpose)
            works = ", ".join(library.muscles[t] for t in exercise.targets)
            st.markdown(f"**Works:** {works}")
        with st.expander("How to do it, and take care"):
            st.markdown(numbered(exercise.steps))
            st.markdown(f"**Take care**\n\n{bullets(exercise.safety)}")
        if exercise.progressions:
            with st.expander("Make it harder"):
                st.markdown(f"{HARDER_RULE}\n\n{bullets(exercise.progressions)}")


def show_plan(library: Library) -> None:
    mine = current_phase()
    if mine is None:
        st.caption(
            "No phase chosen yet, so phase 1 is shown. The self-check suggests where to start."
        )
        st.page_link(
            "pages/self_check.py", label="Take the self-check", icon=":material/stethoscope:"
        )
    else:
        st.caption(f"You are in phase {mine}. You can look at the other phases too.")

    chosen = st.segmented_control(
        "Phase",
        PHASES,
        default=mine or 1,
        format_func=lambda n: f"Phase {n}",
        required=True,
        key="plan_phase",
    )
    phase = chosen or 1
    show_phase_summary(library, phase)
    expecting = pregnant()
    if expecting:
        st.info(
            "**You said you are pregnant.** Check with your midwife or doctor before you "
            "start. From 16 weeks, avoid exercises lying flat on your back or front: they "
            "are marked below with a standing or side-lying alternative.",
            icon=":material/pregnant_woman:",
        )

    in_phase = library.by_phase(phase)
    used = sorted({t for e in in_phase for t in e.targets}, key=lambda t: library.muscles[t])
    wanted = st.multiselect(
        "Show exercises for these muscles",
        used,
        format_func=lambda t: library.muscles[t],
        placeholder="All muscles",
        key=f"plan_muscles_{phase}",
    )
    shown = [e for e in in_phase if not wanted or set(e.targets) & set(wanted)]

    st.caption(
        "Keep pain during exercise at 0 to 3 out of 10 (the green zone). "
        "In the pictures, orange marks the working muscle and the arrow shows the movement."
    )
    if not shown:
        st.info(
            "None of this phase's exercises works the muscles you picked. "
            "Remove a muscle from the filter, or clear it to see them all.",
            icon=":material/filter_alt_off:",
        )
    for exercise in shown:
        # Number by place in the phase, so a filtered card keeps the number it had.
        show_exercise(library, in_phase.index(exercise) + 1, exercise, expecting)

    st.page_link("pages/log.py", label="Log today's exercises", icon=":material/edit_note:")


st.title("Exercise plan")
if is_paused():
    show_paused_plan()
else:
    show_plan(get_library())
not_a_diagnosis()
