"""The workspace in headless Chromium, against a real waitress server on 127.0.0.1.

An applicant fills the form in French with one mistake, sees the French error at the
field, fixes it and submits; the Secretariat signs in and accepts stage 1; the applicant
answers stage 2 (adding a row with the page's script); the Secretariat accepts it and
awards the label; the HUB is then on the site, in the endpoint and on the dashboard.
The fixtures follow ``tests/test_browser.py`` (skipped without chromium and its driver);
screenshots go to ``test-artifacts/``. Every page runs under the site's
Content-Security-Policy, and none may report a violation.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from browsing import (
    ARTIFACTS,
    WAIT,
    chromium,
    csp_violations,
    needs_chromium,
    screenshot,
    serving,
)

TOKEN = "browser-test-token-0123456789"

pytestmark = needs_chromium

webdriver: Any = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

HUB = "ville-d-exemple-corridors-verts"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, with a write token, under waitress on a free port; yields the base URL."""
    with serving(
        tmp_path_factory.mktemp("dumps"), {"write_token": TOKEN, "query_workers": 1}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium("--lang=fr") as driver:
        yield driver


def type_into(browser: Any, field_id: str, text: str) -> None:
    element = browser.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def press(browser: Any, selector: str) -> None:
    """Click a submit button and wait for the next page."""
    old = browser.find_element(By.TAG_NAME, "html")
    button = browser.find_element(By.CSS_SELECTOR, selector)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(browser, WAIT).until(expected_conditions.staleness_of(old))


def sign_in(browser: Any, server: str) -> None:
    browser.delete_all_cookies()  # the Secretariat, in its own session
    browser.get(f"{server}/workspace/login?lang=fr")
    type_into(browser, "f-name", "Awa Diallo")
    type_into(browser, "f-token", TOKEN)
    press(browser, "form.login button[type=submit]")


def decide(browser: Any, server: str, title: str) -> None:
    """From the queue, open the application titled ``title`` and accept it."""
    browser.get(f"{server}/workspace/review?lang=fr")
    row = browser.find_element(By.XPATH, f"//tr[td[contains(., '{title}')]]")
    old = browser.find_element(By.TAG_NAME, "html")
    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, WAIT).until(expected_conditions.staleness_of(old))
    type_into(browser, "f-comment", "Conforme, merci.")
    press(browser, 'button[name="decision"][value="accept"]')
    assert "Décision enregistrée" in browser.find_element(By.TAG_NAME, "main").text


