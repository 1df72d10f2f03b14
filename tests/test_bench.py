"""``l4a bench``: a smoke test of every stage at a tiny size, and the report's arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from l4a_graph.bench import Measurement, run_suite
from l4a_graph.bench.report import END, START, growth_exponent, table, write_section
from l4a_graph.bench.stages import STAGES
from l4a_graph.cli import cli

FAST = [stage for stage in STAGES if stage != "query-rdflib"]


def test_fast_stages_run_and_report(tmp_path: Path) -> None:
    results = run_suite([500], tmp_path, stages=FAST, timeout=300)
    assert [r.stage for r in results] == FAST
    assert all(r.seconds is not None and r.seconds > 0 and r.peak_mb > 0 for r in results)
    by_stage = {r.stage: r for r in results}
    assert by_stage["query"].detail["queries"] == by_stage["query-server"].detail["queries"]


@pytest.mark.slow
def test_rdflib_stage_runs_and_is_skipped_when_large(tmp_path: Path) -> None:
    small, large = run_suite([500, 10**7], tmp_path, stages=["query-rdflib"], timeout=600)
    assert small.seconds is not None
    assert large.seconds is None


def test_report_section_replaces_only_itself(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n\n## Matchmaking\n\nkept\n", encoding="utf-8")
    results = [
        Measurement("load", 20_000, 1.0, 100.0),
        Measurement("load", 200_000, 10.0, 200.0),
        Measurement("query-rdflib", 200_000, None, 90.0),
    ]
    write_section(report, results)
    write_section(report, results)
    text = report.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert "## Matchmaking\n\nkept" in text
    assert "| load | 1.00 / 100 | 10.00 / 200 | 1.00 |" in text
    assert "| query-rdflib |  | skipped |  |" in text


def test_growth_exponent_of_a_quadratic() -> None:
    k = growth_exponent([(n, n**2 / 1e6) for n in (1_000, 10_000, 100_000)])
    assert k == pytest.approx(2.0)


def test_table_has_one_column_per_size() -> None:
    text = table([Measurement("generate", 1_000_000, 2.5, 110.0)])
    assert text.splitlines()[0] == "| stage | 1M s / MB | growth k |"


def test_cli_refuses_an_unknown_stage() -> None:
    result = CliRunner().invoke(cli, ["bench", "--quick", "--stage", "nope"])
    assert result.exit_code == 2
    assert "unknown stage nope" in result.output
