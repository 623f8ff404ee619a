"""Draws every exercise and home-test picture in this folder, in one style.

Run ``.venv/bin/python content/illustrations/make_drawings.py`` after changing a pose;
it rewrites the SVG files next to it. The SVGs are the content the app reads; this
script only keeps them consistent: one set of body proportions, line weights and
colours, absolute coordinates (no transforms, so tests/unit/test_illustrations.py can
check that nothing is clipped) and a light card of their own, so every drawing reads
the same on a light or a dark page.

Two layouts: standing poses side by side (start left, end right, 640 x 540) and lying
poses one above the other (start on top, 640 x 580), so a lying body runs the whole
width of a phone screen instead of half of it. Diagonal hops is the one exception: both
positions stand on one floor (640 x 600), so the tape cross between them can be large.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
Point = tuple[float, float]

# Body proportions (SVG units), shared by every figure.
HEAD_R, NECK, TRUNK, THIGH, SHIN, FOOT, UPPER, FORE = 19, 14, 118, 104, 100, 30, 62, 58
TRUNK_W, LEG_W, ARM_W = 30, 18, 13
# Colours: near limbs dark, far limbs light, so crossing limbs stay apart.
NEAR, FAR, MUSCLE, ARROW = "#4A5963", "#A3B0B7", "#E8772E", "#1F6F78"
FLOOR, PROP, PROP_LINE, BAND, TEXT = "#8FA3A9", "#DCCDB4", "#9C8662", "#B0348A", "#22313A"
CARD, CARD_LINE = "#F4F7F7", "#D3DEE0"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def at(p: Point, length: float, degrees: float) -> Point:
    """The point ``length`` from ``p`` in direction ``degrees`` (0 right, 90 down)."""
    a = math.radians(degrees)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def joint(a: Point, b: Point, la: float, lb: float, bend: int) -> Point:
    """The middle joint of a two-part limb from ``a`` to ``b`` (bend +1 or -1 picks the side)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = min(math.hypot(dx, dy), la + lb - 0.01)
    x = (d * d + la * la - lb * lb) / (2 * d)
    h = math.sqrt(max(la * la - x * x, 0))
    ux, uy = dx / math.hypot(dx, dy), dy / math.hypot(dx, dy)
    return (a[0] + ux * x - bend * uy * h, a[1] + uy * x + bend * ux * h)


class Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def line(self, pts: list[Point], color: str, width: float, dash: str = "") -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{f(x)},{f(y)}" for x, y in pts)
        self.parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="{width}" '
            f'stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )

    def circle(self, c: Point, r: float, fill: str, stroke: str = "none", sw: float = 0) -> None:
        self.parts.append(
            f'<circle cx="{f(c[0])}" cy="{f(c[1])}" r="{f(r)}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{sw}"/>'
        )

    def ellipse(self, c: Point, rx: float, ry: float, fill: str, stroke: str = "none") -> None:
        self.parts.append(
            f'<ellipse cx="{f(c[0])}" cy="{f(c[1])}" rx="{f(rx)}" ry="{f(ry)}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2.5"/>'
        )

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.parts.append(
            f'<rect x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h)}" rx="4" fill="{PROP}" '
            f'stroke="{PROP_LINE}" stroke-width="3"/>'
        )

    def arrow(self, a: Point, b: Point, via: Point | None = None) -> None:
        mid = f" Q{f(via[0])},{f(via[1])}" if via else " L"
        d = (
            f"M{f(a[0])},{f(a[1])}{mid} {f(b[0])},{f(b[1])}"
            if via
            else f"M{f(a[0])},{f(a[1])}{mid}{f(b[0])},{f(b[1])}"
        )
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{ARROW}" stroke-width="5" '
            'stroke-linecap="round" marker-end="url(#arrowhead)"/>'
        )

    def text(
        self, p: Point, words: str, size: int = 26, bold: bool = False, color: str = TEXT
    ) -> None:
        weight = ' font-weight="700"' if bold else ""
        self.parts.append(
            f'<text x="{f(p[0])}" y="{f(p[1])}" font-size="{size}"{weight} fill="{color}">'
            f"{escape(words)}</text>"
        )

    def floor(self, x0: float, x1: float, y: float) -> None:
        self.line([(x0, y), (x1, y)], FLOOR, 4)

    def muscle(self, a: Point, b: Point, t0: float = 0.2, t1: float = 0.75) -> None:
        p = (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0)
        q = (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)
        self.line([p, q], MUSCLE, 10)

    def angle(self, centre: Point, a1: float, a2: float, label: str, where: Point) -> None:
        """An arc at a joint from direction a1 to a2 (degrees), with a large label."""
        r = 44
        p, q = at(centre, r, a1), at(centre, r, a2)
        sweep = 1 if (a2 - a1) % 360 < 180 else 0
        self.parts.append(
            f'<path d="M{f(p[0])},{f(p[1])} A{r},{r} 0 0 {sweep} {f(q[0])},{f(q[1])}" '
            f'fill="none" stroke="{ARROW}" stroke-width="4"/>'
        )
        self.text(where, label, 32, bold=True, color=ARROW)


# -- figures -------------------------------------------------------------------------


def leg(s: Svg, hip: Point, knee: Point, ankle: Point, toe_dir: float, color: str) -> None:
    heel = at(ankle, 8, toe_dir + 180)
    toe = at(ankle, FOOT, toe_dir)
    s.line([hip, knee, ankle], color, LEG_W)
    s.line([heel, toe], color, LEG_W - 4)


def arm(s: Svg, shoulder: Point, elbow: Point, hand: Point, color: str) -> None:
    s.line([shoulder, elbow, hand], color, ARM_W)


def torso(s: Svg, hip: Point, shoulder: Point, head: Point) -> None:
    s.line([hip, shoulder], NEAR, TRUNK_W)
    neck = (
        shoulder[0] + (head[0] - shoulder[0]) * 0.5,
        shoulder[1] + (head[1] - shoulder[1]) * 0.5,
    )
    s.line([shoulder, neck], NEAR, 12)
    s.circle(head, HEAD_R, NEAR)


def upright(hip: Point, lean: float = 0) -> tuple[Point, Point]:
    """Shoulder and head of a trunk leaning forward (to the right) by ``lean`` degrees."""
    shoulder = at(hip, TRUNK, -90 + lean)
    return shoulder, at(shoulder, NECK + HEAD_R, -90 + lean * 0.7)


def leg_by_angles(hip: Point, thigh_fwd: float, shin_fwd: float) -> tuple[Point, Point]:
    """Knee and ankle from the thigh's and shin's tilt off vertical (knee ahead: positive)."""
    knee = at(hip, THIGH, 90 - thigh_fwd)
    return knee, at(knee, SHIN, 90 + shin_fwd)


def hip_height(thigh_fwd: float, shin_fwd: float) -> float:
    r = math.radians
    return THIGH * math.cos(r(thigh_fwd)) + SHIN * math.cos(r(shin_fwd)) + 9


def side_stander(
    s: Svg,
    ankle_x: float,
    floor: float,
    lean: float = 0,
    bend: tuple[float, float] = (3, 3),
    arms: tuple[float, float] = (100, 96),
    free_leg: Callable[[Svg, Point], None] | None = None,
    lift: float = 0,
    toe: float = 0,
) -> dict[str, Point]:
    """A person seen from the side, facing right, the near foot at ``ankle_x`` on the floor
    (or ``lift`` above it). Without ``free_leg`` the far leg stands beside the near one."""
    thigh_fwd, shin_fwd = bend
    knee_dx = THIGH * math.sin(math.radians(thigh_fwd))
    ankle_dx = knee_dx - SHIN * math.sin(math.radians(shin_fwd))
    hip = (ankle_x - ankle_dx, floor - lift - hip_height(thigh_fwd, shin_fwd))
    shoulder, head = upright(hip, lean)
    far_elbow = at(shoulder, UPPER, arms[0] + 8)
    arm(s, shoulder, far_elbow, at(far_elbow, FORE, arms[1] + 8), FAR)
    if free_leg:
        free_leg(s, hip)
    else:
        fk, fa = leg_by_angles((hip[0] - 8, hip[1]), thigh_fwd, shin_fwd)
        leg(s, (hip[0] - 8, hip[1]), fk, fa, toe, FAR)
    torso(s, hip, shoulder, head)
    knee, ankle = leg_by_angles(hip, thigh_fwd, shin_fwd)
    leg(s, hip, knee, ankle, toe, NEAR)
    elbow = at(shoulder, UPPER, arms[0])
    hand = at(elbow, FORE, arms[1])
    arm(s, shoulder, elbow, hand, NEAR)
    return {"hip": hip, "knee": knee, "ankle": ankle, "shoulder": shoulder, "head": head}


