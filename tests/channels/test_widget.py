"""The widget files the webchat channel serves: installed, complete, and fetching nothing from elsewhere."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from channels.widget import BUNDLE, LINK_FILTER, PAGES, WEB_DIR, WidgetFiles, WidgetMissing, offline_bundle, with_link_filter

pytestmark = pytest.mark.skipif(not (WEB_DIR / BUNDLE).is_file(), reason="widget not installed: run `make setup`")


def test_the_installed_bundle_is_rasa_webchat_exposing_webchat_default() -> None:
    source = (WEB_DIR / BUNDLE).read_text(encoding="utf-8")
    assert source.startswith("!function(e,t){")  # a UMD bundle: defines window.WebChat without a module loader
    assert "e.WebChat=t()" in source and "t.default=function(e){" in source
    assert '"version": "1.0.1"' in (WEB_DIR / "node_modules/rasa-webchat/package.json").read_text(encoding="utf-8")


def test_the_served_bundle_imports_no_stylesheet_from_another_host() -> None:
    source = (WEB_DIR / BUNDLE).read_text(encoding="utf-8")
    assert "@import url(https://fonts.googleapis.com" in source  # what the published build does
    served = WidgetFiles.load().bundle
    assert not re.search(r"@import url\((https?:)?//", served)
    assert "fonts.googleapis.com" not in served
    assert len(source) - len(served) < 2_000  # only the imports went


def test_the_served_bundle_filters_links_in_messages() -> None:
    source = (WEB_DIR / BUNDLE).read_text(encoding="utf-8")
    assert source.count("transformLinkUri:null") == 1  # what the published build does: every URL kept
    served = WidgetFiles.load().bundle
    assert "transformLinkUri:null" not in served and served.count(f"transformLinkUri:{LINK_FILTER}") == 1


def test_a_bundle_that_changed_is_refused() -> None:
    with pytest.raises(WidgetMissing, match="link filter"):
        with_link_filter("a build without the setting")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js (installed with npm, which `make setup` needs)")
def test_the_link_filter_keeps_only_web_and_mail_links() -> None:
    uris = ["https://example.org/x", "HTTP://example.org", "mailto:a@example.org", "javascript:alert(1)",
            " JavaScript:alert(1)", "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:x", "//evil.example", "/relative", "http:evil", ""]
    script = f"const f = {LINK_FILTER}; console.log(JSON.stringify({json.dumps(uris)}.map(f)));"
    kept = json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)
    assert kept == uris[:3] + ["#"] * (len(uris) - 3)


def test_offline_bundle_keeps_local_imports() -> None:
    css = '"@import url(https://fonts.example/x.css);.a{}@import url(//cdn.example/y.css)@import url(local.css);"'
    assert offline_bundle(css) == '".a{}@import url(local.css);"'


def test_the_demo_page_loads_only_files_from_this_server() -> None:
    page = WidgetFiles.load().pages["index.html"]
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(s.startswith("/webchat/") or s.startswith("data:") for s in sources), sources


def test_a_missing_install_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(WidgetMissing, match=r"widget is not installed: .*lib/index.js is missing. Run `make setup`"):
        WidgetFiles.load(tmp_path)


def test_a_missing_page_is_named(tmp_path: Path) -> None:
    (tmp_path / BUNDLE).parent.mkdir(parents=True)
    (tmp_path / BUNDLE).write_text("!function(){}", encoding="utf-8")
    (tmp_path / PAGES[0]).write_text("<!doctype html>", encoding="utf-8")
    with pytest.raises(WidgetMissing, match=f"{PAGES[1]} missing"):
        WidgetFiles.load(tmp_path)
