"""The Slack channel starts only when configured, from the environment, and says what is wrong otherwise."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.exceptions import InvalidConfigException

from channels.slack import DEFAULT_API_URL, SlackChannel
from server.credentials import ConfigurationError, main, slack_section, write_credentials

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"SLACK_TOKEN": "xoxb-secret-token", "SLACK_SIGNING_SECRET": "secret-signing"}


def test_without_slack_variables_the_credentials_are_credentials_yml(tmp_path: Path) -> None:
    out = tmp_path / "credentials.yml"
    assert not write_credentials(out, {"SLACK_API_URL": "http://127.0.0.1:1/api/"})
    assert out.read_text() == (ROOT / "credentials.yml").read_text().rstrip("\n") + "\n"


def test_with_them_slack_is_added_as_placeholders_never_secrets(tmp_path: Path) -> None:
    out = tmp_path / "credentials.yml"
    assert write_credentials(out, SECRETS)
    text = out.read_text()
    assert "xoxb-secret-token" not in text and "secret-signing" not in text
    written = yaml.safe_load(text)
    assert written["channels.slack.SlackChannel"] == {
        "slack_token": "${SLACK_TOKEN}", "slack_signing_secret": "${SLACK_SIGNING_SECRET}"}
    assert set(yaml.safe_load((ROOT / "credentials.yml").read_text())) < set(written)
    assert "slack_api_url: ${SLACK_API_URL}" in slack_section({**SECRETS, "SLACK_API_URL": "http://127.0.0.1:9/api/"})


@pytest.mark.parametrize("only", ["SLACK_TOKEN", "SLACK_SIGNING_SECRET"])
def test_half_a_configuration_is_refused_naming_what_is_missing(only: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    other = next(name for name in SECRETS if name != only)
    with pytest.raises(ConfigurationError, match=f"{only} is set but {other} is not"):
        slack_section({only: SECRETS[only], other: " "})
    monkeypatch.setenv(only, SECRETS[only])
    monkeypatch.delenv(other, raising=False)
    assert main([str(tmp_path / "credentials.yml")]) == 2
    assert other in capsys.readouterr().err


def test_the_channel_refuses_missing_or_malformed_settings() -> None:
    good = {"slack_token": "xoxb-1", "slack_signing_secret": "s"}
    with pytest.raises(InvalidConfigException, match="slack_signing_secret.*SLACK_SIGNING_SECRET"):
        SlackChannel.from_credentials({"slack_token": "xoxb-1", "slack_signing_secret": ""})
    with pytest.raises(InvalidConfigException, match="slack_token.*SLACK_TOKEN"):
        SlackChannel.from_credentials(None)
    with pytest.raises(InvalidConfigException, match="not an http"):
        SlackChannel.from_credentials({**good, "slack_api_url": "slack.example.com/api"})
    assert str(SlackChannel.from_credentials(good).client.base_url) == DEFAULT_API_URL
    custom = SlackChannel.from_credentials({**good, "slack_api_url": "https://slack.example.gov/api"})
    assert custom.client.base_url == "https://slack.example.gov/api/"
    assert custom.name() == "slack" and custom.url_prefix() == "slack"
