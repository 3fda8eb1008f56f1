"""The live view in a real browser: Debian's Chromium, headless, driven by Playwright for Python.

Playwright's own browser download is never used (`executable_path=/usr/bin/chromium`). Without
Chromium or Playwright the test is skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kafka_fixtures import Worker, cli
from tests.web.helpers import article_files, free_port, get_json, wait_for

pytestmark = pytest.mark.kafka

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CELL = '#grid td[data-key="HUN|sanctions-russia"]'


def require_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed (pip install playwright)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test cannot run: {missing}")
        pytest.skip(missing)


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
def test_grid_and_live_feed_update_when_a_stance_reverses(
    start_worker: Callable[..., Worker],
    settings,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    worker = start_worker(web_enabled=True, web_port=port)
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: get_json(base + "/health")[0] == 200, 60, "the worker's /health")
    first, second = article_files(tmp_path)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
            page.goto(base + "/")
            expect(page.locator("#connection")).to_have_text("live", timeout=15_000)
            expect(page.locator("#dlq-count")).to_have_text("0", timeout=15_000)

            assert cli("feed", str(first), settings=settings).returncode == 0
            cell = page.locator(CELL)
            expect(cell).to_have_attribute("data-stance", "oppose", timeout=60_000)
            expect(page.locator('#feed li[data-kind="new"]').first).to_be_visible()

            assert cli("feed", str(second), settings=settings).returncode == 0
            expect(cell).to_have_attribute("data-stance", "support", timeout=60_000)
            reversal = page.locator('#feed li[data-kind="reversal"]')
            expect(reversal).to_have_count(1, timeout=10_000)
            expect(reversal).to_contain_text("HUN")
            expect(page.locator('#feed li[data-rule="stance-reversal"]')).to_have_count(1, timeout=15_000)
            assert "We support the new sanctions" in (cell.get_attribute("title") or "")

            cell.click()  # the evidence and the history of the pair
            expect(page.locator("#detail")).to_be_visible()
            expect(page.locator("#detail-evidence")).to_contain_text("We support the new sanctions")
            expect(page.locator("#detail-history li")).to_have_count(2)

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "live-view.png"), full_page=True)
            assert not outside, f"the page loaded from elsewhere: {outside}"
        finally:
            browser.close()
    assert worker.alive()
