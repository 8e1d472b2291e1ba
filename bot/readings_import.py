"""``cjm-bot readings FILE.csv [--workshop ID]``: KPI readings fed from a team's analytics.

The file has a header row with the columns ``kpi``, ``value``, ``date`` and ``source``
(in any order, any case; other columns are ignored; ``,`` ``;`` or tab between cells),
then one reading per row: the KPI by its name within the workshop (case and spacing do
not matter) or by its id, a locale-tolerant number ("12,5", "12.5%", "1 200"), a date
(2026-05-31, 2026-05-31T10:00, 31.05.2026) that is not in the future, and where the
number comes from (empty: "csv"). A reading dated by day only is placed at noon of that
day in the workshop's time zone.

All or nothing: every row is checked first, and a file with any bad row is refused as a
whole — each bad row named with its number (the header is row 1, as a spreadsheet counts)
and the reason — and nothing is stored; a good file is stored in one transaction. Exit
code 0 with a summary line, or 1 with the reasons (in the workshop's language).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import database_of
from flows.conversation.validation import Invalid, parse_number
from flows.models import TEXT_LIMIT, Kpi, KpiReading, Workshop
from flows.ports import SystemClock
from flows.texts import t_plain
from storage.open_store import OpenStore, open_store

COLUMNS = ("kpi", "value", "date", "source")
DEFAULT_SOURCE = "csv"
NOON = time(12, 0)
DELIMITERS = ",;\t"
SHOWN_IDS = 3


@dataclass(frozen=True)
class Problem:
    """What is wrong (a message key and its parameters), with the row (0: the file)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int = 0


class Refused(Exception):
    """The file is refused for ``problems``, told in ``lang`` (the workshop's, once known)."""

    def __init__(self, problems: Sequence[Problem], lang: str | None = None) -> None:
        super().__init__(problems[0].key if problems else "")
        self.problems = list(problems)
        self.lang = lang


@dataclass(frozen=True)
class Imported:
    workshop: Workshop
    readings: list[KpiReading]

    def summary(self) -> str:
        days = sorted(r.at for r in self.readings)
        zone = ZoneInfo(self.workshop.timezone)
        return t_plain(
            self.workshop.language,
            "cli.readings.done",
            count=len(self.readings),
            kpis=len({r.kpi_id for r in self.readings}),
            workshop=self.workshop.title,
            first=days[0].astimezone(zone).strftime("%d.%m.%Y"),
            last=days[-1].astimezone(zone).strftime("%d.%m.%Y"),
        )


# ------------------------------------------------------------------------ reading the file


def rows_of(text: str, file: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells by column) for every non-blank row after the header (a missing
    cell is empty); raises Refused for an empty file, a missing column or no rows."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    if not header:
        raise Refused([Problem("cli.readings.empty", {"file": file})])
    reader = csv.reader(io.StringIO(text), delimiter=max(DELIMITERS, key=header.count))
    names: list[str] | None = None
    found = 0
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if names is None:
            names = [c.strip().casefold() for c in cells]
            missing = [c for c in COLUMNS if c not in names]
            if missing:
                problem = Problem("cli.readings.missing_column", {"columns": ", ".join(missing)})
                raise Refused([problem])
            continue
        found += 1
        yield (
            reader.line_num,
            {n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)},
        )
    if not found:
        raise Refused([Problem("cli.readings.no_rows", {"file": file})])


# --------------------------------------------------------------------- checking each row


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


