"""A tracker store of known conversations, written as the Rasa server writes them, and the figures they must give.

Two channels (REST and the widget), five conversations in the period and one visit before it:
questions and follow-ups, a comparison, pay and hours declined, out-of-scope requests in several
phrasings, the fallback twice, a message in German, an e-mail address, an apology for a failed
action, an interview completed with buttons and typed answers (one re-asked), one stopped at
question 3, one completed with "not sure" throughout (a tie), and a person back two days later.
"""
from __future__ import annotations

from datetime import datetime, timezone

from bot import interview, knowledge
from insights.events import Period
from tools.insights_sample import Script

RS, EN = "ai_research_scientist", "ai_engineer"
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc).timestamp()
PERIOD = Period(START, START + 10 * 86400)
HOUR = 3600.0


def scripts() -> list[Script]:
    kb, data = knowledge.load(), interview.load()

    def script(sender: str, hours: float) -> Script:
        return Script(sender, start=START + hours * HOUR, kb=kb, interview=data)

    ann = script("rest:ann", 1)
    ann.greet("hi").ask("what skills does an AI engineer need?", role=EN, aspect="skills", reply=0.2)
    ann.ask("and research scientists?", role=RS, aspect="skills", intent="ask_followup")
    ann.decline("how much do they earn?", topic="pay", role=RS, reply=1.0)
    ann.out_of_scope("what's the weather today")
    ann.start_interview().answer("theory").answer("ideas", typed="exploring new ideas", unclear="I like stuff")
    ann.answer("analytical").answer("phd").answer("academia", typed="a university lab").answer("research_lead")
    ann.later(48).ask("and the career path?", role=RS, aspect="career")

    bob = script("rest:bob", 2)
    bob.start_interview("which role suits me?").answer("practice").answer("systems").stop()
    bob.out_of_scope("what is the weather today?").not_understood("hmm maybe")

    k1 = script("widget:k1", 3)
    k1.compare("compare their education", aspect="education")
    k1.decline("what's the salary?", topic="pay").decline("can i work from home?", topic="hours")
    k1.out_of_scope("weather today?", reply=3.0).not_english("Was verdient ein KI-Ingenieur?").not_understood("hmm maybe")
    k1.out_of_scope("mail me at jo.doe@example.com or call +44 20 7946 0958").apology("what does an ai engineer do")

    k2 = script("widget:k2", 4)
    k2.start_interview()
    for _ in data.topics:
        k2.answer("not_sure")

    k3 = Script("widget:k3", start=START - 3 * 86400, kb=kb, interview=data)  # a visit before the period
    k3.ask("what does a research scientist do?", role=RS, aspect="overview", intent="ask_role_overview")
    k3.later(3 * 24 + 5).ask("what about projects?", role=RS, aspect="projects")
    return [ann, bob, k1, k2, k3]


# What the report must say about them, channel by channel.
CONVERSATIONS = {"all": 5, "rest": 2, "widget": 3, "slack": 0}
MESSAGES = {"all": 36, "rest": 21, "widget": 15, "slack": 0}
RETURNING = {"all": 2, "rest": 1, "widget": 1, "slack": 0}
INTENTS = {"inform": 15, "ask_aspect": 6, "out_of_scope": 4, "start_interview": 3, "nlu_fallback": 2, "affirm": 1,
           "ask_followup": 1, "compare_roles": 1, "greet": 1, "non_english": 1, "stop_interview": 1}
ROLES = {"AI Research Scientist": 3, "AI Engineer": 1}  # asked about (declined questions and comparisons aside)
ASPECTS = {"skills and qualifications": 2, "career path and growth": 1, "typical projects": 1, "education": 1}
COMPARISONS = {"education": 1}
UNANSWERED_BY_KIND = {"out of scope": 4, "not understood": 2, "declined": 3, "not in English": 1}
# (kind, what, messages, conversations, examples)
UNANSWERED = [
    ("out of scope", "what is the weather today?", 3, 3, ("what's the weather today", "what is the weather today?", "weather today?")),
    ("declined", "pay and salaries", 2, 2, ("how much do they earn?", "what's the salary?")),
    ("not understood", "hmm maybe", 2, 2, ("hmm maybe",)),
    ("declined", "working hours and work-life balance", 1, 1, ("can i work from home?",)),
    ("not in English", "Was verdient ein KI-Ingenieur?", 1, 1, ("Was verdient ein KI-Ingenieur?",)),
    ("out of scope", "mail me at [e-mail] or call [phone]", 1, 1, ("mail me at [e-mail] or call [phone]",)),
]
# Per question: asked, answered, stopped there, left there.
FUNNEL_QUESTIONS = [(3, 3, 0, 0), (3, 3, 0, 0), (3, 2, 1, 0), (2, 2, 0, 0), (2, 2, 0, 0), (2, 2, 0, 0)]
VERDICTS = {"AI Research Scientist": 1, "AI Engineer": 0, "balanced": 0, "tie": 1}
# Score buckets 0-9%, ..., 90-100%: the research result (100% and 8%) and the tie (33% each).
DISTRIBUTION = {"AI Research Scientist": (0, 0, 0, 1, 0, 0, 0, 0, 0, 1), "AI Engineer": (1, 0, 0, 1, 0, 0, 0, 0, 0, 0)}
