"""Start the Rasa server (`rasa run`) with its HTTP API off, or on only behind JWT.

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

    python scripts/rasa_server.py --model models/career.tar.gz --port 5005 --endpoints endpoints.yml ...
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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


def _refuse_bad_tokens_with_401() -> None:
    """Answer a token that sanic-jwt does not catch (an unsigned one, alg "none") with 401, not 500 and a traceback."""
    import jwt
    import rasa.server
    from sanic import response
    from sanic.request import Request
    from sanic.response import HTTPResponse

    create_app = rasa.server.create_app

    def create_app_refusing_bad_tokens(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)

        @app.exception(jwt.InvalidTokenError)
        async def unauthenticated(request: Request, error: jwt.InvalidTokenError) -> HTTPResponse:
            logging.getLogger("rasa_server").warning("refused %s %s from %s: invalid token (%s)",
                                                request.method, request.path, request.ip, error)
            return response.json({"status": "failure", "reason": "NotAuthenticated",
                                  "message": "User is not authenticated.", "code": 401}, status=401)

        return app

    rasa.server.create_app = create_app_refusing_bad_tokens


# TensorFlow's thread pools for one server process: one thread each unless the environment says
# otherwise. A server's turns run one at a time on its event loop, so a second compute thread only
# spins; measured with `make loadtest`, one thread gives a single server the same throughput on
# less CPU, and two servers on two cores 7% more than with TensorFlow's default pools.
TF_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1"}

# RASA_CPUS pins this server, every thread of it, to the CPUs listed ("1", "0,2", "2-3"). With one
# server per core, each pinned to its own, a server's threads hand work to each other on one core:
# unpinned, two servers on two cores left a fifth of the machine idle while their TensorFlow and
# event-loop threads waited to be scheduled on the other, busy core (see README, Load).
CPUS_VARIABLE = "RASA_CPUS"


class CpuConfigError(ValueError):
    """RASA_CPUS names no CPU, or one this process may not use."""


def cpus_from_env(env: Mapping[str, str], allowed: set[int]) -> set[int] | None:
    """The CPUs RASA_CPUS names (None when unset or empty), each one of `allowed`."""
    spec = env.get(CPUS_VARIABLE, "").strip()
    if not spec:
        return None
    cpus: set[int] = set()
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            low, high = int(first), int(last or first)
            if low < 0 or high < low:
                raise ValueError(part)
            cpus.update(range(low, high + 1))
    except ValueError:
        raise CpuConfigError(f'{CPUS_VARIABLE}="{spec}" is not a CPU list such as "1", "0,2" or "2-3"') from None
    if not cpus <= allowed:
        raise CpuConfigError(f"{CPUS_VARIABLE}={spec} names CPU(s) {sorted(cpus - allowed)}, but this process may "
                             f"only use {sorted(allowed)}")
    return cpus


def pin_to(cpus: set[int], process: int | str = "self") -> None:
    """Run every thread of `process` (this one by default) on `cpus` only; threads they start inherit it."""
    for thread in os.listdir(f"/proc/{process}/task"):
        with contextlib.suppress(ProcessLookupError):  # the thread ended meanwhile
            os.sched_setaffinity(int(thread), cpus)


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
    if "--enable-api" in arguments:
        print(f"Rasa HTTP API on: every request needs a JWT signed with {SECRET_VARIABLE} ({JWT_METHOD})")
        _refuse_bad_tokens_with_401()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]  # in this process only: /proc/<pid>/cmdline keeps what we were started with
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