def lifted_back_leg(s: Svg, hip: Point) -> None:
    """The free leg of a one-leg stance: knee by the other knee, bent so the foot is up
    behind at knee height, well clear of the floor."""
    knee = at(hip, THIGH, 96)
    ankle = at(knee, SHIN, 190)
    leg(s, hip, knee, ankle, 80, FAR)


def front_figure(
    s: Svg,
    x: float,
    floor: float,
    out_deg: float = 0,
    hand_on: Point | None = None,
) -> dict[str, Point]:
    """A person seen from the front. Their right leg (on our left) may move out sideways
    by ``out_deg``."""
    pelvis_y = floor - 10 - THIGH - SHIN
    right_hip, left_hip = (x - 17, pelvis_y), (x + 17, pelvis_y)
    shoulder_y = pelvis_y - TRUNK
    s.parts.append(
        f'<polygon points="{f(x - 27)},{f(pelvis_y + 4)} {f(x + 27)},{f(pelvis_y + 4)} '
        f'{f(x + 31)},{f(shoulder_y)} {f(x - 31)},{f(shoulder_y)}" fill="{NEAR}" '
        f'stroke="{NEAR}" stroke-width="8" stroke-linejoin="round"/>'
    )
    s.line([(x, shoulder_y), (x, shoulder_y - 14)], NEAR, 12)
    s.circle((x, shoulder_y - 14 - HEAD_R), HEAD_R, NEAR)
    feet: dict[str, Point] = {}
    for hip, side, name in ((right_hip, -1, "right"), (left_hip, 1, "left")):
        angle = out_deg if name == "right" else 0
        knee = at(hip, THIGH, 90 + angle)
        ankle = at(knee, SHIN, 90 + angle)
        s.line([hip, knee, ankle], NEAR, LEG_W)
        # Seen from the front, toes pointing forward show as a short, wide foot.
        s.ellipse((ankle[0] + side * 3, ankle[1] + 4), 14, 8, NEAR)
        feet[name] = ankle
    sh_r, sh_l = (x - 31, shoulder_y + 8), (x + 31, shoulder_y + 8)
    elbow_r = at(sh_r, UPPER, 100)
    s.line([sh_r, elbow_r, at(elbow_r, FORE, 94)], NEAR, ARM_W)
    if hand_on:
        elbow = joint(sh_l, hand_on, UPPER, FORE, -1)
        s.line([sh_l, elbow, hand_on], NEAR, ARM_W)
    else:
        elbow_l = at(sh_l, UPPER, 80)
        s.line([sh_l, elbow_l, at(elbow_l, FORE, 86)], NEAR, ARM_W)
    feet["hip_r"] = right_hip
    return feet


def supine(
    s: Svg,
    x: float,
    floor: float,
    near: tuple[Point, Point] | None = None,
    far: tuple[Point, Point] | None = None,
    under: Callable[[Svg], None] | None = None,
) -> dict[str, Point]:
    """Lying on the back, head on the left. ``near``/``far``: (knee, ankle) of each leg,
    default straight along the floor."""
    head = (x, floor - HEAD_R)
    shoulder = (x + HEAD_R + NECK + 4, floor - 15)
    hip = (shoulder[0] + TRUNK, floor - 15)
    straight = ((hip[0] + THIGH, floor - 10), (hip[0] + THIGH + SHIN, floor - 10))
    fk, fa = far or straight
    leg(s, hip, fk, fa, -80 if fa[1] < floor - 20 else -90, FAR)
    s.line([hip, shoulder], NEAR, TRUNK_W)
    s.line([shoulder, (head[0] + HEAD_R - 2, head[1] + 2)], NEAR, 12)
    s.circle(head, HEAD_R, NEAR)
    if under:
        under(s)
    nk, na = near or straight
    toe_dir = math.degrees(math.atan2(na[1] - nk[1], na[0] - nk[0])) - 90
    leg(s, hip, nk, na, toe_dir, NEAR)
    # Arms rest along the body.
    s.line(
        [shoulder, (shoulder[0] + UPPER, floor - 8), (shoulder[0] + UPPER + FORE, floor - 8)],
        NEAR,
        ARM_W,
    )
    return {"hip": hip, "shoulder": shoulder, "head": head}


def foot_flat_leg(hip: Point, floor: float, dx: float) -> tuple[Point, Point]:
    """Knee and ankle of a bent leg with the foot flat, ``dx`` beyond the hip."""
    ankle = (hip[0] + dx, floor - 10)
    return joint(hip, ankle, THIGH, SHIN, -1), ankle


# -- page layout ---------------------------------------------------------------------


#: A named part of a drawing (id, x, y, width, height): an SVG <view>.
View = tuple[str, float, float, float, float]


def document(
    name: str,
    title: str,
    desc: str,
    width: int,
    height: int,
    body: list[str],
    views: tuple[View, ...] = (),
) -> None:
    """Write the SVG. ``views`` name its start and end panels (SVG <view> elements), so
    the app can show each panel on its own, one above the other on a phone."""
    label = escape(f"{title}: {desc}", {'"': "&quot;"})
    text = "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{label}">',
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(desc)}</desc>",
            "<defs>",
            '<marker id="arrowhead" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="3.4" '
            'markerHeight="3.4" orient="auto-start-reverse">',
            f'<path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/>',
            "</marker>",
            "</defs>",
            *(f'<view id="{v}" viewBox="{f(x)} {f(y)} {f(w)} {f(h)}"/>' for v, x, y, w, h in views),
            "<!-- A light card of its own, so the drawing reads the same in a dark theme. -->",
            f'<rect x="2" y="2" width="{width - 4}" height="{height - 4}" rx="18" fill="{CARD}" '
            f'stroke="{CARD_LINE}" stroke-width="2"/>',
            f'<g font-family="{FONT}">',
            *body,
            "</g>",
            "</svg>",
            "",
        ]
    )
    (HERE / name).write_text(text, encoding="utf-8")


Panel = Callable[[Svg, float, float], None]


def side_by_side(
    name: str,
    title: str,
    desc: str,
    start: tuple[str, str, Panel],
    end: tuple[str, str, Panel],
    split: int = 320,
) -> None:
    """Standing poses: two panels 540 high, split at ``split``; each gets its origin and
    floor height."""
    s = Svg()
    s.line([(split, 24), (split, 516)], CARD_LINE, 2, dash="8 8")
    for x0, x1, (label, caption, draw) in zip((0, split), (split, 640), (start, end), strict=True):
        s.text((x0 + 20, 48), label, 32, bold=True)
        s.floor(x0 + 18, x1 - 18, 440)
        draw(s, x0, 440)
        for i, line in enumerate(caption.split("|")):
            s.text((x0 + 20, 484 + 30 * i), line, 25)
    # Each panel without the card's edge (the app frames a panel shown on its own) and
    # without the dashed line between them.
    views = (("start", 10, 10, split - 12, 520), ("end", split + 2, 10, 628 - split, 520))
    document(name, title, desc, 640, 540, s.parts, views)


