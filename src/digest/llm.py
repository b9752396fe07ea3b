"""The LLM boundary: the one module that imports ``openai`` and ``instructor``.

Every backend is reduced to a raw OpenAI-style ``create(**kwargs) -> ChatCompletion``
function; :class:`LLM` wraps it to count usage over every attempt, record cassettes, and
hands it to ``instructor.patch(create=...)`` so that all backends (the fake one included)
go through the same schema validation and bounded re-asking.

Model strings:

- ``openai:MODEL``   any OpenAI-compatible endpoint (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``)
- ``local``          the embedded Qwen2.5-Coder-1.5B, in-process through llama-cpp-python
- ``local:PATH``     any GGUF file, in-process
- ``fake``           a scripted model shipped for tests (see :mod:`digest.fake`)
- ``replay:DIR``     recorded answers (cassettes); a miss is an error saying how to record
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import instructor
import openai
from instructor.core.exceptions import InstructorError
from openai.types.chat import ChatCompletion
from openai.types.chat.chat_completion import Choice
from openai.types.chat.chat_completion_message import ChatCompletionMessage
from openai.types.completion_usage import CompletionUsage
from pydantic import BaseModel
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from . import fake as fake_answers
from . import weights
from .errors import DigestError, LLMError, ModelUnavailable, ReplayMiss, TransportError

T = TypeVar("T", bound=BaseModel)
Create = Callable[..., ChatCompletion]
Message = dict[str, str]

#: Transport attempts per call (the first one included).
TRANSPORT_ATTEMPTS = 4
#: The largest Retry-After digest honours, in seconds.
MAX_RETRY_AFTER = 60.0
#: llama.cpp's penalty on tokens repeated within the last 64 (1.0: none).
REPEAT_PENALTY = 1.15


@dataclass
class Usage:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    #: Time spent waiting for answers; replayed calls add the time they took when recorded.
    seconds: float = 0.0


@dataclass
class LLM:
    """A model behind digest's single interface; ``ask`` returns a validated pydantic object."""

    name: str
    create: Create
    chunk_words: int = 0  # 0: chunk_words_for(name)
    #: A small local model, which a prompt may tune its chunk size for (None: by the name).
    small: bool | None = None
    mode: instructor.Mode = instructor.Mode.JSON_SCHEMA
    record_dir: Path | None = None
    #: Answer from cassettes in this folder when they hold the request; record the rest there.
    cache_dir: Path | None = None
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        if self.small is None:
            self.small = not self.name.startswith("openai:")
        self.chunk_words = self.chunk_words or chunk_words_for(self.name)

    def ask(
        self,
        messages: Sequence[Message],
        response_model: type[T],
        *,
        max_tokens: int,
        retries: int = 1,
    ) -> T:
        """Ask once, re-asking at most ``retries`` times when the answer fails validation."""
        patched = instructor.patch(create=self._counted, mode=self.mode)
        try:
            return patched(
                messages=list(messages),
                response_model=response_model,
                max_retries=retries,
                max_tokens=max_tokens,
                temperature=0.0,
                model=self.name.partition(":")[2] or self.name,
            )
        except InstructorError as e:
            cause: BaseException | None = e
            while cause is not None:  # our own errors raised inside the create function
                if isinstance(cause, DigestError):
                    raise cause from e
                cause = cause.__cause__ or cause.__context__
            raise LLMError(
                f"{self.name}: no valid answer after {retries + 1} attempts: {_brief(e)}"
            ) from e

    def _counted(self, **kwargs: Any) -> ChatCompletion:
        start = time.monotonic()
        cached = self.cache_dir and _lookup(self.cache_dir, [self.name], kwargs)
        response = cached or self.create(**kwargs)
        seconds = getattr(response, "_digest_seconds", None)
        if seconds is None:
            seconds = time.monotonic() - start
        if self.cache_dir is not None and not cached:
            _record(self.cache_dir, self.name, kwargs, response, seconds)
        self.usage.calls += 1
        self.usage.seconds += seconds
        if response.usage:
            self.usage.input_tokens += response.usage.prompt_tokens
            self.usage.output_tokens += response.usage.completion_tokens
        if self.record_dir is not None:
            _record(self.record_dir, self.name, kwargs, response, seconds)
        return response


