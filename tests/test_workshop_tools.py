from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from bot import operations
from storage.store import SqliteStore
from tests.builders import complete_workshop


@pytest.fixture
async def workshop(db_path: Path) -> str:
    store = await SqliteStore.open(db_path)
    try:
        return (await complete_workshop(store)).id
    finally:
        await store.close()


@pytest.fixture
def settings(db_path: Path) -> SimpleNamespace:
    return SimpleNamespace(database_path=db_path, default_language="en")


def ns(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**kw)


def test_list_shows_the_workshop(workshop: str, settings, capsys) -> None:
    assert operations.list_(ns(), settings) == 0
    assert workshop in capsys.readouterr().out


@pytest.mark.parametrize("name", ["map.png", "map.pdf", "map.svg"])
def test_render_by_extension(workshop: str, settings, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    assert operations.render(ns(workshop=workshop, out=str(out)), settings) == 0
    if name.endswith(".png"):
        assert Image.open(out).size[0] > 500
    elif name.endswith(".pdf"):
        assert len(PdfReader(out).pages) == 1
    else:
        assert "<svg" in out.read_text(encoding="utf-8")


def test_unknown_workshop_and_bad_extension_fail_with_a_message(
    workshop: str, settings, tmp_path: Path, capsys
) -> None:
    assert operations.render(ns(workshop="nope", out=str(tmp_path / "m.png")), settings) == 1
    assert "no workshop with id 'nope'" in capsys.readouterr().err
    assert operations.render(ns(workshop=workshop, out=str(tmp_path / "m.gif")), settings) == 1
    assert ".png" in capsys.readouterr().err
    assert (
        operations.export(ns(workshop="nope", format="csv", out=str(tmp_path / "x")), settings) == 1
    )


def test_exports_and_json_round_trip(workshop: str, settings, tmp_path: Path) -> None:
    for fmt, name in (
        ("xlsx", "w.xlsx"),
        ("csv", "w.csv"),
        ("mermaid", "j.mmd"),
        ("json", "w.json"),
        ("png", "m.png"),
        ("pdf", "m.pdf"),
    ):
        assert (
            operations.export(ns(workshop=workshop, format=fmt, out=str(tmp_path / name)), settings)
            == 0
        )
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.worksheets[0]["B1"].value.startswith("1. ")
    assert "Сайт" in (tmp_path / "w.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "j.mmd").read_text(encoding="utf-8").startswith("journey\n")
    data = json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))
    assert data["workshop"]["id"] == workshop
    # importing into the same database needs --replace; into a fresh one it works
    assert operations.import_(ns(file=str(tmp_path / "w.json"), replace=False), settings) == 1
    assert operations.import_(ns(file=str(tmp_path / "w.json"), replace=True), settings) == 0
    fresh = SimpleNamespace(database_path=tmp_path / "other.sqlite3", default_language="en")
    assert operations.import_(ns(file=str(tmp_path / "w.json"), replace=False), fresh) == 0


def test_import_of_a_non_export_fails_clearly(settings, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert operations.import_(ns(file=str(bad), replace=False), settings) == 1
    bad.write_text("{}", encoding="utf-8")
    assert operations.import_(ns(file=str(bad), replace=False), settings) == 1
    assert "not a CJM workshop export" in capsys.readouterr().err
    assert operations.import_(ns(file=str(tmp_path / "missing.json"), replace=False), settings) == 1


def test_backup_writes_a_database(workshop: str, settings, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    assert operations.backup(ns(out=str(target)), settings) == 0
    assert target.stat().st_size > 0