def stacked(
    name: str, title: str, desc: str, start: tuple[str, str, Panel], end: tuple[str, str, Panel]
) -> None:
    """Lying poses: two 640 x 290 panels, start above end."""
    s = Svg()
    s.line([(24, 290), (616, 290)], CARD_LINE, 2, dash="8 8")
    for y0, (label, caption, draw) in zip((0, 290), (start, end), strict=True):
        s.text((22, y0 + 48), label, 32, bold=True)
        s.text((126, y0 + 48), caption, 25)
        s.floor(18, 622, y0 + 262)
        draw(s, 0, y0 + 262)
    document(name, title, desc, 640, 580, s.parts)


# -- props ---------------------------------------------------------------------------


def chair(s: Svg, x: float, floor: float) -> None:
    """A chair seen from the side, its back on the left, seat 110 above the floor."""
    s.line([(x, floor - 2), (x, floor - 210)], PROP_LINE, 7)
    s.line([(x + 72, floor - 2), (x + 72, floor - 110)], PROP_LINE, 7)
    s.line([(x, floor - 110), (x + 76, floor - 110)], PROP_LINE, 11)


def roll(s: Svg, c: Point, r: float) -> None:
    s.circle(c, r, PROP, PROP_LINE, 3)
    s.circle(c, r * 0.45, "none", PROP_LINE, 2)


def shadow(s: Svg, x: float, floor: float) -> None:
    s.ellipse((x, floor + 1), 42, 6, "#C9D4D7")


# -- lying on the back ---------------------------------------------------------------

LX = 96  # head centre of a lying figure


def quad_set() -> None:
    def start(s: Svg, x0: float, fl: float) -> None:
        hip = (LX + HEAD_R + NECK + 4 + TRUNK, fl - 15)
        knee = at(hip, THIGH, -6)
        supine(
            s,
            LX,
            fl,
            near=(knee, at(knee, SHIN, 9)),
            under=lambda s: roll(s, (knee[0], fl - 13), 13),
        )

    def end(s: Svg, x0: float, fl: float) -> None:
        hip = (LX + HEAD_R + NECK + 4 + TRUNK, fl - 15)
        knee = at(hip, THIGH, -1)
        supine(
            s,
            LX,
            fl,
            near=(knee, at(knee, SHIN, 3)),
            under=lambda s: s.ellipse((knee[0], fl - 8), 18, 8, PROP, PROP_LINE),
        )
        s.muscle(hip, knee, 0.15, 0.8)
        s.arrow((knee[0], fl - 100), (knee[0], fl - 42))

    stacked(
        "quad_set.svg",
        "Quad set",
        "Start: lying on the back, leg straight with a small rolled towel under the knee, "
        "thigh relaxed. End: the thigh is tightened (orange) and the back of the knee "
        "presses down into the towel.",
        ("Start", "Leg straight, towel under the knee", start),
        ("End", "Tighten the thigh, press knee down", end),
    )


def short_arc_quad() -> None:
    def parts(fl: float) -> tuple[Point, Point]:
        hip = (LX + HEAD_R + NECK + 4 + TRUNK, fl - 15)
        return hip, at(hip, THIGH, -14)

    def start(s: Svg, x0: float, fl: float) -> None:
        _hip, knee = parts(fl)
        supine(
            s,
            LX,
            fl,
            near=(knee, at(knee, SHIN, 16)),
            under=lambda s: roll(s, (knee[0] + 2, fl - 21), 21),
        )

    def end(s: Svg, x0: float, fl: float) -> None:
        hip, knee = parts(fl)
        ankle = at(knee, SHIN, -14)
        supine(s, LX, fl, near=(knee, ankle), under=lambda s: roll(s, (knee[0] + 2, fl - 21), 21))
        s.muscle(hip, knee, 0.15, 0.8)
        s.arrow((ankle[0] + 42, fl - 8), (ankle[0] + 36, ankle[1] - 22), (ankle[0] + 58, fl - 40))

    stacked(
        "short_arc_quad.svg",
        "Short arc quad",
        "Start: lying on the back, the knee slightly bent over a firm roll, heel on the "
        "floor. End: the heel is lifted until the knee is straight, the knee still resting "
        "on the roll and the thigh tight (orange).",
        ("Start", "Knee slightly bent over a roll", start),
        ("End", "Lift the heel until the knee is straight", end),
    )


def straight_leg_raise() -> None:
    def bent(fl: float) -> tuple[Point, tuple[Point, Point]]:
        hip = (LX + HEAD_R + NECK + 4 + TRUNK, fl - 15)
        return hip, foot_flat_leg(hip, fl, 150)

    def start(s: Svg, x0: float, fl: float) -> None:
        _hip, far = bent(fl)
        supine(s, LX, fl, far=far)

    def end(s: Svg, x0: float, fl: float) -> None:
        hip, far = bent(fl)
        lift = math.degrees(math.asin((hip[1] - far[0][1]) / (THIGH + SHIN)))
        knee = at(hip, THIGH, -lift)
        ankle = at(knee, SHIN, -lift)
        supine(s, LX, fl, near=(knee, ankle), far=far)
        s.muscle(hip, knee, 0.15, 0.8)
        s.arrow((ankle[0] + 40, fl - 14), (ankle[0] + 30, ankle[1] - 8), (ankle[0] + 56, fl - 70))

    stacked(
        "straight_leg_raise.svg",
        "Straight leg raise",
        "Start: lying on the back, one knee bent with the foot flat, the other leg straight "
        "on the floor. End: the straight leg, thigh tight (orange), is lifted to the height "
        "of the bent knee.",
        ("Start", "One knee bent, other leg straight", start),
        ("End", "Lift the straight leg to knee height", end),
    )


#: How far the feet are from the shoulders in a bridge: close enough that at the top the
#: shin stands nearly upright over the foot (a knee bend of about 110 degrees), which
#: lifts the hips as high as a straight shoulder-hip-knee line allows.
BRIDGE_FEET = 215


def bridge_pose(s: Svg, fl: float, lifted: bool) -> tuple[Point, Point, Point]:
    head = (LX, fl - HEAD_R)
    shoulder = (LX + HEAD_R + NECK + 4, fl - 15)
    # The feet stay where they are from start to end.
    ankle = (shoulder[0] + BRIDGE_FEET, fl - 10)
    if lifted:
        # Shoulder, hip and knee on one straight line, no higher: the knee is TRUNK + THIGH
        # from the shoulder and SHIN from the ankle.
        knee = joint(shoulder, ankle, TRUNK + THIGH, SHIN, -1)
        hip = (
            shoulder[0] + (knee[0] - shoulder[0]) * TRUNK / (TRUNK + THIGH),
            shoulder[1] + (knee[1] - shoulder[1]) * TRUNK / (TRUNK + THIGH),
        )
    else:
        hip = (shoulder[0] + TRUNK, fl - 15)
        knee = joint(hip, ankle, THIGH, SHIN, -1)
    far_ankle = (ankle[0] - 10, ankle[1])
    leg(
        s,
        (hip[0] - 4, hip[1]),
        joint((hip[0] - 4, hip[1]), far_ankle, THIGH, SHIN, -1),
        far_ankle,
        0,
        FAR,
    )
    # Arms along the body, hands flat on the floor beside the hips.
    s.line(
        [shoulder, (shoulder[0] + UPPER, fl - 8), (shoulder[0] + UPPER + FORE - 8, fl - 8)],
        FAR,
        ARM_W,
    )
    s.line([hip, shoulder], NEAR, TRUNK_W)
    s.line([shoulder, (head[0] + HEAD_R - 2, head[1] + 2)], NEAR, 12)
    s.circle(head, HEAD_R, NEAR)
    leg(s, hip, knee, ankle, 0, NEAR)
    return shoulder, hip, knee


