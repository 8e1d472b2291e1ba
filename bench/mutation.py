"""``make mutate``: mutmut over the modules of ``[tool.mutmut]``, its counts into
bench/results.json.

``python -m bench.mutation run`` runs ``mutmut run`` with two additions that keep the
whole run within half an hour on a 2-core machine:

* mypy judges every mutant first (``make typecheck`` is a CI gate, so a mutant mypy
  rejects can never land): those count as caught, and no test runs for them. mypy's
  errors outside a mutant's own function — the copies of a method repeat its attribute
  annotations — say nothing about a mutant and are dropped (``python -m bench.mutation
  mypy`` is the command mutmut calls).
* A mutant runs against the tests that reach its function — those named after its module
  first, then the others, each group fastest first — until ``TEST_BUDGET_S`` seconds of
  (measured) test time; always at least one. Fewer tests can only let more mutants
  survive: the ratio is never raised by this.
* The stats phase runs the whole suite on the mutated copy (and stops on any failure), so
  mutmut's second whole-suite run ("clean tests") is skipped.

``python -m bench.mutation`` (no argument) writes the counts:
``mutants_killed_ratio`` = (killed by a test, timed out, or caught by mypy) / every
mutant made — a mutant that no test reaches counts as surviving."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
MUTANTS = ROOT / "mutants"
TEST_BUDGET_S = 2.0
MYPY_PACKAGES = ("flows", "storage", "bot")
MUTANT_FUNCTION = re.compile(r"__mutmut_\d+$")


# ------------------------------------------------------------------ mypy as a judge


def _mutant_spans(path: Path) -> list[tuple[int, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and MUTANT_FUNCTION.search(node.name)
    ]


def mypy() -> int:
    """mypy over the mutated copy (run in ``mutants/``), as JSON lines, keeping only the
    errors that lie inside a mutant's function."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", *MYPY_PACKAGES, "--output", "json"]
        + ["--cache-dir", str(ROOT / ".mypy_cache" / "mutants")],
        capture_output=True,
        text=True,
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in done.stdout.splitlines():
        if not line.strip().startswith("{"):
            continue
        error = json.loads(line)
        if error.get("code") == "no-redef":  # a method's copies re-annotate its attributes
            continue
        file = error["file"]
        if file not in spans:
            spans[file] = _mutant_spans(Path(file))
        if any(start <= error["line"] <= end for start, end in spans[file]):
            print(line)
    return 0


# ------------------------------------------------------------------ the run


class FastestFirst(set):  # type: ignore[type-arg]
    """A function's tests, iterated fastest first (mutmut passes them to pytest in this
    order, and pytest runs them in the order given)."""

    def __init__(self, tests: list[str]) -> None:
        super().__init__(tests)
        self.order = tests

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)


def _topic(function: str) -> str:
    """``flows.steps.kpis.x__commit`` -> ``kpis``: the module a mutated function is in."""
    module = function.rsplit(".", 1)[0]
    topic = module.rsplit(".", 1)[-1].strip("_")
    return topic if len(topic) >= 4 else "\0"  # "db" would match any word


def within_budget(function: str, tests: set[str], duration: dict[str, float]) -> FastestFirst:
    """The tests a mutant of ``function`` runs: first those named after its module (a test
    of ``flows/steps/kpis.py`` says "kpis" in its file or name), then the others, each
    group fastest first, until ``TEST_BUDGET_S``; always at least one."""
    topic = _topic(function)

    def order(test: str) -> tuple[bool, float, str]:
        return (topic not in test.lower(), duration.get(test, 0.0), test)

    kept: list[str] = []
    spent = 0.0
    for test in sorted(tests, key=order):
        if kept and spent + duration.get(test, 0.0) > TEST_BUDGET_S:
            break
        kept.append(test)
        spent += duration.get(test, 0.0)
    return FastestFirst(kept)


def run(args: list[str]) -> int:
    import mutmut.__main__ as mutmut_main
    from mutmut.configuration import config
    from mutmut.state import state

    config().type_check_command = [sys.executable, "-m", "bench.mutation", "mypy"]
    collect = mutmut_main.collect_or_load_stats

    def collect_then_narrow(*a: Any, **kw: Any) -> None:
        collect(*a, **kw)
        tests = state().tests_by_mangled_function_name
        duration = state().duration_by_test
        for name in list(tests):
            tests[name] = within_budget(name, tests[name], duration)

    make_runner = mutmut_main.get_mutant_runner

    def runner_without_second_clean_run(*a: Any, **kw: Any) -> Any:
        # The stats phase has just run the whole suite on the mutated copy and stops
        # mutmut on any failure; its "clean tests" run would be the same suite again.
        runner = make_runner(*a, **kw)
        runner.run_clean_tests = lambda tests: 0  # type: ignore[method-assign]
        return runner

    mutmut_main.collect_or_load_stats = collect_then_narrow
    mutmut_main.get_mutant_runner = runner_without_second_clean_run
    try:
        mutmut_main.cli(["run", *args], standalone_mode=False)
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


# ------------------------------------------------------------------ the counts


def counts() -> dict[str, int]:
    from mutmut.stats import status_by_exit_code

    found = {"killed": 0, "caught_by_mypy": 0, "timeout": 0, "survived": 0, "no_tests": 0}
    other = 0
    for meta in MUTANTS.rglob("*.py.meta"):
        for code in json.loads(meta.read_text())["exit_code_by_key"].values():
            status = status_by_exit_code[code]
            key = {"caught by type check": "caught_by_mypy", "no tests": "no_tests"}.get(
                status, status
            )
            if key in found:
                found[key] += 1
            else:
                other += 1
    found["other"] = other  # not checked, suspicious, segfault: none in a finished run
    found["total"] = sum(found.values())
    return found


def record(wall_s: float | None = None) -> int:
    found = counts()
    killed = found["killed"] + found["timeout"] + found["caught_by_mypy"]
    total = found["total"]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["mutants_killed_ratio"] = round(killed / total, 3) if total else 0.0
    tested = total - found["caught_by_mypy"]
    results["mutants_killed_by_tests_ratio"] = (
        round((found["killed"] + found["timeout"]) / tested, 3) if tested else 0.0
    )
    results["mutants"] = found
    if wall_s is not None:
        results["mutate_wall_s"] = round(wall_s)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")  # keeps the others' order
    print(
        f"mutants killed: {killed} of {total} ({results['mutants_killed_ratio']:.1%}); "
        f"by tests {results['mutants_killed_by_tests_ratio']:.1%} of the {tested} mypy lets through"
    )
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["mypy"]:
        return mypy()
    if argv[:1] == ["run"]:
        return run(argv[1:])
    if argv[:1] == ["record"]:
        return record(float(argv[1]) if len(argv) > 1 else None)
    return record()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
