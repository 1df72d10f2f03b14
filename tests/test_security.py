"""Security tests, against the real app (``create_app``) and the real intake.

Each section is a threat of ``docs/security.md``. Some are also tested elsewhere, and not
repeated here:

- ``tests/test_endpoint.py``: the SERVICE/LOAD lexer against Oxigraph itself with a
  listening socket (every text that fetches is refused, 300 random texts); 401/403 on
  ``/update`` and ``/data`` with the store checked; no token configured; CORS on reads
  only; the rate limit; body and query size limits; no traceback on a bug (incident id);
  the access log without the token; the time limit and the 503 on overload.
- ``tests/test_site.py``: ``/dumps/`` refuses four traversal paths.
- ``tests/test_browser.py``: the query editor and the map work in Chromium under the CSP.
- ``tests/test_fuzz.py``: hypothesis on submissions and every protocol endpoint.
- ``tests/test_load.py``: a real ``l4a serve`` under load; its access log holds no token.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from l4a_graph import KnowledgeGraph
from l4a_graph.errors import InputError
from l4a_graph.formats import by_name
from l4a_graph.resources import project_root
from l4a_graph.validator.intake import parse_submission
from l4a_graph.web import SETTINGS, create_app
from recorder import Recorder

ROOT = project_root()
TOKEN: Final = "security-write-token-0123456789abcdef"
BILBAO: Final = "https://w3id.org/l4a/graph/hub/bilbao-city-of-values"
HUB_PAGE: Final = "/id/hub/xian-youth-education-dialogue"
SECRETS: Final = ("root:x:0:0", "[build-system]", "from __future__", "BEGIN PRIVATE KEY")
"""What a file read through a traversal would show: /etc/passwd, pyproject.toml, source."""


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def clean_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No L4A_* setting from the shell; dumps in a temporary folder."""
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(tmp_path_factory.mktemp("dumps")))
        yield


def make_app(**config: Any) -> Flask:
    kg = KnowledgeGraph()
    kg.load_shipped()
    config.setdefault("rate_limit", "")
    config.setdefault("query_workers", 1)
    return create_app(kg, config)


def close(app: Flask) -> None:
    state = app.extensions["l4a"]
    state.service.close()
    state.kg.close()


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    """A writable app over the shipped data (tests that write restore nothing: they
    only write what is refused, or into graphs of their own)."""
    application = make_app(write_token=TOKEN)
    yield application
    close(application)