def bridge() -> None:
    def start(s: Svg, x0: float, fl: float) -> None:
        bridge_pose(s, fl, lifted=False)

    def end(s: Svg, x0: float, fl: float) -> None:
        shoulder, hip, knee = bridge_pose(s, fl, lifted=True)
        slope = math.degrees(math.atan2(knee[1] - shoulder[1], knee[0] - shoulder[0]))
        # The buttock, on the underside of the lifted pelvis, squeezes (orange).
        s.circle(at(at(hip, 4, slope + 180), 11, slope + 90), 15, MUSCLE)
        # One straight dashed line through shoulder, hip and knee, drawn over the body
        # with a light rim, ending a little beyond the knee (not into the floor).
        line = [shoulder, at(knee, 56, slope)]
        s.line(line, CARD, 9, dash="12 9")
        s.line(line, ARROW, 4, dash="12 9")
        for p in (shoulder, hip, knee):
            s.circle(p, 6, ARROW, CARD, 3)
        # Push the hips up: an arrow from the floor up under the hips, in front of the hand.
        under = at(hip, 24, slope)
        s.arrow((under[0] + 4, fl - 6), (under[0] + 4, under[1] + 20))

    stacked(
        "bridge.svg",
        "Bridge",
        "Start: lying on the back, knees bent, feet flat. End: the hips are lifted, buttocks "
        "squeezed (orange), until shoulders, hips and knees make one straight line (dashed), "
        "not higher.",
        ("Start", "Knees bent, feet flat", start),
        ("End", "Hips up: shoulder, hip, knee in line", end),
    )


def prone_pose(s: Svg, fl: float, lift: float) -> tuple[Point, Point]:
    head = (LX, fl - HEAD_R - 16)
    shoulder = (LX + HEAD_R + NECK + 4, fl - 15)
    hip = (shoulder[0] + TRUNK, fl - 15)
    # Forearms on the floor under the head, hands stacked beneath the chin.
    s.line([shoulder, (shoulder[0] - 20, fl - 8), (LX - 30, fl - 8)], FAR, ARM_W)
    leg(
        s,
        (hip[0] - 4, hip[1] + 3),
        (hip[0] + THIGH, fl - 10),
        (hip[0] + THIGH + SHIN, fl - 10),
        90,
        FAR,
    )
    s.line([hip, shoulder], NEAR, TRUNK_W)
    s.line([shoulder, (head[0] + HEAD_R - 4, head[1] + 6)], NEAR, 12)
    s.circle(head, HEAD_R, NEAR)
    knee = at(hip, THIGH, -lift)
    ankle = at(knee, SHIN, -lift)
    leg(s, hip, knee, ankle, 90 - lift, NEAR)
    s.line([shoulder, (shoulder[0] - 14, fl - 8), (LX - 22, fl - 6)], NEAR, ARM_W)
    return hip, ankle


def prone_hip_extension() -> None:
    def start(s: Svg, x0: float, fl: float) -> None:
        prone_pose(s, fl, 0)

    def end(s: Svg, x0: float, fl: float) -> None:
        hip, ankle = prone_pose(s, fl, 11)
        s.muscle(hip, at(hip, 60, 180), 0.0, 0.5)
        s.circle((hip[0] - 6, hip[1] - 10), 11, MUSCLE)
        s.arrow((ankle[0] + 44, fl - 10), (ankle[0] + 36, ankle[1] - 16), (ankle[0] + 60, fl - 40))

    stacked(
        "prone_hip_extension.svg",
        "Prone hip extension",
        "Start: lying face down, head resting on the hands, both legs straight. End: one "
        "straight leg is lifted a hand's width from the hip, buttock squeezed (orange), the "
        "low back flat.",
        ("Start", "Face down, both legs straight", start),
        ("End", "Lift one straight leg a hand's width", end),
    )


# -- lying on the side (seen from in front and a little above, on a mat) ---------------

Vec = tuple[float, float, float]
# A side-lying body in three dimensions: ``a`` along the body towards the feet (right on
# the page), ``fwd`` out of the person's front towards us, ``up`` off the floor; 0 is on
# the floor under the bottom hip. Seen from in front and a little above, a step towards
# us shows as a short step down the page and a step up as a longer step up, so the mat
# reads as a floor, not a wall, and a leg lifted towards the ceiling rises on the page.
TOWARDS_US, UPWARDS = 0.42, 0.92
BOTTOM_HIP: Vec = (0, 0, 17)
TOP_HIP: Vec = (0, 0, 53)  # the top hip straight above the bottom one: pelvis facing us
_H = math.cos(math.radians(45))
# A bottom leg bent for support: hip bent 45 degrees, knee 90, the foot back in line
# with the body, toes pointing the way the thigh does.
BENT_KNEE: Vec = (THIGH * _H, THIGH * _H, 11)
BENT_LEG: tuple[Vec, Vec] = (BENT_KNEE, (BENT_KNEE[0] + SHIN * _H, BENT_KNEE[1] - SHIN * _H, 9))
BENT_TOES: Vec = (_H, _H, 0)


def seen(origin: Point, p: Vec) -> Point:
    """Where the body point ``p`` shows on the page, ``origin`` being under the bottom hip."""
    return (origin[0] + p[0], origin[1] + p[1] * TOWARDS_US - p[2] * UPWARDS)


def add(p: Vec, q: Vec, k: float = 1) -> Vec:
    return (p[0] + k * q[0], p[1] + k * q[1], p[2] + k * q[2])


def turned(p: Vec, pivot: Vec, towards: Vec, degrees: float) -> Vec:
    """``p`` turned by ``degrees`` about the axis from ``pivot`` to ``towards``."""
    v = add(p, pivot, -1)
    d = add(towards, pivot, -1)
    n = math.hypot(*d)
    k = (d[0] / n, d[1] / n, d[2] / n)
    c, s_ = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    cross = (k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0])
    dot = k[0] * v[0] + k[1] * v[1] + k[2] * v[2]
    # Rodrigues' rotation formula.
    rotated = (v[0] * c, v[1] * c, v[2] * c)
    rotated = add(rotated, cross, s_)
    return add(pivot, add(rotated, k, dot * (1 - c)))


def haloed(s: Svg, pts: list[Point], color: str, width: float) -> None:
    """A limb with a thin rim of the card colour, so it stays apart where it crosses another."""
    s.line(pts, CARD, width + 7)
    s.line(pts, color, width)


def lying_foot(s: Svg, o: Point, ankle: Vec, toes: Vec, color: str) -> None:
    """A foot from ``ankle`` towards the unit direction ``toes``, heel a little behind."""
    heel = seen(o, add(ankle, toes, -6))
    s.line([heel, seen(o, add(ankle, toes, FOOT))], color, LEG_W - 4)


def side_lying(
    s: Svg,
    fl: float,
    bottom: tuple[Vec, Vec],
    top: tuple[Vec, Vec],
    toes: Vec,
    after: Callable[[Svg, Point], None] | None = None,
) -> Point:
    """A person lying on their left side on a mat, facing us, head on the left resting on
    the lower arm, the top hand on the mat in front of the chest. ``bottom`` and ``top``:
    (knee, ankle) of each leg; ``toes`` the way the feet point. ``after`` draws on top of
    both legs (a belt round the ankles). Returns the point under the bottom hip."""
    o = (310.0, fl - 92)
    s.parts.append(
        f'<polygon points="74,{f(o[1] - 30)} 566,{f(o[1] - 30)} 618,{f(fl - 4)} '
        f'22,{f(fl - 4)}" fill="#E4ECEE" stroke="{FLOOR}" stroke-width="3" '
        'stroke-linejoin="round"/>'
    )
    # The bottom arm lies along the mat beyond the head, the head resting on it.
    elbow = seen(o, (-TRUNK - UPPER, 6, 7))
    s.line([seen(o, (-TRUNK, 0, 8)), elbow, seen(o, (-TRUNK - UPPER - 14, 56, 6))], FAR, ARM_W)
    s.line([seen(o, (-TRUNK - 10, 0, 40)), seen(o, (-TRUNK - 26, 0, 38))], NEAR, 12)
    s.circle(seen(o, (-TRUNK - NECK - HEAD_R, 0, 38)), HEAD_R, NEAR)
    # The bottom leg (light) under the top leg (dark).
    s.line([seen(o, BOTTOM_HIP), seen(o, bottom[0]), seen(o, bottom[1])], FAR, LEG_W)
    lying_foot(s, o, bottom[1], toes, FAR)
    # Trunk and pelvis seen from the front: chest and pelvis face us.
    body = [
        (8, 0),
        (10, 30),
        (8, 60),
        (-44, 54),
        (-TRUNK - 6, 76),
        (-TRUNK - 8, 38),
        (-TRUNK - 6, 0),
        (-44, 6),
    ]
    pts = " ".join(f"{f(x)},{f(y)}" for x, y in (seen(o, (a, 0, u)) for a, u in body))
    s.parts.append(
        f'<polygon points="{pts}" fill="{NEAR}" stroke="{NEAR}" stroke-width="8" '
        'stroke-linejoin="round"/>'
    )
    haloed(s, [seen(o, TOP_HIP), seen(o, top[0]), seen(o, top[1])], NEAR, LEG_W)
    lying_foot(s, o, top[1], toes, NEAR)
    if after:
        after(s, o)
    # The top hand rests on the mat in front of the chest.
    t_elbow = seen(o, (-TRUNK + 26, 56, 6))
    haloed(
        s,
        [seen(o, (-TRUNK + 4, 4, 70)), t_elbow, seen(o, (-TRUNK + 26 + FORE, 70, 4))],
        NEAR,
        ARM_W,
    )
    return o


