"""``l4a bench``: a smoke test of every stage at a tiny size, and the report's arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from l4a_graph.bench import REFERENCE_STAGES, Measurement, run_suite
from l4a_graph.bench.report import (
    END,
    START,
    comparisons,
    growth_exponent,
    pipeline_table,
    plot,
    section,
    table,
    targets,
    write_section,
)
from l4a_graph.bench.stages import STAGES
from l4a_graph.cli import cli

FAST = [stage for stage in STAGES if stage not in REFERENCE_STAGES]


def test_fast_stages_run_and_report(tmp_path: Path) -> None:
    """The smoke test of ``l4a bench --quick``: every stage but the reference engines runs
    and reports (no timing is asserted)."""
    results = run_suite([500], tmp_path, stages=FAST, timeout=300)
    assert [r.stage for r in results] == FAST
    assert all(r.seconds is not None and r.seconds > 0 and r.peak_mb > 0 for r in results)
    by_stage = {r.stage: r for r in results}
    assert by_stage["query"].detail["queries"] == by_stage["query-server"].detail["queries"]
    assert by_stage["validate"].detail["submissions"] >= 1
    assert by_stage["endpoint"].detail["errors"] == 0
    assert float(by_stage["endpoint"].detail["server_peak_mb"]) > 0
    assert int(by_stage["matchmaking"].detail["candidates"]) > 0
    for store in ("memory", "disk"):
        pipeline = by_stage[f"pipeline-{store}"]
        assert pipeline.detail["violations"] == 0
        assert int(pipeline.detail["inferred"]) > 0 and int(pipeline.detail["rows"]) > 0
    assert "| memory |" in pipeline_table(results) and "| disk |" in pipeline_table(results)


@pytest.mark.slow
def test_reference_stages_run_and_are_skipped_when_large(tmp_path: Path) -> None:
    small = run_suite([500], tmp_path, stages=["reason", *REFERENCE_STAGES], timeout=900)
    assert all(r.seconds is not None for r in small)
    owlrl = next(r for r in small if r.stage == "reason-owlrl")
    assert owlrl.detail["same_closure"] == "yes"
    assert "same closure as owlrl: yes" in comparisons(small)
    # Above their limits the reference engines are skipped before any work.
    large = run_suite([10**7], tmp_path, stages=list(REFERENCE_STAGES), timeout=60)
    assert all(r.seconds is None for r in large)


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


def _pipeline(store: str, size: int, seconds: float, peak: float) -> Measurement:
    steps = {f"{s}_seconds": seconds / 4 for s in ("load", "reason", "validate", "query")}
    cpu = {f"{s}_cpu_seconds": seconds / 5 for s in ("load", "reason", "validate", "query")}
    return Measurement(f"pipeline-{store}", size, seconds, peak, {"quads": size} | steps | cpu)


def test_targets_say_which_pipeline_holds() -> None:
    results = [
        _pipeline("memory", 20_000, 0.5, 100.0),
        _pipeline("memory", 1_000_000, 9.0, 900.0),
        _pipeline("disk", 1_000_000, 60.0, 1200.0),
        Measurement("load", 20_000, 0.4, 80.0),
        Measurement("load", 200_000, 4.0, 300.0),
        Measurement("load", 1_000_000, 20.0, 900.0),
    ]
    text = targets(results)
    assert "memory: holds (9.0 s)" in text
    assert "disk: does not hold (60.0 s)" in text
    assert "under 4 GB at 1M triples: holds (largest: pipeline-disk, 1200 MB)" in text
    assert "load 1.00" in text  # the exponent, over three sizes
    rows = pipeline_table(results).splitlines()
    assert rows[0].startswith("| store | size | quads | load | reason | validate | query | ready")
    assert rows[2].startswith("| memory | 20k | 20,000 |") and rows[4].startswith("| disk |")
    assert "| disk | 1M | 1,000,000 | 15.00 (12.00) |" in rows[4]
    assert rows[4].endswith("| no |")


def test_section_links_the_plot_and_names_the_comparisons() -> None:
    results = [
        Measurement("reason", 20_000, 0.2, 60.0),
        Measurement("reason-owlrl", 20_000, 30.0, 200.0, {"same_closure": "yes"}),
        Measurement("validate", 20_000, 0.5, 60.0, {"submissions": 8}),
        Measurement("validate-pyshacl", 20_000, 25.0, 90.0),
    ]
    text = section(results, "benchmarks/scale.png")
    assert "![Time against size, per stage (log-log)](benchmarks/scale.png)" in text
    assert "reasoning: fast 0.20 s, owlrl 30.00 s (150x)" in text
    assert "validation: ours 0.50 s, plain pyshacl 25.00 s (50x)" in text
    assert "| reason-owlrl | 30.00 / 200 |" in text


def test_plot_draws_a_png(tmp_path: Path) -> None:
    results = [Measurement("load", n, n / 1e5, 100.0) for n in (20_000, 200_000, 1_000_000)]
    results.append(Measurement("query-rdflib", 200_000, None, 90.0))
    assert plot(tmp_path / "scale.png", results)
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
