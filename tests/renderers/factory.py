"""Journey maps for renderer tests: the sample maps, and ones with very long answers."""

from __future__ import annotations

from bot.demo.sample import sample_map
from flows.models import JourneyMap, StageNote

LONG_RU = (
    "Клиентка долго сравнивает предложения, перечитывает условия, звонит в колл-центр и "
    "спрашивает про скидки, подготовку к анализам и парковку 🚗; Płatność kartą nie działa, "
    "więc wraca jutro. <b>HTML</b> & $x^2$ остаётся текстом. Суперкалифрагилистикэкспиалидошес"
    "ныйоченьдлинноесловобезпробелов "
) * 4


def long_map(n_stages: int, *, seed: int = 7) -> JourneyMap:
    """A sample map whose every stage also has long Cyrillic/Polish answers in each lane."""
    jm = sample_map(n_stages, seed=seed, template=None)
    for stage in jm.stages:
        for lane in ("goal", "actions", "thoughts"):
            for _ in range(3):
                jm.notes.append(
                    StageNote(
                        workshop_id=jm.workshop.id,
                        stage_id=stage.id,
                        lane=lane,
                        text=LONG_RU[:990],
                        department_id=jm.departments[0].id,
                    )
                )
    return jm


__all__ = ["LONG_RU", "long_map", "sample_map"]
