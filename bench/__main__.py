"""``python -m bench``: run the benchmarks, write bench/results.json, print a table.

``python -m bench render``, ``python -m bench map``, ``python -m bench reminders``,
``python -m bench fanout``,
``python -m bench answers``, ``python -m bench cost`` (CPU per answer in the section loops
with 2,000 touchpoints against 10, and the largest stored position, bench/answer_cost.py),
``python -m bench prompts`` (the prompts each department's
participant answers in the demo), ``python -m bench html`` (the interactive map in headless
Chromium) or ``python -m bench pg`` (PostgreSQL against SQLite, bench/pg.py) runs one of
them. ``fanout`` is the real ``cjm-bot run`` with 2,000 reviews falling due at once while a
participant answers, and its start-up with 1,000 published workshops (``BENCH_FANOUT`` and
``BENCH_STARTUP_WORKSHOPS`` scale it).
``BENCH_REMINDERS=2000`` sends fewer reminders for a quick look (the target run is
10,000, about six minutes at Telegram's 30 messages a second); ``BENCH_ANSWERS=200``
sends fewer typed answers to each bot (the target run is 1,000).
``BENCH_MAP_RENDERS=20`` renders the 80-stage map fewer times for the worker's memory (the
target run is 100).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench import answer_cost, answer_cpu, fanout, html, map_job, pg, prompts, reminders, render

# metric -> (bound, "max" when lower is better / "min" when higher is better)
TARGETS = {
    "render_6_stages_s": (0.5, "max"),
    "render_73_stages_s": (3.0, "max"),
    "render_peak_rss_mb": (300.0, "max"),
    "render_73_ratio": (1.5, "max"),
    "render_73_pdf_s": (2.0, "max"),
    "map_80_stages_photo_s": (3.0, "max"),
    "map_loop_stall_ms": (50.0, "max"),
    "render_worker_rss_mb_100": (300.0, "max"),
    "render_worker_peak_mb_100": (300.0, "max"),
    "reminders_msgs_per_s": (25.0, "min"),
    "reminders_duplicates": (0, "max"),
    "reminders_lost": (0, "max"),
    "reminders_429": (0, "max"),
    "answer_cpu_ratio_vs_echo": (1.3, "max"),
    "answer_cpu_growth": (1.3, "max"),
    "position_bytes_max": (16_384, "max"),
    "fanout_2000_rate_msgs_per_s": (25.0, "min"),
    "fanout_2000_reply_p95_ms": (500.0, "max"),
    "fanout_2000_reply_max_ms": (2000.0, "max"),
    "fanout_2000_duplicates": (0, "max"),
    "fanout_2000_lost": (0, "max"),
    "startup_1000_published_s": (1.0, "max"),
    "html_80_first_paint_ms": (1000.0, "max"),
    "html_80_bytes": (3_000_000, "max"),
    "pg_answer_cpu_ratio_vs_sqlite": (2.0, "max"),
    "pg_two_instances_writes": (5000, "min"),
    "pg_two_instances_errors": (0, "max"),
    "prompts_per_participant.marketing": (40, "max"),
}
RESULTS = Path(__file__).with_name("results.json")


def _verdict(key: str, value: float) -> tuple[str, str]:
    if key not in TARGETS:
        return "", ""
    bound, kind = TARGETS[key]
    ok = value <= bound if kind == "max" else value >= bound
    return f"{'≤' if kind == 'max' else '≥'} {bound}", "yes" if ok else "NO"


def _flat(results: dict[str, Any]) -> dict[str, float]:
    """One row per number: a dict value (per department) gives ``key.name`` rows."""
    rows: dict[str, float] = {}
    for key, value in results.items():
        if isinstance(value, dict):
            rows.update({f"{key}.{name}": v for name, v in value.items()})
        else:
            rows[key] = value
    return rows


def main(argv: list[str]) -> int:
    wanted = set(argv) or {
        "render",
        "map",
        "reminders",
        "fanout",
        "answers",
        "cost",
        "prompts",
        "html",
        "pg",
    }
    results: dict[str, Any] = {}
    if "render" in wanted:
        results.update(render.run())
    if "map" in wanted:
        results.update(map_job.run(int(os.environ.get("BENCH_MAP_RENDERS", "100"))))
    if "reminders" in wanted:
        results.update(reminders.run(int(os.environ.get("BENCH_REMINDERS", "10000"))))
    if "fanout" in wanted:
        results.update(fanout.from_env())
    if "answers" in wanted:
        results.update(answer_cpu.from_env())
    if "cost" in wanted:
        results.update(answer_cost.from_env())
    if "html" in wanted:
        results.update(html.run())
    if "pg" in wanted:
        results.update(pg.from_env())
    if "prompts" in wanted:
        results.update(prompts.run())
    results["cpu_count"] = os.cpu_count() or 0
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing.update(results)
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"{'metric':<30} {'value':>10} {'target':>10}  ok")
    for key, value in _flat(results).items():
        target, ok = _verdict(key, value)
        print(f"{key:<30} {value:>10} {target:>10}  {ok}")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
