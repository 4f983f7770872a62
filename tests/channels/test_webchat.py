"""The webchat channel's own pieces, without a server: start-up errors and line breaks."""
from __future__ import annotations

import pytest

from channels.webchat import WebchatConfigError, WebchatInput, keep_line_breaks
from channels.widget import BUNDLE, WEB_DIR


def test_single_line_breaks_become_markdown_hard_breaks_and_blank_lines_stay() -> None:
    assert keep_line_breaks("Title\n• one\n• two\n\nNext") == "Title  \n• one  \n• two\n\nNext"
    assert keep_line_breaks("no breaks") == "no breaks"


def test_a_wildcard_origin_stops_the_server_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "*")
    with pytest.raises(WebchatConfigError, match="CORS_ORIGINS: '\\*' would let any website talk to the bot"):
        WebchatInput.from_credentials({"session_persistence": True})


@pytest.mark.skipif(not (WEB_DIR / BUNDLE).is_file(), reason="widget not installed: run `make setup`")
def test_credentials_configure_the_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://careers.example.org")
    channel = WebchatInput.from_credentials({"session_persistence": True, "user_message_evt": "user_uttered",
                                             "bot_message_evt": "bot_uttered"})
    assert channel.session_persistence and channel.name() == "socketio"
    assert channel.origins.origins == ("https://careers.example.org",)
    assert "fonts.googleapis.com" not in channel.files.bundle
