"""The report page: in Chromium it loads nothing but itself and shows every channel's tab; what people typed is escaped and masked.

Debian's Chromium through Playwright, headless (as tests/channels/test_browser.py); the screenshot
goes to results/insights/.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Playwright, sync_playwright

from insights import page, tables
from insights.report import Insights, build
from tests.support import known_conversations as known
from tools.insights_sample import Script, write

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RESULTS = ROOT / "results" / "insights"


@pytest.fixture(scope="module")
def insights(tmp_path_factory: pytest.TempPathFactory) -> Insights:
    url = f"sqlite:///{tmp_path_factory.mktemp('insights') / 'conversations.db'}"
    scripts = known.scripts()
    hostile = Script("rest:mallory", start=known.START + 7200, kb=scripts[0].kb, interview=scripts[0].interview)
    hostile.out_of_scope('<script>alert("x")</script> <img src="https://example.org/t.png"> write to eve@example.org')
    write(sa.create_engine(url), [*scripts, hostile])
    return build(sa.create_engine(url), known.PERIOD)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is missing ({CHROMIUM}): `make test` installs it, or run `apt-get install -y chromium`")
    with sync_playwright() as running:
        yield running


def test_the_page_references_nothing_outside_itself(insights: Insights) -> None:
    html = page.render(insights).html
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", html, re.IGNORECASE)
    assert "<script" not in html.lower() and "@import" not in html and "url(" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html  # what was typed, shown as text
    assert "eve@example.org" not in html and "[e-mail]" in html and "jo.doe@example.com" not in html
    assert not any(sender in html for sender in ("rest:ann", "rest:bob", "widget:k1", "widget:k3", "mallory"))


def test_the_policy_allows_the_page_its_own_style_sheet_and_nothing_else(insights: Insights) -> None:
    rendered = page.render(insights)
    assert rendered.policy.startswith("default-src 'none'; style-src 'sha256-")
    assert f'content="{escape(rendered.policy)}"' in rendered.html
    assert "script-src" not in rendered.policy and "connect-src" not in rendered.policy


def test_in_chromium_it_loads_nothing_else_and_every_channel_has_its_tab(insights: Insights, playwright: Playwright,
                                                                         tmp_path: Path) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    file = RESULTS / "insights.html"
    file.write_text(page.render(insights).html, encoding="utf-8")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        view = browser.new_page(viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        problems: list[str] = []
        view.on("request", lambda request: requested.append(request.url))
        view.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
        view.on("pageerror", lambda error: problems.append(str(error)))
        view.goto(file.as_uri())
        view.wait_for_load_state("load")
        assert requested == [file.as_uri()] and problems == []  # no request, not even one refused by the policy
        view.screenshot(path=str(RESULTS / "page.png"), full_page=True)
        for figures in insights.channels:
            view.click(f"label[for=tab-{figures.channel}]")
            panel = view.locator(f"#panel-{figures.channel}")
            assert panel.is_visible()
            assert panel.locator(".card b").first.inner_text() == f"{figures.conversations:,}"
            assert sum(view.locator(f"#panel-{other.channel}").is_visible() for other in insights.channels) == 1
        view.click("label[for=tab-widget]")
        shown = view.locator("#panel-widget").inner_text()
        assert "weather today?" in shown and "mail me at [e-mail] or call [phone]" in shown
        view.screenshot(path=str(RESULTS / "page-widget.png"), full_page=True)
    finally:
        browser.close()


def test_the_terminal_tables_say_the_same(insights: Insights) -> None:
    text = tables.render(insights)
    assert re.search(r"\n  conversations +6 +3 +3 +0\n", text)
    assert "What it could not answer: 11 messages (out of scope 5, not understood 2, declined 3, not in English 1)" in text
    assert "Interview: started 3, completed 2 (67%), stopped 1, started over 0, unfinished 0" in text
    assert "3. strengths" in text and "p50 150 ms, p95 1,000 ms over 37 turns" in text
    assert "eve@example.org" not in text and "rest:" not in text
