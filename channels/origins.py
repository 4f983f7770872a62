"""Which web origins may talk to the bot from a browser (CORS), read from `CORS_ORIGINS`.

`CORS_ORIGINS` lists origins separated by commas or spaces, e.g.
`https://careers.example.org, http://localhost:8000`. Unset, it allows local development only.
A wildcard is refused: any website could then drive a visitor's conversation.
Run `python -m channels.origins` to print the effective list (scripts/run.sh passes it to `rasa run --cors`).
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

ENV_VAR = "CORS_ORIGINS"
LOCAL_DEVELOPMENT = ("http://localhost:5005", "http://127.0.0.1:5005")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ORIGIN = re.compile(r"^(?P<scheme>https?)://(?P<host>[a-z0-9.-]+|\[[0-9a-f:]+\])(?::(?P<port>\d{1,5}))?$")


class OriginError(ValueError):
    """A value in CORS_ORIGINS that is not an origin we can allow."""


def parse_origin(value: str) -> str:
    """`value` as a canonical origin (`scheme://host[:port]`, lower case, no default port)."""
    text = value.strip().lower().rstrip("/")
    if text in {"*", "null"}:
        raise OriginError(
            f"{ENV_VAR}: {value!r} would let any website talk to the bot; list the allowed origins instead, "
            "e.g. CORS_ORIGINS='https://careers.example.org'"
        )
    match = _ORIGIN.match(text)
    if not match or not 0 < int(match["port"] or 80) < 65536:
        raise OriginError(
            f"{ENV_VAR}: {value!r} is not an origin; write scheme://host[:port] with no path, e.g. https://careers.example.org"
        )
    scheme, host, port = match["scheme"], match["host"], match["port"]
    if port is not None and int(port) != _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{int(port)}"
    return f"{scheme}://{host}"


def _host_and_port(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    try:
        return (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS[parts.scheme]
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class AllowedOrigins:
    origins: tuple[str, ...]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AllowedOrigins:
        """The configured origins; raises OriginError naming a bad value."""
        raw = environ.get(ENV_VAR)
        values = LOCAL_DEVELOPMENT if raw is None else tuple(v for v in re.split(r"[\s,]+", raw) if v)
        return cls(tuple(dict.fromkeys(parse_origin(v) for v in values)))

    def allows(self, origin: str | None, *, host: str | None = None) -> bool:
        """Whether a browser page at `origin` may connect; a page served by this server (`host`) always may."""
        if origin is None:
            return True  # not a browser's cross-site request: origins only matter to browsers
        try:
            canonical = parse_origin(origin)
        except OriginError:
            return False
        if canonical in self.origins:
            return True
        if host is None:
            return False
        # Same origin: the page came from this server. A Host header without a port means the
        # default port of the scheme the browser used, which for a same-origin page is the page's.
        scheme = canonical.split(":", 1)[0]
        return _host_and_port(canonical) == _host_and_port(f"{scheme}://{host}")


def main() -> int:
    try:
        print(" ".join(AllowedOrigins.from_env().origins))
    except OriginError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
