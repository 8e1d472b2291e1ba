"""The processed-update record read back (the webhook's "is it stored?" before its 200)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.both_stores


async def test_a_recorded_update_reads_as_recorded_and_a_rolled_back_one_not(store) -> None:
    async with store.read() as uow:
        assert not await uow.updates.recorded("tg:1")
    async with store.write() as uow:
        assert await uow.updates.first_time("tg:1")
    with pytest.raises(RuntimeError):
        async with store.write() as uow:
            assert await uow.updates.first_time("tg:2")
            raise RuntimeError("the answer failed before its commit")
    async with store.read() as uow:
        assert await uow.updates.recorded("tg:1")
        assert not await uow.updates.recorded("tg:2")
        assert not await uow.updates.recorded("tg:3")
