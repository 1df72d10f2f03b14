"""The site in headless Chromium, against a real waitress server on 127.0.0.1.

Skipped only when Chromium or its driver is not installed (CI installs both). Every
page is served with the site's Content-Security-Policy, so these tests also show that
the vendored YASGUI and Leaflet work under it. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from l4a_graph import KnowledgeGraph
from l4a_graph.resources import project_root
from l4a_graph.web import SETTINGS, create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTIFACTS = project_root() / "test-artifacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="chromium and chromium-driver are not installed"
)

webdriver: Any = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``l4a serve``'s app under waitress on a free port; yields the base URL."""
    import waitress

    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(tmp_path_factory.mktemp("dumps")))
        kg = KnowledgeGraph()
        kg.load_shipped()
        app = create_app(kg, {"rate_limit": ""})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.close()
    app.extensions["l4a"].service.close()
    kg.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="l4a-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def screenshot(browser: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def csp_violations(browser: Any) -> list[str]:
    """Console errors that say the Content-Security-Policy blocked something."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


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
