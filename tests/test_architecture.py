"""The core stays free of adapter libraries, and catalogs stay complete."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from flows.texts import catalog, languages

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("telegram", "aiosqlite", "matplotlib", "apscheduler")


def test_flows_imports_no_adapter_library_in_source() -> None:
    offenders = []
    for path in sorted((ROOT / "flows").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_every_flows_module_loads_no_adapter_library() -> None:
    modules = sorted(
        "flows." + ".".join(p.relative_to(ROOT / "flows").with_suffix("").parts)
        for p in (ROOT / "flows").rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_every_language_has_every_message() -> None:
    langs = languages()
    assert {"en", "ru"} <= set(langs)
    keys = {lang: set(catalog(lang)) for lang in langs}
    for lang in langs:
        assert keys[lang] == keys["en"], (
            f"{lang}: missing {sorted(keys['en'] - keys[lang])[:10]}, "
            f"extra {sorted(keys[lang] - keys['en'])[:10]}"
        )


def test_catalog_placeholders_match_across_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    en = catalog("en")
    for lang in languages():
        for key, text in catalog(lang).items():
            assert fields(text) == fields(en[key]), f"{lang}:{key}"
