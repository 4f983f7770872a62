"""The report over conversations held with the real servers, and the page the Rasa server serves at /insights/.

The same conversations written by tools/insights_sample.py give the same figures, so the generated
stores of the other tests (and of `make insights --sample`) are stored as the server stores them.
"""
from __future__ import annotations

import dataclasses
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import sync_playwright

from bot import interview, knowledge
from insights.events import Period
from insights.figures import Figures
from insights.report import build
from tests.support.chat import text_of
from tools.harness.servers import Servers, running_servers
from tools.insights_sample import Script, write

pytestmark = [pytest.mark.e2e, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
RESULTS = ROOT / "results" / "insights"
TOKEN = secrets.token_hex(32)
RS, EN = "ai_research_scientist", "ai_engineer"

ANN = [  # (message, what the assistant does with it)
    ("what skills does an AI engineer need?", "answer"),
    ("and research scientists?", "answer"),
    ("how much do they earn?", "declined"),
    ("what is the weather in paris", "out of scope"),
    ("/start_interview", "question"),
    ('/inform{"choice":"theory"}', "question"),
    ("I like stuff", "re-ask"),
    ("building apps people use", "question"),
    ("mathematics and analysis", "question"),
    ('/inform{"choice":"phd"}', "question"),
    ("an academic research lab", "question"),
    ("eventually lead a research team", "result"),
]
BOB = ["which role suits me?", '/inform{"choice":"practice"}', '/inform{"choice":"systems"}', "stop", "yes",
       "Was verdient ein KI-Ingenieur?"]


def same_conversations(start: float) -> list[Script]:
    """ANN and BOB as tools/insights_sample.py writes them."""
    kb, data = knowledge.load(), interview.load()
    ann = Script("rest:ann", start=start, kb=kb, interview=data)
    ann.ask("what skills does an AI engineer need?", role=EN, aspect="skills")
    ann.ask("and research scientists?", role=RS, aspect="skills", intent="ask_followup")
    ann.decline("how much do they earn?", topic="pay", role=RS).out_of_scope("what is the weather in paris")
    ann.start_interview().answer("theory").answer("systems", typed="building apps people use", unclear="I like stuff")
    ann.answer("analytical", typed="mathematics and analysis").answer("phd")
    ann.answer("academia", typed="an academic research lab").answer("research_lead", typed="eventually lead a research team")
    bob = Script("rest:bob", start=start + 60, kb=kb, interview=data)
    bob.start_interview("which role suits me?").answer("practice").answer("systems").stop()
    bob.not_english("Was verdient ein KI-Ingenieur?")
    return [ann, bob]


@pytest.fixture(scope="module")
def servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(model=trained_model, log_dir=tmp_path_factory.mktemp("insights-servers"),
                         extra_env={"INSIGHTS_TOKEN": TOKEN}) as running:
        yield running


@pytest.fixture(scope="module")
def held(servers: Servers) -> list[list[dict[str, object]]]:
    replies = [servers.say("ann", message) for message, _ in ANN]
    replies += [servers.say("bob", message) for message in BOB]
    return replies


def get(servers: Servers, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(servers.rasa_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def database(servers: Servers) -> str:
    return f"sqlite:///{servers.log_dir / 'var' / 'conversations.db'}"


def comparable(figures: Figures) -> dict[str, object]:
    """Everything but reply times and intents (the classifier's, which the generated store takes as given)."""
    kept = dataclasses.asdict(figures)
    del kept["speed"], kept["intents"]
    return kept


def test_the_result_shows_the_match_as_bars(held: list[list[dict[str, object]]]) -> None:
    result = text_of(held[len(ANN) - 1])
    assert "My recommendation: AI Research Scientist" in result
    bars = re.search(r"Match with your answers:\n([█░]{10}) (\d+)% AI Research Scientist\n([█░]{10}) (\d+)% AI Engineer\n", result)
    assert bars is not None, result
    for bar, percent in ((bars[1], bars[2]), (bars[3], bars[4])):
        assert bar.count("█") == max(round(int(percent) / 10), 1 if int(percent) else 0)


def test_the_report_counts_what_happened(servers: Servers, held: list[list[dict[str, object]]]) -> None:
    insights = build(sa.create_engine(database(servers)), Period(0, 2**32))
    rest = insights.channel("rest")
    assert (rest.conversations, rest.messages, rest.returning) == (2, len(ANN) + len(BOB), 0)
    assert {(u.kind, u.label, u.count) for u in rest.unanswered} == {
        ("declined", "pay and salaries", 1), ("out of scope", "what is the weather in paris", 1),
        ("not in English", "Was verdient ein KI-Ingenieur?", 1)}
    funnel = rest.funnel
    assert (funnel.started, funnel.completed, funnel.stopped) == (2, 1, 1)
    assert [q.stopped for q in funnel.questions] == [0, 0, 1, 0, 0, 0]  # at question 3
    assert (funnel.by_button, funnel.typed, funnel.reasked) == (4, 4, 1)
    assert [(c.label, c.count) for c in rest.results.verdicts if c.count] == [("AI Research Scientist", 1)]
    assert rest.speed.turns == len(ANN) + len(BOB) and 0 < (rest.speed.p50_ms or 0) <= (rest.speed.p95_ms or 0)
    assert rest.speed.apologies == 0


def test_the_generated_store_of_the_same_conversations_gives_the_same_figures(
        servers: Servers, held: list[list[dict[str, object]]], tmp_path: Path) -> None:
    real = build(sa.create_engine(database(servers)), Period(0, 2**32)).channel("rest")
    url = f"sqlite:///{tmp_path / 'generated.db'}"
    write(sa.create_engine(url), same_conversations(start=1_800_000_000.0))
    generated = build(sa.create_engine(url), Period(0, 2**32)).channel("rest")
    assert comparable(generated) == comparable(real)


def test_the_server_serves_the_page_only_with_the_token(servers: Servers, held: list[list[dict[str, object]]]) -> None:
    assert get(servers, "/insights/", {})[0] == 401
    assert get(servers, "/insights/", {"Authorization": f"Bearer {secrets.token_hex(32)}"})[0] == 401
    status, headers, body = get(servers, "/insights/", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and "what is the weather in paris" in body and "rest:ann" not in body
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_browser_opens_it_with_the_token_as_password(servers: Servers, held: list[list[dict[str, object]]]) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is missing ({CHROMIUM}): `make test` installs it")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            refused = browser.new_context(http_credentials={"username": "owner", "password": secrets.token_hex(32)})
            assert refused.request.get(servers.rasa_url + "/insights/").status == 401
            context = browser.new_context(http_credentials={"username": "owner", "password": TOKEN},
                                          viewport={"width": 1280, "height": 900})
            view = context.new_page()
            requested: list[str] = []
            view.on("request", lambda request: requested.append(request.url))
            assert view.goto(servers.rasa_url + "/insights/").status == 200  # type: ignore[union-attr]
            assert view.locator("#panel-all").is_visible() and "what is the weather in paris" in view.content()
            assert all(url.startswith(servers.rasa_url) for url in requested)
            view.screenshot(path=str(RESULTS / "served.png"), full_page=True)
        finally:
            browser.close()
