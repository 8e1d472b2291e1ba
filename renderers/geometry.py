"""The geometry a layout produces: boxes in points, y growing downwards from the top."""

from __future__ import annotations

from dataclasses import dataclass, field

from renderers.text import line_height


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, tol: float = 0.01) -> bool:
        return (
            other.x >= self.x - tol
            and other.y >= self.y - tol
            and other.right <= self.right + tol
            and other.bottom <= self.bottom + tol
        )

    def overlaps(self, other: Box, tol: float = 0.01) -> bool:
        return (
            self.x < other.right - tol
            and other.x < self.right - tol
            and self.y < other.bottom - tol
            and other.y < self.bottom - tol
        )


@dataclass(frozen=True)
class TextItem:
    """A block of lines drawn from its top-left (or top-centre when ``centre``)."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    width: float  # the widest line, measured
    colour: str
    bold: bool = False
    cell: str = ""
    centre: bool = False

    @property
    def box(self) -> Box:
        left = self.x - self.width / 2 if self.centre else self.x
        return Box(left, self.y, self.width, len(self.lines) * line_height(self.size))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class RectItem:
    box: Box
    face: str
    edge: str = "none"
    dashed: bool = False
    rounded: bool = False
    linewidth: float = 0.6


@dataclass(frozen=True)
class Cell:
    """A lane of a stage (or a panel): what it holds, shows and hides."""

    key: str  # "<lane>:<stage number>", "persona", ...
    box: Box
    total: int
    shown: int

    @property
    def hidden(self) -> int:
        return self.total - self.shown


@dataclass(frozen=True)
class Curve:
    """The emotion lane of a page: per stage centre x and the y of mean, min and max
    (``None`` for a stage nobody scored)."""

    xs: tuple[float, ...]
    mean: tuple[float | None, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    zero: float
    box: Box
    flagged: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A KPI's small line chart: its readings as points inside ``box`` (oldest left,
    latest right), the target's y (None: no target) and the latest's status colour."""

    box: Box
    points: tuple[tuple[float, float], ...]
    target_y: float | None
    colour: str
    cell: str = ""


@dataclass
class Layout:
    width: float
    height: float
    texts: list[TextItem] = field(default_factory=list)
    rects: list[RectItem] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    lines: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    stage_range: tuple[int, int] = (0, 0)  # [first, last) stage indexes on this layout

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.key == key)


def add_text(
    out: Layout,
    x: float,
    y: float,
    lines: list[str],
    size: float,
    colour: str,
    cell: str,
    bold: bool = False,
) -> TextItem:
    """Append a text block at (x, y), its width measured with the font."""
    from renderers.text import text_width

    width = max((text_width(s, size, bold) for s in lines), default=0.0)
    item = TextItem(x, y, tuple(lines), size, width, colour, bold, cell)
    out.texts.append(item)
    return item
