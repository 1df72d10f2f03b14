"""Fuzzing with hypothesis: submissions, and what clients send to the web app.

**Submissions.** Valid submissions (the two examples, HUBs from the synthetic generator,
the six real HUBs) are mutated, on their triples (wrong datatypes, impossible dates,
unknown IRIs, odd Unicode, huge literals, deep blank-node lists, triples dropped or
doubled) and on their bytes (syntax broken, non-UTF-8 bytes, deep JSON, remote
contexts, XML entities), then read by the intake, validated and submitted. Property:
a clean report, or an :class:`~l4a_graph.errors.InputError` whose message is one line
naming the file; never any other exception; the store changes only when the
submission was stored, and then by exactly its version.

**HTTP.** Queries, updates and bodies sent to ``/sparql``, ``/update``, ``/data`` (with no
token, a wrong one or the right one; odd content types and graph parameters; huge or
binary bodies), to the pages and APIs, and to the workspace's application form.
Property: no 5xx other than the deliberate 503 (overload, with ``Retry-After``) and
504 (time limit); no traceback or Python internals in any answer; an error from the
protocol endpoints is one line; a write without the right token changes nothing.

How many cases: the ``ci`` profile (the default) runs 30 per property, about a minute
in all; ``HYPOTHESIS_PROFILE=fuzz`` runs 1,000 per property (thousands in all):

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py -p no:randomly -q
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from l4a_graph import KnowledgeGraph
from l4a_graph.errors import InputError
from l4a_graph.formats import by_name
from l4a_graph.resources import project_root
from l4a_graph.synthetic import generate
from l4a_graph.validator.intake import Submission, parse_submission
from l4a_graph.web import SETTINGS, create_app

pytestmark = [
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
    # rdflib warns about ill-typed literals; the validator silences it (pytest's "error"
    # filter comes first during a test), see l4a_graph.validator.engine.
    pytest.mark.filterwarnings(r"ignore:(Parsing|Serializing) weird:UserWarning"),
]

ROOT = project_root()
TOKEN: Final = "fuzz-write-token-0123456789abcdef"

# -- profiles ---------------------------------------------------------------------------

_COMMON: Final[dict[str, Any]] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
}
settings.register_profile("ci", max_examples=30, **_COMMON)
settings.register_profile("fuzz", max_examples=1000, **_COMMON)
PROFILE: Final = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ: Final = settings(settings.get_profile(PROFILE if PROFILE in ("ci", "fuzz") else "ci"))
"""The settings of every property here: ``ci`` unless ``HYPOTHESIS_PROFILE=fuzz``."""
BIG: Final = PROFILE == "fuzz"
"""Whether to try the largest inputs too (2 MB literals, 16 MB bodies)."""

# -- what must never reach a client ------------------------------------------------------

LEAKS: Final = re.compile(
    r"Traceback|File \"|\.py\", line|\bline \d+, in \b|site-packages|object at 0x"
    r"|\b(?:[A-Z][A-Za-z]*Error|[A-Z][A-Za-z]*Exception|KeyError|StopIteration)(?::|\()"
    r"|werkzeug\.|jinja2\.|pyoxigraph\.|l4a_graph\."
)
"""Traces of Python: a traceback, a source path, an exception's repr, a module path."""


def leaks(text: str, sent: str) -> list[str]:
    """What in ``text`` looks like Python's internals and was not in what was ``sent``."""
    return [m.group() for m in LEAKS.finditer(text) if m.group() not in sent]


# -- odd values, shared by both parts ----------------------------------------------------

ODD_CHARS: Final = (
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "\u0085",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\ue000",
    "\U0001f600",
    "\U000e0041",
    "\U0010ffff",
    "e\u0301",
    "\u0301\u0302\u0303\u0304\u0305",
    "ﾟ",
    "ǅ",
    "İ",
    "ß",
    "\u0644\u0627",
    "עברית",
    "中文",
    '"',
    "'",
    "\\",
    "<",
    ">",
    "&",
    "{",
    "}",
    "#",
    "%00",
    "%0d%0a",
    "&lt;",
    "${x}",
    "{{7*7}}",
)
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD_CHARS), st.text(max_size=8)), min_size=0, max_size=12
).map("".join)
"""Text full of what breaks parsers, escapes and terminals: controls, bidi, combining marks."""

