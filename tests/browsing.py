"""What the Chromium tests share: the app under waitress on 127.0.0.1, headless
Chromium, screenshots and the Content-Security-Policy violations it reported.

Used by ``tests/test_browser.py`` (the site) and ``tests/test_workspace_browser.py``
(the workspace); both are skipped when Chromium or its driver is not installed.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from l4a_graph import KnowledgeGraph
from l4a_graph.resources import project_root
from l4a_graph.web import SETTINGS, create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTIFACTS = project_root() / "test-artifacts"
WAIT = 30
"""Seconds a test waits for something to show in the page."""

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="chromium and chromium-driver are not installed"
)


@contextmanager
def serving(dumps: Path, config: Mapping[str, Any]) -> Iterator[str]:
    """The app over the shipped data under waitress on a free port; yields the base URL.

    No ``L4A_*`` setting of the environment leaks in; the dumps go to ``dumps``.
    """
    import waitress

    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            patch.delenv(setting.env, raising=False)
        patch.setenv("L4A_DUMPS_DIR", str(dumps))
        kg = KnowledgeGraph()
        kg.load_shipped()
        app = create_app(kg, {"rate_limit": "", **config})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    httpd = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=httpd.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.close()
        app.extensions["l4a"].service.close()
        kg.close()


@contextmanager
def chromium(*flags: str) -> Iterator[Any]:
    """Headless Chromium through its driver, with the browser log kept for the tests."""
    from selenium import webdriver

    profile = tempfile.mkdtemp(prefix="l4a-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
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
        *flags,
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    try:
        yield driver
    finally:
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
