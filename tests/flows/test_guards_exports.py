"""An export as the member receives it: the map is dated when it was asked for and carries
the number of the last published version (0 before any); only the facilitator's JSON
export carries the workshop's whole content, the others none."""

from __future__ import annotations

from datetime import timedelta

from flows.ports import FixedClock
from flows.workshop import facilitator
from flows.workshop.exports import ExportFormat, prepare_export
from storage.store import SqliteStore
from tests.builders import NOW, review_workshop

FACILITATOR = "tg:9000"


async def test_an_export_is_dated_numbered_and_only_json_carries_the_whole_workshop(
    store: SqliteStore,
) -> None:
    built = await review_workshop(store, owners=1)
    asked = NOW + timedelta(hours=3)
    draft = await prepare_export(store, "tg:100", built.id, ExportFormat.CSV, asked)
    assert (draft.journey.version, draft.journey.generated_at, draft.content) == (0, asked, None)

    await facilitator.publish(store, FixedClock(NOW), FACILITATOR, built.id)
    sheet = await prepare_export(store, "tg:100", built.id, ExportFormat.XLSX, asked)
    assert (sheet.journey.version, sheet.content) == (1, None)
    full = await prepare_export(store, FACILITATOR, built.id, ExportFormat.JSON, asked)
    assert full.format is ExportFormat.JSON and full.journey.version == 1
    assert full.content is not None and full.content["workshop"]["title"] == "Dealership"
