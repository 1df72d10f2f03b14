"""The workspace's routes with Flask's test client: the application form (drafts, nothing
lost, errors at the fields, en/fr/es), the review queue (sign-in, CSRF, decisions recorded
with PROV-O, the final acceptance through KnowledgeGraph.submit), the dashboard and its
CSV, and the privacy of drafts and pending applications."""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import QueryBoolean

from l4a_graph import KnowledgeGraph
from l4a_graph import namespaces as ns
from l4a_graph.web import SETTINGS, create_app
from l4a_graph.web.workspace.pages import EXTENSION
from l4a_graph.web.workspace.review import Workspace
from l4a_graph.web.workspace.storage import Application
from l4a_graph.web.workspace.vocabulary import WORKSPACE_GRAPH, State

TOKEN = "workspace-test-token-0123456789"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
LANGS = ("en", "fr", "es")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.delenv("L4A_BASE_IRI", raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(tmp_path_factory.mktemp("dumps")))
        yield


@pytest.fixture(scope="module")
def kg(env: None) -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph()
    graph.load_shipped()
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def app(kg: KnowledgeGraph) -> Iterator[Flask]:
    app = create_app(kg, {"rate_limit": "", "write_token": TOKEN, "query_workers": 1})
    yield app
    app.extensions["l4a"].service.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser of its own (its own cookies)."""
    return app.test_client()


def ws(app: Flask) -> Workspace:
    workspace: Workspace = app.extensions[EXTENSION]
    return workspace


# -- helpers ----------------------------------------------------------------------------


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def answers(lang: str = "fr", **changes: Any) -> dict[str, Any]:
    """Complete stage-1 answers (a fictional HUB), with ``changes``."""
    values: dict[str, Any] = {
        "text_lang": lang,
        "title": "Ville d'Exemple – Corridors verts",
        "description": "Relier les parcs de la ville par des corridors verts.",
        "lead_mode": "new",
        "lead_name": "Ville d'Exemple",
        "lead_kind": "LocalGovernment",
        "country": "FR",
        "section": "europe",
        "territory": "Exempleville",
        "territory_kind": "City",
        "targets": ["11.3", "11.7"],
        "axes": ["planet"],
        "start_date": "2025-01-01",
        "end_date": "2027-06-30",
        "contact_name": "Ana Martin",
        "contact_email": "ana@example.org",
    }
    values.update(changes)
    return values


STAGE2 = {
    "stakeholder-0-name": "Université d'Exemple",
    "stakeholder-0-kind": "UniversityOrResearchCentre",
    "stakeholder-0-role": "partner",
    "deliverable-0-title": "Carte des corridors",
    "deliverable-0-due": "2026-03-31",
    "deliverable-0-status": "planned",
}


def start(
    client: FlaskClient, lang: str = "fr", action: str = "save", **changes: Any
) -> tuple[str, Any]:
    """POST the new-application form; return the draft link (path?lang=) and the answer."""
    csrf = csrf_of(page(client, f"/workspace/apply?lang={lang}"))
    data = answers(lang, **changes) | {"csrf_token": csrf, "action": action}
    response = client.post(f"/workspace/apply?lang={lang}", data=data)
    html = response.get_data(as_text=True)
    if response.status_code == 303:
        location = response.headers["Location"]
    else:
        match = re.search(r'action="(/workspace/application/[^"]+)"', html)
        assert match, html[:2000]
        location = unescape(match.group(1))
    path = urlsplit(location).path
    return f"{path}?lang={lang}", response


def post(client: FlaskClient, link: str, **data: Any) -> Any:
    csrf = csrf_of(page(client, link))
    return client.post(link, data=data | {"csrf_token": csrf})


def application(app: Flask, link: str) -> Application:
    token = urlsplit(link).path.rsplit("/", 1)[-1]
    found = ws(app).store.by_token(token)
    assert found is not None
    return found


def decide(
    client: FlaskClient, app_id: str, state: State, decision: str = "accept", **extra: str
) -> Any:
    """A decision sent with the bearer token (no session, no CSRF needed)."""
    return client.post(
        f"/workspace/review/{app_id}?lang=en",
        data={"state": state.value, "decision": decision, "comment": "", **extra},
        headers=BEARER | {"L4A-Reviewer": "Test Reviewer"},
    )


def sign_in(client: FlaskClient, name: str = "Ana Reviewer") -> None:
    csrf = csrf_of(page(client, "/workspace/login?lang=en"))
    response = client.post(
        "/workspace/login?lang=en",
        data={"csrf_token": csrf, "name": name, "token": TOKEN, "next": "/workspace/review"},
    )
    assert response.status_code == 303


def to_stage2(app: Flask, client: FlaskClient, **changes: Any) -> tuple[str, Application]:
    link, response = start(client, action="submit", **changes)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    submitted = application(app, link)
    assert decide(client, submitted.id, State.AWAITING_1).status_code == 303
    return link, application(app, link)


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<ul class="field-errors" id="err-{re.escape(name)}".*?</ul>', html, re.S)
    return unescape(match.group(0)) if match else ""


def ask(client: FlaskClient, query: str) -> Any:
    response = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def scripts_are_external(html: str) -> bool:
    tags = re.findall(r"<script\b[^>]*>", html)
    return all("src=" in tag or 'type="application/json"' in tag for tag in tags)


# -- the application form ---------------------------------------------------------------

WORDS = {
    "en": "Apply for a Local4Action HUB",
    "fr": "Candidater pour un HUB",
    "es": "Postular a un HUB",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_form_in_each_language(client: FlaskClient, lang: str) -> None:
    response = client.get(f"/workspace/apply?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert WORDS[lang] in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert scripts_are_external(html)
    assert 'name="targets" value="11.3"' in html  # every target is offered, no JS needed
    assert "/workspace/static/workspace.js" in html
    assert "/workspace/review" not in html  # the Secretariat's links are for the Secretariat
    wrong = client.get(f"/workspace/apply?lang={lang}", headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 200  # an applicant's page ignores a stray header


def test_the_index_and_the_site_link_to_the_form(client: FlaskClient) -> None:
    assert "/workspace/apply?lang=es" in page(client, "/workspace/?lang=es")
    assert "/workspace/?lang=fr" in page(client, "/?lang=fr")
    with client.get("/workspace/static/workspace.js") as script:
        assert script.status_code == 200


def test_a_saved_draft_resumes_from_its_link_anywhere(app: Flask, client: FlaskClient) -> None:
    link, response = start(client, title="Brouillon à reprendre", end_date="")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("saved=1")
    other = app.test_client()  # another browser, no cookie: the link is enough
    html = page(other, link)
    assert 'value="Brouillon à reprendre"' in unescape(html)
    assert re.search(r'name="targets" value="11\.7" checked', html)
    assert re.search(r'<option value="FR" selected>', html)
    assert 'name="end_date" value=""' in html
    bare = other.get(urlsplit(link).path)
    assert bare.status_code == 303 and bare.headers["Location"].endswith("lang=fr")
    assert len(urlsplit(link).path.rsplit("/", 1)[-1]) >= 40  # unguessable


def test_an_unknown_or_malformed_link_is_404(client: FlaskClient) -> None:
    assert client.get("/workspace/application/" + "A" * 43 + "?lang=en").status_code == 404
    assert client.get("/workspace/application/short?lang=en").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "more than three years"), ("fr", "plus de trois ans"), ("es", "más de tres años")],
)
def test_a_failed_submission_keeps_everything_and_shows_the_error_at_the_field(
    app: Flask, client: FlaskClient, lang: str, words: str
) -> None:
    link, response = start(client, lang, action="submit", end_date="2029-12-31")
    assert response.status_code == 422
    html = unescape(response.get_data(as_text=True))
    message = field_error(html, "end_date")
    assert words in message
    # Next to its field: the message follows the end-date input, before the next field.
    assert (
        html.index('id="f-end_date"')
        < html.index('id="err-end_date"')
        < html.index('id="f-contact_name"')
    )
    assert 'aria-invalid="true" aria-describedby="err-end_date"' in html
    for value in (
        'value="Ville d\'Exemple – Corridors verts"',
        'value="2029-12-31"',
        'value="Exempleville"',
    ):
        assert value in html
    assert "Relier les parcs de la ville" in html
    assert re.search(r'name="axes" value="planet" checked', html)
    # ... and in the draft too.
    saved = application(app, link)
    assert saved.state is State.DRAFT_1
    assert saved.form.end_date == "2029-12-31" and saved.form.targets == ["11.3", "11.7"]
    assert words in field_error(
        unescape(
            post(client, link, **answers(lang, end_date="2029-12-31"), action="check").get_data(
                as_text=True
            )
        ),
        "end_date",
    )


def test_check_validates_without_submitting(app: Flask, client: FlaskClient) -> None:
    link, response = start(client, action="check")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aucun problème" in html
    assert application(app, link).state is State.DRAFT_1


def test_a_form_without_its_csrf_token_is_refused_but_kept(app: Flask, client: FlaskClient) -> None:
    before = ws(app).store.counts()[State.DRAFT_1]
    client.get("/workspace/apply?lang=fr")
    response = client.post(
        "/workspace/apply?lang=fr", data=answers(title="Sans jeton") | {"action": "save"}
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Votre session avait expiré" in html and 'value="Sans jeton"' in html
    assert ws(app).store.counts()[State.DRAFT_1] == before
    link, _ = start(client, title="Avec jeton")
    refused = client.post(link, data=answers(title="Changé sans jeton") | {"action": "save"})
    assert refused.status_code == 400
    assert application(app, link).form.title == "Avec jeton"
    wrong = client.post(
        link, data=answers(title="Faux") | {"action": "save", "csrf_token": "x" * 43}
    )
    assert wrong.status_code == 400


def test_search_targets_without_javascript(client: FlaskClient) -> None:
    link, _ = start(client, targets=["3.1"])
    response = post(client, link, **answers(targets=["3.1"]), action="search", q="urbanisation")
    assert response.status_code == 303
    assert parse_qs(urlsplit(response.headers["Location"]).query)["q"] == ["urbanisation"]
    html = page(client, response.headers["Location"])
    assert 'data-code="11.3"' in html  # matches the words in French
    assert 'data-code="1.1"' not in html  # does not
    assert re.search(r'name="targets" value="3\.1" checked', html)  # ticked ones stay
    by_code = page(client, link + "&q=11.")
    assert 'data-code="11.1"' in by_code and 'data-code="1.1"' not in by_code


def test_rows_are_added_and_removed_without_javascript(app: Flask, client: FlaskClient) -> None:
    link, _ = to_stage2(app, client)
    html = page(client, link)
    assert 'id="stakeholder-0"' in html and 'id="stakeholder-1"' not in html
    added = post(client, link, **answers(), action="add-stakeholder")
    assert added.status_code == 303
    html = page(client, added.headers["Location"])
    assert 'id="stakeholder-1"' in html
    filled = (
        answers()
        | STAGE2
        | {"stakeholder-1-name": "Réseau d'Exemple", "stakeholder-1-role": "supporter"}
    )
    post(client, link, **filled, action="save")
    assert [r.name for r in application(app, link).form.stakeholders] == [
        "Université d'Exemple",
        "Réseau d'Exemple",
    ]
    removed = post(client, link, **filled, action="remove-stakeholder-0")
    assert removed.status_code == 303
    assert [r.name for r in application(app, link).form.stakeholders] == ["Réseau d'Exemple"]
    post(client, link, **answers(), **{"deliverable-0-title": "Guide"}, action="add-deliverable")
    assert 'id="deliverable-1"' in page(client, link + "&add=deliverable")


def test_stage2_errors_go_to_their_rows(app: Flask, client: FlaskClient) -> None:
    link, _ = to_stage2(app, client)
    data = answers() | STAGE2 | {"stakeholder-0-role": "", "deliverable-0-due": "2030-01-01"}
    response = post(client, link, **data, action="submit")
    assert response.status_code == 422
    html = unescape(response.get_data(as_text=True))
    assert "rôle" in field_error(html, "stakeholder-0-role")
    assert "hors de la période" in field_error(html, "deliverable-0-due")
    assert application(app, link).state is State.DRAFT_2


# -- the Secretariat ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/workspace/review", "/workspace/dashboard", "/workspace/dashboard/stages.csv"]
)
def test_secretariat_pages_need_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path + "?lang=en")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/workspace/login"
    assert (
        client.get(path, headers={"Authorization": "Bearer wrong-token-000000"}).status_code == 403
    )
    assert client.get(path, headers=BEARER).status_code == 200


def test_decisions_need_the_reviewer(app: Flask, client: FlaskClient) -> None:
    link, _ = start(client, action="submit")
    app_id = application(app, link).id
    data = {"state": "awaiting-stage-1", "decision": "accept"}
    assert client.post(f"/workspace/review/{app_id}", data=data).status_code == 401
    wrong = client.post(
        f"/workspace/review/{app_id}",
        data=data,
        headers={"Authorization": "Bearer nope-nope-nope-nope"},
    )
    assert wrong.status_code == 403
    sign_in(client)
    no_csrf = client.post(f"/workspace/review/{app_id}", data=data)
    assert no_csrf.status_code == 403
    assert application(app, link).state is State.AWAITING_1


def test_login_checks_token_name_and_csrf(client: FlaskClient) -> None:
    csrf = csrf_of(page(client, "/workspace/login?lang=fr"))
    wrong = client.post(
        "/workspace/login?lang=fr", data={"csrf_token": csrf, "name": "X", "token": "bad"}
    )
    assert wrong.status_code == 403 and "Jeton incorrect" in wrong.get_data(as_text=True)
    nameless = client.post(
        "/workspace/login", data={"csrf_token": csrf, "name": "", "token": TOKEN}
    )
    assert nameless.status_code == 403
    forged = client.post("/workspace/login", data={"name": "X", "token": TOKEN})
    assert forged.status_code == 403
    away = client.post(
        "/workspace/login",
        data={"csrf_token": csrf, "name": "X", "token": TOKEN, "next": "//evil.example/"},
    )
    assert (
        away.status_code == 303 and urlsplit(away.headers["Location"]).path == "/workspace/review"
    )
    assert "X" in page(client, "/workspace/review?lang=fr")
    logout = client.post("/workspace/logout", data={})  # no CSRF token: still signed in
    assert logout.status_code == 303 and client.get("/workspace/review").status_code == 200
    csrf = csrf_of(page(client, "/workspace/review?lang=fr"))
    client.post("/workspace/logout", data={"csrf_token": csrf})
    assert client.get("/workspace/review").status_code == 303


def test_the_whole_workflow_to_a_public_hub(
    app: Flask, kg: KnowledgeGraph, client: FlaskClient
) -> None:
    applicant = app.test_client()
    title = "Ciudad Ejemplo – Huertos urbanos"
    link, response = start(
        applicant, "es", action="submit", title=title, territory="Ciudad Ejemplo"
    )
    assert response.status_code == 303
    status = page(applicant, link)
    assert "Pendiente de validación de la etapa 1" in status
    app_id = application(app, link).id

    sign_in(client, "Ana Reviewer")
    queue = page(client, "/workspace/review?lang=es")
    section = queue.split('id="awaiting-stage-1"')[1].split("</section>")[0]
    assert app_id in section and "Huertos urbanos" in section
    review = page(client, f"/workspace/review/{app_id}?lang=es")
    assert "Ningún hallazgo" in review and ns.ID + "hub/ciudad-ejemplo-huertos-urbanos" in review
    accepted = client.post(
        f"/workspace/review/{app_id}?lang=es",
        data={
            "csrf_token": csrf_of(review),
            "state": "awaiting-stage-1",
            "decision": "accept",
            "comment": "Elegible.",
        },
    )
    assert accepted.status_code == 303
    found = application(app, link)
    assert found.state is State.DRAFT_2 and found.lifecycle.endswith("/definition")

    stage2 = page(applicant, link)
    assert "Etapa 2" in stage2 and "Elegible." in stage2 and "Ana Reviewer" in stage2
    submitted = post(
        applicant,
        link,
        **answers("es", title=title, territory="Ciudad Ejemplo") | STAGE2,
        action="submit",
    )
    assert submitted.status_code == 303, field_error(
        submitted.get_data(as_text=True), "stakeholders"
    )
    assert application(app, link).state is State.AWAITING_2

    review = page(client, f"/workspace/review/{app_id}?lang=es")
    assert (
        client.post(
            f"/workspace/review/{app_id}",
            data={
                "csrf_token": csrf_of(review),
                "state": "awaiting-stage-2",
                "decision": "accept",
                "comment": "Completo.",
            },
        ).status_code
        == 303
    )
    assert application(app, link).state is State.AWAITING_LABEL
    assert 'id="awaiting-labelling"' in page(client, "/workspace/review?lang=es")

    labelled = client.post(
        f"/workspace/review/{app_id}",
        data={
            "csrf_token": csrf_of(review),
            "state": "awaiting-labelling",
            "decision": "accept",
            "comment": "Sello otorgado.",
            "stage_after": "implementation",
        },
    )
    assert labelled.status_code == 303
    final = application(app, link)
    assert final.state is State.LABELLED and final.lifecycle.endswith("/implementation")
    hub = final.hub
    assert hub == ns.ID + "hub/ciudad-ejemplo-huertos-urbanos"

    # Public: the site, the endpoint, the API, with the lifecycle stage and the label.
    assert title in page(client, "/id/hub/ciudad-ejemplo-huertos-urbanos?lang=es")
    stage = f"<{ns.ID}lifecycle-stage/implementation>"
    assert ask(client, f"ASK {{ <{hub}> l4a:lifecycleStage {stage} ; l4a:hasLabelAward ?a }}")[
        "boolean"
    ]
    assert hub in client.get("/api/hubs?limit=100").get_data(as_text=True)
    record = ask(
        client,
        f"SELECT ?by WHERE {{ GRAPH <{ns.GRAPH_PROVENANCE}> {{ "
        f"?s l4a:submissionOf <{hub}> ; prov:wasAttributedTo ?by }} }}",
    )
    assert record["results"]["bindings"][0]["by"]["value"] == ns.ID + "org/ville-d-exemple"
    # The contact person stays private.
    assert not ask(client, "ASK { ?s ?p <mailto:ana@example.org> }")["boolean"]
    assert "Ana Martin" not in client.get(
        "/id/hub/ciudad-ejemplo-huertos-urbanos?format=ttl"
    ).get_data(as_text=True)
    # The applicant's link shows the public page.
    assert "/id/hub/ciudad-ejemplo-huertos-urbanos" in page(applicant, link)

    # PROV-O: who, when, decision, comment, stages, in the private store.
    history = ws(app).store.history(final)
    reviews = [e for e in history if e.kind == "review"]
    assert [e.comment for e in reviews] == ["Elegible.", "Completo.", "Sello otorgado."]
    assert {e.agent for e in reviews} == {"Ana Reviewer"}
    assert [e.to_stage.rsplit("/", 1)[-1] for e in reviews if e.to_stage] == [
        "definition",
        "definition",
        "implementation",
    ]
    assert reviews[-1].public == ns.ID + "submission/ciudad-ejemplo-huertos-urbanos/v1"
    result = kg.private.query(
        "ASK { GRAPH ?g { ?r a prov:Activity ; prov:wasAssociatedWith/rdfs:label 'Ana Reviewer' ; "
        "prov:endedAtTime ?t ; rdfs:comment 'Sello otorgado.' ; prov:generated ?v } }"
    )
    assert isinstance(result, QueryBoolean) and bool(result)
    assert not kg.store.query(f"ASK {{ GRAPH ?g {{ ?r <{ns.BASE}workspace#decision> ?d }} }}")


def test_a_bearer_token_reviews_without_a_session(app: Flask, client: FlaskClient) -> None:
    link, _ = start(client, action="submit")
    app_id = application(app, link).id
    response = decide(client, app_id, State.AWAITING_1, "reject", comment="Hors du champ.")
    assert response.status_code == 303
    rejected = application(app, link)
    assert rejected.state is State.REJECTED
    events = ws(app).store.history(rejected)
    assert events[-1].agent == "Test Reviewer" and events[-1].comment == "Hors du champ."
    html = unescape(page(client, link))
    assert "n'a pas retenu" in html and "Hors du champ." in html
    late = post_without_page(client, link)
    assert late.status_code == 409
    assert application(app, link).form.title == answers()["title"]


def post_without_page(client: FlaskClient, link: str) -> Any:
    csrf = csrf_of(page(client, "/workspace/apply?lang=fr"))
    return client.post(
        link, data=answers(title="Trop tard") | {"csrf_token": csrf, "action": "save"}
    )


def test_a_stale_decision_is_a_conflict(app: Flask, client: FlaskClient) -> None:
    link, _ = start(client, action="submit")
    app_id = application(app, link).id
    response = decide(client, app_id, State.AWAITING_2)  # the page was read at another state
    assert response.status_code == 409
    assert application(app, link).state is State.AWAITING_1
    assert not [e for e in ws(app).store.history(application(app, link)) if e.kind == "review"]
    assert decide(client, "0" * 32, State.AWAITING_1).status_code == 404


# -- privacy -----------------------------------------------------------------------------


def test_drafts_and_pending_applications_are_never_public(
    app: Flask, kg: KnowledgeGraph, client: FlaskClient
) -> None:
    secret = "Quokka-draft-7f3a"
    start(client, title=f"{secret} brouillon")
    start(client, action="submit", title=f"{secret} en attente")
    assert all(not g.startswith(WORKSPACE_GRAPH) for g in kg.store.named_graphs())
    assert any(g.startswith(WORKSPACE_GRAPH) for g in kg.private.named_graphs())
    found = ask(client, f'SELECT * WHERE {{ ?s ?p ?o FILTER(CONTAINS(STR(?o), "{secret}")) }}')
    assert found["results"]["bindings"] == []
    graphs = ask(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [b for b in graphs["results"]["bindings"] if "workspace" in b["g"]["value"]]
    search = page(client, f"/search?q={secret}&lang=en")
    assert "<p>No match.</p>" in search
    assert secret not in client.get("/api/hubs?limit=100").get_data(as_text=True)
    with client.get("/dumps/l4a.nq.gz") as dumps:
        assert dumps.status_code == 200
        assert secret.encode() not in gzip.decompress(dumps.data)
    assert client.get(f"/data?graph={WORKSPACE_GRAPH}application/x").status_code in (401, 403, 404)


# -- the dashboard ------------------------------------------------------------------------


def test_the_dashboard_counts_and_links_to_the_queries(app: Flask, client: FlaskClient) -> None:
    sign_in(client)
    for lang, heading in (
        ("en", "HUBs per lifecycle stage"),
        ("fr", "HUBs par étape du cycle de vie"),
        ("es", "HUBs por etapa del ciclo de vida"),
    ):
        html = page(client, f"/workspace/dashboard?lang={lang}")
        assert heading in html
        assert scripts_are_external(html)
    html = unescape(page(client, "/workspace/dashboard?lang=en&days=400&months=400"))
    assert '<svg class="chart"' in html and 'id="chart-coverage"' in html
    links = set(re.findall(r'href="(/sparql\?named=[^"]+)"', html))
    names = {parse_qs(urlsplit(link).query)["named"][0] for link in links}
    assert names == {"hubs-by-stage", "deliverables-due", "hubs-ending-soon", "section-coverage"}
    stage_link = next(link for link in links if "stage=" in link and "connection" in link)
    query_page = client.get(stage_link, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "lifecycle-stage/connection" in unescape(query_page)
    assert 'name="days" value="400"' in html and 'name="months" value="120"' in html  # bounded
    assert "/workspace/review?lang=en#awaiting-stage-1" in html
    coverage = re.search(
        r'data-section="https://w3id.org/l4a/id/section/europe">(.*?)</g>', html, re.S
    )
    assert coverage and "section-coverage" in coverage.group(1)


def test_a_labelled_hub_shows_on_the_dashboard(app: Flask, client: FlaskClient) -> None:
    sign_in(client)

    def connection() -> int:
        html = page(client, "/workspace/dashboard?lang=en")
        bar = re.search(
            r'data-key="[^"]*lifecycle-stage/connection">.*?class="chart-count">(\d+)<', html, re.S
        )
        assert bar
        return int(bar.group(1))

    def europe_sdg11() -> int:
        rows = page(client, "/workspace/dashboard/coverage.csv").splitlines()
        header = rows[0].split(",")
        europe = next(r for r in rows if r.startswith(ns.ID + "section/europe,")).split(",")
        return int(europe[header.index("SDG 11")])

    before, cell = connection(), europe_sdg11()
    link, _ = to_stage2(app, client, title="Dashboard HUB")
    post(app.test_client(), link, **answers(title="Dashboard HUB") | STAGE2, action="submit")
    app_id = application(app, link).id
    assert decide(client, app_id, State.AWAITING_2).status_code == 303
    assert decide(client, app_id, State.AWAITING_LABEL).status_code == 303
    assert connection() == before + 1
    assert europe_sdg11() == cell + 1


@pytest.mark.parametrize("table", ["stages", "pipeline", "deliverables", "ending", "coverage"])
def test_dashboard_tables_export_as_csv(client: FlaskClient, table: str) -> None:
    response = client.get(f"/workspace/dashboard/{table}.csv?lang=fr", headers=BEARER)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="l4a-{table}.csv"' in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines and "," in lines[0]
    if table == "coverage":
        assert len(lines) >= 10 and "SDG 17" in lines[0]
    if table == "pipeline":
        assert "Brouillon, étape 1" in response.get_data(as_text=True)
    assert client.get("/workspace/dashboard/nothing.csv", headers=BEARER).status_code == 404


def test_the_query_page_binds_library_parameters(client: FlaskClient) -> None:
    stage = ns.ID + "lifecycle-stage/monitoring"
    html_page = {"Accept": "text/html"}
    html = unescape(
        client.get(
            f"/sparql?named=hubs-by-stage&stage={stage}&lang=en", headers=html_page
        ).get_data(as_text=True)
    )
    assert f"VALUES (?stage) {{ (<{stage}>) }}" in html
    wrong = unescape(
        client.get("/sparql?named=deliverables-due&days=soon&lang=en", headers=html_page).get_data(
            as_text=True
        )
    )
    assert "VALUES (?days) { (30) }" in wrong.replace(
        '"30"^^<http://www.w3.org/2001/XMLSchema#integer>', "30"
    )


# -- servers that accept no change ----------------------------------------------------------


def test_a_read_only_server_refuses_every_change(kg: KnowledgeGraph) -> None:
    app = create_app(kg, {"rate_limit": "", "read_only": True, "query_workers": 1})
    try:
        client = app.test_client()
        html = page(client, "/workspace/apply?lang=en")
        response = client.post(
            "/workspace/apply?lang=en", data=answers("en") | {"csrf_token": csrf_of(html)}
        )
        assert response.status_code == 403
        csrf = csrf_of(page(client, "/workspace/login"))
        assert (
            client.post(
                "/workspace/login", data={"csrf_token": csrf, "name": "X", "token": ""}
            ).status_code
            == 403
        )
        assert (
            client.get(
                "/workspace/review", headers={"Authorization": "Bearer anything-at-all-0"}
            ).status_code
            == 403
        )
    finally:
        app.extensions["l4a"].service.close()


def test_validations_run_one_at_a_time_and_agree(app: Flask, client: FlaskClient) -> None:
    link, _ = start(client, end_date="2030-06-30")
    draft = application(app, link)
    results: list[set[str]] = []

    def check() -> None:
        with app.app_context():
            _, errors = ws(app).check(draft, "en")
            results.append(set(errors.by_field))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"end_date"}] * 4


def test_hub_iris_never_collide(app: Flask, client: FlaskClient) -> None:
    first, _ = start(client, action="submit", title="Bilbao City of Values")  # a public HUB's
    second, _ = start(client, action="submit", title="Bilbao City of Values")
    hubs = [application(app, link).hub for link in (first, second)]
    assert hubs == [
        ns.ID + "hub/bilbao-city-of-values-2",
        ns.ID + "hub/bilbao-city-of-values-3",
    ]


def test_a_failed_final_validation_publishes_nothing(
    app: Flask, kg: KnowledgeGraph, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    link, _ = to_stage2(app, client, title="Never published")
    post(client, link, **answers(title="Never published") | STAGE2, action="submit")
    app_id = application(app, link).id
    assert decide(client, app_id, State.AWAITING_2).status_code == 303
    refused = kg.submit  # a stage-2 report with findings, as if the rules had changed

    def submit(submission: Any, *, by: str | None = None) -> Any:
        from l4a_graph.formats import by_name
        from l4a_graph.validator.intake import parse_submission

        empty = parse_submission(
            f"<{application(app, link).hub}> a <{ns.L4A}Hub> .".encode(), by_name("ttl"), name="x"
        )
        return refused(empty, by=by)

    monkeypatch.setattr(kg, "submit", submit)
    response = decide(client, app_id, State.AWAITING_LABEL)
    assert response.status_code == 422
    assert "nothing was published" in response.get_data(as_text=True)
    assert application(app, link).state is State.AWAITING_LABEL
    assert not ask(client, f"ASK {{ <{application(app, link).hub}> ?p ?o }}")["boolean"]


def test_a_draft_survives_a_restart(env: None, tmp_path: Any) -> None:
    """On disk, drafts live in the private store beside the public one."""
    path = tmp_path / "store"
    kg = KnowledgeGraph.open(path)
    kg.load_shipped()
    app = create_app(kg, {"rate_limit": "", "query_workers": 1})
    link, _ = start(app.test_client(), title="Survit au redémarrage")
    app.extensions["l4a"].service.close()
    kg.close()
    assert (path / "private").is_dir()

    kg = KnowledgeGraph.open(path)
    app = create_app(kg, {"rate_limit": "", "query_workers": 1})
    try:
        html = unescape(page(app.test_client(), link))
        assert 'value="Survit au redémarrage"' in html
    finally:
        app.extensions["l4a"].service.close()
        kg.close()
