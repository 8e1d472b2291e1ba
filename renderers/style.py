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
FLAG = "#8E44AD"
FLAG_FACE = "#F5EEF8"

DEPARTMENT_COLOURS = (
    "#4C78A8",  # blue
    "#F58518",  # orange
    "#54A24B",  # green
    "#B279A2",  # mauve
    "#9D755D",  # brown
    "#72B7B2",  # teal
    "#E45756",  # red
    "#EECA3B",  # yellow
)
NO_DEPARTMENT = "#8C96A3"

RAG_COLOURS = {"red": "#D64545", "amber": "#F2A33A", "green": "#3FA34D", "none": "#A7AEB8"}
SEVERITY_COLOURS = {1: "#F2C94C", 2: "#F2994A", 3: "#D64545"}
EMOTION_LINE = "#2E4A7D"
EMOTION_BAND = "#9DB4D9"
EMOTION_POSITIVE = "#EAF6EC"
EMOTION_NEGATIVE = "#FBECEC"
CHART_FACE = "#FFFFFF"
CHART_LINE = "#2E4A7D"
CHART_TARGET = "#5F6B7A"


def tint(colour: str, amount: float = 0.86) -> str:
    """``colour`` mixed with white; ``amount`` 1.0 is white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)
