"""After ``make mutate``: mutmut's counts into bench/results.json.

``mutants_killed_ratio`` = killed (or timed out) / every mutant mutmut made for the
modules of ``[tool.mutmut]`` — a mutant no test runs counts as surviving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"


def main() -> int:
    subprocess.run([sys.executable, "-m", "mutmut", "export-cicd-stats"], cwd=ROOT, check=True)
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    total = int(stats["total"]) - int(stats.get("skipped", 0))
    killed = int(stats["killed"]) + int(stats.get("timeout", 0))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["mutants_killed_ratio"] = round(killed / total, 3) if total else 0.0
    results["mutants"] = {
        k: stats[k] for k in ("killed", "survived", "no_tests", "timeout", "total")
    }
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"mutants killed: {killed} of {total} ({results['mutants_killed_ratio']:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