def hip_muscle(s: Svg, o: Point) -> None:
    """The side of the top hip working (orange)."""
    hip = seen(o, TOP_HIP)
    s.circle((hip[0] - 6, hip[1] - 14), 12, MUSCLE)


def straight_top_leg(lift: float) -> tuple[Vec, Vec]:
    """Knee and ankle of a straight top leg lifted ``lift`` degrees towards the ceiling,
    in line with the body (not forwards), so it rises straight up the page."""
    # At rest it lies on the bottom leg, sloping down a little towards the feet.
    a = math.radians(lift - 2)
    knee = add(TOP_HIP, (THIGH * math.cos(a), 0, THIGH * math.sin(a)))
    return knee, add(knee, (SHIN * math.cos(a), 0, SHIN * math.sin(a)))


def side_lying_leg_raise() -> None:
    # Bottom hip and knee bent for support; the top leg straight, toes pointing forward
    # (towards us), so the lift leads with the heel.
    forward: Vec = (0.35, 0.94, 0)

    def start(s: Svg, x0: float, fl: float) -> None:
        side_lying(s, fl, BENT_LEG, straight_top_leg(0), forward)

    def end(s: Svg, x0: float, fl: float) -> None:
        top = straight_top_leg(30)
        o = side_lying(s, fl, BENT_LEG, top, forward)
        hip_muscle(s, o)
        ankle, rest = seen(o, top[1]), seen(o, straight_top_leg(0)[1])
        s.arrow(
            (rest[0] + 40, rest[1] - 6),
            (ankle[0] + 36, ankle[1] + 4),
            (rest[0] + 70, (rest[1] + ankle[1]) / 2),
        )

    stacked(
        "side_lying_leg_raise.svg",
        "Side-lying leg raise",
        "Seen from the front. Start: lying on the side, head on the lower arm, bottom knee "
        "bent, top leg straight on the bottom leg. End: the straight top leg is lifted "
        "towards the ceiling, leading with the heel, the hips still facing forward; the side "
        "of the hip works (orange).",
        ("Start", "On your side, top leg straight", start),
        ("End", "Lift the straight top leg", end),
    )


def clamshell() -> None:
    # Both legs bent the same, the top one lying on the bottom one: hips, knees and
    # ankles stacked.
    top_knee, top_ankle = add(BENT_LEG[0], (0, 0, 28)), add(BENT_LEG[1], (0, 0, 21))

    def pose(s: Svg, fl: float, open_deg: float) -> Point:
        k = turned(top_knee, TOP_HIP, top_ankle, open_deg) if open_deg else top_knee
        return side_lying(s, fl, BENT_LEG, (k, top_ankle), BENT_TOES)

    def start(s: Svg, x0: float, fl: float) -> None:
        pose(s, fl, 0)

    def end(s: Svg, x0: float, fl: float) -> None:
        o = pose(s, fl, 55)
        hip_muscle(s, o)
        k, r = seen(o, turned(top_knee, TOP_HIP, top_ankle, 55)), seen(o, top_knee)
        # Up through the gap the opening leaves between the knees.
        s.arrow((r[0] - 14, r[1] + 4), (k[0] - 22, k[1] + 24))

    stacked(
        "clamshell.svg",
        "Clamshell",
        "Seen from the front. Start: lying on the side, head on the lower arm, hips and "
        "knees bent, knees and feet stacked. End: the top knee opens upwards like a "
        "clamshell while the feet stay together and the hips stay facing forward; the side "
        "of the hip works (orange).",
        ("Start", "On your side, hips and knees bent", start),
        ("End", "Open the top knee, feet together", end),
    )


def isometric_hip_abduction() -> None:
    straight = ((THIGH, 0, 13), (THIGH + SHIN, 0, 9))
    forward: Vec = (0.35, 0.94, 0)

    def belt(low: Vec, high: Vec) -> Callable[[Svg, Point], None]:
        # The belt's loop round both ankles shows as two bands across them.
        def draw(s: Svg, o: Point) -> None:
            for da in (-26, -12):
                s.line([seen(o, add(low, (da, 0, -8))), seen(o, add(high, (da, 0, 10)))], BAND, 7)

        return draw

    def start(s: Svg, x0: float, fl: float) -> None:
        top = straight_top_leg(0)
        side_lying(s, fl, straight, top, forward, after=belt(straight[1], top[1]))

    def end(s: Svg, x0: float, fl: float) -> None:
        top = straight_top_leg(6)
        o = side_lying(s, fl, straight, top, forward, after=belt(straight[1], top[1]))
        hip_muscle(s, o)
        ankle = seen(o, top[1])
        s.arrow((ankle[0] + 44, ankle[1] + 12), (ankle[0] + 44, ankle[1] - 40))

    stacked(
        "isometric_hip_abduction.svg",
        "Isometric hip abduction with a belt",
        "Seen from the front. Start: lying on the side, both legs straight, a belt looped "
        "round the ankles. End: the top leg presses up into the taut belt and holds; the "
        "side of the hip works (orange).",
        ("Start", "On your side, belt round the ankles", start),
        ("End", "Press up into the belt, hold 5 s", end),
    )


# -- standing ------------------------------------------------------------------------

SQUAT = (30, 15)  # thigh 30 degrees and shin 15 degrees off vertical: a 45 degree bend


def squat_panels(chair_x: float, feet_x: float) -> tuple[Panel, Panel]:
    def start(s: Svg, x0: float, fl: float) -> None:
        chair(s, x0 + chair_x, fl)
        side_stander(s, x0 + feet_x, fl, arms=(94, 90))

    def end(s: Svg, x0: float, fl: float) -> None:
        chair(s, x0 + chair_x, fl)
        p = side_stander(s, x0 + feet_x, fl, lean=32, bend=SQUAT, arms=(40, 10))
        s.muscle(p["hip"], p["knee"], 0.15, 0.8)
        ahead = math.degrees(math.atan2(p["knee"][1] - p["hip"][1], p["knee"][0] - p["hip"][0]))
        s.line([p["knee"], at(p["knee"], 70, ahead)], ARROW, 3, dash="8 6")
        s.angle(p["knee"], ahead, ahead + 45, "45°", (p["knee"][0] + 40, p["knee"][1] + 60))
        s.arrow((p["hip"][0] - 56, p["hip"][1] - 70), (p["hip"][0] - 56, p["hip"][1] - 8))

    return start, end


