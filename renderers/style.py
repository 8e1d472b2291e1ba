"""Sizes (in points) and colours of the map. One place to tune the look."""

from __future__ import annotations

# ------------------------------------------------------------------------ geometry
MARGIN = 18.0
PANEL_W = 240.0  # persona card and legend
LABEL_W = 92.0  # lane names
COL_W = 168.0  # one stage
CELL_PAD = 4.0
CARD_PAD = 3.5
STRIPE_W = 3.5
CARD_GAP = 3.0
HEADER_H = 74.0
STAGE_HEAD_H = 44.0
EMOTION_H = 118.0
CHART_H = 24.0  # a KPI's line chart, under its text
CHART_GAP = 2.5
CHART_PAD = 4.0  # inside the chart: room for the latest reading's dot
MAX_ASPECT = 19.0  # Telegram refuses photos with a ratio over 20

# ------------------------------------------------------------------------ type sizes
TITLE_SIZE = 22.0
SUBTITLE_SIZE = 10.5
STAGE_SIZE = 10.0
LANE_SIZE = 9.5
BODY_SIZE = 8.5  # the smallest text: 8.5 pt is 17 px at 144 dpi
SMALL_SIZE = 8.0

# the lanes of cards, top to bottom (the emotion lane is drawn, not a lane of cards); a
# lane is as tall as its fullest cell: the full map hides nothing
LANES: tuple[str, ...] = (
    "discuss",
    "goal",
    "actions",
    "thoughts",
    "touchpoints",
    "owners",
    "kpis",
    "pains",
    "ideas",
)
LANE_ORDER = (
    "discuss",
    "goal",
    "actions",
    "thoughts",
    "emotion",
    "touchpoints",
    "owners",
    "kpis",
    "pains",
    "ideas",
)

# ---------------------------------------------------------------------------- colours
INK = "#1F2430"
MUTED = "#5F6B7A"
STALE_INK = "#9AA0A6"
STALE_FACE = "#F1F1F1"
STALE_STRIPE = "#C4C7CC"
PAGE = "#FFFFFF"
LANE_BANDS = ("#F7F8FA", "#FFFFFF")
GRID = "#DADDE3"
CARD_EDGE = "#D5D9E0"
ACCENT = "#2E4A7D"
# One meaning per colour. A department is its stripe, in its own palette (no red, orange,
# green or purple: those are statuses); a status is an icon and a border in a colour no
# department uses. Every colour of the legend stays at least 15 CIELAB units from every
# other for deuteranopes and protanopes too (tests/renderers/test_colours.py).
FLAG = "#7B3294"  # departments disagree: discuss
FLAG_FACE = "#F3ECF6"

DEPARTMENT_COLOURS = (
    "#0B4FD9",  # blue
    "#B259AB",  # mauve
    "#336266",  # slate teal
    "#E5D36A",  # sand
    "#8C613C",  # brown
    "#0D9AFF",  # sky
    "#8D93D9",  # periwinkle
    "#490DFF",  # violet
)
NO_DEPARTMENT = "#8C96A3"

# KPI against its target (Okabe & Ito's colour-blind-safe green, orange, vermilion)
STATUS_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}
RAG_COLOURS = {**STATUS_COLOURS, "none": "#A7AEB8"}
KPI_ICONS = {"green": "✓", "amber": "≈", "red": "✗", "none": "–"}
STATUS_EDGE_W = 1.4
# a pain point's severity: dots and an ever bolder border, in ink (no hue)
SEVERITY_MARKS = {1: "●○○", 2: "●●○", 3: "●●●"}
SEVERITY_EDGES = {1: (CARD_EDGE, 0.6), 2: (MUTED, 1.1), 3: (INK, 1.8)}
EMOTION_LINE = "#2E4A7D"
EMOTION_BAND = "#9DB4D9"
EMOTION_POSITIVE = "#EAF6EC"
EMOTION_NEGATIVE = "#FBECEC"
CHART_FACE = "#FFFFFF"
CHART_LINE = "#3B3F47"
CHART_TARGET = "#5F6B7A"


def tint(colour: str, amount: float = 0.86) -> str:
    """``colour`` mixed with white; ``amount`` 1.0 is white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)