@pytest.fixture(scope="module")
def read_only_app() -> Iterator[Flask]:
    application = make_app(write_token=TOKEN, read_only=True)
    yield application
    close(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def state_of(app: Flask) -> tuple[str, int, int]:
    """The whole public store (a digest of its N-Quads), the private store's size and
    the snapshot generation: a refused request leaves all three as they were."""
    state = app.extensions["l4a"]
    out = io.BytesIO()
    state.kg.store.dump(out, by_name("nq"))
    digest = hashlib.sha256(out.getvalue()).hexdigest()
    return digest, state.kg.private.count(), state.service.snapshot.location.generation


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- SERVICE and LOAD: the server fetches nothing ----------------------------------------

QUERY_FETCHES: Final = (
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "select * where {{ sErViCe SiLeNt <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE#comment\n<{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE<{u}>{{}} }}",
    "PREFIX r: <{u}> SELECT * WHERE {{ SERVICE r: {{ ?s ?p ?o }} }}",
    "PREFIX r: <{base}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
    "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "PREFIX service: <{u}> SELECT * WHERE {{ SERVICE service: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{u}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE <{u}> {{ }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
)
ELSEWHERE: Final = (
    "http://localhost:{port}/sparql",
    "http://[::1]:{port}/sparql",
    "http://0.0.0.0:{port}/sparql",
    "http://2130706433:{port}/sparql",
    "http://169.254.169.254/latest/meta-data/",
    "https://query.wikidata.org/sparql",
    "file:///etc/passwd",
)
UPDATE_FETCHES: Final = (
    "LOAD <{u}>",
    "load silent <{u}> into graph <urn:sec:g>",
    "LOAD#c\n<{u}>",
    "PREFIX r: <{u}> LOAD r:",
    "BASE <{base}> LOAD <sparql>",
    "CLEAR ALL ; LOAD <{u}>",
    "INSERT {{ GRAPH <urn:sec:g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DELETE WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "INSERT DATA {{ GRAPH <urn:sec:g> {{ <urn:a> <urn:b> 'c' }} }} ; LOAD <{u}>",
)


def test_the_engine_would_fetch(recorder: Recorder) -> None:
    """The threat is real: Oxigraph itself sends the request (so the refusals matter)."""
    before = len(recorder.hits)
    result = ox.Store().query(f"SELECT * WHERE {{ SERVICE <{recorder.url}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    list(result)
    assert len(recorder.hits) > before


@pytest.mark.parametrize("template", QUERY_FETCHES)
def test_service_is_refused_for_every_target_and_method(
    client: FlaskClient, recorder: Recorder, template: str
) -> None:
    port = recorder.base.rsplit(":", 1)[1].rstrip("/")
    targets = [recorder.url, *(t.format(port=port) for t in ELSEWHERE)]
    before = len(recorder.hits)
    for target in targets:
        query = template.format(u=target, base=recorder.base if target == recorder.url else target)
        for response in (
            client.get("/sparql", query_string={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", data=query, content_type="application/sparql-query"),
        ):
            assert response.status_code == 400, (query, response.text)
            assert re.search(r"SERVICE|service", response.text), response.text
    assert len(recorder.hits) == before, "the server sent a request"


@pytest.mark.parametrize("template", UPDATE_FETCHES)
def test_load_and_service_are_refused_in_updates(
    app: Flask, recorder: Recorder, template: str
) -> None:
    client = app.test_client()
    before, hits = state_of(app), len(recorder.hits)
    text = template.format(u=recorder.url, base=recorder.base)
    for response in (
        client.post("/update", data=text, content_type="application/sparql-update", headers=auth()),
        client.post("/update", data={"update": text}, headers=auth()),
    ):
        assert response.status_code == 400, (text, response.text)
    assert len(recorder.hits) == hits and state_of(app) == before


def test_dataset_parameters_and_from_fetch_nothing(client: FlaskClient, recorder: Recorder) -> None:
    """FROM, FROM NAMED and the dataset parameters only choose graphs of the store."""
    before = len(recorder.hits)
    for params in (
        {"query": "ASK { ?s ?p ?o }", "default-graph-uri": recorder.url},
        {"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": recorder.url},
        {"query": f"ASK FROM <{recorder.url}> FROM NAMED <{recorder.base}x> {{ ?s ?p ?o }}"},
    ):
        response = client.get("/sparql", query_string=params)
        assert response.status_code == 200 and response.json == {"head": {}, "boolean": False}
    assert len(recorder.hits) == before


# -- remote JSON-LD contexts and XML external entities -----------------------------------

XML_HEAD: Final = '<?xml version="1.0"?>'
RDF_BODY: Final = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="urn:sec:a"><p xmlns="urn:sec:">{value}</p>'
    "</rdf:Description></rdf:RDF>"
)
LAUGHS: Final = (
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
)
"""Eight levels of entities: 10^8 bytes from a 700-byte body (a "billion laughs")."""
HOSTILE_BODIES: Final = {
    "context-remote": ("jsonld", '{{"@context": "{u}ctx", "@id": "urn:sec:a", "p": "v"}}'),
    "context-list": ("jsonld", '{{"@context": ["{u}ctx"], "@id": "urn:sec:a", "p": "v"}}'),
    "context-import": (
        "jsonld",
        '{{"@context": {{"@import": "{u}ctx"}}, "@id": "urn:sec:a", "urn:sec:p": "v"}}',
    ),
    "context-nested": (
        "jsonld",
        '{{"@id": "urn:sec:a", "urn:sec:p": {{"@context": "{u}ctx", "@id": "urn:sec:b"}}}}',
    ),
    "context-after-ours": (
        "jsonld",
        '{{"@context": ["https://w3id.org/l4a/context.jsonld", "{u}ctx"], "@id": "urn:sec:a"}}',
    ),
    "entity-system": (
        "xml",
        XML_HEAD + '<!DOCTYPE r [<!ENTITY x SYSTEM "{u}x">]>' + RDF_BODY.format(value="&x;"),
    ),
    "entity-file": (
        "xml",
        XML_HEAD
        + "<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        + RDF_BODY.format(value="&x;"),
    ),
    "entity-parameter": (
        "xml",
        XML_HEAD + '<!DOCTYPE r [<!ENTITY % x SYSTEM "{u}x"> %x;]>' + RDF_BODY.format(value="v"),
    ),
    "dtd-system": (
        "xml",
        XML_HEAD + '<!DOCTYPE rdf:RDF SYSTEM "{u}x.dtd">' + RDF_BODY.format(value="v"),
    ),
    "dtd-public": (
        "xml",
        XML_HEAD + '<!DOCTYPE rdf:RDF PUBLIC "-//X//Y" "{u}x.dtd">' + RDF_BODY.format(value="v"),
    ),
    "billion-laughs": ("xml", XML_HEAD + LAUGHS + RDF_BODY.format(value="&h;")),
    "deep-json": (
        "jsonld",
        '{{"@id": "urn:sec:a", "urn:sec:p": ' + "[" * 6000 + "1" + "]" * 6000 + "}}",
    ),
}
"""Bodies that would make a careless parser fetch a URL, read a file or explode."""

MEDIA: Final = {"jsonld": "application/ld+json", "xml": "application/rdf+xml"}


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_graph_store_refuses_fetching_or_exploding_bodies(
    app: Flask, recorder: Recorder, name: str
) -> None:
    fmt, template = HOSTILE_BODIES[name]
    body = template.format(u=recorder.base).encode()
    client = app.test_client()
    before, hits = state_of(app), len(recorder.hits)
    started = time.perf_counter()
    for method in ("PUT", "POST"):
        response = client.open(
            "/data?graph=urn:sec:g",
            method=method,
            data=body,
            content_type=MEDIA[fmt],
            headers=auth(),
        )
        assert response.status_code == 400, (name, response.text)
    assert time.perf_counter() - started < 5, "refused, but only after expanding it"
    assert len(recorder.hits) == hits and state_of(app) == before


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_submissions_refuse_fetching_or_exploding_documents(recorder: Recorder, name: str) -> None:
    fmt, template = HOSTILE_BODIES[name]
    hits = len(recorder.hits)
    with pytest.raises(InputError) as refused:
        parse_submission(template.format(u=recorder.base).encode(), by_name(fmt), name="x")
    assert "\n" not in str(refused.value) and str(refused.value).startswith("x:")
    assert len(recorder.hits) == hits


# -- path traversal ----------------------------------------------------------------------

TRAVERSALS: Final = (
    "/dumps/..%2f..%2fpyproject.toml",
    "/dumps/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/dumps/..%252f..%252fpyproject.toml",
    "/dumps/....%2f%2f....%2f%2fpyproject.toml",
    "/dumps/..%5c..%5cpyproject.toml",
    "/dumps/%c0%ae%c0%ae%2fpyproject.toml",
    "/dumps/SHA256SUMS%00.txt",
    "/dumps/.",
    "/dumps/..",
    "/dumps//etc/passwd",
    "/static/../../../pyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/site/..%2f..%2f..%2fapp.py",
    "/static//etc/passwd",
    "/workspace/static/..%2f..%2fapply.py",
    "/workspace/static/%2e%2e/%2e%2e/apply.py",
    "/id/..%2F..%2Fetc%2Fpasswd",
    "/id/%2e%2e/%2e%2e/etc/passwd",
    "/id/hub/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/id//etc/passwd",
    "/graph/..%2f..%2fetc%2fpasswd",
    "/def/..%2f..%2fpyproject.toml",
    "/sdg/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/context.jsonld/..%2f..%2fpyproject.toml",
)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_served_folders(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (301, 308, 400, 404), (path, response.status_code)
    body = response.get_data(as_text=True)
    assert not [s for s in SECRETS if s in body], path
    if response.status_code in (301, 308):  # werkzeug's canonical path: still this server
        assert response.headers["Location"].startswith(("/", "http://localhost/"))


def test_resource_paths_only_name_iris_under_the_base(client: FlaskClient) -> None:
    """``/id/..%2F..`` names the IRI ``https://w3id.org/l4a/id/../..``: a lookup, never a file."""
    response = client.get("/id/..%2F..%2Fetc%2Fpasswd", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "https://w3id.org/l4a/id/../../etc/passwd" in response.text


# -- header injection and CORS -----------------------------------------------------------

INJECTED: Final = ("x\r\nX-Injected: 1", "fr\nX-Injected: 1", "\r\nSet-Cookie: stolen=1")
HEADER_ROUTES: Final = (
    ("/sparql", {"query": "ASK {}"}, ("format", "output", "lang")),
    ("/sparql", {}, ("lang", "format", "named")),
    (HUB_PAGE, {}, ("lang", "format")),
    ("/", {}, ("lang",)),
    ("/dataset", {}, ("lang", "format")),
    ("/.well-known/void", {}, ("format",)),
    ("/dumps/", {}, ("lang",)),
    ("/search", {}, ("q", "lang")),
    ("/api/hubs", {}, ("lang", "format", "cursor")),
    ("/data", {"graph": BILBAO}, ("format",)),
    ("/workspace/apply", {}, ("lang",)),
    ("/workspace/login", {}, ("lang", "next")),
)


def assert_clean_headers(response: TestResponse) -> None:
    assert response.status_code < 500, response.text[:300]
    for name, value in response.headers.items():
        assert name.lower() != "x-injected", name
        assert "\r" not in value and "\n" not in value, (name, value)
        assert not (name.lower() == "set-cookie" and "stolen" in value), value


@pytest.mark.parametrize(("path", "base", "names"), HEADER_ROUTES)
def test_no_header_injection_through_parameters(
    client: FlaskClient, path: str, base: dict[str, str], names: tuple[str, ...]
) -> None:
    for name in names:
        for value in INJECTED:
            for accept in ("text/html", "text/turtle", "*/*"):
                response = client.get(
                    path, query_string={**base, name: value}, headers={"Accept": accept}
                )
                assert_clean_headers(response)


def test_no_header_injection_through_paths(client: FlaskClient) -> None:
    for path in (
        HUB_PAGE + "%0d%0aX-Injected:%201",
        "/dumps/l4a.ttl.gz%0d%0aX-Injected:%201",
        "/sdg/4%0d%0aSet-Cookie:%20stolen=1",
        "/def%0aX-Injected:%201",
        "/workspace/application/x%0d%0aX-Injected:%201",
    ):
        assert_clean_headers(client.get(path))


def _csrf(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def test_login_redirect_stays_in_the_workspace_and_on_one_line(app: Flask) -> None:
    """A ``next`` with a line break (or another site) is ignored, not a 500 or a redirect."""
    for target in ("/workspace/\r\nX-Injected: 1", "//evil.example/", "https://evil.example/"):
        client = app.test_client()
        csrf = _csrf(client, "/workspace/login")
        response = client.post(
            "/workspace/login",
            data={"csrf_token": csrf, "name": "Reviewer", "token": TOKEN, "next": target},
        )
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/workspace/review")
        assert_clean_headers(response)


def test_cors_never_reflects_an_origin_nor_allows_credentials(client: FlaskClient) -> None:
    """With the default ``*``: the answer says ``*``, never the caller's origin, and never
    allows credentials (so no browser sends cookies or Authorization cross-origin)."""
    for origin in ("https://evil.example", "null", "http://127.0.0.1:1"):
        for path in ("/sparql?query=ASK%7B%7D", "/health", "/data?graph=" + BILBAO, "/api/hubs"):
            response = client.get(path, headers={"Origin": origin})
            assert response.headers.get("Access-Control-Allow-Origin") in (None, "*"), path
            assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_with_listed_origins_reflects_only_exact_matches() -> None:
    listed = "https://a.example"
    application = make_app(cors_origins=listed)
    try:
        client = application.test_client()
        for origin in (
            "https://a.example.evil.example",
            "https://evil.example/https://a.example",
            "https://a.example:443",
            "HTTPS://A.EXAMPLE",
            "http://a.example",
            "null",
        ):
            response = client.get("/health", headers={"Origin": origin})
            assert "Access-Control-Allow-Origin" not in response.headers, origin
            assert_clean_headers(response)
        good = client.get("/health", headers={"Origin": listed})
        assert good.headers["Access-Control-Allow-Origin"] == listed
        assert "Origin" in good.headers["Vary"]
    finally:
        close(application)


# -- who may write -----------------------------------------------------------------------

INSERT: Final = "INSERT DATA { GRAPH <urn:sec:g> { <urn:sec:a> <urn:sec:b> 'c' } }"


@dataclass(frozen=True)
class Write:
    """A write the token guards: the route, the method and a request body that would
    succeed with the token."""

    rule: str
    method: str
    url: str
    kwargs: dict[str, Any]


TOKEN_WRITES: Final = (
    Write(
        "/update",
        "POST",
        "/update",
        {"data": INSERT, "content_type": "application/sparql-update"},
    ),
    Write(
        "/data",
        "PUT",
        "/data?graph=urn:sec:g",
        {"data": b"<urn:sec:a> <urn:sec:b> 'c' .", "content_type": "application/n-triples"},
    ),
    Write(
        "/data",
        "POST",
        "/data?graph=urn:sec:g",
        {"data": b"<urn:sec:a> <urn:sec:b> 'c' .", "content_type": "application/n-triples"},
    ),
    Write("/data", "DELETE", "/data?graph=" + BILBAO, {}),
    Write(
        "/api/match/feedback",
        "POST",
        "/api/match/feedback",
        {
            "json": {
                "pair": "hub:xian-youth-education-dialogue,hub:bilbao-city-of-values",
                "decision": "accept",
            }
        },
    ),
    Write("/admin/backup", "POST", "/admin/backup", {"json": {"directory": "/nonexistent/sec"}}),
)
PUBLIC_WRITES: Final = {
    ("/workspace/apply", "POST"): "anyone may apply: a draft in the private store, CSRF token",
    ("/workspace/application/<token>", "POST"): "the applicant's secret link, CSRF token",
    ("/workspace/login", "POST"): "the sign-in form: it checks the token itself",
    ("/workspace/logout", "POST"): "forgets the session; changes no data",
    ("/workspace/review/<app_id>", "POST"): "needs a reviewer signed in with the token",
}
"""POST routes open without a bearer token, by design; each with its own guard."""

BAD_AUTH: Final = (
    ({}, 401),
    ({"Authorization": "Basic " + TOKEN}, 401),
    ({"Authorization": "Bearer"}, 401),
    ({"Authorization": "Bearer   "}, 401),
    ({"Authorization": TOKEN}, 401),
    (auth("x" * 20), 403),
    (auth(TOKEN + "x"), 403),
    (auth(TOKEN[:-1]), 403),
    (auth(TOKEN.upper()), 403),
    (auth(TOKEN + "\u00e9"), 403),
    (auth("x" * 10_000), 403),
)


def test_every_write_route_is_reviewed(app: Flask) -> None:
    """A new route that changes something must be added above, with its guard."""
    guarded = {(w.rule, w.method) for w in TOKEN_WRITES}
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}):
            if rule.rule == "/sparql":
                continue  # POST is the query protocol: it only reads
            key = (rule.rule, method)
            assert key in guarded or key in PUBLIC_WRITES, f"unreviewed write route {key}"


@pytest.mark.parametrize("write", TOKEN_WRITES, ids=lambda w: f"{w.method} {w.rule}")
def test_writes_without_the_token_change_nothing(app: Flask, write: Write) -> None:
    client = app.test_client()
    before = state_of(app)
    for headers, status in BAD_AUTH:
        response = client.open(write.url, method=write.method, headers=headers, **write.kwargs)
        assert response.status_code == status, (headers, response.text)
        if status == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert TOKEN not in response.text
    for where in ("access_token", "token"):  # a token in the URL is not a token
        response = client.open(
            f"{write.url}{'&' if '?' in write.url else '?'}{where}={TOKEN}",
            method=write.method,
            **write.kwargs,
        )
        assert response.status_code == 401
    assert state_of(app) == before


def test_review_without_signing_in_changes_nothing(app: Flask) -> None:
    client = app.test_client()
    before = state_of(app)
    csrf = _csrf(client, "/workspace/apply")
    response = client.post(
        "/workspace/review/anything", data={"csrf_token": csrf, "decision": "accept"}
    )
    assert response.status_code == 401
    wrong = client.post(
        "/workspace/login", data={"csrf_token": csrf, "name": "x", "token": TOKEN[::-1]}
    )
    assert wrong.status_code == 403
    assert client.get("/workspace/review").status_code == 303  # still not signed in
    assert state_of(app) == before


def test_tokens_are_compared_in_constant_time(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever is sent, the comparison is hmac.compare_digest of two SHA-256 digests."""
    import l4a_graph.web.auth as auth_module

    compared: list[tuple[int, int]] = []
    original = auth_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((len(a), len(b)))
        return original(a, b)

    monkeypatch.setattr(auth_module.hmac, "compare_digest", spy)
    client = app.test_client()
    for token in ("x", TOKEN[:-1], TOKEN, "y" * 5000):
        client.post(
            "/update",
            data="CLEAR GRAPH <urn:sec:none>",
            headers=auth(token),
            content_type="application/sparql-update",
        )
    assert compared == [(32, 32)] * 4


def test_tokens_never_reach_a_log(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """Right and wrong tokens, on every guarded route, and through an internal error."""
    wrong = "wrong-token-ABCDEFGHIJKLMNOP"
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        for write in TOKEN_WRITES:
            if write.method == "DELETE":
                continue  # keep Bilbao for the other tests
            for token in (TOKEN, wrong):
                client.open(write.url, method=write.method, headers=auth(token), **write.kwargs)
        state = app.extensions["l4a"]
        original = state.service.query

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("internal detail")

        state.service.query = broken
        try:
            failed = client.get("/sparql?query=ASK%7B%7D", headers=auth(TOKEN))
        finally:
            state.service.query = original
        assert failed.status_code == 500 and "incident" in failed.text
    assert "internal detail" in caplog.text  # the log did capture the incident
    assert TOKEN not in caplog.text and wrong not in caplog.text
    client.post(
        "/update",
        data="DROP SILENT GRAPH <urn:sec:g>",
        headers=auth(),
        content_type="application/sparql-update",
    )


# -- read-only ---------------------------------------------------------------------------


def test_read_only_makes_every_write_impossible(read_only_app: Flask) -> None:
    """Even with the right token; and the public workspace form is closed too."""
    client = read_only_app.test_client()
    before = state_of(read_only_app)
    for write in TOKEN_WRITES:
        response = client.open(write.url, method=write.method, headers=auth(), **write.kwargs)
        assert response.status_code in (403, 405), (write, response.text)
    csrf = _csrf(client, "/workspace/apply")
    apply = client.post("/workspace/apply", data={"csrf_token": csrf, "title": "x"})
    assert apply.status_code == 403
    health = client.get("/health").json
    assert health is not None and health["writable"] is False
    description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "SPARQL11Query" in description and "SPARQL11Update" not in description
    assert state_of(read_only_app) == before


# -- security headers on pages -----------------------------------------------------------

HTML_PAGES: Final = (
    "/",
    "/?lang=fr",
    HUB_PAGE,
    "/id/org/city-of-xian",
    "/sdg/4",
    "/def",
    "/map",
    "/search?q=bilbao",
    "/dumps/",
    "/sparql",
    "/workspace/",
    "/workspace/apply",
    "/workspace/login",
    "/nowhere",
)


class _Scripts(HTMLParser):
    """What a CSP without 'unsafe-inline' would block: inline scripts and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}={value}>")
        if tag == "script":
            kind = (values.get("type") or "").lower()
            self._inline = not values.get("src") and kind not in ("application/json",)
            src = values.get("src") or ""
            if src.startswith(("http:", "https:", "//")):
                self.blocked.append(f"<script src={src}>")

    def handle_data(self, data: str) -> None:
        if self._inline and data.strip():
            self.blocked.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline = False


def csp(response: TestResponse) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.strip() for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_carry_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html", path
    policy = csp(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"  # no inline script, no eval
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "base-uri" in policy and "form-action" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    parser = _Scripts()
    parser.feed(response.text)
    assert parser.blocked == [], "the policy would block this in the browser"


@pytest.mark.parametrize(
    "path", ["/sparql?query=ASK%7B%7D", "/api/hubs", "/health", "/dumps/SHA256SUMS", "/nowhere"]
)
def test_other_answers_are_nosniff(client: FlaskClient, path: str) -> None:
    with client.get(path, headers={"Accept": "application/json"}) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# -- hostile input: what the engine and parsers cannot take ------------------------------

DEEP: Final = {
    "nested-groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "nested-expressions": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "path-steps": "SELECT * WHERE { ?s a" + "/a" * 800 + " ?o }",
    "long-union": "SELECT * WHERE { {}" + " UNION {}" * 7000 + " }",
    "long-minus": "SELECT * WHERE { ?s ?p ?o" + " MINUS{}" * 3000 + " }",
    "nested-lists": "SELECT * WHERE { ?s ?p " + "(" * 400 + "1" + ")" * 400 + " }",
}
"""Each of these killed a query worker (SIGSEGV: stack overflow) or ran for minutes."""


@pytest.mark.parametrize("name", DEEP)
def test_queries_too_deep_for_the_engine_are_400s(app: Flask, name: str) -> None:
    client = app.test_client()
    pool = app.extensions["l4a"].service.pool
    restarts = pool.restarts
    started = time.perf_counter()
    response = client.get("/sparql", query_string={"query": DEEP[name]})
    assert response.status_code == 400, response.text
    assert "SPARQL engine" in response.text
    assert time.perf_counter() - started < 5 and pool.restarts == restarts


def test_updates_too_deep_for_the_engine_are_400s(app: Flask) -> None:
    """An update runs in the server process: too deep, it would have ended the server."""
    before = state_of(app)
    text = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 10_000 + "}" * 10_000
    response = app.test_client().post(
        "/update", data=text, content_type="application/sparql-update", headers=auth()
    )
    assert response.status_code == 400 and "SPARQL engine" in response.text
    assert state_of(app) == before


def test_big_data_blocks_are_not_too_complex(app: Flask) -> None:
    """The limits spare VALUES and INSERT DATA: flat lists the engine reads in a loop."""
    values = " ".join(f"<urn:sec:v{i}>" for i in range(20_000))
    response = app.test_client().get(
        "/sparql",
        query_string={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"},
    )
    assert response.status_code == 200 and "20000" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"@id": "urn:a", "urn:p": ' + b"[" * 950 + b"1" + b"]" * 950 + b"}",
            "nested more than 100 levels",
        ),
        (
            b'<https://w3id.org/l4a/id/hub/x> <urn:p> <<( <urn:s> <urn:p> "o" )>> .',
            "triple terms",
        ),
        (b"<https://w3id.org/l4a/id/hub/x> <urn:p> <http://a\nb> .", "\\n"),
    ],
    ids=["json-950-deep", "triple-term", "line-break-in-message"],
)
def test_submissions_refused_in_one_line(data: bytes, message: str) -> None:
    """Were: a RecursionError; a StoreError after a conforming report; a message on two lines."""
    fmt = by_name("jsonld" if data.startswith(b"{") else "ttl")
    with pytest.raises(InputError) as refused:
        parse_submission(data, fmt, name="x")
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_an_impossible_date_prints_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """rdflib logs a traceback for every ill-typed literal; the validator drops it."""
    text = (ROOT / "examples" / "submission.ttl").read_text(encoding="utf-8")
    text = text.replace('"2025-01-01"^^xsd:date', '"2025-02-30"^^xsd:date')
    submission = parse_submission(text.encode(), by_name("ttl"), name="x.ttl")
    with caplog.at_level(logging.DEBUG):
        report = KnowledgeGraph().validate(submission, stage=1)
    assert "HubStartDate" in {rule.rsplit("#", 1)[-1] for rule in report.rules}
    assert "Traceback" not in caplog.text and "Failed to convert" not in caplog.text


def test_error_bodies_stay_on_one_line(client: FlaskClient) -> None:
    """A parser may quote a line break in its message; the answer escapes it."""
    response = client.get(
        "/sparql", query_string={"query": "SELECT * WHERE { <http://a\nb> ?p ?o }"}
    )
    assert response.status_code == 400
    assert response.text.count("\n") == 1 and response.text.endswith("\n")
    problem = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { <http://a\nb> ?p ?o }"},
        headers={"Accept": "application/json"},
    )
    assert problem.mimetype == "application/problem+json"
    assert json.loads(problem.text)["status"] == 400


def test_a_literal_type_is_reported_not_a_crash() -> None:
    """``<x> a "text"`` made pyshacl hand a literal subject to Oxigraph: a TypeError."""
    text = (ROOT / "examples" / "submission.ttl").read_text(encoding="utf-8")
    text += '\nlorg:example-city-council a "a literal" .\n'
    submission = parse_submission(text.encode(), by_name("ttl"), name="x.ttl")
    report = KnowledgeGraph().validate(submission, stage=2)
    assert report.text("en").startswith("x.ttl")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "hub:example-city-green-corridors rdfs:comment (" + " 1" * 250 + ") .",
            "blank nodes",
        ),
        (
            "".join(f"<urn:sec:s{i}> <urn:sec:p> {i} ." for i in range(2000)),
            "statements",
        ),
    ],
    ids=["long-list", "many-statements"],
)
def test_submissions_too_big_to_validate_quickly_are_refused(extra: str, message: str) -> None:
    """pyshacl's reports grow quadratically: a 1,000-item list took 9 s, 2,000 wrong
    deliverables 110 s; a HUB needs neither."""
    text = (ROOT / "examples" / "submission.ttl").read_text(encoding="utf-8")
    data = (text + "\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + extra).encode()
    with pytest.raises(InputError, match=message):
        parse_submission(data, by_name("ttl"), name="x.ttl")


# -- availability: the site's caches under concurrent writes -----------------------------


def test_catalogue_survives_a_write_between_its_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue is read with several queries; a HUB written in between was a
    KeyError, so a 500 on ``/`` and ``/api/hubs`` under load (found by tests/test_load.py)."""
    from l4a_graph.web.site import catalogue

    kg = KnowledgeGraph()
    kg.load_shipped()
    original = kg.select
    calls = 0

    def select(sparql: str, bindings: Any = None) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            kg.store.update(
                "INSERT DATA { GRAPH <urn:sec:late> { <https://w3id.org/l4a/id/hub/late> "
                "a <https://w3id.org/l4a/def#Hub> ; "
                "<https://w3id.org/l4a/def#startDate> '2025-01-01' } }"
            )
        return original(sparql, bindings)

    monkeypatch.setattr(kg, "select", select)
    rows = catalogue._read(kg).rows
    assert len(rows) == 6  # the late HUB waits for the next generation's catalogue
    kg.close()


def test_a_slow_cache_build_blocks_no_other_page(app: Flask) -> None:
    """Each key is built under its own lock: the slow rebuild of one cache after a
    write (the workspace's choices took minutes) no longer queues every page."""
    from l4a_graph.web.site.state import site

    release, started = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "slow"

    def build_slowly() -> None:
        with app.app_context():
            site().cached(("security-slow",), slow)

    thread = threading.Thread(target=build_slowly)
    thread.start()
    try:
        assert started.wait(10)
        begun = time.perf_counter()
        with app.app_context():
            assert site().cached(("security-fast",), lambda: "fast") == "fast"
        assert time.perf_counter() - begun < 5
        response = app.test_client().get("/", headers={"Accept": "text/html"})
        assert response.status_code == 200
    finally:
        release.set()
        thread.join()
    with app.app_context():
        assert site().cached(("security-slow",), slow) == "slow"  # built once, kept


def test_queries_answer_while_writes_stream_in(tmp_path: Any) -> None:
    """A query chose a snapshot, waited for a worker, and found it deleted by a later
    write: under a steady stream of writes most queries failed with 503 (found by the
    load test). Now the snapshot is pinned until a worker has it open."""
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.load_shipped()
    application = create_app(kg, {"rate_limit": "", "query_workers": 1, "write_token": TOKEN})
    statuses: list[int] = []
    stop = threading.Event()

    def read() -> None:
        client = application.test_client()
        for _ in range(40):
            statuses.append(client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D").status_code)

    def write() -> None:
        client = application.test_client()
        n = 0
        while not stop.is_set():
            client.put(
                f"/data?graph=urn:sec:w{n % 3}",
                data=b"<urn:sec:a> <urn:sec:b> <urn:sec:c> .",
                content_type="application/n-triples",
                headers=auth(),
            )
            n += 1

    try:
        writer = threading.Thread(target=write)
        readers = [threading.Thread(target=read) for _ in range(3)]
        writer.start()
        for thread in readers:
            thread.start()
        for thread in readers:
            thread.join()
        stop.set()
        writer.join()
        assert statuses == [200] * 120
        assert application.extensions["l4a"].service.pool.restarts == 0
    finally:
        stop.set()
        application.extensions["l4a"].service.close()
        kg.close()


class _PublishFirst:
    """A lock that lets a write publish a new snapshot just before it is taken, once."""

    def __init__(self, lock: Any, publish: Any) -> None:
        self.lock, self.publish, self.armed = lock, publish, True

    def __enter__(self) -> bool:
        if self.armed:
            self.armed = False
            thread = threading.Thread(target=self.publish)
            thread.start()
            thread.join()
        return bool(self.lock.__enter__())

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__(*exc)


def test_collecting_snapshots_keeps_the_one_a_write_just_published(tmp_path: Any) -> None:
    """Collecting read the current snapshot before taking its lock; a write publishing
    in between had its new snapshot deleted, and every query failed (503, the worker
    replaced) until the next write: the likely cause of 103 such answers in 17 s of a
    200,000-request load test (their text was not recorded)."""
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.load_shipped()
    application = create_app(kg, {"rate_limit": "", "query_workers": 1, "write_token": TOKEN})
    service = application.extensions["l4a"].service
    try:
        service.start()

        def publish() -> None:
            with service._write_lock:
                service._publish()

        service._published_lock = _PublishFirst(service._published_lock, publish)
        service._collect()
        assert Path(service._snapshot.location.path).exists()
        client = application.test_client()
        assert client.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D").status_code == 200
        assert service.pool.restarts == 0
    finally:
        service.close()
        kg.close()
