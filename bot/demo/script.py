"""What the demo's people answer: a car dealership's journey, in English, Russian and
Polish. This is scripted *user input* (what staff would type), not bot text; the bot's
own messages come from the catalogs. Step ids key the answers (see
``flows.conversation.player``)."""

from __future__ import annotations

Script = dict[str, list[str]]

EN: dict[str, object] = {
    "facilitator": "Olga",
    "setup": {
        "setup.title": ["Car buyer journey 2025"],
        "setup.product": ["New and used cars at the North Star dealership"],
        "setup.template": ["=five"],
        "setup.personas": ["Young family buying its first car", "!done"],
        "setup.cadence": ["=30"],
        "setup.timezone": ["=Europe/Moscow"],
        "setup.time": ["=10:00"],
        "setup.confirm": ["=create"],
    },
    "people": [
        (
            "Maria",
            "marketing",
            "Marketing manager",
            {
                "persona.form": [
                    "Segment: Families with one child buying a first car\n"
                    "Age: 28–35\n"
                    "Occupation: Office workers\n"
                    "Family: Married, one child\n"
                    "Income: Middle\n"
                    "Goals: A safe, economical car within the budget\n"
                    "Frustrations: Hidden fees and pushy sellers"
                ],
                "stages.notes": [
                    "Find out which cars fit the budget\n"
                    "Actions: Searches online, asks friends\n"
                    "Thoughts: Can we afford a new car?",
                    "Compare 2–3 models\n"
                    "Actions: Uses the website configurator\n"
                    "Thoughts: Which model is safest for a child?",
                    "Buy at a fair price",
                    "Enjoy a trouble-free car",
                    "Service and recommend",
                ],
                "persona.basis": ["=data"],
                "persona.sources": ["CRM 2024, 120 customer interviews"],
                "emotions.score": ["1 1 2 1 1"],
                "touchpoints.name": [
                    "Search ads — Ads for family models\n"
                    "Website car configurator — Build and price a car",
                    "Model comparison page",
                    "!next",
                    "!next",
                    "Service reminder email",
                ],
                "touchpoints.channel": [
                    "=search_ads",
                    "=website",
                    "=website",
                    "=transactional_email",
                ],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=ctr", "=conversion", "=bounce", "=open_rate"],
                "pains.description": [
                    "Ads promise prices the showroom does not honour — 61% "
                    "bounce on the price page",
                    "!rest",
                ],
                "pains.evidence_kind": ["=analytics"],
                "pains.severity": ["=2"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["Show the final price with all fees online"],
                "ideas.effort": ["=qS"],
                "ideas.owner": ["=me"],
                "ideas.due": ["31.12"],
                "kpis.values": ["5 / 3.2", "12,5 / 9", "40% / 52", "45 / 38"],
            },
        ),
        (
            "Ivan",
            "sales",
            "Sales consultant",
            {
                "stages.seen": ["!next", "=add", "=add", "!rest"],
                "stages.notes": [
                    "Pick the right trim\nActions: Books a test drive",
                    "Get a good loan rate\nActions: Negotiates, signs the contract",
                ],
                "emotions.score": ["1 2 2 1 1"],
                "touchpoints.name": ["!next", "Test drive", "Credit approval desk", "!rest"],
                "touchpoints.channel": ["=store_office_showroom", "Partner bank desk"],
                "touchpoints.online": ["=n"],
                "touchpoints.controllable": ["=n"],
                "owners.owner": ["=me", "=invite"],
                "owners.invite_name": ["Dmitry Orlov (bank partner)"],
                "kpis.name": ["=conversion", "Loan approval time"],
                "kpis.unit": ["=minutes"],
                "kpis.direction": ["=lower"],
                "pains.description": [
                    "!next",
                    "!next",
                    "Loan approval takes over an hour — Timed 40 deals in March",
                    "!rest",
                ],
                "pains.evidence_kind": ["=observation"],
                "pains.severity": ["=3"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["!next", "Pre-approve loans online before the visit"],
                "ideas.effort": ["=M"],
                "ideas.owner": ["=me"],
                "kpis.values": ["30 / 22", "60 / 95"],
            },
        ),
        (
            "Svetlana",
            "support",
            "Support lead",
            {
                "stages.seen": ["!next", "!next", "=add", "=add"],
                "stages.notes": [
                    "Thoughts: What does the warranty cover?",
                    "Thoughts: Why is nobody answering?",
                ],
                "emotions.score": ["0 -1 -1 -2 0"],
                "touchpoints.name": [
                    "!next",
                    "!next",
                    "!next",
                    "Service hotline",
                    "Service booking in the app",
                ],
                "touchpoints.channel": ["=call_center", "=mobile_app"],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=wait_time", "=rating"],
                "pains.description": [
                    "!next",
                    "!next",
                    "Nobody explains the warranty at signing",
                    "Customers wait 7 minutes on the hotline — 312 complaints in Q1",
                ],
                "pains.evidence_kind": ["=support_tickets"],
                "pains.severity": ["=2", "=3"],
                "pains.anonymous": ["=y", "=y"],
                "ideas.description": [
                    "!next",
                    "!next",
                    "Warranty one-pager at signing",
                    "Call back instead of waiting on the line",
                ],
                "ideas.effort": ["=qS", "=qS"],
                "kpis.values": ["2 / 7,5", "4.5 / 3.9"],
            },
        ),
    ],
}

RU: dict[str, object] = {
    "facilitator": "Ольга",
    "setup": {
        "setup.title": ["Путь покупателя автомобиля 2025"],
        "setup.product": ["Новые и подержанные автомобили в дилерском центре «Северная звезда»"],
        "setup.template": ["=five"],
        "setup.personas": ["Молодая семья покупает первую машину", "!done"],
        "setup.cadence": ["=30"],
        "setup.timezone": ["=Europe/Moscow"],
        "setup.time": ["=10:00"],
        "setup.confirm": ["=create"],
    },
    "people": [
        (
            "Мария",
            "marketing",
            "Маркетолог",
            {
                "persona.form": [
                    "Сегмент: Семьи с одним ребёнком, первая машина\n"
                    "Возраст: 28–35\n"
                    "Занятость: Офисные сотрудники\n"
                    "Семья: Женаты, один ребёнок\n"
                    "Доход: Средний\n"
                    "Цели: Безопасная и экономичная машина в рамках бюджета\n"
                    "Страхи и раздражители: Скрытые платежи и навязчивые продавцы"
                ],
                "stages.notes": [
                    "Понять, какие машины по карману\n"
                    "Действия: Ищет в интернете, спрашивает друзей\n"
                    "Мысли: Потянем ли новую машину?",
                    "Сравнить 2–3 модели\n"
                    "Действия: Собирает машину в конфигураторе\n"
                    "Мысли: Какая модель безопаснее для ребёнка?",
                    "Купить по честной цене",
                    "Ездить без проблем",
                    "Обслуживаться и советовать",
                ],
                "persona.basis": ["=data"],
                "persona.sources": ["CRM 2024, 120 интервью с клиентами"],
                "emotions.score": ["1 1 2 1 1"],
                "touchpoints.name": [
                    "Поисковая реклама — Реклама семейных моделей\n"
                    "Конфигуратор на сайте — Собрать машину и узнать цену",
                    "Страница сравнения моделей",
                    "!next",
                    "!next",
                    "Письмо-напоминание о ТО",
                ],
                "touchpoints.channel": [
                    "=search_ads",
                    "=website",
                    "=website",
                    "=transactional_email",
                ],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=ctr", "=conversion", "=bounce", "=open_rate"],
                "pains.description": [
                    "В рекламе цены, которых нет в салоне — 61% отказов на странице цен",
                    "!rest",
                ],
                "pains.evidence_kind": ["=analytics"],
                "pains.severity": ["=2"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["Показывать итоговую цену со всеми платежами на сайте"],
                "ideas.effort": ["=qS"],
                "ideas.owner": ["=me"],
                "ideas.due": ["31.12"],
                "kpis.values": ["5 / 3,2", "12,5 / 9", "40% / 52", "45 / 38"],
            },
        ),
        (
            "Иван",
            "sales",
            "Менеджер по продажам",
            {
                "stages.seen": ["!next", "=add", "=add", "!rest"],
                "stages.notes": [
                    "Выбрать комплектацию\nДействия: Записывается на тест-драйв",
                    "Получить выгодный кредит\nДействия: Торгуется, подписывает договор",
                ],
                "emotions.score": ["1 2 2 1 1"],
                "touchpoints.name": ["!next", "Тест-драйв", "Стойка одобрения кредита", "!rest"],
                "touchpoints.channel": ["=store_office_showroom", "Стойка банка-партнёра"],
                "touchpoints.online": ["=n"],
                "touchpoints.controllable": ["=n"],
                "owners.owner": ["=me", "=invite"],
                "owners.invite_name": ["Дмитрий Орлов (банк-партнёр)"],
                "kpis.name": ["=conversion", "Время одобрения кредита"],
                "kpis.unit": ["=minutes"],
                "kpis.direction": ["=lower"],
                "pains.description": [
                    "!next",
                    "!next",
                    "Одобрение кредита занимает больше часа — Замерили 40 сделок в марте",
                    "!rest",
                ],
                "pains.evidence_kind": ["=observation"],
                "pains.severity": ["=3"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["!next", "Предварительное одобрение кредита онлайн"],
                "ideas.effort": ["=M"],
                "ideas.owner": ["=me"],
                "kpis.values": ["30 / 22", "60 / 95"],
            },
        ),
        (
            "Светлана",
            "support",
            "Руководитель поддержки",
            {
                "stages.seen": ["!next", "!next", "=add", "=add"],
                "stages.notes": [
                    "Мысли: Что покрывает гарантия?",
                    "Мысли: Почему никто не отвечает?",
                ],
                "emotions.score": ["0 -1 -1 -2 0"],
                "touchpoints.name": [
                    "!next",
                    "!next",
                    "!next",
                    "Горячая линия сервиса",
                    "Запись на сервис в приложении",
                ],
                "touchpoints.channel": ["=call_center", "=mobile_app"],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=wait_time", "=rating"],
                "pains.description": [
                    "!next",
                    "!next",
                    "При подписании никто не объясняет гарантию",
                    "Клиенты ждут на линии по 7 минут — 312 жалоб за I квартал",
                ],
                "pains.evidence_kind": ["=support_tickets"],
                "pains.severity": ["=2", "=3"],
                "pains.anonymous": ["=y", "=y"],
                "ideas.description": [
                    "!next",
                    "!next",
                    "Памятка по гарантии при подписании",
                    "Обратный звонок вместо ожидания на линии",
                ],
                "ideas.effort": ["=qS", "=qS"],
                "kpis.values": ["2 / 7,5", "4,5 / 3,9"],
            },
        ),
    ],
}

PL: dict[str, object] = {
    "facilitator": "Agnieszka",
    "setup": {
        "setup.title": ["Ścieżka klienta salonu samochodowego 2025"],
        "setup.product": ["Nowe i używane samochody w salonie Gwiazda Północy"],
        "setup.template": ["=five"],
        "setup.personas": ["Młoda rodzina kupuje pierwszy samochód", "!done"],
        "setup.cadence": ["=30"],
        "setup.timezone": ["=Europe/Warsaw"],
        "setup.time": ["=10:00"],
        "setup.confirm": ["=create"],
    },
    "people": [
        (
            "Katarzyna",
            "marketing",
            "Specjalistka ds. marketingu",
            {
                "persona.form": [
                    "Segment: Rodziny z jednym dzieckiem kupujące pierwszy samochód\n"
                    "Wiek: 28–35\n"
                    "Zawód: Pracownicy biurowi\n"
                    "Rodzina: Małżeństwo, jedno dziecko\n"
                    "Dochód: Średni\n"
                    "Cele: Bezpieczne i oszczędne auto, które zmieści się w budżecie\n"
                    "Frustracje i obawy: Ukryte opłaty i natarczywi sprzedawcy"
                ],
                "stages.notes": [
                    "Sprawdzić, na jakie auto nas stać\n"
                    "Działania: Szuka w internecie, pyta znajomych\n"
                    "Myśli: Czy stać nas na nowy samochód?",
                    "Porównać 2–3 modele\n"
                    "Działania: Konfiguruje auto na stronie salonu\n"
                    "Myśli: Który model będzie najbezpieczniejszy dla dziecka?",
                    "Kupić w uczciwej cenie",
                    "Jeździć bez kłopotów",
                    "Serwisować auto i polecać salon znajomym",
                ],
                "persona.basis": ["=data"],
                "persona.sources": ["CRM 2024, 120 wywiadów z klientami"],
                "emotions.score": ["1 1 2 1 1"],
                "touchpoints.name": [
                    "Reklama w wyszukiwarce — Reklamy modeli rodzinnych\n"
                    "Konfigurator na stronie — Skonfiguruj auto i sprawdź cenę",
                    "Strona z porównaniem modeli",
                    "!next",
                    "!next",
                    "E-mail z przypomnieniem o przeglądzie",
                ],
                "touchpoints.channel": [
                    "=search_ads",
                    "=website",
                    "=website",
                    "=transactional_email",
                ],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=ctr", "=conversion", "=bounce", "=open_rate"],
                "pains.description": [
                    "Reklamy obiecują ceny, których salon potem nie uznaje — 61% odrzuceń "
                    "na stronie z cennikiem",
                    "!rest",
                ],
                "pains.evidence_kind": ["=analytics"],
                "pains.severity": ["=2"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["Pokazywać na stronie cenę końcową ze wszystkimi opłatami"],
                "ideas.effort": ["=qS"],
                "ideas.owner": ["=me"],
                "ideas.due": ["31.12"],
                "kpis.values": ["5 / 3,2", "12,5 / 9", "40% / 52", "45 / 38"],
            },
        ),
        (
            "Piotr",
            "sales",
            "Doradca handlowy",
            {
                "stages.seen": ["!next", "=add", "=add", "!rest"],
                "stages.notes": [
                    "Wybrać odpowiednią wersję wyposażenia\nDziałania: Umawia się na jazdę próbną",
                    "Dostać korzystny kredyt\nDziałania: Negocjuje, podpisuje umowę",
                ],
                "emotions.score": ["1 2 2 1 1"],
                "touchpoints.name": ["!next", "Jazda próbna", "Stanowisko kredytowe", "!rest"],
                "touchpoints.channel": ["=store_office_showroom", "Stanowisko banku partnerskiego"],
                "touchpoints.online": ["=n"],
                "touchpoints.controllable": ["=n"],
                "owners.owner": ["=me", "=invite"],
                "owners.invite_name": ["Tomasz Nowak (bank partnerski)"],
                "kpis.name": ["=conversion", "Czas decyzji kredytowej"],
                "kpis.unit": ["=minutes"],
                "kpis.direction": ["=lower"],
                "pains.description": [
                    "!next",
                    "!next",
                    "Decyzja kredytowa trwa ponad godzinę — Zmierzyliśmy 40 transakcji w marcu",
                    "!rest",
                ],
                "pains.evidence_kind": ["=observation"],
                "pains.severity": ["=3"],
                "pains.anonymous": ["=n"],
                "ideas.description": ["!next", "Wstępna decyzja kredytowa online przed wizytą"],
                "ideas.effort": ["=M"],
                "ideas.owner": ["=me"],
                "kpis.values": ["30 / 22", "60 / 95"],
            },
        ),
        (
            "Magdalena",
            "support",
            "Kierowniczka obsługi klienta",
            {
                "stages.seen": ["!next", "!next", "=add", "=add"],
                "stages.notes": [
                    "Myśli: Co właściwie obejmuje gwarancja?",
                    "Myśli: Dlaczego nikt nie odbiera?",
                ],
                "emotions.score": ["0 -1 -1 -2 0"],
                "touchpoints.name": [
                    "!next",
                    "!next",
                    "!next",
                    "Infolinia serwisowa",
                    "Rezerwacja wizyty serwisowej w aplikacji",
                ],
                "touchpoints.channel": ["=call_center", "=mobile_app"],
                "owners.owner": ["=me_all"],
                "kpis.name": ["=wait_time", "=rating"],
                "pains.description": [
                    "!next",
                    "!next",
                    "Przy podpisaniu umowy nikt nie wyjaśnia, co obejmuje gwarancja",
                    "Klienci czekają na infolinii po 7 minut — 312 skarg w I kwartale",
                ],
                "pains.evidence_kind": ["=support_tickets"],
                "pains.severity": ["=2", "=3"],
                "pains.anonymous": ["=y", "=y"],
                "ideas.description": [
                    "!next",
                    "!next",
                    "Jednostronicowe podsumowanie gwarancji przy podpisaniu umowy",
                    "Oddzwanianie zamiast czekania na linii",
                ],
                "ideas.effort": ["=qS", "=qS"],
                "kpis.values": ["2 / 7,5", "4,5 / 3,9"],
            },
        ),
    ],
}

SCRIPTS = {"en": EN, "ru": RU, "pl": PL}