class Rows:
    """The workshop's KPIs and today, against which each row is checked."""

    def __init__(self, workshop: Workshop, kpis: list[Kpi], now: datetime) -> None:
        self.workshop = workshop
        self.kpis = kpis
        self.zone = ZoneInfo(workshop.timezone)
        self.now = now

    def kpi(self, cell: str) -> Kpi | Problem:
        by_id = [k for k in self.kpis if k.id == cell]
        named = by_id or [k for k in self.kpis if _same(k.name, cell)]
        if not named:
            return Problem("cli.readings.unknown_kpi", {"kpi": cell})
        if len(named) > 1:
            ids = ", ".join(k.id for k in named[:SHOWN_IDS])
            return Problem(
                "cli.readings.ambiguous_kpi", {"kpi": cell, "count": len(named), "ids": ids}
            )
        return named[0]

    def when(self, cell: str) -> datetime | Problem:
        """A day is placed at noon in the workshop's time zone (today: not after now)."""
        zone, today = self.zone, self.now.astimezone(self.zone).date()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                day: date = datetime.strptime(cell, fmt).date()
            except ValueError:
                continue
            if day > today:
                return Problem("cli.readings.future_date", {"date": cell})
            return min(datetime.combine(day, NOON, zone).astimezone(UTC), self.now)
        try:
            found = datetime.fromisoformat(cell)
        except ValueError:
            return Problem("cli.readings.bad_date", {"date": cell})
        at = (found if found.tzinfo else found.replace(tzinfo=zone)).astimezone(UTC)
        return Problem("cli.readings.future_date", {"date": cell}) if at > self.now else at

    def reading(self, number: int, cells: dict[str, str]) -> KpiReading | list[Problem]:
        """The row as a reading, or every reason it is refused (numbered ``number``)."""
        empty = [c for c in COLUMNS[:3] if not cells[c]]
        problems = [Problem("cli.readings.empty_cell", {"column": c}) for c in empty]
        kpi = self.kpi(cells["kpi"]) if cells["kpi"] else None
        at = self.when(cells["date"]) if cells["date"] else None
        problems += [p for p in (kpi, at) if isinstance(p, Problem)]
        value = 0.0
        if cells["value"]:
            try:
                value = parse_number(cells["value"])
            except Invalid:
                problems.append(Problem("cli.readings.bad_value", {"value": cells["value"]}))
        source = cells["source"] or DEFAULT_SOURCE
        if len(source) > TEXT_LIMIT:
            problems.append(Problem("cli.readings.long_source", {"limit": TEXT_LIMIT}))
        if problems or not isinstance(kpi, Kpi) or not isinstance(at, datetime):
            return [Problem(p.key, p.params, number) for p in problems]
        return KpiReading(
            workshop_id=self.workshop.id, kpi_id=kpi.id, value=value, at=at, source=source
        )


# ----------------------------------------------------------------------------- storing


async def _workshop(store: OpenStore, workshop_id: str | None) -> Workshop:
    async with store.read() as uow:
        if workshop_id:
            found = await uow.workshops.get(workshop_id)
            if found is None:
                raise Refused([Problem("cli.readings.no_workshop", {"workshop": workshop_id})])
            return found
        every = await uow.workshops.list_all()
    if len(every) != 1:
        key = "cli.readings.no_workshops" if not every else "cli.readings.choose_workshop"
        raise Refused([Problem(key, {"count": len(every)})])
    return every[0]


async def import_readings(
    store: OpenStore, text: str, file: str, workshop_id: str | None, now: datetime
) -> Imported:
    """Check every row, then store them all in one transaction (raises Refused)."""
    workshop = await _workshop(store, workshop_id)
    try:
        async with store.write() as uow:
            check = Rows(workshop, await uow.items.list(workshop.id, Kpi), now)
            readings: list[KpiReading] = []
            problems: list[Problem] = []
            for number, cells in rows_of(text, file):
                made = check.reading(number, cells)
                if isinstance(made, list):
                    problems += made
                else:
                    readings.append(made)
            if problems:
                raise Refused(problems)
            for reading in readings:
                await uow.items.add(reading, actor=None)
    except Refused as refused:  # the transaction rolled back: nothing is stored
        raise Refused(refused.problems, workshop.language) from None
    return Imported(workshop, readings)


# ----------------------------------------------------------------------------- the command


def _say(lang: str, problem: Problem) -> str:
    text = t_plain(lang, problem.key, **problem.params)
    if problem.row:
        return t_plain(lang, "cli.readings.row", row=problem.row, reason=text)
    return text


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Refused([Problem("cli.readings.not_text", {"file": str(path)})]) from None
    except OSError as exc:
        problem = exc.strerror or str(exc)
        raise Refused(
            [Problem("cli.readings.unreadable", {"file": str(path), "problem": problem})]
        ) from None


def readings(args: argparse.Namespace, settings: Any) -> int:
    """Import the readings of ``args.file`` (see the module notes)."""
    lang = getattr(settings, "default_language", "en")
    path = Path(args.file)

    async def main() -> Imported:
        text = _text(path)
        store = await open_store(database_of(settings))
        try:
            return await import_readings(store, text, str(path), args.workshop, SystemClock().now())
        finally:
            await store.close()

    try:
        done = asyncio.run(main())
    except Refused as refused:
        lang = refused.lang or lang
        for problem in refused.problems:
            print(_say(lang, problem), file=sys.stderr)
        rows = len({p.row for p in refused.problems if p.row})
        if rows:
            print(t_plain(lang, "cli.readings.refused", count=rows), file=sys.stderr)
        return 1
    print(done.summary())
    return 0