def chunk_words_for(name: str) -> int:
    """Words per extraction chunk: small for local models (one paragraph or two: a 1.5B
    model extracts little from more), large for API models with long contexts."""
    return 1500 if name.startswith("openai:") else 220


def _brief(e: InstructorError) -> str:
    """One line on why the last attempt failed (instructor's own message spans pages)."""
    attempts = getattr(e, "failed_attempts", None)
    last = attempts[-1].exception if attempts else e
    lines = [ln.strip() for ln in str(last).splitlines() if ln.strip()]
    return " ".join(lines[:3])[:300]


def completion(
    content: str, prompt_tokens: int, completion_tokens: int, model: str
) -> ChatCompletion:
    """Build an OpenAI ChatCompletion object (for the fake and replay backends)."""
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


# ---------------------------------------------------------------- resolving model strings


def default_model() -> str:
    return os.environ.get("DIGEST_MODEL") or "local"


def open_model(
    spec: str | None = None,
    *,
    base_url: str | None = None,
    record_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> LLM:
    """Resolve a model string (or ``$DIGEST_MODEL``, or ``local``) to a ready :class:`LLM`."""
    spec = spec or default_model()
    kind, _, arg = spec.partition(":")
    if kind == "openai":
        llm = _openai(arg, base_url)
    elif kind == "local":
        llm = _local(Path(arg).expanduser() if arg else None)
    elif kind == "fake":
        llm = fake_model()
    elif kind == "replay":
        llm = _replay(Path(arg or "cassettes"))
    else:
        raise ModelUnavailable(
            f"unknown model {spec!r}: use openai:MODEL, local, local:PATH.gguf, fake or replay:DIR"
        )
    llm.record_dir, llm.cache_dir = record_dir, cache_dir
    return llm


def fake_model(answers: Sequence[Any] = ()) -> LLM:
    """The shipped test model: scripted ``answers`` first (dicts, JSON strings, or callables
    taking the messages), then a deterministic answer derived from the prompt itself."""
    queue = list(answers)

    def create(**kwargs: Any) -> ChatCompletion:
        messages = kwargs["messages"]
        schema = kwargs.get("response_format", {}).get("json_schema", {}).get("name", "")
        if queue:
            answer = queue.pop(0)
            answer = answer(messages) if callable(answer) else answer
            content = answer if isinstance(answer, str) else json.dumps(answer)
        else:
            content = fake_answers.respond(messages, schema)
        prompt = sum(len(m.get("content") or "") for m in messages)
        return completion(content, prompt // 4 + 1, len(content) // 4 + 1, "fake")

    return LLM("fake", create)


def _openai(model: str, base_url: str | None) -> LLM:
    if not model:
        raise ModelUnavailable("openai: needs a model name, e.g. --model openai:gpt-4o-mini")
    base_url = base_url or os.environ.get("OPENAI_BASE_URL")
    key = os.environ.get("OPENAI_API_KEY")
    if not key and not base_url:
        raise ModelUnavailable("openai: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
    # The SDK's own retries are off: tenacity below owns them, so attempts are counted once.
    client = openai.OpenAI(api_key=key or "not-needed", base_url=base_url, max_retries=0)
    mode = {
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "json": instructor.Mode.JSON,
        "tools": instructor.Mode.TOOLS,
    }.get(os.environ.get("DIGEST_JSON_MODE", "json_schema"), instructor.Mode.JSON_SCHEMA)
    return LLM(f"openai:{model}", with_transport_retries(client.chat.completions.create), mode=mode)


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


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def with_transport_retries(create: Create) -> Create:
    """Retry transport failures (connection, timeout, 429, 5xx) a few times, then LLMError."""

    def retried(**kwargs: Any) -> ChatCompletion:
        retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(TRANSPORT_ATTEMPTS),
            wait=_wait,
            sleep=lambda seconds: _sleep(seconds),
            reraise=True,
        )
        try:
            return retrying(create, **kwargs)
        except openai.APIError as e:
            raise TransportError(f"model endpoint failed: {e.__class__.__name__}: {e}") from e

    return retried


def _local(path: Path | None) -> LLM:
    try:
        from llama_cpp import Llama

        from digest.sampling import grammar_first
    except ImportError as e:
        raise ModelUnavailable(f"local model not installed: {weights.INSTALL_HINT}") from e
    if path is None:
        path = weights.ensure_model()
        name = f"local:{weights.NAME}"
    else:
        if not path.is_file():
            raise ModelUnavailable(f"local model file not found: {path}")
        name = f"local:{path}"
    try:
        llama = Llama(
            model_path=str(path),
            n_ctx=int(os.environ.get("DIGEST_N_CTX", "4096")),
            n_threads=os.cpu_count() or 2,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError) as e:
        raise ModelUnavailable(f"cannot load {path}: {e}") from e
    grammar_first(llama)

    def create(**kwargs: Any) -> ChatCompletion:
        kwargs.pop("model", None)
        # Without a repeat penalty the 1.5B model loops: the same fact under every
        # sentence of a chunk until the token limit (measured on the demo article).
        kwargs.setdefault("repeat_penalty", REPEAT_PENALTY)
        rf = kwargs.get("response_format")
        if rf and rf.get("type") == "json_schema":
            # llama-cpp-python ignores "json_schema" in-process; "json_object" with a schema
            # turns it into a grammar, so the output is always valid JSON for the schema.
            kwargs["response_format"] = {
                "type": "json_object",
                "schema": rf["json_schema"]["schema"],
            }
        return llama.create_chat_completion_openai_v1(**kwargs)

    return LLM(name, create)


# ---------------------------------------------------------------- record and replay


def request_key(model: str, kwargs: dict[str, Any]) -> str:
    payload = {
        "model": model,
        "messages": kwargs.get("messages"),
        "response_format": kwargs.get("response_format"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _record(
    folder: Path, model: str, kwargs: dict[str, Any], response: ChatCompletion, seconds: float
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key = request_key(model, kwargs)
    usage = response.usage
    cassette = {
        "model": model,
        "key": key,
        "messages": kwargs.get("messages"),
        "content": response.choices[0].message.content,
        "prompt_tokens": usage.prompt_tokens if usage else 0,
        "completion_tokens": usage.completion_tokens if usage else 0,
        "seconds": round(seconds, 2),
    }
    (folder / f"{key[:32]}.json").write_text(json.dumps(cassette, indent=1, ensure_ascii=False))


def _lookup(folder: Path, models: Sequence[str], kwargs: dict[str, Any]) -> ChatCompletion | None:
    """The recorded answer to this request by one of ``models``, if ``folder`` holds it."""
    for model in models:
        path = folder / f"{request_key(model, kwargs)[:32]}.json"
        if path.is_file():
            c = json.loads(path.read_text(encoding="utf-8"))
            answer = completion(c["content"], c["prompt_tokens"], c["completion_tokens"], model)
            answer._digest_seconds = c.get("seconds", 0.0)  # type: ignore[attr-defined]
            return answer
    return None


def _replay(folder: Path) -> LLM:
    if not folder.is_dir():
        raise ModelUnavailable(f"replay: no cassette folder {folder}")
    models = sorted(
        {json.loads(p.read_text(encoding="utf-8"))["model"] for p in folder.glob("*.json")}
    )

    def create(**kwargs: Any) -> ChatCompletion:
        if answer := _lookup(folder, models, kwargs):
            return answer
        raise ReplayMiss(
            f"replay: no recorded answer in {folder} for this request (recorded models: "
            f"{', '.join(models) or 'none'}); record it with: "
            f"digest run ARTICLE --model MODEL --record {folder}"
        )

    label = f"replay:{folder}" + (f" (recorded from {', '.join(models)})" if models else "")
    # Chunk as the recorded model did, or no request would match its cassettes.
    recorded = models[0] if models else ""
    return LLM(
        label,
        create,
        chunk_words=chunk_words_for(recorded) if recorded else 0,
        small=not recorded.startswith("openai:"),
    )
