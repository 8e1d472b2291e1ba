"""``python -m bench``: run the benchmarks, write bench/results.json, print a table.

``python -m bench render``, ``python -m bench reminders``, ``python -m bench answers`` or
``python -m bench prompts`` runs one of them; ``BENCH_REMINDERS=2000`` sends fewer
reminders for a quick look (the target run is 10,000, about six minutes at Telegram's 30
messages a second);
``BENCH_ANSWERS=200`` sends fewer typed answers to each bot (the target run is 1,000).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from bench import answer_cpu, prompts, reminders, render

# metric -> (bound, "max" when lower is better / "min" when higher is better)
TARGETS = {
    "render_6_stages_s": (0.5, "max"),
    "render_73_stages_s": (3.0, "max"),
    "render_peak_rss_mb": (300.0, "max"),
    "render_73_ratio": (1.5, "max"),
    "reminders_msgs_per_s": (25.0, "min"),
    "reminders_duplicates": (0, "max"),
    "reminders_lost": (0, "max"),
    "reminders_429": (0, "max"),
    "answer_cpu_ratio_vs_echo": (1.3, "max"),
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
    wanted = set(argv) or {"render", "reminders", "answers", "prompts"}
    results: dict[str, Any] = {}
    if "render" in wanted:
        results.update(render.run())
    if "reminders" in wanted:
        results.update(reminders.run(int(os.environ.get("BENCH_REMINDERS", "10000"))))
    if "answers" in wanted:
        results.update(answer_cpu.from_env())
    if "prompts" in wanted:
        results.update(prompts.run())
    results["cpu_count"] = os.cpu_count() or 0
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing.update(results)
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"{'metric':<24} {'value':>10} {'target':>10}  ok")
    for key, value in _flat(results).items():
        target, ok = _verdict(key, value)
        print(f"{key:<24} {value:>10} {target:>10}  {ok}")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