BAD_DATES: Final = (
    "2025-02-30",
    "2025-13-01",
    "2025-00-10",
    "0000-01-01",
    "-0001-01-01",
    "99999-12-31",
    "-999999999-01-01",
    "2025-1-1",
    "2025/01/01",
    "01-01-2025",
    "2025-01-01T25:00:00",
    "2025-01-01Z",
    "2025-01-01+14:01",
    "2025",
    "2025-06",
    "",
    " 2025-01-01 ",
    "2025-01-01\x00",
    "tomorrow",
    "NaN",
    "1e400",
)
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_XSD_TYPES: Final = (
    "date",
    "gYear",
    "gYearMonth",
    "dateTime",
    "integer",
    "decimal",
    "double",
    "boolean",
    "string",
    "anyURI",
    "duration",
    "nonNegativeInteger",
    "byte",
)
DATATYPES: Final = (
    *(XSD + t for t in _XSD_TYPES),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML",
    "urn:x:custom",
)
ODD_IRIS: Final = (
    "https://w3id.org/l4a/id/hub/",
    "https://w3id.org/l4a/id/hub/Not_A_Slug",
    "https://w3id.org/l4a/id/hub/a/b/../../c",
    "https://w3id.org/l4a/id/hub/%2e%2e",
    "https://w3id.org/l4a/id/org/x",
    "https://w3id.org/l4a/def#NoSuchThing",
    "https://w3id.org/l4a/def#Hub",
    "https://w3id.org/l4a/graph/provenance",
    "https://w3id.org/l4a/id/submission/x/v1",
    "http://metadata.un.org/sdg/99.99",
    "http://metadata.un.org/sdg/11",
    "https://w3id.org/l4a/id/country/XX",
    "https://w3id.org/l4a/id/role/owner",
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2002/07/owl#Nothing",
    "urn:x",
    "file:///etc/passwd",
    "http://127.0.0.1:9/x",
    "http://[::1]/x",
    "https://w3id.org/l4a/id/hub/caf\u00e9-\u4e2d\u6587",
    "https://w3id.org/l4a/id/hub/" + "x" * 5000,
)


# == Part 1: submissions ================================================================

SUBMISSION_FORMATS: Final = ("ttl", "nt", "xml", "jsonld")
L4A: Final = "https://w3id.org/l4a/def#"
DATES: Final = frozenset(L4A + p for p in ("startDate", "endDate", "dueDate"))


@dataclass(frozen=True)
class Seed:
    """A submission to start from: its name, format, bytes and quads (read once, so
    that blank node labels, and so every case drawn from it, are reproducible)."""

    name: str
    fmt: str
    data: bytes
    quads: tuple[ox.Quad, ...] = ()

    @classmethod
    def read(cls, name: str, fmt: str, data: bytes) -> Seed:
        labels: dict[ox.BlankNode, ox.BlankNode] = {}

        def stable(term: Any) -> Any:
            if isinstance(term, ox.BlankNode):
                return labels.setdefault(term, ox.BlankNode(f"b{len(labels)}"))
            return term

        quads = parse_submission(data, by_name(fmt), name=name).quads
        stable_quads = tuple(
            ox.Quad(stable(q.subject), q.predicate, stable(q.object)) for q in quads
        )
        return cls(name, fmt, data, stable_quads)


def _synthetic_hub(seed: int) -> bytes:
    """One synthetic HUB, moved under the persistent IRIs a submission must use."""
    buffer = io.BytesIO()
    generate(1, seed, buffer, quads=False)
    keep = [
        line
        for line in buffer.getvalue().decode().splitlines()
        if re.match(r"<https://w3id\.org/l4a/synthetic/(hub|org|place)/", line)
    ]
    text = re.sub(
        r"https://w3id\.org/l4a/synthetic/hub/(\d+)",
        r"https://w3id.org/l4a/id/hub/synthetic-\1",
        "\n".join(keep),
    )
    text = re.sub(
        r"https://w3id\.org/l4a/synthetic/(org|place)/(\d+)",
        r"https://w3id.org/l4a/id/\1/synthetic-\1-\2",
        text,
    )
    return text.encode()


def _seeds() -> list[Seed]:
    examples = ROOT / "examples"
    ttl = (examples / "submission.ttl").read_bytes()
    seeds = [
        Seed.read("example", "ttl", ttl),
        Seed.read("example", "jsonld", (examples / "submission.jsonld").read_bytes()),
    ]
    xml = ox.serialize(seeds[0].quads, format=ox.RdfFormat.RDF_XML)
    seeds.append(Seed.read("example", "xml", xml))
    seeds += [Seed.read(f"synthetic-{n}", "nt", _synthetic_hub(n)) for n in (2, 3)]
    seeds += [
        Seed.read(path.stem, "ttl", path.read_bytes())
        for path in sorted((ROOT / "data" / "hubs").glob("*.ttl"))[:2]
    ]
    return seeds


SEEDS: Final = _seeds()


def literal_like(old: ox.Literal, value: str, draw: st.DrawFn) -> ox.Literal:
    """A literal with ``value`` and, at random, ``old``'s tag or type, or another one."""
    choice = draw(st.sampled_from(["keep", "datatype", "language", "plain"]))
    try:
        if choice == "datatype":
            return ox.Literal(value, datatype=ox.NamedNode(draw(st.sampled_from(DATATYPES))))
        if choice == "language":
            tag = draw(st.sampled_from(["en", "EN", "fr-CA", "zh-Hant-TW", "x-private", "i"]))
            return ox.Literal(value, language=tag)
        if choice == "keep" and old.language:
            return ox.Literal(value, language=old.language)
        if choice == "keep":
            return ox.Literal(value, datatype=old.datatype)
    except ValueError:
        pass
    return ox.Literal(value)


