"""Readiness of the Rasa server: a model is loaded and the action server answers its health check.

Served by the REST channel as GET /webhooks/rest/ready: 200 when ready, 503 when not. The body
says which part is missing but not where the action server is (the route is public); the log
says that, once per change, so a probe every few seconds does not flood it.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import aiohttp

logger = logging.getLogger(__name__)

PROBE_TIMEOUT = 1.0


@dataclass(frozen=True)
class Readiness:
    model: str  # "loaded" or "not loaded"
    action_server: str  # "ok", "not configured" or "unreachable"

    @property
    def ready(self) -> bool:
        return self.model == "loaded" and self.action_server == "ok"

    def as_json(self) -> dict[str, Any]:
        return {"ready": self.ready, "model": self.model, "action_server": self.action_server}


def health_url(action_endpoint_url: str) -> str:
    """The action server's health check beside its webhook: .../webhook -> .../health."""
    return urljoin(action_endpoint_url, "health")


class ReadinessProbe:
    """Checks readiness on request and logs one line whenever the answer changes."""

    def __init__(self, *, timeout: float = PROBE_TIMEOUT) -> None:
        self.timeout = timeout
        self._last: Readiness | None = None

    async def check(self, agent: Any) -> Readiness:
        model = "loaded" if agent is not None and agent.is_ready() else "not loaded"
        endpoint = getattr(agent, "action_endpoint", None)
        problem: str | None
        if endpoint is None:
            readiness, problem = Readiness(model, "not configured"), "no action endpoint is configured"
        else:
            problem = await self._probe(health_url(endpoint.url))
            readiness = Readiness(model, "ok" if problem is None else "unreachable")
        self._log_change(readiness, problem)
        return readiness

    async def _probe(self, url: str) -> str | None:
        """None if the action server's health check answers 200, else what went wrong."""
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session, \
                    session.get(url) as reply:
                return None if reply.status == 200 else f"{url} answered HTTP {reply.status}"
        except asyncio.TimeoutError:
            return f"{url} did not answer within {self.timeout:g} s"
        except aiohttp.ClientError as error:
            return f"{url} is unreachable ({type(error).__name__})"

    def _log_change(self, readiness: Readiness, problem: str | None) -> None:
        if readiness == self._last:
            return
        self._last = readiness
        if readiness.ready:
            logger.info("ready: model loaded, action server answering")
        else:
            logger.warning("not ready: model %s; action server %s", readiness.model, problem or readiness.action_server)
