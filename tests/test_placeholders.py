"""Every message is sent with the parameters its text asks for: each call site that names
a catalog key literally must pass every ``{placeholder}`` of that message, in every
language — so no person ever reads "Next review: {next}."."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from flows.texts import catalog, languages

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*(ROOT / "flows").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]


def _fields(text: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(text) if f}


def _needed() -> dict[str, set[str]]:
    needed: dict[str, set[str]] = {}
    for lang in languages():
        for key, text in catalog(lang).items():
            needed.setdefault(key, set()).update(_fields(text))
    return needed


def _literal_dict_keys(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return {str(k.value) for k in node.keys if isinstance(k, ast.Constant)}
    return None


def _call_sites() -> list[tuple[str, str, set[str]]]:
    """(where, key, parameter names) for calls whose parameters can be read statically."""
    keys = _needed()
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "Loop":
                continue  # a loop's progress key: the runner fills it (n, total, section)
            args = list(node.args) + [k.value for k in node.keywords if k.arg == "key"]
            literal = [a for a in args if isinstance(a, ast.Constant) and a.value in keys]
            if len(literal) != 1:
                continue
            if any(k.arg is None for k in node.keywords):  # **params: not readable here
                continue
            names = {k.arg for k in node.keywords if k.arg and k.arg != "key"}
            params = [k.value for k in node.keywords if k.arg == "params"]
            after = node.args.index(literal[0]) + 1 if literal[0] in node.args else None
            if after is not None and after < len(node.args):
                params.append(node.args[after])
            dynamic = False
            for value in params:
                keys_of = _literal_dict_keys(value)
                if keys_of is None:
                    dynamic = True
                else:
                    names |= keys_of
            if dynamic:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found.append((where, str(literal[0].value), names))
    return found


def test_every_literal_call_site_passes_every_placeholder_of_its_message() -> None:
    needed = _needed()
    sites = _call_sites()
    assert len(sites) > 150  # the scan reads the code base, not nothing
    missing = [
        f"{where}: {key} lacks {sorted(needed[key] - names)}"
        for where, key, names in sites
        if needed[key] - names
    ]
    assert missing == []
