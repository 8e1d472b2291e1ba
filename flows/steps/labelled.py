"""Several fields in one message: one line per field, "Label: value" ("Age: 28–35",
"Thoughts: can we afford it?"; in a terminal, parts between semicolons). A label is the
field's name in the person's language or in English, in any case; a line without a known
label goes to the ``default`` field (or is refused when there is none, naming the labels
that are known)."""

from __future__ import annotations

from collections.abc import Mapping

from flows.conversation.answers import split_lines
from flows.conversation.spec import Text
from flows.conversation.validation import visible
from flows.texts import t_plain


def labels(lang: str, keys: Mapping[str, str]) -> dict[str, str]:
    """{label as typed (casefolded): field} for ``keys`` {field: message key}."""
    found: dict[str, str] = {}
    for field, key in keys.items():
        for text in (t_plain("en", key), t_plain(lang, key), field.replace("_", " ")):
            found[" ".join(text.casefold().split())] = field
    return found


def split(
    raw: str, known: Mapping[str, str], default: str | None = None
) -> tuple[list[tuple[str, str]], str | None]:
    """The (field, value) pairs of a message, and the first line no label fits (None:
    all fit). Empty lines and empty values are left out."""
    pairs: list[tuple[str, str]] = []
    for line in split_lines(raw):
        line = visible(line)
        if not line:
            continue
        head, colon, rest = line.partition(":")
        field = known.get(" ".join(head.casefold().split())) if colon else None
        if field is not None:
            if visible(rest):
                pairs.append((field, visible(rest)))
        elif default is not None:
            pairs.append((default, line))
        else:
            return pairs, line
    return pairs, None


def refusal(line: str, lang: str, keys: Mapping[str, str]) -> Text:
    names = ", ".join(t_plain(lang, key) for key in keys.values())
    return Text("busy.form.unknown", {"line": line[:60], "labels": names})