def _bnode_list(depth: int, graph: ox.DefaultGraph) -> tuple[ox.BlankNode, list[ox.Quad]]:
    """An RDF list nested ``depth`` deep: ``( ( ( ... ) ) )``."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    first, rest, nil = (ox.NamedNode(rdf + n) for n in ("first", "rest", "nil"))
    quads: list[ox.Quad] = []
    inner: ox.NamedNode | ox.BlankNode | ox.Literal = ox.Literal("bottom")
    for n in range(depth):
        cell = ox.BlankNode(f"deep{n}")
        quads += [ox.Quad(cell, first, inner, graph), ox.Quad(cell, rest, nil, graph)]
        inner = cell
    assert isinstance(inner, ox.BlankNode)
    return inner, quads


@st.composite
def mutated_quads(draw: st.DrawFn, quads: list[ox.Quad]) -> list[ox.Quad]:
    """``quads`` with a few mutations of their meaning (the syntax stays valid)."""
    quads = list(quads)
    for _ in range(draw(st.integers(1, 4))):
        if not quads:
            break
        i = draw(st.integers(0, len(quads) - 1))
        q = quads[i]
        how = draw(
            st.sampled_from(
                [
                    "date",
                    "datatype",
                    "text",
                    "huge",
                    "iri-object",
                    "iri-subject",
                    "iri-predicate",
                    "drop",
                    "double",
                    "deep-list",
                    "long-list",
                    "blank-subject",
                ]
            )
        )
        if how == "date":
            dated = [j for j, x in enumerate(quads) if x.predicate.value in DATES] or [i]
            i = draw(st.sampled_from(dated))
            q = quads[i]
            value = draw(st.one_of(st.sampled_from(BAD_DATES), odd_text))
            obj: Any = ox.Literal(value, datatype=ox.NamedNode(draw(st.sampled_from(DATATYPES))))
            quads[i] = ox.Quad(q.subject, q.predicate, obj, q.graph_name)
        elif how in ("datatype", "text", "huge") and isinstance(q.object, ox.Literal):
            value = q.object.value
            if how == "text":
                value = draw(odd_text)
            elif how == "huge":
                size = draw(st.sampled_from([10_000, 100_000, 1_900_000 if BIG else 200_000]))
                value = draw(st.sampled_from(["x", "é", "\u202e", "a b "])) * (size // 4)
            quads[i] = ox.Quad(q.subject, q.predicate, literal_like(q.object, value, draw))
        elif how.startswith("iri-"):
            try:
                iri = ox.NamedNode(draw(st.one_of(st.sampled_from(ODD_IRIS), odd_text)))
            except ValueError:
                continue
            s, p, o = q.subject, q.predicate, q.object
            if how == "iri-object":
                o = iri
            elif how == "iri-subject":
                s = iri
            else:
                p = iri
            quads[i] = ox.Quad(s, p, o, q.graph_name)
        elif how == "drop":
            del quads[i]
        elif how == "double":
            quads.append(q)
        elif how in ("deep-list", "long-list"):
            depth = draw(st.sampled_from([10, 200, 2000 if BIG else 500]))
            if how == "deep-list":
                head, extra = _bnode_list(depth, q.graph_name)
            else:
                rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                head, extra = ox.BlankNode("long0"), []
                cell = head
                for n in range(depth):
                    nxt = ox.BlankNode(f"long{n + 1}")
                    extra += [
                        ox.Quad(cell, ox.NamedNode(rdf + "first"), ox.Literal(str(n))),
                        ox.Quad(cell, ox.NamedNode(rdf + "rest"), nxt),
                    ]
                    cell = nxt
            prop = draw(st.sampled_from([L4A + "hasDeliverable", L4A + "title", q.predicate.value]))
            quads += [ox.Quad(q.subject, ox.NamedNode(prop), head), *extra]
        elif how == "blank-subject":
            quads[i] = ox.Quad(ox.BlankNode(f"s{i}"), q.predicate, q.object, q.graph_name)
    return quads


def _serialize(quads: list[ox.Quad], fmt: str) -> bytes:
    return ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
        format=by_name(fmt).rdf_format,
    )


SYNTAX: Final = "<>\"'{}[]();.,@^\\#:_-=/?!&%$*+~|` \n"


@st.composite
def broken_bytes(draw: st.DrawFn, data: bytes, fmt: str) -> bytes:
    """``data`` with its bytes or its structure damaged."""
    how = draw(
        st.sampled_from(
            [
                "insert",
                "delete",
                "replace",
                "truncate",
                "bom",
                "bytes",
                "surrogate-escape",
                "odd-text",
                "structure",
            ]
        )
    )
    at = draw(st.integers(0, len(data)))
    if how == "insert":
        return data[:at] + draw(st.sampled_from(SYNTAX)).encode() + data[at:]
    if how == "delete":
        return data[:at] + data[at + draw(st.integers(1, 40)) :]
    if how == "replace":
        return data[:at] + draw(st.sampled_from(SYNTAX)).encode() + data[at + 1 :]
    if how == "truncate":
        return data[:at]
    if how == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00"])) + data
    if how == "bytes":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if how == "surrogate-escape":  # an escape for a lone surrogate, the one way to write one
        escape = draw(st.sampled_from([b"\\uD800", b"\\udfff", b"\\U0000D800", b"\\u0000"]))
        quote = data.find(b'"', at)
        return data if quote < 0 else data[: quote + 1] + escape + data[quote + 1 :]
    if how == "odd-text":
        text = draw(odd_text).encode("utf-8", "surrogatepass")
        return data[:at] + text + data[at:]
    return _structure(draw, data, fmt)


def _structure(draw: st.DrawFn, data: bytes, fmt: str) -> bytes:
    """Damage the document's structure in the ways its format allows."""
    if fmt == "jsonld":
        depth = draw(st.sampled_from([50, 99, 101, 990, 5000, 100_000]))
        kind = draw(st.sampled_from(["array", "object", "context", "import", "keywords"]))
        try:
            document = json.loads(data)
        except ValueError:
            return data
        if not isinstance(document, dict):
            document = {"@graph": document}
        if kind == "array":
            return b'{"@id": "urn:x", "urn:p": ' + b"[" * depth + b"1" + b"]" * depth + b"}"
        if kind == "object":
            return (b'{"urn:p": ' * depth) + b"1" + b"}" * depth
        if kind == "context":
            document["@context"] = draw(
                st.sampled_from(
                    [
                        "http://127.0.0.1:9/context.jsonld",
                        "file:///etc/passwd",
                        ["https://w3id.org/l4a/context.jsonld", "http://example.org/c"],
                        {"@vocab": "urn:x:", "@base": "http://127.0.0.1:9/"},
                        {"@version": 1.1, "@propagate": False, "title": {"@type": "@json"}},
                        None,
                        42,
                    ]
                )
            )
        elif kind == "import":
            document["@context"] = {"@import": "http://127.0.0.1:9/ctx"}
        else:
            key = draw(st.sampled_from(["@graph", "@reverse", "@included", "@nest", "@list"]))
            document[key] = draw(st.sampled_from([{}, [], "x", {"@id": "urn:y"}, [[[]]]]))
        return json.dumps(document).encode()
    if fmt == "xml":
        doctype = draw(
            st.sampled_from(
                [
                    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                    '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
                    '<!DOCTYPE r [<!ENTITY % x SYSTEM "http://127.0.0.1:9/x"> %x;]>',
                    '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd">',
                    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
                    '<!DOCTYPE r [<!ENTITY x "' + "y" * 100_000 + '">]>',
                    '<!DOCTYPE r [<!ENTITY z "]>"><!ENTITY b "&z;&z;">]>',
                    "<!DOCTYPE r [<!ELEMENT r ANY>]>",
                ]
            )
        ).encode()
        body = data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else data
        use = b"&x;&b;&a;" if draw(st.booleans()) else b""
        return b'<?xml version="1.0"?>' + doctype + body.replace(b"</rdf:RDF>", use + b"</rdf:RDF>")
    depth = draw(st.sampled_from([50, 1000, 100_000]))
    prefix = b"<https://w3id.org/l4a/id/hub/x> <urn:p> "
    nested = draw(
        st.sampled_from([(b"(", b")"), (b"[ <urn:p> ", b"]"), (b"<<( <urn:s> <urn:p> ", b")>>")])
    )
    extra = prefix + nested[0] * depth + b"1 " + nested[1] * depth + b" .\n"
    return data + b"\n" + extra


