"""The chat widget's files, as the webchat channel serves them: the demo page and the widget bundle.

The bundle is rasa-webchat's standalone build (web/node_modules/rasa-webchat/lib/index.js, installed
by `npm ci` in web/), served with two changes:
- its stylesheet imports a web font from a font CDN; we drop that import so the widget makes no
  request outside the bot's own server (it falls back to the page's sans-serif font);
- it renders bot messages as Markdown with react-markdown's link filter switched off
  (`transformLinkUri:null`), so a `javascript:` link in a message would be clickable. We put a filter
  back that keeps http(s) and mailto links and turns any other into "#". (The bot also escapes the
  Markdown in what it quotes of a user, bot/report.py; this holds for any other text too.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
BUNDLE = Path("node_modules/rasa-webchat/lib/index.js")
PAGES = ("index.html", "demo.js")
_EXTERNAL_CSS_IMPORT = re.compile(r"@import url\((?:https?:)?//[^)]*\);?")
_NO_LINK_FILTER = "transformLinkUri:null"
LINK_FILTER = 'function(uri){return /^(https?:\\/\\/|mailto:)/i.test(String(uri).trim())?uri:"#"}'

# The demo page runs only its own scripts and talks only to this server. The widget injects
# its styles as <style> elements, hence 'unsafe-inline' for styles (and nothing else).
DEMO_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'"
)


class WidgetMissing(FileNotFoundError):
    """The widget has not been installed (web/node_modules) or a page file is missing."""


def offline_bundle(source: str) -> str:
    """The bundle without stylesheet imports from other hosts."""
    return _EXTERNAL_CSS_IMPORT.sub("", source)


def with_link_filter(source: str) -> str:
    """The bundle with links in messages limited to http(s) and mailto; raises WidgetMissing if it has changed."""
    if source.count(_NO_LINK_FILTER) != 1:
        raise WidgetMissing(f"the chat widget's bundle is not the rasa-webchat build this server knows: it should switch "
                            f"its link filter off in one place (`{_NO_LINK_FILTER}`); check web/package.json's version")
    return source.replace(_NO_LINK_FILTER, f"transformLinkUri:{LINK_FILTER}")


@dataclass(frozen=True)
class WidgetFiles:
    bundle: str
    pages: dict[str, str]

    @classmethod
    def load(cls, web_dir: Path = WEB_DIR) -> WidgetFiles:
        """Read the bundle and the demo page once; raises WidgetMissing with what to run."""
        bundle_path = web_dir / BUNDLE
        if not bundle_path.is_file():
            raise WidgetMissing(
                f"the chat widget is not installed: {bundle_path} is missing. "
                f"Run `make setup` (or `npm ci --omit=peer --ignore-scripts` in {web_dir})."
            )
        missing = [name for name in PAGES if not (web_dir / name).is_file()]
        if missing:
            raise WidgetMissing(f"the webchat demo page is incomplete: {', '.join(str(web_dir / n) for n in missing)} missing")
        return cls(
            bundle=with_link_filter(offline_bundle(bundle_path.read_text(encoding="utf-8"))),
            pages={name: (web_dir / name).read_text(encoding="utf-8") for name in PAGES},
        )
