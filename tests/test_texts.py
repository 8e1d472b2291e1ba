from __future__ import annotations

from flows.texts import normalize_language, t, t_plain


def test_parameters_are_html_escaped_for_telegram() -> None:
    text = t("en", "error.settings", name="<script>&", problem="a > b")
    assert text == "Setting &lt;script&gt;&amp;: a &gt; b"


def test_plain_text_keeps_parameters_as_typed() -> None:
    assert t_plain("ru", "error.settings", name="<b>", problem="x") == "Настройка <b>: x"


def test_a_missing_translation_falls_back_to_english_then_to_the_key() -> None:
    assert t("xx", "department.sales") == "Sales"
    assert t("ru", "no.such.key") == "no.such.key"


def test_a_missing_parameter_leaves_its_placeholder_instead_of_failing() -> None:
    assert t("en", "error.settings", name="X") == "Setting X: {problem}"


def test_telegram_language_codes_are_normalised() -> None:
    assert normalize_language("ru-RU") == "ru"
    assert normalize_language("EN") == "en"
    assert normalize_language("de", default="ru") == "ru"
    assert normalize_language(None) == "en"
