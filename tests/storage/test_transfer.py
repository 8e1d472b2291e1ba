from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.models import Invite, Member, Stage, Touchpoint
from storage.store import SqliteStore
from storage.transfer import WorkshopImportError
from tests.builders import complete_workshop


async def test_export_import_export_is_identical(store: SqliteStore, tmp_path: Path) -> None:
    ws_id = (await complete_workshop(store)).id
    first = await store.export_workshop(ws_id)
    text = json.dumps(first, ensure_ascii=False, sort_keys=True)

    other = await SqliteStore.open(tmp_path / "other.sqlite3")
    try:
        assert await other.import_workshop(json.loads(text)) == ws_id
        second = await other.export_workshop(ws_id)
        assert json.dumps(second, ensure_ascii=False, sort_keys=True) == text
        async with other.read() as uow:
            # deleted items and the history of edits came along
            assert len(await uow.items.list(ws_id, Stage)) == 1
            assert len(await uow.items.list(ws_id, Stage, include_deleted=True)) == 2
            tp = (await uow.items.list(ws_id, Touchpoint))[0]
            assert [h.action for h in await uow.items.history(tp.id)] == ["create", "update"]
            # nobody's conversation came along, and the invites opened with fresh codes
            assert await uow.positions.get("tg:1", ws_id) is None
            codes = {i.code for i in await uow.items.list(ws_id, Invite, include_deleted=True)}
            assert codes and all(len(c) >= 20 for c in codes)
    finally:
        await other.close()


async def test_import_refuses_an_existing_workshop_unless_replacing(store: SqliteStore) -> None:
    ws_id = (await complete_workshop(store)).id
    data = await store.export_workshop(ws_id)
    with pytest.raises(WorkshopImportError, match="already exists"):
        await store.import_workshop(data)
    assert await store.import_workshop(data, replace=True) == ws_id
    assert await store.export_workshop(ws_id) == data


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("format"), "not a CJM workshop export"),
        (lambda d: d.update(format_version=99), "version 99 is not supported"),
        (lambda d: d["items"].update(unicorn=[{}]), "unknown item kind"),
        (lambda d: d["items"]["touchpoint"][0].update(name=None), "damaged"),
        (lambda d: d["items"]["pain"][0].update(severity=7), "damaged"),
    ],
)
async def test_a_damaged_export_is_refused_with_a_reason_and_writes_nothing(
    store: SqliteStore, tmp_path: Path, mutate, message: str
) -> None:
    data = await store.export_workshop((await complete_workshop(store)).id)
    mutate(data)
    other = await SqliteStore.open(tmp_path / "other.sqlite3")
    try:
        with pytest.raises(WorkshopImportError, match=message):
            await other.import_workshop(data)
        async with other.read() as uow:
            assert await uow.workshops.list_all() == []
    finally:
        await other.close()


async def test_edits_and_deletions_keep_history(store: SqliteStore) -> None:
    ws_id = (await complete_workshop(store)).id
    async with store.read() as uow:
        stages = await uow.items.list(ws_id, Stage, include_deleted=True)
        deleted = next(s for s in stages if s.deleted_at is not None)
        history = await uow.items.history(deleted.id)
    assert [h.action for h in history] == ["create", "delete"]
    assert history[0].data["name"] == "Deleted stage"
    assert history[1].actor is not None


async def test_the_export_holds_no_credentials_telegram_ids_chats_or_drafts(
    store: SqliteStore,
) -> None:
    ws_id = (await complete_workshop(store)).id
    async with store.write() as uow:
        workshop = await uow.workshops.get(ws_id)
        assert workshop is not None
        workshop.group_chat_id = -100987654321
        await uow.workshops.update(workshop)
        invites = await uow.items.list(ws_id, Invite, include_deleted=True)
        members = await uow.items.list(ws_id, Member)
        position = await uow.positions.get("tg:1", ws_id)
        assert position is not None
        position.draft = {"description": "Half-typed complaint about the parking"}
        await uow.positions.save(position)
    secrets = [i.code for i in invites] + [m.person_id for m in members if m.person_id]
    secrets += ["-100987654321", "tg:1"]
    text = json.dumps(await store.export_workshop(ws_id), ensure_ascii=False)
    assert invites and members
    for secret in secrets:
        assert str(secret) not in text, secret
    for value in position.draft.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in text, value