def semi_squat() -> None:
    start, end = squat_panels(24, 158)
    side_by_side(
        "semi_squat.svg",
        "Semi squat to a chair",
        "Start: standing tall in front of a chair. End: hips pushed back and knees bent to "
        "about 45 degrees, knees behind the toes, well above the seat; the thighs work "
        "(orange).",
        ("Start", "Stand tall, chair|behind you", start),
        ("End", "Sit back to a 45°|bend, then stand", end),
    )


def banded_standing_hip() -> None:
    def band(s: Svg, feet: dict[str, Point]) -> None:
        r, l_ = feet["right"], feet["left"]
        s.line([(r[0] + 6, r[1] - 22), (l_[0] - 6, l_[1] - 22)], BAND, 7)

    def chair_front(s: Svg, x: float, fl: float) -> None:
        # A chair back seen from the front, beside the person's left hand.
        s.line([(x, fl - 2), (x, fl - 200)], PROP_LINE, 7)
        s.line([(x + 56, fl - 2), (x + 56, fl - 200)], PROP_LINE, 7)
        s.line([(x - 4, fl - 200), (x + 60, fl - 200)], PROP_LINE, 9)
        s.line([(x - 4, fl - 110), (x + 60, fl - 110)], PROP_LINE, 11)

    def start(s: Svg, x0: float, fl: float) -> None:
        chair_front(s, x0 + 226, fl)
        feet = front_figure(s, x0 + 140, fl, hand_on=(x0 + 224, fl - 204))
        band(s, feet)

    def end(s: Svg, x0: float, fl: float) -> None:
        chair_front(s, x0 + 226, fl)
        feet = front_figure(s, x0 + 150, fl, out_deg=22, hand_on=(x0 + 224, fl - 204))
        band(s, feet)
        s.muscle(feet["hip_r"], at(feet["hip_r"], 60, 112), 0.0, 0.6)
        s.circle((feet["hip_r"][0] - 14, feet["hip_r"][1] - 2), 11, MUSCLE)
        r = feet["right"]
        s.arrow((r[0] + 30, r[1] - 50), (r[0] - 24, r[1] - 68), (r[0], r[1] - 76))

    side_by_side(
        "banded_standing_hip.svg",
        "Standing hip work with a band",
        "Drawn from the front. Start: standing tall, a band round the ankles, one hand on a "
        "chair, toes forward. End: one straight leg moves out to the side against the band, "
        "toes still pointing forward; the side of the hip works (orange).",
        ("Start", "Band round ankles,|toes forward", start),
        ("End", "Leg out to the side,|toes still forward", end),
    )


def worktop(s: Svg, x: float, fl: float) -> None:
    s.rect(x, fl - 200, 60, 198)
    s.line([(x - 10, fl - 202), (x + 64, fl - 202)], PROP_LINE, 9)


def stance_panels(support: bool) -> tuple[Panel, Panel]:
    def start(s: Svg, x0: float, fl: float) -> None:
        if support:
            worktop(s, x0 + 240, fl)
        side_stander(s, x0 + 150, fl, arms=(60, 20))

    def end(s: Svg, x0: float, fl: float) -> None:
        if support:
            worktop(s, x0 + 240, fl)
        side_stander(s, x0 + 150, fl, bend=(8, 4), arms=(60, 20), free_leg=lifted_back_leg)

    return start, end


def single_leg_stance() -> None:
    start, end = stance_panels(True)
    side_by_side(
        "single_leg_stance.svg",
        "Single-leg stance",
        "Start: standing on both feet next to a worktop, a hand ready above it. End: "
        "balancing on one leg with the other foot lifted behind, the standing knee soft.",
        ("Start", "Stand by a worktop", start),
        ("End", "Balance on one leg,|knee soft, 30 s", end),
    )


def step(s: Svg, x: float, fl: float, height: float = 44) -> None:
    s.rect(x, fl - height, 128, height - 2)


def step_up() -> None:
    def start(s: Svg, x0: float, fl: float) -> None:
        step(s, x0 + 170, fl)
        hip = (x0 + 130, fl - 9 - THIGH - SHIN + 6)
        shoulder, head = upright(hip, 6)
        arm(s, shoulder, at(shoulder, UPPER, 104), at(at(shoulder, UPPER, 104), FORE, 100), FAR)
        far_ankle = (x0 + 120, fl - 9)
        leg(s, hip, joint(hip, far_ankle, THIGH, SHIN, -1), far_ankle, 0, FAR)
        torso(s, hip, shoulder, head)
        ankle = (x0 + 214, fl - 44 - 9)
        leg(s, hip, joint(hip, ankle, THIGH, SHIN, -1), ankle, 0, NEAR)
        arm(s, shoulder, at(shoulder, UPPER, 96), at(at(shoulder, UPPER, 96), FORE, 90), NEAR)

    def end(s: Svg, x0: float, fl: float) -> None:
        step(s, x0 + 170, fl)
        p = side_stander(s, x0 + 222, fl, lift=44, bend=(2, 2))
        s.muscle(p["hip"], p["knee"], 0.15, 0.8)
        s.arrow((x0 + 120, fl - 130), (x0 + 150, fl - 230), (x0 + 110, fl - 200))

    side_by_side(
        "step_up.svg",
        "Step-up",
        "Start: standing in front of a low step with one whole foot on it. End: standing tall "
        "on the step on that leg, the thigh working (orange).",
        ("Start", "One whole foot|on the step", start),
        ("End", "Step up, stand tall", end),
    )


def hop_panels(one_leg: bool) -> tuple[Panel, Panel]:
    free = lifted_back_leg if one_leg else None

    def start(s: Svg, x0: float, fl: float) -> None:
        side_stander(s, x0 + 160, fl, lean=8, bend=(16, 8), arms=(120, 100), free_leg=free)

    def end(s: Svg, x0: float, fl: float) -> None:
        shadow(s, x0 + 166, fl)
        p = side_stander(
            s, x0 + 160, fl, lean=6, bend=(22, 10), arms=(60, 30), free_leg=free, lift=52, toe=30
        )
        # Short lines under the feet: the feet have left the floor.
        for dx in (-26, 0, 26):
            s.line([(x0 + 172 + dx, fl - 36), (x0 + 172 + dx, fl - 14)], FLOOR, 4)
        s.arrow((x0 + 70, fl - 30), (x0 + 70, fl - 120))
        s.muscle(p["hip"], p["knee"], 0.15, 0.8)

    return start, end


def double_leg_hops() -> None:
    start, end = hop_panels(one_leg=False)
    side_by_side(
        "double_leg_hops.svg",
        "Double-leg hops",
        "Start: standing on both feet, knees soft. End: both feet off the floor in a small "
        "hop; land softly on the balls of the feet with the knees bending a little.",
        ("Start", "Both feet, knees soft", start),
        ("End", "Small hop: feet off the|floor, land softly", end),
    )


def single_leg_hops() -> None:
    start, end = hop_panels(one_leg=True)
    side_by_side(
        "single_leg_hops.svg",
        "Single-leg hops",
        "Start: standing on one leg, knee soft, the other foot lifted behind. End: a small "
        "hop off the floor on that leg, the other foot still lifted; land softly.",
        ("Start", "One leg, knee soft", start),
        ("End", "Small hop on that leg,|land softly", end),
    )


