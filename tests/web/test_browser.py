"""The live view in a real browser: Debian's Chromium, headless, driven by Playwright for Python.

Playwright's own browser download is never used (`executable_path=/usr/bin/chromium`). Without
Chromium or Playwright the test is skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kafka_fixtures import Worker, cli
from tests.web.helpers import article_files, free_port, get_json, http_get, wait_for

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
ROW = '#board tr[data-key="HUN|sanctions-russia"]'


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
def test_live_view_board_feed_and_empty_states(
    start_worker: Callable[..., Worker],
    settings,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first, second = article_files(tmp_path)
    # a headline with markup in it: it must show as text, never become an element
    article = json.loads(first.read_text())
    article["headline"] = 'Hungary says it will block <b id="injected">new EU sanctions</b> on Russia'
    article["url"] = "https://wire.example/hun-1"
    first.write_text(json.dumps(article) + "\n")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
            worker = start_worker(web_enabled=True, web_port=port)
            # as soon as the page loads: it says what the worker is doing (Tansu holds the join for seconds)
            wait_for(lambda: get_json(base + "/health")[0] in (200, 503), 60, "the worker's web server")
            page.goto(base + "/")
            empty = page.locator("#board-empty")
            expect(empty).to_have_text(re.compile("Waiting for the worker to join|No stances yet"), timeout=15_000)
            wait_for(lambda: get_json(base + "/health")[0] == 200, 60, "the worker's /health")
            expect(page.locator("#connection")).to_have_text("live", timeout=15_000)
            expect(empty).to_contain_text("No stances yet: feed some articles", timeout=15_000)
            expect(page.locator("#dlq-count")).to_have_text("0", timeout=15_000)

            assert cli("feed", str(first), settings=settings).returncode == 0
            row = page.locator(ROW)
            expect(row).to_have_attribute("data-stance", "oppose", timeout=60_000)
            expect(empty).to_be_hidden()
            expect(row).to_contain_text('<b id="injected">new EU sanctions</b>')  # as text
            assert page.locator("#injected").count() == 0
            expect(row.locator(".article a")).to_have_attribute("href", "https://wire.example/hun-1")
            expect(row).to_contain_text("2025-09-08 08:00 UTC")  # the article's publication time, in minutes

            assert cli("feed", str(second), settings=settings).returncode == 0
            expect(row).to_have_attribute("data-stance", "support", timeout=60_000)
            expect(row).to_contain_text("Hungary drops objection to Russia sanctions package")
            expect(row).to_contain_text("test wire")
            expect(row).to_contain_text("2025-09-11 15:30 UTC")
            reversal = page.locator('#feed li[data-kind="reversal"]')
            expect(reversal).to_have_count(1, timeout=10_000)
            expect(reversal).to_contain_text("HUN on Sanctions on Russia: oppose → support")
            expect(reversal).to_contain_text("2025-09-11 15:30 UTC")
            expect(reversal.locator(".article")).to_contain_text("test wire", timeout=15_000)
            expect(reversal.locator(".article")).to_contain_text("Hungary drops objection")
            # one entry per change: the alert it raised is its severity tag, not an entry of its own
            expect(reversal).to_have_attribute("data-rule", "stance-reversal", timeout=15_000)
            expect(reversal.locator(".sev")).to_have_text("high")
            expect(page.locator("#feed li")).to_have_count(2)
            expect(page.locator("#backlog")).to_have_text("all processed", timeout=30_000)

            def caught_up_after_the_feed() -> dict | None:  # /health samples the lag every 5 s: the pill's
                # "all processed" can come from a sample taken before anything was fed, and a sample taken
                # after it from before the last commit (both seen in CI)
                stages = {s["stage"]: s for s in get_json(base + "/health")[1]["stages"]}
                consumed = stages["extract"]["consumed"]
                return stages if consumed and not any(stage["waiting"] for stage in stages.values()) else None

            stages = wait_for(caught_up_after_the_feed, 30, "a lag sample with every stage caught up after the feed")
            assert "alert-contested" in stages  # the default rules' contested rule reads stance.changes.by-topic
            assert stages["extract"]["drain_rate"] is not None and "deliver" not in stages  # no routes here
            scraped = http_get(base + "/metrics")[1].decode()
            assert 'stancewire_stage_waiting{stage="extract"' in scraped
            assert 'stancewire_stage_drain_rate{stage="track"' in scraped

            # actors and topics as chips, sorted by activity; a chip filters the board
            expect(page.locator("#actors .chip").first).to_contain_text("HUN")
            page.locator("#topics .chip").first.click()
            expect(page.locator("#topics .chip.selected")).to_have_count(1)
            expect(page.locator("#board tbody tr")).to_have_count(1)
            page.fill("#filter-text", "no such thing")
            expect(empty).to_have_text("No pair matches the filters.")
            page.click("#filter-clear")
            expect(row).to_be_visible()

            row.click()  # the evidence, its article and the history of the pair
            expect(page.locator("#detail")).to_be_visible()
            expect(page.locator("#detail-evidence")).to_contain_text("We support the new sanctions")
            expect(page.locator("#detail-article")).to_contain_text("Hungary drops objection")
            expect(page.locator("#detail-history li")).to_have_count(2)

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "live-view.png"), full_page=True)
            assert not outside, f"the page loaded from elsewhere: {outside}"
        finally:
            browser.close()
    assert worker.alive()
