"""Any OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp server, LM Studio),
asked through ``AsyncOpenAI`` so that many articles overlap on one model.

Transport failures (connection, timeout, 429, 5xx) are retried here by tenacity, honouring
Retry-After, a bounded number of times; the SDK's own retries are off so that every
attempt is counted once and the wait is ours to bound.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from ..errors import TransportError

#: Transport attempts per call (the first one included).
TRANSPORT_ATTEMPTS = 4
#: The largest Retry-After digest honours, in seconds.
MAX_RETRY_AFTER = 60.0


class OpenAICompatible:
    def __init__(
        self, model: str, *, api_key: str, base_url: str | None, small: bool = False
    ) -> None:
        self.name = f"openai:{model}"
        self.small = small
        self.base_url = base_url
        self._key = api_key
        #: Set once the endpoint has refused JSON-schema output: what is asked instead.
        self.fallback: str | None = None
        # An async HTTP client belongs to the event loop it was first used in: one per loop
        # (a sync ``Digester.run`` runs each thread's articles in that thread's own loop).
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI]
        self._clients = weakref.WeakKeyDictionary()

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = openai.AsyncOpenAI(api_key=self._key, base_url=self.base_url, max_retries=0)
            self._clients[loop] = client
        return client

    async def create(self, **kwargs: Any) -> ChatCompletion:
        """One request, retried on transport failures; TransportError when they persist.
        An endpoint that refuses JSON-schema output (llama.cpp's server, some proxies) is
        asked for a JSON object with the schema instead, from then on."""
        schema = _schema(kwargs)
        if schema is not None and not self.fallback:
            try:
                return await self._send(kwargs)
            except _SchemaRefused as e:
                self.fallback = (
                    f"{self.base_url or 'the endpoint'} refused JSON-schema output ({e}); "
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
        retrying = AsyncRetrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(TRANSPORT_ATTEMPTS),
            wait=_wait,
            sleep=lambda seconds: _sleep(seconds),
            reraise=True,
        )
        client = self._client()

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
        except openai.APIError as e:
            raise TransportError(f"model endpoint failed: {e.__class__.__name__}: {e}") from e
        return response


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