def diagonal_hops() -> None:
    """One floor for both positions, so the cross can be drawn large: the person, seen
    from the side and facing right, hops from behind the cross on its far side to in
    front of it on its near side."""
    # The floor in perspective, seen from a little above: ``along`` runs the way the
    # person faces (right on the page), ``near`` towards us. Lines running towards us
    # meet far off above the cross, so the floor's boards fan out towards us.
    depth, eye, horizon, centre = 500, 250, 205, 320
    eye_x = centre

    def on_floor(along: float, near: float) -> Point:
        k = depth / (depth - near)
        return (eye_x + (centre + along - eye_x) * k, horizon + eye * k)

    def tape(a0: float, n0: float, a1: float, n1: float) -> None:
        corners = [on_floor(a0, n0), on_floor(a1, n0), on_floor(a1, n1), on_floor(a0, n1)]
        pts = " ".join(f"{f(x)},{f(y)}" for x, y in corners)
        s.parts.append(
            f'<polygon points="{pts}" fill="{PROP}" stroke="{PROP_LINE}" stroke-width="3" '
            'stroke-linejoin="round"/>'
        )

    s = Svg()
    far, near = on_floor(0, -130)[1], on_floor(0, 90)[1]
    s.parts.append(
        f'<rect x="18" y="{f(far)}" width="604" height="{f(near - far)}" fill="#E4ECEE"/>'
    )
    s.floor(18, 622, far)
    for along in (-300, -150, 150, 300):
        (x0, y0), (x1, y1) = on_floor(along, -130), on_floor(along, 90)
        # Each board line stops where it reaches the side of the card.
        edge = 22 if x1 < x0 else 618
        t = min(1.0, (edge - x0) / (x1 - x0))
        s.line([(x0, y0), (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)], CARD_LINE, 3)
    # The tape cross: one strip the way the person faces, one from side to side.
    tape(-150, -10, 150, 10)
    tape(-10, -110, 10, 80)
    start_at, end_at = on_floor(-115, -55), on_floor(125, 45)
    # The hop's track on the floor, across the diagonal.
    s.line([start_at, end_at], ARROW, 4, dash="10 9")
    side_stander(
        s,
        start_at[0],
        start_at[1] + 9,
        lean=8,
        bend=(16, 8),
        arms=(120, 100),
        free_leg=lifted_back_leg,
    )
    p = side_stander(
        s, end_at[0], end_at[1] + 9, lean=14, bend=(28, 14), arms=(50, 20), free_leg=lifted_back_leg
    )
    s.muscle(p["hip"], p["knee"], 0.15, 0.8)

    def track(t: float, lift: float = 0) -> Point:
        return (
            start_at[0] + (end_at[0] - start_at[0]) * t,
            start_at[1] + (end_at[1] - start_at[1]) * t - lift,
        )

    # The hop: up off the track behind the cross, down onto it in front.
    s.arrow(track(0.16, 14), track(0.84, 14), track(0.5, 250))
    for x, label, caption in (
        (20, "Start", "One leg, behind|the cross"),
        (340, "End", "Land softly, knee|over the toes"),
    ):
        s.text((x, 48), label, 32, bold=True)
        for i, line in enumerate(caption.split("|")):
            s.text((x, 548 + 30 * i), line, 25)
    document(
        "diagonal_hops.svg",
        "Diagonal hops",
        "Seen from the side, with a tape cross on the floor. Start: standing on one leg "
        "behind the cross and to its far side. End: landed on the same leg in front of the "
        "cross on its near side, across the diagonal, the knee softly bent over the toes.",
        640,
        600,
        s.parts,
    )


def t_stance() -> None:
    def start(s: Svg, x0: float, fl: float) -> None:
        side_stander(s, x0 + 150, fl, bend=(6, 3), arms=(94, 90), free_leg=lifted_back_leg)

    def end(s: Svg, x0: float, fl: float) -> None:
        def back_leg(s: Svg, hip: Point) -> None:
            knee = at(hip, THIGH, 186)
            ankle = at(knee, SHIN, 186)
            leg(s, hip, knee, ankle, 96, FAR)

        p = side_stander(s, x0 + 240, fl, lean=84, bend=(6, 3), arms=(94, 90), free_leg=back_leg)
        s.muscle(p["hip"], p["knee"], 0.1, 0.6)

    side_by_side(
        "t_stance.svg",
        "T-stance balance",
        "Start: standing on one leg, knee soft. End: the trunk tips forward and the free leg "
        "lifts straight out behind, trunk and leg level with the floor: a T over the "
        "standing leg.",
        ("Start", "One leg,|knee soft", start),
        ("End", "Tip forward, leg back:|a T shape, 20 s", end),
        split=210,
    )


# -- the self-check's home tests -----------------------------------------------------


def test_semi_squat_pain() -> None:
    start, end = squat_panels(24, 158)
    side_by_side(
        "test_semi_squat_pain.svg",
        "Half squats towards a chair",
        "Start: standing tall in front of a chair, feet hip-width apart. End: bottom pushed "
        "back, knees bent to about 45 degrees and behind the toes, stopping well above the "
        "seat. Five slow squats, then rate the worst knee pain.",
        ("Start", "Stand tall, chair|behind you", start),
        ("End", "Stop at 45°: five times,|then rate the pain", end),
    )


def test_step_down_pain() -> None:
    def rail(s: Svg, x: float, fl: float) -> None:
        s.line([(x, fl - 40), (x, fl - 250)], PROP_LINE, 7)

    def start(s: Svg, x0: float, fl: float) -> None:
        step(s, x0 + 60, fl, 44)
        rail(s, x0 + 80, fl)
        hip = (x0 + 148, fl - 44 - hip_height(3, 3))
        shoulder, head = upright(hip, 2)
        far = (x0 + 156, fl - 53)
        leg(s, (hip[0] - 6, hip[1]), at((hip[0] - 6, hip[1]), THIGH, 87), far, 0, FAR)
        torso(s, hip, shoulder, head)
        knee, ankle = leg_by_angles(hip, 3, 3)
        leg(s, hip, knee, ankle, 0, NEAR)
        elbow = joint(shoulder, (x0 + 84, fl - 210), UPPER, FORE, 1)
        arm(s, shoulder, elbow, (x0 + 84, fl - 210), NEAR)

    def end(s: Svg, x0: float, fl: float) -> None:
        step(s, x0 + 60, fl, 44)
        rail(s, x0 + 80, fl)
        top = fl - 44
        hip = (x0 + 130, top - 9 - hip_height(36, 26) + 6)
        shoulder, head = upright(hip, 14)
        # The free leg reaches forward and down until the heel touches the floor.
        heel = (x0 + 232, fl - 9)
        leg(s, hip, joint(hip, heel, THIGH, SHIN, -1), heel, -20, FAR)
        torso(s, hip, shoulder, head)
        ankle = (x0 + 140, top - 9)
        knee = joint(hip, ankle, THIGH, SHIN, -1)
        leg(s, hip, knee, ankle, 0, NEAR)
        elbow = joint(shoulder, (x0 + 84, fl - 190), UPPER, FORE, 1)
        arm(s, shoulder, elbow, (x0 + 84, fl - 190), NEAR)
        s.muscle(hip, knee, 0.15, 0.8)
        s.arrow((x0 + 280, fl - 120), (x0 + 280, fl - 40))

    side_by_side(
        "test_step_down_pain.svg",
        "Step-downs from a low step",
        "Start: standing on a low step on the painful leg, one hand on the rail. End: the "
        "standing knee bends slowly until the other heel touches the floor, then straightens "
        "again. Five slow step-downs, then rate the worst knee pain.",
        ("Start", "On the step,|holding the rail", start),
        ("End", "Lower the other heel|to the floor, five times", end),
    )


def test_single_leg_stance_s() -> None:
    start, end = stance_panels(True)
    side_by_side(
        "test_single_leg_stance_s.svg",
        "Standing on the painful leg",
        "Start: standing next to a worktop, a hand ready above it. End: the other foot is "
        "lifted and you balance on the painful leg, eyes open, counting the seconds up to 30.",
        ("Start", "Stand by a worktop", start),
        ("End", "Balance on the painful|leg: count to 30", end),
    )


def test_hop_pain() -> None:
    start, end = hop_panels(one_leg=False)
    side_by_side(
        "test_hop_pain.svg",
        "Small hops on both feet",
        "Start: standing with both feet together, wearing shoes, knees soft. End: both feet "
        "just off the floor in a small hop; land softly with the knees slightly bent. Ten "
        "hops, then rate the worst knee pain.",
        ("Start", "Feet together, shoes on", start),
        ("End", "Ten small, soft hops", end),
    )


