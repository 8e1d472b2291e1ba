"""A scripted person for the demo and tests: answers each question from a queue per step
id, like a person typing and tapping, through the real engine.

Script entries: ``"!next"``/``"!skip"``/``"!done"``/``"!back"`` press those buttons,
``"=value"`` presses the option with that value, anything else is typed text. When a
step's queue is empty the player presses Skip, Next, Done or the first option — so a
short script still walks a whole section.
"""

from __future__ import annotations

from collections.abc import Iterable

from flows.conversation.engine import Answer, Engine, Outcome
from flows.conversation.spec import DONE, NEXT, SKIP

STOP = "home.menu"


class Player:
    def __init__(self, engine: Engine, person_id: str) -> None:
        self.engine = engine
        self.person_id = person_id
        self.last: Outcome | None = None
        self.seen: list[Outcome] = []
        self.answered = 0  # prompts answered (typed, tapped, skipped) through :meth:`say`

    def _keep(self, out: Outcome) -> Outcome:
        self.last = out
        self.seen.append(out)
        return out

    @property
    def step(self) -> str | None:
        prompt = self.last.prompt if self.last else None
        return prompt.step if prompt else None

    async def text(self, value: str) -> Outcome:
        return self._keep(await self.engine.advance(self.person_id, Answer.text(value)))

    async def press(self, value: str) -> Outcome:
        prompt = self.last.prompt if self.last else None
        token = prompt.token if prompt else None
        return self._keep(await self.engine.advance(self.person_id, Answer.button(value, token)))

    async def say(self, entry: str) -> Outcome:
        self.answered += 1
        if entry.startswith("!"):
            return await self.press(entry)
        if entry.startswith("="):
            return await self.press(entry[1:])
        return await self.text(entry)

    def _default(self) -> str:
        prompt = self.last.prompt if self.last else None
        values = [b.value for row in (prompt.buttons if prompt else []) for b in row]
        for wanted in (SKIP, NEXT, DONE):
            if wanted in values:
                return wanted
        return "=" + next((v for v in values if not v.startswith("!")), values[0])

    async def play(
        self, script: dict[str, Iterable[str]], *, until: str = STOP, limit: int = 2000
    ) -> Outcome:
        """Answer until the person reaches ``until`` (the home menu by default)."""
        queues = {step: list(entries) for step, entries in script.items()}
        for _ in range(limit):
            step = self.step
            if step is None or step == until:
                break
            queue = queues.get(step) or []
            await self.say(queue.pop(0) if queue else self._default())
        assert self.last is not None
        return self.last