def sparql(server: str, query: str) -> Any:
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def test_apply_in_french_review_and_publish(server: str, browser: Any) -> None:
    wait = WebDriverWait(browser, WAIT)
    # -- the applicant, stage 1, with one mistake ----------------------------------------
    browser.get(f"{server}/workspace/apply?lang=fr")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    type_into(browser, "f-title", "Ville d'Exemple – Corridors verts")
    type_into(browser, "f-description", "Relier les parcs de la ville par des corridors verts.")
    browser.find_element(By.CSS_SELECTOR, 'input[name="lead_mode"][value="new"]').click()
    assert not browser.find_element(By.ID, "f-lead_existing").is_displayed()  # the script hid it
    type_into(browser, "f-lead_name", "Ville d'Exemple")
    Select(browser.find_element(By.ID, "f-country")).select_by_value("FR")
    Select(browser.find_element(By.ID, "f-section")).select_by_value("europe")
    type_into(browser, "f-territory", "Exempleville")
    # Targets, searched as one types, by words of their French text.
    type_into(browser, "f-q", "urbanisation durable")
    target = browser.find_element(By.CSS_SELECTOR, 'li[data-code="11.3"]')
    wait.until(lambda b: target.is_displayed())
    assert not browser.find_element(By.CSS_SELECTOR, 'li[data-code="1.1"]').is_displayed()
    target.find_element(By.TAG_NAME, "input").click()
    assert browser.find_element(By.ID, "selected-targets").text == "11.3"
    browser.find_element(By.CSS_SELECTOR, 'input[name="axes"][value="planet"]').click()
    type_into(browser, "f-start_date", "2025-01-01")
    type_into(browser, "f-end_date", "2029-12-31")  # the mistake: five years
    type_into(browser, "f-contact_name", "Camille Martin")
    type_into(browser, "f-contact_email", "camille@example.org")
    screenshot(browser, "workspace-form-fr")
    press(browser, 'button[name="action"][value="submit"]')

    error = browser.find_element(By.ID, "err-end_date")
    assert "plus de trois ans" in error.text
    assert (
        browser.find_element(By.ID, "f-end_date").get_attribute("aria-describedby")
        == "err-end_date"
    )
    # Nothing was lost.
    assert (
        browser.find_element(By.ID, "f-title").get_attribute("value").startswith("Ville d'Exemple")
    )
    assert browser.find_element(
        By.CSS_SELECTOR, 'input[name="targets"][value="11.3"]'
    ).is_selected()
    assert browser.find_element(By.ID, "f-lead_name").get_attribute("value") == "Ville d'Exemple"
    screenshot(browser, "workspace-error-fr")

    type_into(browser, "f-end_date", "2027-06-30")
    press(browser, 'button[name="action"][value="submit"]')
    assert "En attente de validation de l'étape 1" in browser.find_element(By.ID, "state").text
    draft = browser.current_url

    # -- the Secretariat accepts stage 1 -------------------------------------------------
    sign_in(browser, server)
    decide(browser, server, "Corridors verts")

    # -- the applicant, stage 2 ------------------------------------------------------------
    browser.delete_all_cookies()
    browser.get(draft)
    assert "Étape 2" in browser.find_element(By.CSS_SELECTOR, "h2.stage-heading").text
    assert "Conforme, merci." in browser.find_element(By.TAG_NAME, "main").text
    rows = browser.find_elements(By.CSS_SELECTOR, 'ol[data-rows="stakeholder"] li.row')
    browser.find_element(By.CSS_SELECTOR, '[data-add-row="stakeholder"]').click()  # no reload
    assert (
        len(browser.find_elements(By.CSS_SELECTOR, 'ol[data-rows="stakeholder"] li.row'))
        == len(rows) + 1
    )
    type_into(browser, "f-stakeholder-0-name", "Université d'Exemple")
    Select(browser.find_element(By.ID, "f-stakeholder-0-kind")).select_by_value(
        "UniversityOrResearchCentre"
    )
    Select(browser.find_element(By.ID, "f-stakeholder-0-role")).select_by_value("partner")
    type_into(browser, "f-stakeholder-1-name", "Réseau des quartiers d'Exemple")
    Select(browser.find_element(By.ID, "f-stakeholder-1-role")).select_by_value("supporter")
    type_into(browser, "f-deliverable-0-title", "Carte des corridors")
    type_into(browser, "f-deliverable-0-due", "2026-03-31")
    Select(browser.find_element(By.ID, "f-deliverable-0-status")).select_by_value("planned")
    screenshot(browser, "workspace-stage2-fr")
    press(browser, 'button[name="action"][value="submit"]')
    assert "En attente de validation de l'étape 2" in browser.find_element(By.ID, "state").text

    # -- the Secretariat accepts stage 2, then awards the label ----------------------------
    sign_in(browser, server)
    decide(browser, server, "Corridors verts")
    press(browser, 'button[name="decision"][value="accept"]')  # the label, same page
    assert "Labellisé" in browser.find_element(By.ID, "state").text
    screenshot(browser, "workspace-labelled-fr")

    # -- the HUB is public: the site, the endpoint, the dashboard ---------------------------
    browser.get(f"{server}/id/hub/{HUB}?lang=fr")
    assert "Corridors verts" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Université d'Exemple" in browser.find_element(By.TAG_NAME, "main").text
    hub = f"https://w3id.org/l4a/id/hub/{HUB}"
    assert sparql(server, f"ASK {{ <{hub}> a l4a:Hub ; l4a:hasLead ?lead }}")["boolean"] is True
    assert sparql(server, "ASK { ?s ?p <mailto:camille@example.org> }")["boolean"] is False

    browser.get(f"{server}/workspace/dashboard?lang=fr")
    bar = browser.find_element(By.CSS_SELECTOR, 'g.bar[data-key$="/connection"] .chart-count')
    assert bar.text == "1"
    screenshot(browser, "workspace-dashboard-fr")
    browser.find_element(By.ID, "coverage").screenshot(str(ARTIFACTS / "workspace-coverage-fr.png"))
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, 'g.bar[data-key$="/connection"] a').click()
    wait.until(expected_conditions.staleness_of(old))
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe")))
    editor = browser.execute_script(
        "return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()"
    )
    assert "lifecycle-stage/connection" in editor
    assert not csp_violations(browser)
