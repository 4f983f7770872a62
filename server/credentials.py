"""Write the credentials file the Rasa server starts with: credentials.yml, plus Slack when configured.

Rasa fills `${VAR}` in credentials from the environment and refuses to start when one is unset, so
the Slack channel is added only when SLACK_TOKEN and SLACK_SIGNING_SECRET are both set
(SLACK_API_URL is optional). The written file holds the placeholders, never the secrets.

    python -m server.credentials build/credentials.yml
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLACK_CHANNEL = "channels.slack.SlackChannel"
SLACK_REQUIRED = {"slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"}
SLACK_OPTIONAL = {"slack_api_url": "SLACK_API_URL"}


class ConfigurationError(ValueError):
    """The environment configures a channel only in part; the message says what is missing."""


def slack_section(env: Mapping[str, str]) -> str:
    """The Slack channel's credentials, as `${VAR}` placeholders, or "" when Slack is not configured."""
    is_set = {variable for variable in {**SLACK_REQUIRED, **SLACK_OPTIONAL}.values() if env.get(variable, "").strip()}
    missing = [variable for variable in SLACK_REQUIRED.values() if variable not in is_set]
    if len(missing) == len(SLACK_REQUIRED):
        return ""
    if missing:
        present = next(variable for variable in SLACK_REQUIRED.values() if variable in is_set)
        raise ConfigurationError(f"{present} is set but {missing[0]} is not: "
                                 "set both to start the Slack channel, or neither")
    lines = ["# Slack: on because SLACK_TOKEN and SLACK_SIGNING_SECRET are set (server/credentials.py).", f"{SLACK_CHANNEL}:"]
    lines += [f"  {key}: ${{{variable}}}" for key, variable in {**SLACK_REQUIRED, **SLACK_OPTIONAL}.items() if variable in is_set]
    return "\n".join(lines) + "\n"


def write_credentials(path: Path, env: Mapping[str, str]) -> bool:
    """Write the credentials file for this environment; True if it includes Slack."""
    slack = slack_section(env)
    base = (ROOT / "credentials.yml").read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base + ("\n" + slack if slack else ""), encoding="utf-8")
    return bool(slack)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m server.credentials OUTPUT.yml", file=sys.stderr)
        return 2
    try:
        with_slack = write_credentials(Path(argv[0]), os.environ)
    except ConfigurationError as error:
        print(f"not started: {error}", file=sys.stderr)
        return 2
    if with_slack:
        print("Slack channel on: point the Slack app's request URLs at https://<host>/webhooks/slack/webhook")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
