"""``cjm-bot readings FILE.csv``: a team feeds KPI numbers from its analytics. Real CSV files
in a temporary folder, the real command line (``bot.cli.main``) on a real database: a good
file is stored whole with a summary line; a file with any bad row is refused — each bad
row named with its number and why — and nothing of it is stored (exit code 1)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from flows.models import KpiReading
from storage.store import SqliteStore
from tests.builders import WorkshopBuilder

TODAY = datetime.now(UTC).date()
DAY1, DAY2 = TODAY - timedelta(days=14), TODAY - timedelta(days=7)
HEADER = "kpi,value,date,source\n"


class World:
    """A database with the workshop «Dealership» (KPIs «Conversion», «Bounce rate» and a
    second «Leads» on another touchpoint) and, with ``other``, a second workshop."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, lang: str = "en"):
        self.tmp = tmp_path
        self.db = tmp_path / "data" / "cjm.sqlite3"
        monkeypatch.setenv("DATABASE_PATH", str(self.db))
        b = WorkshopBuilder("Dealership", status="published", language=lang)
        stage = b.stage("Test drive")
        site, desk = b.touchpoint(stage, "Website"), b.touchpoint(stage, "Front desk")
        self.conversion = b.kpi(site, "Conversion", unit="%", target=3)
        self.bounce = b.kpi(site, "Bounce rate", unit="%", target=40)
        self.leads = (b.kpi(site, "Leads"), b.kpi(desk, "Leads"))
        self.id = b.id
        self.builder = b
        asyncio.run(self._save(b))

    async def _save(self, *builders: WorkshopBuilder) -> None:
        store = await SqliteStore.open(self.db)
        try:
            for b in builders:
                await b.save(store)
        finally:
            await store.close()

    def add_workshop(self) -> None:
        other = WorkshopBuilder("Bakery")
        other.kpi(other.touchpoint(other.stage("Buy"), "Till"), "Conversion")
        asyncio.run(self._save(other))

    def file(self, text: str | bytes, name: str = "readings.csv") -> str:
        path = self.tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    def readings(self) -> list[KpiReading]:
        async def load() -> list[KpiReading]:
            store = await SqliteStore.open(self.db)
            try:
                async with store.read() as uow:
                    return await uow.items.list(self.id, KpiReading)
            finally:
                await store.close()

        return asyncio.run(load())


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return World(tmp_path, monkeypatch)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    """Run the command expecting a refusal: its lines on stderr (stdout stays empty)."""
    assert main(["readings", *args]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    return out.err.splitlines()


def test_a_good_file_is_stored_whole_with_a_summary(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = world.file(
        "KPI;Value;Date;Source;note\n"  # any case, semicolons, an extra column
        f"conversion;2,5;{DAY1:%d.%m.%Y};GA4;ignored\n"
        "\n"
        f"  Bounce   RATE ;41.5%;{DAY1.isoformat()};;\n"
        f"{world.conversion.id};3;{DAY2.isoformat()}T09:30;GA4;\n"
    )
    assert main(["readings", csv, "--workshop", world.id]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (
        f"Imported readings: 3, for KPIs: 2, into «Dealership» "
        f"(dated {DAY1:%d.%m.%Y} to {DAY2:%d.%m.%Y})."
    )
    got = sorted((r.at, r.kpi_id, r.value, r.source) for r in world.readings())
    zone_noon = datetime(DAY1.year, DAY1.month, DAY1.day, 12, tzinfo=UTC)  # the workshop is UTC
    assert got == sorted(
        [
            (zone_noon, world.conversion.id, 2.5, "GA4"),
            (zone_noon, world.bounce.id, 41.5, "csv"),  # an empty source: "csv"
            (
                datetime(DAY2.year, DAY2.month, DAY2.day, 9, 30, tzinfo=UTC),
                world.conversion.id,
                3.0,
                "GA4",
            ),
        ]
    )


def test_without_workshop_the_only_one_is_used_and_several_must_be_chosen(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = world.file("\ufeff" + HEADER + f"Conversion,2,{DAY1.isoformat()},GA4\n")  # Excel's BOM
    assert main(["readings", csv]) == 0
    assert "Imported readings: 1" in capsys.readouterr().out
    world.add_workshop()
    assert refused(capsys, csv) == [
        "The database holds several workshops (2): choose one with --workshop ID "
        "(see `cjm-bot list`). Nothing was imported."
    ]
    assert refused(capsys, csv, "--workshop", "nope") == [
        "There is no workshop with id nope (see `cjm-bot list`). Nothing was imported."
    ]
    assert len(world.readings()) == 1


def test_bad_rows_are_refused_by_number_and_reason_and_nothing_is_stored(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    soon = TODAY + timedelta(days=2)
    csv = world.file(
        HEADER
        + f"Conversion,2.5,{DAY1.isoformat()},GA4\n"  # row 2: good, yet not stored
        + f"Revenue,10,{DAY1.isoformat()},GA4\n"  # 3: no such KPI
        + f"Conversion,lots,{DAY1.isoformat()},GA4\n"  # 4: not a number
        + "Conversion,2,31.02.2026,GA4\n"  # 5: no such day
        + f"Conversion,2,{soon.isoformat()},GA4\n"  # 6: in the future
        + f"Leads,5,{DAY1.isoformat()},CRM\n"  # 7: two KPIs of that name
        + ",5,\n"  # 8: empty cells (and the source missing altogether)
        + f"Bounce rate,40,{DAY2.isoformat()},GA4\n"  # 9: good
    )
    lines = refused(capsys, csv, "--workshop", world.id)
    ids = ", ".join(k.id for k in world.leads)
    assert lines == [
        "Row 3: the workshop has no KPI «Revenue» (give its name as on the map, or its id)",
        "Row 4: «lots» is not a number",
        "Row 5: «31.02.2026» is not a date (write 2026-05-31 or 31.05.2026)",
        f"Row 6: {soon.isoformat()} is in the future",
        f"Row 7: «Leads» is the name of several KPIs (2): give the id of the one you mean ({ids})",
        "Row 8: the kpi cell is empty",
        "Row 8: the date cell is empty",
        "Nothing was imported (rows refused: 6). Correct them and run the import again.",
    ]
    assert world.readings() == []  # the good rows 2 and 9 were not half-imported


def test_the_file_as_a_whole_is_refused_when_it_cannot_be_a_readings_table(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = world.file("\n\n", "empty.csv")
    assert refused(capsys, empty, "--workshop", world.id) == [
        f"{empty} is empty: it needs a header row kpi,value,date,source and one row per reading."
    ]
    header_only = world.file(HEADER, "header.csv")
    assert refused(capsys, header_only, "--workshop", world.id) == [
        f"{header_only} has a header but no readings: nothing was imported."
    ]
    no_date = world.file(f"kpi,value,when\nConversion,2,{DAY1.isoformat()}\n", "cols.csv")
    assert refused(capsys, no_date, "--workshop", world.id) == [
        "The header row lacks the column(s) date, source; expected: kpi, value, date, source. "
        "Nothing was imported."
    ]
    binary = world.file(b"\xff\xfe\x00k\x00p\x00i\x00\x81", "sheet.xlsx")
    assert refused(capsys, binary, "--workshop", world.id) == [
        f"{binary} is not a UTF-8 text file: save it as CSV (UTF-8). Nothing was imported."
    ]
    missing = str(world.tmp / "nowhere.csv")
    assert refused(capsys, missing, "--workshop", world.id) == [
        f"Cannot read {missing}: No such file or directory."
    ]
    assert world.readings() == []


def test_refusals_are_told_in_the_workshops_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = World(tmp_path, monkeypatch, lang="pl")
    csv = world.file(HEADER + f"Conversion,dużo,{DAY1.isoformat()},GA4\n")
    assert refused(capsys, csv)[0] == "Wiersz 2: «dużo» nie jest liczbą"


def test_a_reading_imported_for_today_is_not_after_now(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = world.file(HEADER + f"Conversion,2,{TODAY.isoformat()},GA4\n")
    assert main(["readings", csv]) == 0
    (reading,) = world.readings()
    assert reading.at.date() == TODAY and reading.at <= datetime.now(UTC)


def test_no_id_reads_as_a_command_line_option() -> None:
    """An id is typed after --workshop: one starting with "-" would be taken for an option."""
    from flows.models import new_id

    assert not any(new_id().startswith("-") for _ in range(5000))