@st.composite
def submissions(draw: st.DrawFn) -> tuple[bytes, str]:
    """A mutated submission: its bytes and its format."""
    seed = draw(st.sampled_from(SEEDS))
    how = draw(st.sampled_from(["meaning", "meaning", "bytes", "both"]))
    if how == "bytes":
        return draw(broken_bytes(seed.data, seed.fmt)), seed.fmt
    fmt = draw(st.sampled_from(SUBMISSION_FORMATS))
    data = _serialize(draw(mutated_quads(seed.quads)), fmt)
    if how == "both":
        data = draw(broken_bytes(data, fmt))
    return data, fmt


def _digest(kg: KnowledgeGraph) -> bytes:
    out = io.BytesIO()
    kg.store.dump(out, by_name("nq"))
    return out.getvalue()


@pytest.fixture(scope="module")
def intake_kg() -> Iterator[KnowledgeGraph]:
    """The store the fuzzed submissions go to: empty but for one sentinel quad."""
    kg = KnowledgeGraph()
    kg.store.update("INSERT DATA { GRAPH <urn:fuzz:g> { <urn:fuzz:s> <urn:fuzz:p> 'kept' } }")
    yield kg
    kg.close()


def read_one_line(data: bytes, fmt: str, name: str) -> Submission | None:
    """Parse ``data``; None when refused, after checking the refusal is one clean line."""
    max_bytes = 2 * 1024 * 1024
    try:
        return parse_submission(data, by_name(fmt), name=name, max_bytes=max_bytes)
    except InputError as error:
        message = str(error)
        assert message.startswith(name + ":"), message
        assert "\n" not in message and "\r" not in message, message
        assert not leaks(message, data.decode("utf-8", "replace")), message
        return None


