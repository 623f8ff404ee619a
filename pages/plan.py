"""Exercise plan page: one phase's exercises with pictures, doses and safety cues.

Everything shown comes from the validated library in ``content/``; this page only picks
the phase and the muscle filter and lays the cards out so they scan well on a phone.
While the plan is paused (``kneecore.safety``) the page shows the pause instead of any
exercise card. When the latest self-check says the person is pregnant, exercises done
lying on the back or front are marked with their alternative.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from kneecore.content import Exercise, Library
from kneecore.store import StoreError
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.pause import show_pause

PHASES = [1, 2, 3]
HARDER_RULE = "Make it harder when it is easy and pain stays at 3/10 or less."
#: The enlarge button's label names its drawing, so it can be long: on a phone it wraps
#: onto a second line (Streamlit cuts a button's label with an ellipsis).
PLAN_CSS = """<style>
.stApp [class*="st-key-enlarge_"] [data-testid="stMarkdownContainer"],
.stApp [class*="st-key-enlarge_"] [data-testid="stMarkdownContainer"] p {
  white-space: normal; overflow: visible; text-overflow: clip; text-align: left;
}
</style>"""


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


#: Room the enlarged drawing leaves for the dialog's title, padding and margins, so the
#: whole drawing fits the window's height (wide screens, then phones).
CHROME_WIDE, CHROME_PHONE = "10.5rem", "7rem"
#: Below this width Streamlit stacks columns, and the dialog shows a drawing's start and
#: end panels one above the other, each as wide as the phone.
PHONE_MAX = "640px"


def panels(svg: str) -> list[tuple[str, float]]:
    """The drawing's start and end panels, from its SVG <view> elements: each as the
    same drawing cut to that view, with its width over its height."""
    found = []
    for box in re.findall(r'<view id="[^"]*" viewBox="([^"]*)"\s*/>', svg):
        _x, _y, width, height = (float(n) for n in box.split())
        found.append((re.sub(r'viewBox="[^"]*"', f'viewBox="{box}"', svg, count=1), width / height))
    return found


def shape_of(svg: str) -> float:
    """The drawing's width over its height, from its viewBox."""
    box = re.search(r'viewBox="([^"]*)"', svg)
    _x, _y, width, height = (float(n) for n in box.group(1).split()) if box else (0, 0, 4, 3)
    return width / height


def fit(shape: float, chrome: str) -> str:
    """A width that keeps a drawing of this width-to-height ``shape`` inside the dialog
    and the window, leaving ``chrome`` for the rest of the dialog."""
    # A floor for short windows (a phone on its side): the dialog scrolls instead.
    return f"min(100%, calc(max(100dvh - {chrome}, 18rem) * {shape:.4f}))"


#: The dialog's box (Streamlit draws it around the role="dialog" section) and its content.
BOX = '[data-testid="stDialog"]:has(.st-key-kc_big) > div'
CONTENT = f'{BOX} [role="dialog"] > div:has(.st-key-kc_big)'
#: The image and the boxes Streamlit wraps it in, which would otherwise shrink to it.
IMAGE = (
    '.st-key-kc_big [data-testid="stFullScreenFrame"], .st-key-kc_big [data-testid="stImage"], '
    '.st-key-kc_big [data-testid="stFullScreenFrame"] > div, '
    '.st-key-kc_big [data-testid="stImageContainer"]'
)


def enlarged_css(whole: float, parts: list[float]) -> str:
    """Wide screens: the whole drawing as high as the window allows, the dialog no wider
    than it needs. Phones: the dialog fills the screen and a drawing with panels shows
    them one above the other, each framed like the card it was cut from. Streamlit's
    image toolbar has no fullscreen button in a dialog; its empty box showed as a dot."""
    wide = [
        '.st-key-kc_big [data-testid="stElementToolbar"] { display: none; }',
        f"{IMAGE} {{ width: 100% !important; max-width: 100%; justify-content: center; }}",
        ".st-key-kc_big img { margin: 0 auto; }",
        f".st-key-kc_big_whole img {{ width: {fit(whole, CHROME_WIDE)} !important; }}",
        ".st-key-kc_big_panels { display: none; }",
        f"{BOX} {{ width: min(calc(100vw - 2rem), "
        f"max(36rem, calc(max(100dvh - {CHROME_WIDE}, 18rem) * {whole:.4f} + 3.5rem))); }}",
        f'{BOX} [role="dialog"] {{ width: 100%; }}',
    ]
    phone = [
        f"{BOX} {{ width: 100vw; max-width: 100vw; margin: 0; }}",
        f"{CONTENT} {{ padding: 0.5rem 0.75rem 1rem; }}",
        f".st-key-kc_big_whole img {{ width: {fit(whole, CHROME_PHONE)} !important; }}",
    ]
    if parts:
        phone.append(".st-key-kc_big_whole { display: none; }")
        phone.append(".st-key-kc_big_panels { display: flex; }")
        phone += [
            f".st-key-kc_big_panel_{i} img {{ width: {fit(shape, CHROME_PHONE)} !important; "
            "border: 2px solid #D3DEE0; border-radius: 14px; }"
            for i, shape in enumerate(parts)
        ]
    rules = "\n".join([*wide, f"@media (max-width: {PHONE_MAX}) {{", *phone, "}"])
    return f"<style>\n{rules}\n</style>"


def show_drawing_large(path: str, alt: str) -> None:
    """The drawing as large as the window allows; on a phone its start and end panels
    one above the other. Opened in a dialog titled with the exercise's name."""
    svg = Path(path).read_text(encoding="utf-8")
    parts = panels(svg)
    st.html(enlarged_css(shape_of(svg), [shape for _svg, shape in parts]))
    with st.container(key="kc_big"):
        with st.container(key="kc_big_whole"):
            st.image(path, width="stretch", alt=alt)
        if parts:
            start, sep, end = alt.partition(" End: ")
            words = (start, f"End: {end}") if sep else (alt, alt)
            with st.container(key="kc_big_panels"):
                for i, ((part, _r), text) in enumerate(zip(parts, words, strict=False)):
                    with st.container(key=f"kc_big_panel_{i}"):
                        st.image(part, width="stretch", alt=text)
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
            # The label names the drawing, so each button says which one it enlarges;
            # on a phone it wraps rather than being cut.
            if st.button(
                f"Enlarge drawing: {exercise.name}",
                key=f"enlarge_{exercise.id}",
                icon=":material/zoom_in:",
                width="stretch",
            ):
                path = str(library.illustration_path(exercise))
                st.dialog(exercise.name, width="large")(show_drawing_large)(
                    path, exercise.illustration_alt
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
    st.html(PLAN_CSS)
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
