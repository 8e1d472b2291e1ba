"""Several instances on one PostgreSQL database: only the leader runs the scheduler (the
review wake-up and the sweeper skip their work elsewhere). Every instance asks every
:data:`CHECK_SECONDS` whether it leads (storage/postgres/leader.py); one that has just
become the leader rebuilds the schedule at once — releasing what the dead leader claimed
and never handed to Telegram — so its unsent reminders go out within about 10 s, and its
sent ones not again. On SQLite there is one instance, always the leader."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import Application, ContextTypes

log = logging.getLogger(__name__)

CHECK = "scheduler-leadership"
CHECK_SECONDS = 3.0
_LEADING = "leads_scheduler"


async def leads(app: Application[Any, Any, Any, Any, Any, Any]) -> bool:
    leading = bool(await app.bot_data["services"].store.leads())
    app.bot_data[_LEADING] = leading
    return leading


async def _check(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    was = app.bot_data.get(_LEADING)
    if await leads(app) and was is False:
        from bot.telegram.reminders import rebuild

        log.info("took over the scheduler")
        await rebuild(app)


def watch(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Ask again and again whether this instance leads (a job; one per application)."""
    queue = app.job_queue
    if queue is not None and not queue.get_jobs_by_name(CHECK):
        queue.run_repeating(_check, interval=CHECK_SECONDS, first=CHECK_SECONDS, name=CHECK)