def check_submission(kg: KnowledgeGraph, data: bytes, fmt: str) -> None:
    """The property for one submission (see the module's docstring)."""
    name = f"fuzzed.{fmt}"
    submission = read_one_line(data, fmt, name)
    if submission is None:
        return
    stage1 = kg.validate(submission, stage=1)
    for lang in ("en", "fr", "es"):
        assert stage1.text(lang).startswith(name)
    json.dumps(stage1.as_json("fr"))
    before = _digest(kg)
    outcome = kg.submit(submission, by="fuzzer")
    json.dumps(outcome.report.as_json("es"))
    outcome.report.graph().serialize(format="turtle")
    after = _digest(kg)
    if outcome.stored is None:
        assert not outcome.report.conforms
        assert after == before, "a refused submission changed the store"
        return
    assert outcome.report.conforms
    assert outcome.stored.graph in set(kg.store.named_graphs())
    assert b'<urn:fuzz:s> <urn:fuzz:p> "kept" <urn:fuzz:g> .' in after


@FUZZ
@given(submission=submissions())
def test_mutated_submissions_give_a_report_or_one_line(
    intake_kg: KnowledgeGraph, submission: tuple[bytes, str]
) -> None:
    data, fmt = submission
    check_submission(intake_kg, data, fmt)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"{s.name}.{s.fmt}")
def test_seeds_are_read(seed: Seed) -> None:
    """The starting points parse (the examples and synthetic HUBs also conform)."""
    submission = parse_submission(seed.data, by_name(seed.fmt), name="seed")
    if seed.name.startswith(("example", "synthetic")):
        assert KnowledgeGraph().validate(submission).conforms


# == Part 2: HTTP ======================================================================


@pytest.fixture(scope="module")
def clean_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(tmp_path_factory.mktemp("dumps")))
        yield


@pytest.fixture(scope="module")
def app(clean_env: None) -> Iterator[Flask]:
    """A writable app over the shipped data; short limits so that fuzzing stays quick."""
    kg = KnowledgeGraph()
    kg.load_shipped()
    application = create_app(
        kg,
        {
            "rate_limit": "",
            "query_workers": 2,
            "query_timeout": 2,
            "max_rows": 500,
            "max_body_bytes": 1_000_000,
            "max_query_chars": 200_000,
            "write_token": TOKEN,
        },
    )
    yield application
    application.extensions["l4a"].service.close()
    kg.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def store_state(app: Flask) -> tuple[int, int]:
    """What a refused write must leave as it was: the snapshot generation and quad count."""
    state = app.extensions["l4a"]
    return state.service.snapshot.location.generation, state.kg.store.count()


def check_answer(response: TestResponse, sent: str, *, protocol: bool = True) -> None:
    """No unexpected 5xx, no trace of Python, and errors of the protocol in one line."""
    status = response.status_code
    body = response.get_data(as_text=True)
    if status >= 500:
        deliberate = status == 504 or (status == 503 and "Retry-After" in response.headers)
        assert deliberate, f"{status}: {body[:500]}"
    assert not leaks(body if status >= 400 else body[:2000], sent), body[:500]
    if protocol and status >= 400 and response.mimetype == "text/plain" and body:
        assert body.endswith("\n") and body.count("\n") == 1, body[:500]
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, (name, value)


