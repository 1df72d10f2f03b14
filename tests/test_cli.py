"""The ``l4a`` command line on the shipped data: load, stats, query, export, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
import rdflib
from click.testing import CliRunner

from l4a_graph.cli import cli

XIAN = "https://w3id.org/l4a/id/hub/xian-youth-education-dialogue"
SDG4_HUBS = """SELECT DISTINCT ?hub WHERE {
  { ?hub l4a:addressesGoal sdg:4 } UNION { ?hub l4a:addressesTarget/skos:broader sdg:4 }
} ORDER BY ?hub"""


def invoke(runner: CliRunner, *args: str) -> click.testing.Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_load_then_stats_reports_the_shipped_data(runner: CliRunner) -> None:
    loaded = invoke(runner, "load")
    assert loaded.exit_code == 0, loaded.output
    assert "loaded" in loaded.output
    result = invoke(runner, "stats", "--format", "json")
    assert result.exit_code == 0
    entities = json.loads(result.stdout)["entities"]
    assert entities["SDG goals"] == 17
    assert entities["SDG targets"] == 169
    assert entities["HUBs"] == 6


def test_stats_table_lists_graphs(runner: CliRunner) -> None:
    result = invoke(runner, "stats")
    assert "https://w3id.org/l4a/graph/ontology" in result.stdout
    assert "https://w3id.org/l4a/graph/hub/venice-city-solutions-2030" in result.stdout


def test_which_hubs_address_sdg4(runner: CliRunner) -> None:
    result = invoke(runner, "query", SDG4_HUBS, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["hub"] for r in rows] == [XIAN]


def test_query_from_file_and_table(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sdg4.rq"
    path.write_text(SDG4_HUBS, encoding="utf-8")
    result = invoke(runner, "query", str(path))
    assert "hub:xian-youth-education-dialogue" in result.stdout
    assert "(1 row)" in result.stdout


@pytest.mark.parametrize(("fmt", "parser"), [("json", None), ("tsv", None), ("csv", None)])
def test_query_result_formats(runner: CliRunner, fmt: str, parser: None) -> None:
    result = invoke(runner, "query", SDG4_HUBS, "--format", fmt)
    assert XIAN in result.stdout


def test_construct_as_turtle(runner: CliRunner) -> None:
    result = invoke(
        runner,
        "query",
        f"CONSTRUCT {{ <{XIAN}> ?p ?o }} WHERE {{ <{XIAN}> ?p ?o }}",
        "--format",
        "ttl",
    )
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert (
        rdflib.URIRef(XIAN),
        rdflib.RDF.type,
        rdflib.URIRef("https://w3id.org/l4a/def#Hub"),
    ) in graph


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("xml", "xml"),
        ("jsonld", "json-ld"),
        ("trig", "trig"),
        ("nq", "nquads"),
    ],
)
def test_export_every_format(
    runner: CliRunner, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / f"dump.{fmt}"
    result = invoke(runner, "export", "--format", fmt, str(out))
    assert result.exit_code == 0
    dataset = rdflib.Dataset()
    dataset.parse(out, format=rdflib_format)
    assert len(list(dataset.quads((None, None, None, None)))) > 5_000


def test_syntax_error_exit_code_2_and_store_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "load")
    before = json.loads(invoke(runner, "stats", "--format", "json").stdout)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n", encoding="utf-8")
    result = runner.invoke(cli, ["load", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(invoke(runner, "stats", "--format", "json").stdout) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ttl", None, "no such file"),
        ("empty.ttl", "", "the file is empty"),
        ("data.csv", "a,b", "unknown RDF format"),
    ],
)
def test_bad_input_is_one_line(
    runner: CliRunner, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(cli, ["load", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_query_exit_code_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "SELECT * WHERE { ?s ?p }"])
    assert result.exit_code == 2
    assert "1:25" in result.stderr


def test_unknown_option_is_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["stats", "--colour"]).exit_code == 2


def _all_commands() -> list[list[str]]:
    assert isinstance(cli, click.Group)
    return [[], *([name] for name in sorted(cli.commands))]


@pytest.mark.parametrize("args", _all_commands(), ids=lambda a: " ".join(a) or "l4a")
def test_help_on_every_command(runner: CliRunner, args: list[str]) -> None:
    result = invoke(runner, *args, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_memory_store_keeps_nothing(runner: CliRunner) -> None:
    invoke(runner, "--memory", "load")
    result = invoke(runner, "--memory", "stats", "--format", "json")
    assert json.loads(result.stdout)["entities"]["HUBs"] == 6  # loaded again because it was empty


def test_load_materializes_the_entailments_unless_asked_not_to(runner: CliRunner) -> None:
    inferred = "https://w3id.org/l4a/graph/inferred"
    invoke(runner, "load", "--no-reason")
    assert inferred not in json.loads(invoke(runner, "stats", "--format", "json").stdout)["graphs"]
    invoke(runner, "load")
    graphs = json.loads(invoke(runner, "stats", "--format", "json").stdout)["graphs"]
    assert graphs[inferred] > 0
