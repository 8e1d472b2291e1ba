"""The ``cjm-bot`` command: run the bot, the terminal mode, the demo, and workshop tools.

Each subcommand is implemented in its own module and imported only when it is used, so
``cjm-bot console`` never loads python-telegram-bot and ``cjm-bot run`` never loads the
terminal code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.settings import SettingsError, load_settings

# subcommand -> (module, function, help). The function takes (args, settings) -> int.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "auto": ("bot.cli", "auto", "the bot when a token is configured, else the terminal mode"),
    "run": (
        "bot.telegram.app",
        "run",
        "run the Telegram bot (polling, or webhook if configured)",
    ),
    "console": ("bot.terminal.console", "main", "the same flows in a terminal"),
    "demo": ("bot.demo.play", "main", "play a multi-department workshop and write the map"),
    "render": ("bot.operations", "render", "render a workshop's map to a file"),
    "export": ("bot.operations", "export", "export a workshop"),
    "import": ("bot.operations", "import_", "import a workshop from its JSON export"),
    "readings": (
        "bot.readings_import",
        "readings",
        "import KPI readings from a CSV file (columns kpi, value, date, source)",
    ),
    "backup": ("bot.operations", "backup", "an online backup of the database"),
    "list": ("bot.operations", "list_", "list the workshops in the database"),
    "forget": (
        "bot.operations",
        "forget",
        "erase a person's personal data; workshops keep content",
    ),
    "migrate": (
        "bot.migrate",
        "main",
        "copy the SQLite database into PostgreSQL and verify it (again: copies nothing twice)",
    ),
    "flows": ("bot.flowgraph", "main", "the conversation graph drawn from the flow catalog"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cjm-bot", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, _, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        _arguments(name, cmd)
    return parser


def _arguments(name: str, cmd: argparse.ArgumentParser) -> None:
    if name in ("console", "auto"):
        cmd.add_argument("--as", dest="as_name", metavar="NAME", help="act as this person")
    if name == "demo":
        cmd.add_argument("--out", required=True, help="folder for the map and exports")
        cmd.add_argument("--lang", default=None, help="ru or en (default: the setting)")
    if name in ("render", "export"):
        cmd.add_argument("workshop", help="workshop id (see `cjm-bot list`)")
        cmd.add_argument("--out", required=True, help="file to write")
    if name == "export":
        formats = ("xlsx", "csv", "json", "mermaid", "png", "pdf", "html")
        cmd.add_argument("--format", required=True, choices=formats)
    if name == "import":
        cmd.add_argument("file", help="a JSON export")
        cmd.add_argument("--replace", action="store_true", help="replace a workshop of that id")
    if name == "readings":
        cmd.add_argument("file", help="a CSV file: a header row kpi,value,date,source")
        cmd.add_argument("--workshop", help="workshop id (default: the only one)")
    if name == "forget":
        cmd.add_argument("person", help="a person id like tg:12345, or a Telegram user id")
    if name == "backup":
        cmd.add_argument("--out", required=True, help="the backup file")
    if name == "migrate":
        cmd.add_argument("--to", required=True, help="the PostgreSQL database: postgresql://...")
    if name == "flows":
        cmd.add_argument("--mermaid", action="store_true", help="print a Mermaid flowchart")
        cmd.add_argument("--questions", action="store_true", help="add the English questions")
        cmd.add_argument("--update", metavar="FILE", help="rewrite FILE's marked chart instead")


def auto(args: argparse.Namespace, settings: object) -> int:
    token = getattr(settings, "token", None)
    target = "run" if token else "console"
    module, func, _ = COMMANDS[target]
    return int(getattr(importlib.import_module(module), func)(args, settings) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    module, func, _ = COMMANDS[args.command]
    handler = getattr(importlib.import_module(module), func)
    try:
        return int(handler(args, settings) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