SPARQL_PIECES: Final = (
    "SELECT",
    "SELECT *",
    "SELECT DISTINCT",
    "SELECT (COUNT(*) AS ?n)",
    "ASK",
    "CONSTRUCT",
    "CONSTRUCT WHERE",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ".",
    ";",
    ",",
    "?s",
    "?p",
    "?o",
    "$x",
    "?g",
    "a",
    "l4a:Hub",
    "l4a:addressesTarget",
    "dcterms:title",
    "sdg:4",
    "hub:xian-youth-education-dialogue",
    "<urn:x>",
    "<http://127.0.0.1:9/>",
    "<https://w3id.org/l4a/graph/provenance>",
    "'x'",
    '"""a\nb"""',
    '"é"@fr',
    '"1"^^xsd:integer',
    '"99999999999999999999999999999"^^xsd:integer',
    '"2025-02-30"^^xsd:date',
    '"NaN"^^xsd:double',
    "1",
    "-0",
    "1e308",
    "1e309",
    "true",
    "UNDEF",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "FILTER",
    "BIND",
    "AS",
    "VALUES",
    "GRAPH",
    "FROM",
    "FROM NAMED",
    "SERVICE",
    "SILENT",
    "LIMIT",
    "LIMIT 99999999999999999999",
    "OFFSET -1",
    "ORDER BY",
    "GROUP BY",
    "HAVING",
    "REGEX(?o, '(a+)+$')",
    "REPLACE(?o, '', 'x')",
    "SUBSTR(?o, 99999999999)",
    "STRLEN",
    "CONCAT",
    "IRI('http://127.0.0.1:9/')",
    "BNODE()",
    "UUID()",
    "NOW()",
    "xsd:date('2025-13-01')",
    "LANGMATCHES(LANG(?o), '*')",
    "COALESCE",
    "/",
    "|",
    "^",
    "*",
    "+",
    "?",
    "!",
    "&&",
    "||",
    "=",
    "<",
    ">",
    "# comment\n",
    "\n",
    " ",
    "<<( ?s ?p ?o )>>",
    "PREFIX ex: <urn:ex:>",
    "BASE <http://127.0.0.1:9/>",
    "INSERT DATA",
    "DELETE WHERE",
    "LOAD",
)
UPDATE_PIECES: Final = (
    "INSERT DATA {",
    "DELETE DATA {",
    "INSERT {",
    "DELETE {",
    "WHERE {",
    "WITH <urn:fuzz:g>",
    "USING <urn:fuzz:g>",
    "GRAPH <urn:fuzz:g> {",
    "GRAPH <https://w3id.org/l4a/graph/provenance> {",
    "}",
    "<urn:fuzz:a> <urn:fuzz:b> 'c' .",
    "?s ?p ?o .",
    "CLEAR SILENT GRAPH <urn:fuzz:g>",
    "DROP SILENT GRAPH <urn:fuzz:none>",
    "CREATE GRAPH <urn:fuzz:new>",
    "ADD <urn:fuzz:g> TO <urn:fuzz:h>",
    "COPY DEFAULT TO <urn:fuzz:h>",
    "MOVE <urn:fuzz:h> TO <urn:fuzz:i>",
    "LOAD <http://127.0.0.1:9/x>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
    ";",
    "BIND(1 AS ?x)",
    "SERVICE <http://127.0.0.1:9/> { }",
)
sparql_text = st.one_of(
    st.lists(st.sampled_from(SPARQL_PIECES), min_size=1, max_size=20).map(" ".join),
    st.lists(st.one_of(st.sampled_from(SPARQL_PIECES), odd_text), max_size=12).map("".join),
    st.sampled_from(
        [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "ASK { ?h a l4a:Hub }",
            "CONSTRUCT WHERE { ?s a l4a:Hub }",
            "DESCRIBE hub:xian-youth-education-dialogue",
        ]
    ).flatmap(lambda q: odd_text.map(lambda t, q=q: q + " " + t)),
)
update_text = st.lists(
    st.one_of(st.sampled_from(UPDATE_PIECES), odd_text), min_size=1, max_size=10
).map(" ".join)
FORMATS: Final = ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdf", "html", "text/csv")
format_value = st.one_of(st.sampled_from(FORMATS), odd_text)
ACCEPTS: Final = (
    "*/*",
    "text/html",
    "application/json",
    "application/sparql-results+json",
    "text/csv;q=0.5, text/turtle",
    "application/ld+json;profile=x",
    "image/png",
    "application/*",
    ";;;,,,",
    "text/html;q=abc",
)
accept_value = st.one_of(st.sampled_from(ACCEPTS), odd_text)
iri_value = st.one_of(
    st.sampled_from(
        [
            "https://w3id.org/l4a/graph/hub/bilbao-city-of-values",
            "urn:fuzz:g",
            "http://127.0.0.1:9/",
            "no iri",
            "",
            "urn:x\x00",
            "https://w3id.org/l4a/graph/provenance",
        ]
    ),
    odd_text,
)
CONTENT_TYPES: Final = (
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin-1",
    "text/turtle",
    "text/turtle; charset=utf-16",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/ld+json; profile=http://127.0.0.1:9/",
    "application/n-quads",
    "application/trig",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "",
    "text/turtle\r\nX-Injected: 1",
    ";",
)
content_type = st.one_of(st.sampled_from(CONTENT_TYPES), odd_text)
AUTHS: Final = ("none", "wrong", "right", "basic", "malformed", "lowercase", "query")


