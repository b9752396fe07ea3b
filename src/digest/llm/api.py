"""Any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp server, LM Studio),
or a pool of them, asked through ``AsyncOpenAI`` so that many articles overlap.

Transport failures (connection, timeout, 429, 5xx) are retried here by tenacity, honouring
Retry-After, at most four attempts and five minutes a call. The SDK's own retry policy
(on by default) is off, for three reasons it cannot serve: a pool must learn that a
server has failed so that the next one takes the request (the SDK retries the same
server, invisibly); the whole time a call may take is bounded (the SDK bounds attempts,
not time); and the waits go through one function that tests replace, so the retry
policy is tested without sleeping. With several servers (``--base-url``
given more than once), each takes at most ``per_server`` requests at a time, a request
goes to the least busy server that is up, and a server that keeps failing is taken out of
rotation for a while: its request goes to the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Sequence
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from ..errors import ModelUnavailable, TransportError

#: Transport attempts per call and server (the first one included), and the seconds after
#: which no new attempt starts: a call ends within about this plus one request's timeout.
TRANSPORT_ATTEMPTS = 4
RETRY_SECONDS = 300.0
#: Seconds one request may take before it is abandoned (and retried): ``$DIGEST_TIMEOUT``.
TIMEOUT = 300.0
#: The largest Retry-After digest honours, in seconds.
MAX_RETRY_AFTER = 60.0
#: Requests one server of a pool takes at a time, unless told.
PER_SERVER = 8
#: Seconds a failing server of a pool stays out of rotation.
COOL_DOWN = 30.0

Loop = asyncio.AbstractEventLoop


class _Server:
    """One endpoint of a pool: its clients and request slots (one set per event loop: an
    async client and a semaphore belong to the loop they were made in), and its health."""

    def __init__(self, url: str | None, key: str, per_server: int, timeout: float) -> None:
        self.url, self._key, self._per_server, self.timeout = url, key, per_server, timeout
        self._clients: weakref.WeakKeyDictionary[Loop, openai.AsyncOpenAI]
        self._clients = weakref.WeakKeyDictionary()
        self._slots: weakref.WeakKeyDictionary[Loop, asyncio.Semaphore]
        self._slots = weakref.WeakKeyDictionary()
        self.busy = 0
        self.down_until = 0.0

    def client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        if (client := self._clients.get(loop)) is None:
            client = openai.AsyncOpenAI(
                api_key=self._key, base_url=self.url, max_retries=0, timeout=self.timeout
            )
            self._clients[loop] = client
        return client

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        if (slots := self._slots.get(loop)) is None:
            slots = self._slots[loop] = asyncio.Semaphore(self._per_server)
        self.busy += 1
        try:
            async with slots:
                yield
        finally:
            self.busy -= 1

    def up(self) -> bool:
        return time.monotonic() >= self.down_until


class OpenAICompatible:
    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | Sequence[str | None] | None,
        small: bool = False,
        per_server: int = PER_SERVER,
        timeout: float = TIMEOUT,
    ) -> None:
        self.name = f"openai:{model}"
        self.small = small
        urls = [base_url] if base_url is None or isinstance(base_url, str) else list(base_url)
        self.servers = [_Server(url, api_key, per_server, timeout) for url in urls]
        #: Set once the endpoint has refused JSON-schema output: what is asked instead.
        self.fallback: str | None = None

    async def create(self, **kwargs: Any) -> ChatCompletion:
        """One request, retried on transport failures; TransportError when they persist.
        An endpoint that refuses JSON-schema output (llama.cpp's server, some proxies) is
        asked for a JSON object with the schema instead, from then on."""
        schema = _schema(kwargs)
        if schema is not None and not self.fallback:
            try:
                return await self._send(kwargs)
            except _SchemaRefused as e:
                where = " ".join(s.url or "the endpoint" for s in self.servers)
                self.fallback = (
                    f"{where} refused JSON-schema output ({e}); "
                    "digest asks it for a JSON object with the schema instead"
                )
        if schema is not None:
            kwargs = _as_json_object(kwargs, schema)
        try:
            return await self._send(kwargs)
        except _SchemaRefused as e:
            raise TransportError(
                f"model endpoint refused the response format ({e}): try DIGEST_JSON_MODE=json"
            ) from e

    async def _send(self, kwargs: dict[str, Any]) -> ChatCompletion:
        """The request on the least busy server that is up; on the next when it fails."""
        tried: list[_Server] = []
        while True:
            server = self._pick(tried)
            async with server.slot():
                try:
                    return await _send_to(server, kwargs, pooled=len(self.servers) > 1)
                except TransportError:
                    server.down_until = time.monotonic() + COOL_DOWN
                    tried.append(server)
                    if len(tried) == len(self.servers):
                        raise

    def _pick(self, tried: list[_Server]) -> _Server:
        left = [s for s in self.servers if s not in tried]
        up = [s for s in left if s.up()] or left  # all down: try them anyway
        return min(up, key=lambda s: s.busy)


async def _send_to(server: _Server, kwargs: dict[str, Any], pooled: bool) -> ChatCompletion:
    """The request to one server, retried there on transport failures (in a pool, a
    connection failure goes to the next server at once instead)."""
    retrying = AsyncRetrying(
        retry=retry_if_exception(_transient_in_pool if pooled else _transient),
        stop=stop_after_attempt(TRANSPORT_ATTEMPTS) | stop_after_delay(RETRY_SECONDS),
        wait=_wait,
        sleep=lambda seconds: _sleep(seconds),
        reraise=True,
    )
    client = server.client()

    async def attempt() -> ChatCompletion:
        # the SDK's create is not a coroutine function to tenacity's eyes: await it here
        try:
            return await client.chat.completions.create(**kwargs)
        except openai.APIStatusError as e:
            if _refuses_schema(e):
                raise _SchemaRefused(e.status_code) from e
            raise

    try:
        response: ChatCompletion = await retrying(attempt)
    except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as e:
        # no later request will fare better: the key, the rights or the model are wrong
        raise ModelUnavailable(
            f"model endpoint {server.url or 'api.openai.com'} refused: {e.__class__.__name__}: "
            f"{_message(e)}"
        ) from e
    except openai.APIError as e:
        where = f" {server.url}" if server.url else ""
        raise TransportError(f"model endpoint{where} failed: {e.__class__.__name__}: {e}") from e
    return response


def _message(e: openai.APIStatusError) -> str:
    body = e.body if isinstance(e.body, dict) else {}
    error = body.get("error", body)
    return str(error.get("message") if isinstance(error, dict) else e.message)


class _SchemaRefused(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")


def _schema(kwargs: dict[str, Any]) -> dict[str, Any] | None:
    rf = kwargs.get("response_format") or {}
    if rf.get("type") != "json_schema":
        return None
    schema: dict[str, Any] = rf["json_schema"]["schema"]
    return schema


def _as_json_object(kwargs: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return {**kwargs, "response_format": {"type": "json_object", "schema": schema}}


def _refuses_schema(e: openai.APIStatusError) -> bool:
    """A 4xx or 5xx whose message says that the response format is what it refuses."""
    text = str(e).lower()
    return e.status_code in (400, 422, 500) and ("json_schema" in text or "response_format" in text)


def _transient(e: BaseException) -> bool:
    if isinstance(e, openai.APIConnectionError | openai.APITimeoutError | openai.RateLimitError):
        return True
    return isinstance(e, openai.APIStatusError) and e.status_code >= 500


def _transient_in_pool(e: BaseException) -> bool:
    return _transient(e) and not isinstance(e, openai.APIConnectionError)


def _wait(state: RetryCallState) -> float:
    """Honour Retry-After when the server sends it; else exponential backoff with jitter."""
    e = state.outcome.exception() if state.outcome else None
    response = getattr(e, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    if header:
        try:
            return min(float(header), MAX_RETRY_AFTER)
        except ValueError:
            pass
    return float(wait_random_exponential(multiplier=0.5, max=20)(state))


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
