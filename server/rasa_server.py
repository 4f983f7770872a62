"""Start the Rasa server: `rasa run` with our patches installed, CPU pinning, and the HTTP API off or behind JWT.

What it adds to a plain `rasa run`:
- the patches in server/patches/ (fault handling, message limit, admission, ...), checked against
  the installed Rasa first;
- RASA_CPUS pinning (server/cpus.py) and one TensorFlow thread per pool unless the environment says otherwise;
- the HTTP API off, or on only behind JWT:

Rasa's HTTP API (/conversations, /model, /status, ...) reads and rewrites any conversation and can
replace the model. Stock `rasa run --enable-api` without --jwt-secret or --auth-token serves it to
anyone. Here it is off unless RASA_API_ENABLED=true, and then the server refuses to start without
RASA_JWT_SECRET (at least 32 characters):

    RASA_API_ENABLED=true RASA_JWT_SECRET=$(openssl rand -hex 32) make run

API requests carry `Authorization: Bearer <token>`, a JWT signed with HS256 and that secret, whose
payload is {"user": {"username": ..., "role": "admin"}} (every route), or role "user" (only the
conversation whose id is the username). Any other request gets 401 or 403; an unsigned token,
which stock Rasa answers with a 500 and a traceback, gets a 401 too. The secret reaches Rasa inside
this process, never on a command line, where `ps` would show it. All other arguments go to
`rasa run` unchanged:

    python -m server.rasa_server --model models/career.tar.gz --port 5005 --endpoints endpoints.yml ...
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from server.cpus import CPUS_VARIABLE, CpuConfigError, cpus_from_env, pin_to

ENABLED_VARIABLE = "RASA_API_ENABLED"
SECRET_VARIABLE = "RASA_JWT_SECRET"
MIN_SECRET_LENGTH = 32
JWT_METHOD = "HS256"
API_FLAGS = ("--enable-api", "--auth-token", "--jwt-secret", "--jwt-method", "--jwt-private-key")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class ApiConfigError(ValueError):
    """The environment or the command line would configure the HTTP API unsafely; says how to fix it."""


@dataclass(frozen=True)
class ApiSettings:
    enabled: bool
    jwt_secret: str | None = None


def api_settings(environ: Mapping[str, str]) -> ApiSettings:
    """Whether the HTTP API is on, and its JWT secret, from RASA_API_ENABLED and RASA_JWT_SECRET."""
    raw = environ.get(ENABLED_VARIABLE, "").strip().lower()
    if raw in _FALSE:
        return ApiSettings(enabled=False)
    if raw not in _TRUE:
        raise ApiConfigError(f"{ENABLED_VARIABLE}={environ[ENABLED_VARIABLE]!r}: write true or false")
    secret = environ.get(SECRET_VARIABLE, "")
    if not secret.strip():
        raise ApiConfigError(
            f"{ENABLED_VARIABLE} is true but {SECRET_VARIABLE} is not set, so anyone could read and change every "
            f"conversation: set {SECRET_VARIABLE} to a random string of at least {MIN_SECRET_LENGTH} characters "
            f"(e.g. `openssl rand -hex 32`), or leave the API off"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise ApiConfigError(
            f"{SECRET_VARIABLE} has {len(secret)} characters; use a random string of at least {MIN_SECRET_LENGTH} "
            "(e.g. `openssl rand -hex 32`)"
        )
    return ApiSettings(enabled=True, jwt_secret=secret)


def rasa_run_arguments(passed: Sequence[str], settings: ApiSettings) -> list[str]:
    """The arguments for `rasa run`: those passed, plus the API and JWT flags when the API is on."""
    for argument in passed:
        if argument.split("=", 1)[0] in API_FLAGS:
            raise ApiConfigError(f"{argument.split('=', 1)[0]}: the HTTP API is set with {ENABLED_VARIABLE} and "
                                 f"{SECRET_VARIABLE} in the environment, not on the command line")
    arguments = ["run", *passed]
    if settings.enabled:
        assert settings.jwt_secret is not None
        arguments += ["--enable-api", "--jwt-secret", settings.jwt_secret, "--jwt-method", JWT_METHOD]
    return arguments


# TensorFlow's thread pools for one server process: one thread each unless the environment says
# otherwise. A server's turns run one at a time on its event loop, so a second compute thread mostly
# spins (measured with `make loadtest`: docs/performance.md, Load, has the figures).
TF_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}


def main(argv: Sequence[str]) -> int:
    for variable, threads in TF_THREADS.items():
        os.environ.setdefault(variable, threads)  # read by Rasa's TensorFlow set-up, in this process
    try:
        arguments = rasa_run_arguments(argv, api_settings(os.environ))
        cpus = cpus_from_env(os.environ, os.sched_getaffinity(0))
    except (ApiConfigError, CpuConfigError) as error:
        print(f"Rasa server not started: {error}", file=sys.stderr)
        return 2
    if cpus is not None:
        pin_to(cpus)  # before Rasa and TensorFlow start their threads, which inherit it
        print(f"Rasa server pinned to CPU(s) {', '.join(map(str, sorted(cpus)))} ({CPUS_VARIABLE})", flush=True)
    from rasa.shared.exceptions import RasaException  # imports TensorFlow: after pinning, so its threads inherit it

    from server import patches

    try:
        patches.install()
    except (patches.PatchError, RasaException) as error:
        print(f"Rasa server not started: {error}", file=sys.stderr)
        return 2
    if "--enable-api" in arguments:
        print(f"Rasa HTTP API on: every request needs a JWT signed with {SECRET_VARIABLE} ({JWT_METHOD})")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]  # in this process only: /proc/<pid>/cmdline keeps what we were started with
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
