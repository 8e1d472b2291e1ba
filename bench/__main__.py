"""``python -m bench``: run the benchmarks, write bench/results.json, print a table."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench import render

TARGETS = {
    "render_6_stages_s": 0.5,
    "render_73_stages_s": 3.0,
    "render_peak_rss_mb": 300.0,
    "render_73_ratio": 1.5,
}
RESULTS = Path(__file__).with_name("results.json")


def main() -> int:
    results: dict[str, float] = {}
    results.update(render.run())
    results["cpu_count"] = os.cpu_count() or 0
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing.update(results)
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"{'metric':<24} {'value':>10} {'target':>8}  ok")
    for key, value in results.items():
        target = TARGETS.get(key)
        ok = "" if target is None else ("yes" if value <= target else "NO")
        print(f"{key:<24} {value:>10} {'' if target is None else target:>8}  {ok}")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
