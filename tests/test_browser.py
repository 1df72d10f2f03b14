"""The site in headless Chromium, against a real waitress server on 127.0.0.1.

Skipped only when Chromium or its driver is not installed (CI installs both). Every
page is served with the site's Content-Security-Policy, so these tests also show that
the vendored YASGUI and Leaflet work under it. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browsing import WAIT, chromium, csp_violations, needs_chromium, screenshot, serving
from l4a_graph.resources import project_root

pytestmark = needs_chromium

webdriver: Any = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``l4a serve``'s app under waitress on a free port; yields the base URL."""
    with serving(tmp_path_factory.mktemp("dumps"), {}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def test_query_ui_runs_a_query_and_shows_rows(server: str, browser: Any) -> None:
    browser.get(f"{server}/sparql?lang=en")
    wait = WebDriverWait(browser, WAIT)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".yasqe")))
    question = browser.find_element(By.CSS_SELECTOR, 'a.question[data-name="lead-lrgs"]')
    question.click()
    editor = browser.execute_script(
        "return document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()"
    )
    assert "PREFIX l4a:" in editor
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr") or False)
    assert len(rows) >= 5
    screenshot(browser, "query-ui")
    assert not csp_violations(browser)


def test_language_switcher_changes_the_page_language(server: str, browser: Any) -> None:
    browser.get(f"{server}/id/hub/xian-youth-education-dialogue?lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.CSS_SELECTOR, 'nav.languages a[hreflang="fr"]').click()
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    )
    assert "Parties prenantes" in browser.find_element(By.TAG_NAME, "main").text
    screenshot(browser, "hub-fr")
    browser.find_element(By.CSS_SELECTOR, 'nav.languages a[hreflang="es"]').click()
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    )
    assert "Partes interesadas" in browser.find_element(By.TAG_NAME, "main").text


def test_map_shows_a_marker_for_each_hub_with_coordinates(server: str, browser: Any) -> None:
    browser.get(f"{server}/map?lang=en")
    placed = browser.find_elements(By.CSS_SELECTOR, "#placed li")
    assert placed
    wait = WebDriverWait(browser, WAIT)
    markers = wait.until(
        lambda b: (
            len(b.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon")) == len(placed)
            and b.find_elements(By.CSS_SELECTOR, ".leaflet-marker-icon")
        )
    )
    assert len(markers) == len(placed)
    # The world outline came from the vendored atlas (drawn as SVG paths).
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")) > 100)
    screenshot(browser, "map")
    assert not csp_violations(browser)


def test_home_and_hub_pages_render(server: str, browser: Any) -> None:
    browser.get(f"{server}/?lang=es")
    assert len(browser.find_elements(By.CSS_SELECTOR, "a.goal")) == 17
    screenshot(browser, "home-es")
    browser.get(f"{server}/id/hub/bilbao-city-of-values?lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "figure.timeline svg")
    screenshot(browser, "hub-bilbao")
    browser.get(f"{server}/def?lang=en")
    screenshot(browser, "ontology")
    assert not csp_violations(browser)


def test_artifacts_folder_is_ignored_by_git() -> None:
    ignored = (project_root() / ".gitignore").read_text(encoding="utf-8").split()
    assert "test-artifacts/" in ignored