# -- the self-check's knee picture ---------------------------------------------------

SKIN, SKIN_LINE, KNEECAP, TENDON = "#E8DCCB", "#8C7A63", "#F5ECDF", "#A9977F"
LABEL, HINT = "#1E2A2E", "#3F4B52"
#: A right knee from the front (its inner side faces the other knee, to the right here)
#: and the same knee from the side, facing left; drawn at the origin, then moved into
#: place: the front view on top, the side view under it, each with its labels beside it.
KNEE_FRONT = (
    "M122,70 C121,80 116,170 118,212 C120,245 128,262 131,285 L137,400 L193,400 "
    "L199,285 C202,262 210,245 212,212 C214,170 209,80 208,70 Z"
)
KNEE_SIDE = (
    "M420,70 C419,80 416,150 414,172 C404,182 400,212 410,228 C418,240 420,250 422,262 "
    "C426,320 430,370 432,400 L484,400 C490,370 520,320 516,280 C512,250 500,232 500,212 "
    "C500,195 506,170 510,120 C514,100 517,85 520,70 Z"
)


def moved(d: str, dx: float, dy: float) -> str:
    """An absolute path (M, L, C and Z only) moved by ``dx``, ``dy``."""

    def point(m: re.Match[str]) -> str:
        return f"{f(float(m[1]) + dx)},{f(float(m[2]) + dy)}"

    return re.sub(r"(-?[\d.]+),(-?[\d.]+)", point, d)


def label(lines: list[str], x: float, y: float, end: bool = False, hint: bool = False) -> list[str]:
    """Lines of a label from baseline ``y``; ``end``: right-aligned at ``x`` (left of a knee)."""
    anchor = ' text-anchor="end"' if end else ""
    style = (
        f'font-size="25" fill="{HINT}"'
        if hint
        else f'font-size="27" font-weight="600" fill="{LABEL}"'
    )
    return [
        f'<text x="{f(x)}" y="{f(y + 28 * i)}" {style}{anchor}>{escape(line)}</text>'
        for i, line in enumerate(lines)
    ]


def leader(a: Point, b: Point, color: str) -> str:
    return (
        f'<line x1="{f(a[0])}" y1="{f(a[1])}" x2="{f(b[0])}" y2="{f(b[1])}" stroke="{color}" '
        'stroke-width="3"/>'
    )


def knee_areas() -> None:
    """The knee for the self-check's "where does it hurt?": each area the question offers
    marked in its own colour (with the area's id) and named beside it in the words of
    the question. Labels of the front view sit left and right of the front view, labels
    of the side view beside the side view, so no label runs into the other view's."""
    fx, fy = 155, -20  # the front view, centred in the top half
    sx, sy = -140, 360  # the side view, centred in the bottom half

    def fp(x: float, y: float) -> Point:
        return (x + fx, y + fy)

    def sp(x: float, y: float) -> Point:
        return (x + sx, y + sy)

    def ellipse(area: str, c: Point, rx: float, ry: float, paint: str) -> str:
        return (
            f'<ellipse id="{area}" cx="{f(c[0])}" cy="{f(c[1])}" rx="{f(rx)}" ry="{f(ry)}" '
            f"{paint}/>"
        )

    (kx, ky), (bx, by) = fp(165, 200), fp(165, 259)
    front = [
        '<g id="front">',
        f'<path d="{moved(KNEE_FRONT, fx, fy)}" fill="{SKIN}" stroke="{SKIN_LINE}" '
        'stroke-width="2.5"/>',
        f'<ellipse cx="{f(kx)}" cy="{f(ky)}" rx="22" ry="26" fill="{KNEECAP}" '
        f'stroke="{SKIN_LINE}" stroke-width="2"/>',
        f'<path d="{moved("M157,226 L159,262 M173,226 L171,262", fx, fy)}" fill="none" '
        f'stroke="{TENDON}" stroke-width="2" stroke-linecap="round"/>',
        f'<rect id="whole_knee" x="{f(102 + fx)}" y="{f(148 + fy)}" width="126" height="136" '
        'rx="28" fill="none" stroke="#56636D" stroke-width="3" stroke-dasharray="9 7"/>',
        ellipse(
            "around_kneecap",
            (kx, ky),
            33,
            37,
            'fill="none" stroke="#1C83E1" stroke-width="9" stroke-opacity="0.8"',
        ),
        ellipse("below_kneecap", (bx, by), 13, 14, 'fill="#F08A24" fill-opacity="0.8"'),
        ellipse("outer_side", fp(127, 213), 8, 24, 'fill="#1E9E50" fill-opacity="0.8"'),
        ellipse("inner_side", fp(203, 213), 8, 24, 'fill="#803DF5" fill-opacity="0.75"'),
        "</g>",
        *label(["Around", "kneecap"], 232, 84, end=True),
        leader((240, 100), (kx - 26, ky - 28), "#1C83E1"),
        *label(["Outer", "side"], 232, 188, end=True),
        leader((240, 194), fp(117, 211), "#1E9E50"),
        *label(["Below", "kneecap"], 232, 300, end=True),
        leader((240, 298), (bx - 12, by + 6), "#D9731A"),
        *label(["Whole", "knee"], 408, 84),
        leader((402, 100), fp(224, 153), "#56636D"),
        *label(["Inner", "side"], 408, 188),
        leader((402, 194), fp(213, 211), "#803DF5"),
        *label(["(next to the", "other knee)"], 408, 250, hint=True),
    ]
    (cx, cy), (hx, hy) = sp(411, 201), sp(492, 212)
    side = [
        '<g id="side">',
        f'<path d="{moved(KNEE_SIDE, sx, sy)}" fill="{SKIN}" stroke="{SKIN_LINE}" '
        'stroke-width="2.5"/>',
        f'<ellipse cx="{f(cx)}" cy="{f(cy)}" rx="7" ry="17" fill="{KNEECAP}" '
        f'stroke="{SKIN_LINE}" stroke-width="2"/>',
        ellipse("back_of_knee", (hx, hy), 15, 26, 'fill="#D6435A" fill-opacity="0.75"'),
        "</g>",
        *label(["kneecap"], 232, cy + 8, end=True, hint=True),
        leader((238, cy), (cx - 10, cy), SKIN_LINE),
        *label(["Back", "of the", "knee"], 408, hy - 20),
        leader((402, hy - 2), (hx + 18, hy), "#D6435A"),
        *label(["front"], 232, 748, end=True, hint=True),
        *label(["back"], 408, 748, hint=True),
    ]
    heads = [
        '<text x="20" y="42" font-size="26" font-weight="700" fill="#2F3E46">Front</text>',
        '<text x="20" y="438" font-size="26" font-weight="700" fill="#2F3E46">Side</text>',
    ]
    s = Svg()
    s.line([(22, 396), (618, 396)], CARD_LINE, 2, dash="6 6")
    document(
        "knee_areas.svg",
        "Areas of the knee",
        "Front view of a knee: a ring around the kneecap, an area just below the kneecap, "
        "the inner side (facing the other knee), the outer side, and a dashed outline for "
        "the whole knee. Side view: the hollow at the back of the knee.",
        640,
        776,
        [*s.parts, *heads, *front, *side],
        (("front", 10, 10, 620, 382), ("side", 10, 400, 620, 366)),
    )


DRAWINGS: list[Callable[[], None]] = [
    quad_set,
    short_arc_quad,
    straight_leg_raise,
    side_lying_leg_raise,
    prone_hip_extension,
    clamshell,
    isometric_hip_abduction,
    semi_squat,
    bridge,
    banded_standing_hip,
    single_leg_stance,
    step_up,
    double_leg_hops,
    single_leg_hops,
    diagonal_hops,
    t_stance,
    test_semi_squat_pain,
    test_step_down_pain,
    test_single_leg_stance_s,
    test_hop_pain,
    knee_areas,
]

if __name__ == "__main__":
    for draw in DRAWINGS:
        draw()