def auth_headers(kind: str) -> dict[str, str]:
    return {
        "none": {},
        "wrong": {"Authorization": "Bearer " + TOKEN[::-1]},
        "right": {"Authorization": "Bearer " + TOKEN},
        "basic": {"Authorization": "Basic " + TOKEN},
        "malformed": {"Authorization": "Bearer"},
        "lowercase": {"Authorization": "bearer " + TOKEN.upper()},
        "query": {},
    }[kind]


def _safe_header(value: str) -> str:
    """What a client can put in a header: latin-1, no line breaks (else it never sends)."""
    return value.encode("latin-1", "replace").decode("latin-1").replace("\r", "").replace("\n", "")


@st.composite
def body_bytes(draw: st.DrawFn) -> bytes:
    """A request body: a submission (maybe damaged), binary junk, empty, or huge."""
    kind = draw(st.sampled_from(["rdf", "rdf", "binary", "empty", "huge", "text"]))
    if kind == "rdf":
        data, _ = draw(submissions())
        return data
    if kind == "binary":
        return draw(st.binary(max_size=200))
    if kind == "huge":
        size = draw(st.sampled_from([999_000, 1_000_001, 16_000_000 if BIG else 2_000_000]))
        return b"<urn:a> <urn:b> '" + b"x" * size + b"' ."
    if kind == "text":
        return draw(odd_text).encode("utf-8", "surrogatepass")
    return b""


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST-form", "POST-direct", "POST-other"]),
    query=sparql_text,
    fmt=st.none() | format_value,
    accept=st.none() | accept_value,
    graphs=st.lists(
        st.tuples(st.sampled_from(["default-graph-uri", "named-graph-uri"]), iri_value), max_size=3
    ),
    ctype=content_type,
    extra=st.sampled_from([{}, {"update": "CLEAR ALL"}, {"query2": "x"}, {"output": "csv"}]),
)
def test_sparql_endpoint(
    client: FlaskClient,
    method: str,
    query: str,
    fmt: str | None,
    accept: str | None,
    graphs: list[tuple[str, str]],
    ctype: str,
    extra: dict[str, str],
) -> None:
    params = [*graphs, *extra.items()]
    if fmt is not None:
        params.append(("format", fmt))
    headers = {"Accept": _safe_header(accept)} if accept is not None else {}
    encoded = query.encode("utf-8", "surrogatepass")
    if method == "GET":
        response = client.get("/sparql", query_string=[("query", query), *params], headers=headers)
    elif method == "POST-form":
        response = client.post(
            "/sparql", data=MultiDict([("query", query), *params]), headers=headers
        )
    else:
        kind = "application/sparql-query" if method == "POST-direct" else _safe_header(ctype)
        response = client.post(
            "/sparql",
            data=encoded,
            query_string=params,
            headers={**headers, "Content-Type": kind},
        )
    check_answer(response, query + repr(params) + repr(headers) + ctype)


@FUZZ
@given(
    text=update_text,
    auth=st.sampled_from(AUTHS),
    form=st.booleans(),
    ctype=content_type,
    using=st.sampled_from([[], [("using-graph-uri", "urn:x")]]),
)
def test_update_endpoint(
    app: Flask, text: str, auth: str, form: bool, ctype: str, using: list[tuple[str, str]]
) -> None:
    client = app.test_client()
    before = store_state(app)
    headers = auth_headers(auth)
    query = [*using, ("access_token", TOKEN)] if auth == "query" else using
    if form:
        response = client.post(
            "/update", data=MultiDict([("update", text)]), headers=headers, query_string=query
        )
    else:
        kind = "application/sparql-update" if "=" not in ctype else _safe_header(ctype)
        response = client.post(
            "/update",
            data=text.encode("utf-8", "surrogatepass"),
            headers={**headers, "Content-Type": kind},
            query_string=query,
        )
    check_answer(response, text + ctype)
    if auth != "right":
        assert response.status_code in (401, 403), response.text
        assert store_state(app) == before, "a write without the token changed the store"


@FUZZ
@given(
    method=st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]),
    target=st.lists(
        st.one_of(
            st.tuples(st.just("graph"), iri_value),
            st.just(("default", "")),
            st.tuples(st.sampled_from(["format", "graph ", "GRAPH"]), odd_text),
        ),
        max_size=3,
    ),
    ctype=content_type,
    body=body_bytes(),
    auth=st.sampled_from(AUTHS),
    accept=st.none() | accept_value,
)
def test_graph_store(
    app: Flask,
    method: str,
    target: list[tuple[str, str]],
    ctype: str,
    body: bytes,
    auth: str,
    accept: str | None,
) -> None:
    client = app.test_client()
    before = store_state(app)
    headers = {**auth_headers(auth), "Content-Type": _safe_header(ctype)}
    if accept is not None:
        headers["Accept"] = _safe_header(accept)
    query = [*target, ("access_token", TOKEN)] if auth == "query" else target
    response = client.open("/data", method=method, query_string=query, data=body, headers=headers)
    check_answer(response, repr(target) + ctype + body[:10_000].decode("utf-8", "replace"))
    if method in ("PUT", "POST", "DELETE", "PATCH") and auth != "right":
        assert response.status_code in (400, 401, 403, 405, 413, 415), response.text
        assert store_state(app) == before, "a write without the token changed the store"


