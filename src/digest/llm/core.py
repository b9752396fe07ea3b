"""The one interface every backend is used through: :class:`LLM`, whose ``ask`` returns a
validated pydantic object together with what that answer cost.

A backend is anything with a ``name``, a ``small`` flag and an async ``create(**kwargs)``
that answers an OpenAI-style chat request with a ``ChatCompletion``. :class:`LLM` hands
that function to ``instructor.patch`` so that every backend (the fake one included) goes
through the same schema validation and bounded re-asking, answers from a :class:`Store`
when it holds the request, and counts usage per call. Nothing in it changes after
construction: many articles may ask one LLM at once.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar, cast

import instructor
from instructor.core.exceptions import InstructorError
from openai.types.chat import ChatCompletion
from openai.types.chat.chat_completion import Choice
from openai.types.chat.chat_completion_message import ChatCompletionMessage
from openai.types.completion_usage import CompletionUsage
from pydantic import BaseModel

from ..errors import DigestError, InputError, LLMError, ReplayMiss
from ..usage import Usage
from .cache import CallCache
from .store import Recorded, Store

T = TypeVar("T", bound=BaseModel)

# instructor logs every failed attempt at ERROR; digest reports them itself (as issues and
# one-line errors), so they reach no terminal unless the application configures logging.
logging.getLogger("instructor").addHandler(logging.NullHandler())
Message = dict[str, str]


class Backend(Protocol):
    """A model that answers OpenAI-style chat requests."""

    #: "openai:MODEL", "local:NAME", "fake", ...: part of every recorded call's key.
    name: str
    #: A small local model: a prompt's tuned chunk size applies to it.
    small: bool

    async def create(self, **kwargs: Any) -> ChatCompletion: ...


@dataclass(frozen=True)
class Reply(Generic[T]):
    """A validated answer and what it cost, re-asks included."""

    value: T
    usage: Usage


@dataclass(frozen=True)
class LLM:
    """A backend behind digest's single interface, with an optional store of recorded calls."""

    backend: Backend
    store: Store | None = None
    mode: instructor.Mode = instructor.Mode.JSON_SCHEMA
    #: The persistent cache of calls (see :mod:`.cache`), asked after the store.
    cache: CallCache | None = None

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def small(self) -> bool:
        return self.backend.small

    def with_store(self, store: Store | None) -> LLM:
        """This model with calls recorded in (or answered from) ``store``."""
        if store is None:
            return self
        if self.store is not None and self.store != store:
            raise InputError(
                f"{self.name} already uses recorded calls in {self.store.folder}; "
                "use one folder of recordings"
            )
        return replace(self, store=store)

    def with_cache(self, cache: CallCache | None) -> LLM:
        """This model with its calls kept in (and answered from) ``cache``."""
        return replace(self, cache=cache)

    async def ask(
        self,
        messages: Sequence[Message],
        response_model: type[T],
        *,
        max_tokens: int,
        retries: int = 1,
    ) -> Reply[T]:
        """Ask once, re-asking at most ``retries`` times when the answer fails validation.
        Raises LLMError (with the usage of the failed attempts) when none is valid."""
        spent: list[Usage] = []

        async def create(**kwargs: Any) -> ChatCompletion:
            response, seconds = await self._call(kwargs)
            u = response.usage
            spent.append(
                Usage(1, u.prompt_tokens if u else 0, u.completion_tokens if u else 0, seconds)
            )
            if not response.choices:
                raise LLMError(f"{self.name}: the endpoint answered with no choices")
            if response.choices[0].finish_reason == "length":
                raise LLMError(
                    f"{self.name}: the answer was cut off by the token limit ({max_tokens})"
                )
            return response

        # instructor's typing knows only the sync form; given a coroutine function it
        # returns one
        patched = cast(Callable[..., Awaitable[T]], instructor.patch(create=create, mode=self.mode))
        try:
            value = await patched(
                messages=list(messages),
                response_model=response_model,
                max_retries=retries,
                max_tokens=max_tokens,
                temperature=0.0,
                model=self.name.partition(":")[2] or self.name,
            )
        except InstructorError as e:
            usage = sum(spent, Usage())
            cause: BaseException | None = e
            while cause is not None:  # our own errors raised inside the create function
                if isinstance(cause, LLMError):
                    raise type(cause)(str(cause), usage) from e
                if isinstance(cause, DigestError):
                    raise cause from e
                cause = cause.__cause__ or cause.__context__
            raise LLMError(
                f"{self.name}: no valid answer after {len(spent)} attempt(s): {_brief(e)}", usage
            ) from e
        return Reply(value, sum(spent, Usage()))

    async def _call(self, kwargs: dict[str, Any]) -> tuple[ChatCompletion, float]:
        """One request: from the store when it holds it, else from the cache, else from
        the backend; what the store records and the cache keeps is written to them.
        Returns the answer and the seconds the model took (when it was asked)."""
        store, cache, name = self.store, self.cache, self.backend.name
        if store is not None and store.mode != "record":
            models = store.models if store.mode == "replay" else [name]
            if hit := store.lookup(models, kwargs):
                return _answer(hit), hit.seconds
            if store.mode == "replay":
                raise ReplayMiss(store.miss())
        if cache is not None and (hit := cache.lookup(name, kwargs)):
            if store is not None:
                store.save(name, kwargs, hit)
            return _answer(hit), hit.seconds
        start = time.monotonic()
        response = await self.backend.create(**kwargs)
        seconds = time.monotonic() - start
        usage = response.usage
        if not response.choices:  # nothing worth keeping
            return response, seconds
        recorded = Recorded(
            response.choices[0].message.content or "",
            usage.prompt_tokens if usage else 0,
            usage.completion_tokens if usage else 0,
            seconds,
            name,
        )
        if store is not None:
            store.save(name, kwargs, recorded)
        if cache is not None and response.choices[0].finish_reason != "length":
            cache.save(name, kwargs, recorded)
        return response, seconds


def _answer(hit: Recorded) -> ChatCompletion:
    return completion(hit.content, hit.prompt_tokens, hit.completion_tokens, hit.model)


def _brief(e: InstructorError) -> str:
    """One line on why the last attempt failed (instructor's own message spans pages)."""
    attempts = getattr(e, "failed_attempts", None)
    last = attempts[-1].exception if attempts else e
    lines = [ln.strip() for ln in str(last).splitlines() if ln.strip()]
    return " ".join(lines[:3])[:300]


def completion(
    content: str, prompt_tokens: int, completion_tokens: int, model: str
) -> ChatCompletion:
    """Build an OpenAI ChatCompletion object (for the fake backend and recorded answers)."""
    return ChatCompletion(
        id="digest-" + hashlib.sha1(content.encode()).hexdigest()[:12],
        object="chat.completion",
        created=int(time.time()),
        model=model,
        choices=[
            Choice(
                index=0,
                finish_reason="stop",
                message=ChatCompletionMessage(role="assistant", content=content),
            )
        ],
        usage=CompletionUsage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
    )


class Replayed:
    """The backend of ``replay:DIR``: it has no model, only the store's recordings, and
    chunks as the recorded model did (or no request would match its cassettes)."""

    def __init__(self, store: Store) -> None:
        recorded = store.models[0] if store.models else ""
        self.name = f"replay:{store.folder}" + (
            f" (recorded from {', '.join(store.models)})" if store.models else ""
        )
        self.small = not recorded.startswith("openai:")
        self._store = store

    async def create(self, **kwargs: Any) -> ChatCompletion:
        raise ReplayMiss(self._store.miss())
