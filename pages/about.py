"""About and safety: what the app is and is not, when to get help, where the advice comes from.

The two "get help" lists sit in boxes with an icon and a plain heading, so their urgency
reads from the words and the icon, not from the box colour alone.
"""

import streamlit as st

from kneecore.store import default_store_path
from pages.common import NOT_A_DIAGNOSIS

st.title("About and safety")
# The notice is a box here, not the caption other pages end with: so the styles the
# caption brings (readable captions, h2 sizes) are applied on their own.

st.warning(NOT_A_DIAGNOSIS, icon=":material/info:")

st.markdown(
    """
Kneecare helps people with **runner's knee** (patellofemoral pain, sometimes called
chondromalacia patellae) follow a home exercise programme safely. It asks about warning
signs first, suggests a starting phase, shows the exercises, and helps you keep an eye
on pain while you build strength.
"""
)

st.header("What it is not")
st.markdown(
    """
- It does not diagnose. Knee pain has many causes; only a clinician who examines you
  can tell which one you have.
- It does not replace a GP or physiotherapist. When in doubt, it sends you to one.
"""
)

st.header("When to get help")
st.error(
    """
**Get help now (urgent care or emergency) if**
- you cannot put weight on the leg or cannot walk, above all after a fall, twist or blow;
- the knee swelled up within hours of an injury this week, or you are 55 or older and
  hurt it this week;
- the knee has become hot and swollen in the last few days, with or without a fever;
- a calf is painful, swollen, warm or red — with chest pain or breathlessness,
  **call the emergency number now**;
- the knee looks deformed, the kneecap is out of place, or you cannot move it;
- your foot goes numb, cold or pale;
- a child or teenager with knee or hip pain limps and feels feverish or unwell.
""",
    icon=":material/emergency:",
)
st.warning(
    """
**See a GP or physiotherapist before you start if**
- the knee locks, gives way or is visibly swollen;
- pain is severe (7 out of 10 or more), constant, or wakes you at night;
- the pain began with an injury in the last six weeks, or the kneecap has ever come
  fully out of place;
- you had knee surgery in the last year or an injection in the last six weeks;
- the pain is not around the kneecap (only on the inner or outer side, or at the back);
- you have lost weight without trying or had night sweats;
- you are under 18 with hip or thigh pain or a limp, or a child under 12.

**See one later if** the pain gets worse over two weeks of exercise, or is no better
at the six-week review. Many people improve within six to twelve weeks of regular
exercise, but for some it takes much longer: that is not a failure, and a
physiotherapist can adjust the plan.
""",
    icon=":material/stethoscope:",
)
st.markdown(
    """
**Once a warning sign comes up**, in a self-check or a logged session, the app pauses
your exercise plan on every page until a new self-check finds no warning sign or you
record that a GP or physiotherapist examined your knee and said you can exercise.
"""
)

st.header("Everyday safety")
st.markdown(
    """
- Check with a healthcare provider before starting any exercise programme.
- Until pain has settled: no deep squats, lunges or jumping, and no running except
  through the app's walk-run programme.
- Pain words follow the usual scale: 0 none, 1 to 3 mild, 4 to 6 moderate, 7 to 10
  severe. During exercise, up to 3 out of 10 is fine; 4 to 5 is acceptable if you do not
  add load; 6 or more means ease off. Next-morning pain should be back to where it was.
- A sore knee can be iced for up to 20 minutes at a time.
"""
)

st.header("Where the advice comes from")
st.markdown(
    """
The rules follow published clinical guidance on patellofemoral pain: the Kujala
Anterior Knee Pain Scale (Kujala et al., 1993), the Pain Monitoring Model (Thomeé, 1997;
Silbernagel et al., 2007), the Ottawa knee rules (Stiell et al., 1995), the international
patellofemoral pain consensus statements (Crossley et al., 2016; Collins et al., 2018)
and the JOSPT clinical practice guideline (Willy et al., 2019). All text and pictures
were written and drawn for this app.
"""
)

st.header("Your privacy")
st.markdown(
    """
Everything you enter stays in one file on this computer. The app sends nothing
anywhere: no account, no cloud, no usage statistics.
"""
)
st.caption("Your data file:")
# st.code wraps a long path on a phone instead of running off the screen.
st.code(str(default_store_path()), language=None, wrap_lines=True)
