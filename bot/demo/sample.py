"""Realistic sample maps for tests, the benchmark and previews: N stages, three
departments, long Russian and Polish answers with emoji and HTML, stale items,
disagreements, hypotheses and anonymous pain points. Deterministic for a seed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from flows.models import (
    STAGE_TEMPLATES,
    Basis,
    Channel,
    Department,
    Direction,
    Effort,
    EmotionScore,
    EvidenceKind,
    Idea,
    IdeaStatus,
    JourneyMap,
    Kpi,
    KpiReading,
    Member,
    NoteLane,
    PainPoint,
    Persona,
    Stage,
    StageNote,
    StageTemplate,
    Touchpoint,
    Workshop,
    channel_is_online,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WS = "sample-ws"

GOALS = (
    "Понять, подходит ли мне чек-ап, не тратя полдня на звонки 🙂",
    "Znaleźć zaufaną klinikę blisko domu, z łatwym zapisem online",
    "Получить понятную цену <b>без</b> скрытых доплат",
)
ACTIONS = (
    "Ищет «чек-ап для женщин после 35» в Яндексе, сравнивает 3–4 клиники, читает отзывы на "
    "Продокторов и спрашивает подругу в WhatsApp 💬",
    "Dzwoni do recepcji, czeka 7 minut na połączenie, pyta o przygotowanie do badań",
    "Оставляет заявку на сайте & ждёт звонка; если не перезвонили за час — уходит к конкурентам",
    "Открывает приложение, листает список анализов, добавляет два пакета в корзину",
)
THOUGHTS = (
    "А вдруг мне навяжут лишние анализы? Сколько это будет стоить в итоге? 🤔",
    "Czy lekarz wytłumaczy wyniki po ludzku, a nie tylko wyśle PDF?",
    "Почему на сайте одна цена, а администратор называет другую?",
    "Можно ли прийти в субботу утром, до работы?",
)
TOUCHPOINTS = (
    ("Поисковая выдача и объявления", Channel.SEARCH_ADS),
    ("Сайт клиники — страница чек-апов", Channel.WEBSITE),
    ("Колл-центр", Channel.CALL_CENTER),
    ("Чат в Telegram 🤖", Channel.MESSENGER),
    ("Recepcja w klinice", Channel.STORE),
    ("Письмо с результатами", Channel.TRANSACTIONAL_EMAIL),
    ("Отзывы на Продокторов", Channel.REVIEWS),
    ("Mobile app — wyniki badań", Channel.MOBILE_APP),
)
KPIS = (
    ("Конверсия в запись", "%", Direction.HIGHER, 4.0, (2.9, 3.4, 3.8)),
    ("Время ответа", "мин", Direction.LOWER, 5.0, (9.0, 7.5, 4.8)),
    ("NPS", "", Direction.HIGHER, 50.0, (31.0, 28.0)),
    ("Brak odpowiedzi", "%", Direction.LOWER, 10.0, (14.0,)),
)
PAINS = (
    "Долго ждать ответа колл-центра в понедельник утром: до 12 минут, люди бросают трубку 😡",
    "Цена на сайте не совпадает с ценой в клинике — клиенты чувствуют обман",
    "Wyniki przychodzą jako PDF bez wyjaśnień; pacjenci dzwonią z pytaniami",
    "Нет онлайн-записи на выходные, хотя это самый востребованный слот <script>",
    "Форма заявки не работает на iPhone со старым iOS",
)
IDEAS = (
    "Обратный звонок за 5 минут: очередь в CRM и SLA для администраторов",
    "Единый прайс на сайте и в МИС, синхронизация раз в час",
    "Krótki film z lekarzem objaśniający wyniki ✅",
    "Открыть субботние слоты для онлайн-записи",
)
CUSTOM_STEPS = (
    "Увидел рекламу",
    "Открыл сайт",
    "Сравнил цены",
    "Позвонил в клинику",
    "Zapisał się online",
    "Получил напоминание",
    "Пришёл в клинику",
    "Сдал анализы",
    "Получил результаты",
    "Консультация врача",
    "Оставил отзыв",
    "Вернулся повторно",
)


def _stages(n: int, template: StageTemplate | None) -> list[Stage]:
    keys = STAGE_TEMPLATES.get(template, ()) if template else ()
    if keys and len(keys) == n:
        return [Stage(workshop_id=WS, order=i + 1, key=k) for i, k in enumerate(keys)]
    return [
        Stage(workshop_id=WS, order=i + 1, name=f"{CUSTOM_STEPS[i % len(CUSTOM_STEPS)]} · {i + 1}")
        for i in range(n)
    ]


def _persona() -> Persona:
    return Persona(
        workshop_id=WS,
        name="Мария, 38 — «заботливая мама» 👩",
        segment="B2C, средний+ доход",
        age="35–42",
        occupation="Руководитель отдела в банке",
        family="Замужем, двое детей",
        geography="Москва, Warszawa (relokacja)",
        interests="Здоровье семьи, спорт, экономия времени",
        goals="Пройти обследование за один визит и понять результаты",
        frustrations="Очереди, скрытые платежи, непонятные заключения",
        technology="iPhone, Telegram, онлайн-банк",
        basis=Basis.DATA,
        sources="12 интервью, CRM-выгрузка 2025",
    )


def sample_map(
    n_stages: int = 6,
    *,
    seed: int = 1,
    template: StageTemplate | None = StageTemplate.SIX,
    density: float = 1.0,
) -> JourneyMap:
    """A filled-in workshop. ``density`` scales the number of items per stage."""
    rnd = random.Random(seed)
    ws = Workshop(
        id=WS,
        title="Клиника «Здоровье» — чек-ап 2026 🚀",
        product="Check-up / Badania",
        language="ru",
        review_cadence_days=30,
    )
    depts = [Department(workshop_id=WS, key=k) for k in ("marketing", "sales", "support")]
    names = (
        "Анна Смирнова",
        "Piotr Nowak",
        "Олег Иванов",
        "Katarzyna Wójcik",
        "Ирина Ли",
        "Dmitry",
    )
    members = [
        Member(workshop_id=WS, name=n, department_id=depts[i % 3].id) for i, n in enumerate(names)
    ]
    stages = _stages(n_stages, template)
    persona = _persona()
    for s in stages:
        s.persona_id = persona.id
    jm = JourneyMap(
        workshop=ws,
        departments=depts,
        members=members,
        personas=[persona],
        stages=stages,
        version=3,
        generated_at=NOW,
    )
    for i, stage in enumerate(stages):
        _fill_stage(jm, stage, i, rnd, density)
    return jm


def _count(rnd: random.Random, low: int, high: int, density: float) -> int:
    return max(0, round(rnd.randint(low, high) * density))


def _fill_stage(jm: JourneyMap, stage: Stage, i: int, rnd: random.Random, density: float) -> None:
    members, depts = jm.members, jm.departments
    for lane, texts in (
        (NoteLane.GOAL, GOALS),
        (NoteLane.ACTIONS, ACTIONS),
        (NoteLane.THOUGHTS, THOUGHTS),
    ):
        for _ in range(_count(rnd, 1, 2 if lane is NoteLane.GOAL else 3, density)):
            m = rnd.choice(members)
            jm.notes.append(
                StageNote(
                    workshop_id=WS,
                    stage_id=stage.id,
                    lane=lane,
                    text=rnd.choice(texts),
                    author_id=m.id,
                    department_id=m.department_id,
                )
            )
    base = rnd.choice((-1, 0, 1, 1))
    scorers = members if density >= 1 else members[:3]
    for m in scorers:
        spread = 3 if (i % 4 == 1 and m.department_id == depts[1].id) else rnd.choice((-1, 0, 1))
        score = max(-2, min(2, base + spread))
        jm.emotions.append(
            EmotionScore(
                workshop_id=WS,
                stage_id=stage.id,
                score=score,
                author_id=m.id,
                department_id=m.department_id,
            )
        )
    for _ in range(_count(rnd, 1, 3, density)):
        _touchpoint(jm, stage, rnd)
    for _ in range(_count(rnd, 0, 2, density)):
        _pain(jm, stage, rnd)


def _touchpoint(jm: JourneyMap, stage: Stage, rnd: random.Random) -> None:
    name, channel = rnd.choice(TOUCHPOINTS)
    dept = rnd.choice(jm.departments)
    owners = [m for m in jm.members if m.department_id == dept.id]
    age = rnd.choice((5, 12, 20, 45, 90))
    tp = Touchpoint(
        workshop_id=WS,
        stage_id=stage.id,
        name=name,
        channel=channel.value,
        online=channel_is_online(channel.value),
        controllable=rnd.random() > 0.2,
        owner_id=rnd.choice(owners).id if rnd.random() > 0.2 else None,
        department_id=dept.id,
        created_at=NOW - timedelta(days=120),
        last_confirmed_at=NOW - timedelta(days=age),
    )
    jm.touchpoints.append(tp)
    if rnd.random() < 0.75:
        kname, unit, direction, target, values = rnd.choice(KPIS)
        kpi = Kpi(
            workshop_id=WS,
            touchpoint_id=tp.id,
            name=kname,
            unit=unit,
            direction=direction,
            target=target,
            created_at=NOW - timedelta(days=120),
        )
        jm.kpis.append(kpi)
        for j, v in enumerate(values):
            jm.readings.append(
                KpiReading(
                    workshop_id=WS,
                    kpi_id=kpi.id,
                    value=v,
                    at=NOW - timedelta(days=age + 30 * (len(values) - j)),
                )
            )


def _pain(jm: JourneyMap, stage: Stage, rnd: random.Random) -> None:
    m = rnd.choice(jm.members)
    evidence = rnd.choice(
        (None, EvidenceKind.TICKETS, EvidenceKind.ANALYTICS, EvidenceKind.INTERVIEWS)
    )
    pain = PainPoint(
        workshop_id=WS,
        stage_id=stage.id,
        description=rnd.choice(PAINS),
        evidence_kind=evidence,
        evidence="Zendesk, 140 обращений" if evidence else "",
        severity=rnd.randint(1, 3),
        anonymous=rnd.random() < 0.3,
        author_id=m.id,
        department_id=m.department_id,
    )
    jm.pains.append(pain)
    for _ in range(rnd.randint(0, 2)):
        jm.ideas.append(
            Idea(
                workshop_id=WS,
                pain_id=pain.id,
                description=rnd.choice(IDEAS),
                quick_win=rnd.random() < 0.4,
                effort=rnd.choice(list(Effort)),
                status=rnd.choice(list(IdeaStatus)),
                owner_id=m.id,
                due=date(2026, 4, 1) + timedelta(days=7 * rnd.randint(0, 8)),
            )
        )
