"""In a real browser: Debian's Chromium, headless, driven by Playwright, on the demo page the bot serves.

Chromium comes from apt (`make test` installs it: scripts/apt-install.sh); Playwright's own
browser downloads are never used. Screenshots go to results/browser/.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from tests.support import conversation as script
from tests.support.chat import QUESTIONS, asked, text_of
from tools.harness.servers import ROOT, Servers

pytestmark = [pytest.mark.e2e, pytest.mark.model]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "results" / "browser"
WAIT = 90.0  # for a turn: the widget also types each message out with a short delay

# Bot messages as the widget shows them, in the REST channel's shape (text and button titles).
READ_BOT_MESSAGES = """() => Array.from(document.querySelectorAll('.rw-from-response .rw-response')).map(r => ({
    text: r.querySelector('.rw-message-text')?.innerText ?? '',
    buttons: Array.from(r.parentElement.querySelectorAll(':scope > .rw-replies .rw-reply')).map(b => ({title: b.innerText})),
}))"""


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is missing ({CHROMIUM}): `make test` installs it, or run `apt-get install -y chromium`")
    with sync_playwright() as running:
        yield running


@pytest.fixture
def browser(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A fresh profile, as a first-time visitor has."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1000, "height": 900},
    )
    yield context
    context.close()


def stored_session_id(page: Page) -> str | None:
    """The session id the widget keeps in the browser (rasa-webchat's `chat_session` entry)."""
    session_id: str | None = page.evaluate("() => JSON.parse(localStorage.getItem('chat_session') || '{}').session_id")
    return session_id


class Widget:
    """The demo page with the chat widget, read and used the way a visitor would."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.url = page, url
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.errors: list[str] = []
        self.loads = 0  # documents the page has loaded
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("load", self._loaded)
        page.on("websocket", lambda socket: self.websockets.append(socket.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _loaded(self, _: Page) -> None:
        self.loads += 1

    def visit(self) -> None:
        self.page.goto(self.url)
        self.open()

    def reload(self) -> None:
        """Reload the page, as a visitor does, and open the widget again, without loading the page a second time."""
        self.page.reload()
        self.open()

    def open(self) -> None:
        launcher = self.page.locator(".rw-launcher")
        launcher.wait_for(timeout=WAIT * 1000)
        if not self.page.locator(".rw-conversation-container").is_visible():
            launcher.click()

    def bot_messages(self) -> script.Messages:
        messages: script.Messages = self.page.evaluate(READ_BOT_MESSAGES)
        return messages

    def wait_for(self, until: Callable[[script.Messages], bool], *, since: int, what: str) -> script.Messages:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            messages = self.bot_messages()[since:]
            if until(messages):
                return messages
            time.sleep(0.2)
        raise AssertionError(f"the widget did not show {what} in {WAIT:.0f}s; it shows: {text_of(self.bot_messages()[since:])!r}")

    def type(self, text: str, until: Callable[[script.Messages], bool]) -> script.Messages:
        since = len(self.bot_messages())
        self.page.fill(".rw-new-message", text)
        self.page.keyboard.press("Enter")
        return self.wait_for(until, since=since, what=f"a reply to {text!r}")

    def click(self, title: str, until: Callable[[script.Messages], bool]) -> script.Messages:
        since = len(self.bot_messages())
        self.page.locator(".rw-replies .rw-reply").get_by_text(title, exact=True).last.click()
        return self.wait_for(until, since=since, what=f"a reply to the button {title!r}")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / name))


def test_the_scripted_conversation_in_the_widget_survives_a_reload(servers: Servers, browser: BrowserContext) -> None:
    widget = Widget(browser.new_page(), servers.rasa_url + "/webchat/")
    widget.visit()
    menu = widget.wait_for(script.offers(script.START_BUTTON), since=0, what="the greeting with its menu")
    assert 3 <= len(script.button_titles(menu)) <= 5

    reply = widget.click(script.START_BUTTON, until=script.next_step)
    for _ in script.CLICKS:
        reply = widget.click(script.next_click(reply), until=script.next_step)
    assert script.RESULT in text_of(reply) and "Here's what you told me" in text_of(reply)
    widget.type(script.ROLE_QUESTION, until=script.says(script.ROLE_ANSWER))
    follow_up = widget.type(script.FOLLOW_UP, until=script.says(script.FOLLOW_UP_ANSWER))
    assert "AI Research Scientist:" not in text_of(follow_up)
    widget.screenshot("conversation.png")
    before = text_of(widget.bot_messages())
    session = stored_session_id(widget.page)
    assert session

    widget.reload()
    widget.wait_for(lambda shown: text_of(shown) == before, since=0, what="the whole conversation again")
    assert stored_session_id(widget.page) == session
    again = widget.type("why?", until=script.says(script.WHY))  # the server kept the conversation too
    assert "you said" in text_of(again)
    widget.screenshot("after-reload.png")

    local = servers.rasa_url.replace("http://", "")
    assert all(url.startswith(servers.rasa_url) or url.startswith("data:") for url in widget.requests), widget.requests
    assert widget.websockets and all(url.startswith(f"ws://{local}/socket.io/") for url in widget.websockets)
    # One load per visit. A page left while its widget was still connecting (as when the reload was
    # followed by a second navigation) logs "WebSocket connection ... failed: ... 400": it closes its
    # engine.io session on unload, and the server then refuses the upgrade of that closed session.
    assert widget.loads == 2, f"the page was loaded {widget.loads} times, not twice (a visit and a reload)"
    assert not widget.errors


INJECTED = '<i>build practical solutions</i> <img src=x onerror="window.injected = 1">'


def test_text_from_users_is_never_rendered_as_html(servers: Servers, browser: BrowserContext) -> None:
    widget = Widget(browser.new_page(), servers.rasa_url + "/webchat/")
    widget.visit()
    widget.wait_for(script.offers(script.START_BUTTON), since=0, what="the greeting with its menu")
    reply = widget.click(script.START_BUTTON, until=script.next_step)
    assert asked(reply) == "goal"
    reply = widget.type(INJECTED, until=script.next_step)  # the summary at the end quotes it back
    for _ in range(len(QUESTIONS) - 1):
        reply = widget.click("Not sure", until=script.next_step)
    assert f"“{INJECTED}”" in text_of(reply)  # in the bot's summary, as the visitor typed it
    conversation = widget.page.locator(".rw-messages-container")
    assert conversation.locator(".rw-client").filter(has_text=INJECTED).count() == 1
    assert conversation.locator("img[src='x'], i").count() == 0
    assert widget.page.evaluate("() => window.injected") is None


LINKED = "build practical solutions [click me](javascript:window.injected=2) *now* a_b_c"


def test_markdown_from_users_never_becomes_a_link(servers: Servers, browser: BrowserContext) -> None:
    widget = Widget(browser.new_page(), servers.rasa_url + "/webchat/")
    widget.visit()
    widget.wait_for(script.offers(script.START_BUTTON), since=0, what="the greeting with its menu")
    reply = widget.click(script.START_BUTTON, until=script.next_step)
    reply = widget.type(LINKED, until=script.next_step)
    for _ in range(len(QUESTIONS) - 1):
        reply = widget.click("Not sure", until=script.next_step)
    assert f"“{LINKED}”" in text_of(reply)  # quoted back as typed, brackets, stars and underscores too
    conversation = widget.page.locator(".rw-messages-container")
    assert conversation.locator("a").filter(has_text="click me").count() == 0
    assert conversation.locator("a[href^='javascript' i]").count() == 0
    quoted = conversation.locator(".rw-response").filter(has_text="click me")
    assert quoted.count() >= 1 and quoted.locator("em, strong, a").count() == 0