SITE_PATHS: Final = (
    "/",
    "/id/",
    "/id/hub/",
    "/id/hub/xian-youth-education-dialogue",
    "/graph/",
    "/sdg/",
    "/def/",
    "/dumps/",
    "/search",
    "/map",
    "/api/hubs",
    "/api/match",
    "/.well-known/void",
    "/health",
    "/static/",
    "/workspace/",
    "/workspace/application/",
    "/workspace/review/",
    "/context.jsonld",
)
PARAMS: Final = (
    "lang",
    "format",
    "q",
    "limit",
    "cursor",
    "hub",
    "lrg",
    "territory",
    "top",
    "weights",
    "goal",
    "country",
    "section",
    "stage",
    "days",
    "months",
    "named",
)


@FUZZ
@given(
    path=st.sampled_from(SITE_PATHS),
    tail=st.one_of(
        st.just(""), odd_text, st.sampled_from(["..%2F..%2Fetc%2Fpasswd", "%00", "%2e%2e/"])
    ),
    params=st.lists(
        st.tuples(
            st.sampled_from(PARAMS),
            st.one_of(
                odd_text,
                st.sampled_from(
                    [
                        "0",
                        "-1",
                        "101",
                        "99999999999999999999",
                        "fr",
                        "xx",
                        "sdg:4",
                        "hub:x",
                        "a=b",
                        "ttl",
                    ]
                ),
            ),
        ),
        max_size=4,
    ),
    accept=st.none() | accept_value,
    language=st.none() | odd_text,
)
def test_pages_and_apis(
    client: FlaskClient,
    path: str,
    tail: str,
    params: list[tuple[str, str]],
    accept: str | None,
    language: str | None,
) -> None:
    headers: dict[str, str] = {}
    if accept is not None:
        headers["Accept"] = _safe_header(accept)
    if language is not None:
        headers["Accept-Language"] = _safe_header(language)
    url = path + tail.replace("?", "%3F").replace("#", "%23")
    response = client.get(url, query_string=params, headers=headers)
    check_answer(response, url + repr(params) + repr(headers), protocol=False)


def _csrf(client: FlaskClient) -> str:
    page = client.get("/workspace/apply").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None, "the form has no CSRF token"
    return match.group(1)


FORM_FIELDS: Final = (
    "text_lang",
    "title",
    "description",
    "lead_mode",
    "lead_existing",
    "lead_name",
    "lead_kind",
    "country",
    "section",
    "territory",
    "territory_kind",
    "call",
    "targets",
    "axes",
    "start_date",
    "end_date",
    "contact_name",
    "contact_email",
    "stakeholder-1-name",
    "stakeholder-1-role",
    "stakeholder-1-kind",
    "deliverable-1-title",
    "deliverable-1-due",
    "deliverable-1-status",
    "deliverable-999-title",
)
FORM_VALUES: Final = (
    "en",
    "11.3",
    "planet",
    "2025-01-01",
    "2027-02-30",
    "existing",
    "new",
    "PT",
    "europe",
    "partner",
    "city-of-xian",
    "a@b.c",
    "x" * 10_000,
)


@FUZZ
@given(
    fields=st.lists(
        st.tuples(st.sampled_from(FORM_FIELDS), st.one_of(odd_text, st.sampled_from(FORM_VALUES))),
        max_size=12,
    ),
    action=st.sampled_from(
        [
            "save",
            "check",
            "submit",
            "search",
            "add-stakeholder",
            "remove-deliverable-1",
            "remove-stakeholder-999999",
            "",
            "nonsense",
        ]
    ),
    csrf=st.sampled_from(["right", "none", "wrong"]),
)
def test_application_form(
    app: Flask, fields: list[tuple[str, str]], action: str, csrf: str
) -> None:
    client = app.test_client()
    token = _csrf(client)
    data = [*fields, ("action", action)]
    if csrf != "none":
        data.append(("csrf_token", token if csrf == "right" else token[::-1]))
    response = client.post("/workspace/apply?lang=fr", data=MultiDict(data))
    check_answer(response, repr(data), protocol=False)
    if csrf != "right":
        assert response.status_code == 400
    location = response.headers.get("Location")
    if location and response.status_code == 303:
        follow = client.get(location)
        check_answer(follow, repr(data), protocol=False)
