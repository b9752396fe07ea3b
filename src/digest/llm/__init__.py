"""The LLM boundary: the one package that imports ``openai`` and ``instructor``.

Model strings:

- ``openai:MODEL``   any OpenAI-compatible endpoint (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``)
- ``local``          the embedded Qwen2.5-Coder-1.5B, in-process through llama-cpp-python
- ``local:PATH``     any GGUF file, in-process
- ``fake``           a scripted model shipped for tests (see :mod:`digest.llm.fake`)
- ``replay:DIR``     recorded answers (cassettes); a miss is an error saying how to record

Modules: :mod:`.core` (the :class:`LLM` interface, usage per call), :mod:`.store`
(recorded calls), one module per backend (:mod:`.api`, :mod:`.local`, :mod:`.fake`), and
:mod:`.sampling` (the local model's grammar-first sampler).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import instructor

from ..errors import InputError, ModelUnavailable
from .api import PER_SERVER, TIMEOUT
from .core import LLM, Backend, Message, Reply
from .fake import Fake, fake_model
from .store import Store

__all__ = [
    "LLM",
    "Backend",
    "Fake",
    "Message",
    "Reply",
    "Store",
    "default_model",
    "fake_model",
    "open_model",
    "worth_caching",
]

_JSON_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "tools": instructor.Mode.TOOLS,
}


def default_model() -> str:
    return os.environ.get("DIGEST_MODEL") or "local"


def worth_caching(spec: str | None) -> bool:
    """Whether a model's calls are worth keeping in the call cache: a real model's are, a
    fake or replayed model's are not."""
    return (spec or default_model()).partition(":")[0] not in ("fake", "replay")


def open_model(
    spec: str | None = None,
    *,
    base_url: str | Sequence[str] | None = None,
    store: Store | None = None,
    small: bool | None = None,
    per_server: int | None = None,
    timeout: float | None = None,
) -> LLM:
    """Resolve a model string (or ``$DIGEST_MODEL``, or ``local``) to a ready :class:`LLM`,
    its calls recorded in or answered from ``store`` when one is given. ``small`` says
    whether an endpoint's model gets the settings of a small local model (see
    :func:`is_small`). Several ``base_url`` make a pool of servers, each taking at most
    ``per_server`` requests at a time; one request may take ``timeout`` seconds (else
    ``$DIGEST_TIMEOUT``, else 300)."""
    spec = spec or default_model()
    kind, _, arg = spec.partition(":")
    if base_url and kind != "openai":
        raise InputError(f"--base-url is for openai:MODEL, not {spec!r}")
    if kind == "openai":
        backend = _openai(
            arg, base_url, is_small(arg, small), per_server or PER_SERVER, timeout or _timeout()
        )
        return LLM(backend, store, _json_mode())
    if kind == "local":
        from .local import Local

        return LLM(Local(Path(arg).expanduser() if arg else None), store)
    if kind == "fake":
        return LLM(Fake(), store)
    if kind == "replay":
        from .core import Replayed

        if store is not None:
            raise InputError("replay: answers from its own folder; it cannot record elsewhere")
        recorded = Store(Path(arg or "cassettes"), "replay")
        return LLM(Replayed(recorded), recorded)
    raise ModelUnavailable(
        f"unknown model {spec!r}: use openai:MODEL, local, local:PATH.gguf, fake or replay:DIR"
    )


def _json_mode() -> instructor.Mode:
    """How the endpoint is asked for JSON: ``$DIGEST_JSON_MODE`` (json_schema by default;
    json for servers that refuse JSON-schema output, tools for tool calling)."""
    name = os.environ.get("DIGEST_JSON_MODE") or "json_schema"
    if name not in _JSON_MODES:
        raise InputError(f"DIGEST_JSON_MODE={name!r}: use {', '.join(_JSON_MODES)}")
    return _JSON_MODES[name]


#: A parameter count in a model's name: "qwen2.5-1.5b-instruct", "llama3.1:8b", "smollm2-135m".
_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])", re.IGNORECASE)


def is_small(model: str, small: bool | None = None) -> bool:
    """Whether an endpoint's model is a small one, which gets what the embedded model gets
    (a prompt's tuned chunk size): ``small`` if given, else ``$DIGEST_SMALL_MODEL`` (1 or
    0), else its name: 9 billion parameters or fewer ("1.5b", "8b", "135m")."""
    if small is not None:
        return small
    if (env := os.environ.get("DIGEST_SMALL_MODEL")) is not None:
        return env.strip().lower() in ("1", "true", "yes")
    sizes = [(float(n), unit.lower()) for n, unit in _SIZE.findall(model)]
    return any(unit == "m" or n <= 9 for n, unit in sizes)


def _timeout() -> float:
    raw = os.environ.get("DIGEST_TIMEOUT")
    try:
        return float(raw) if raw else TIMEOUT
    except ValueError as e:
        raise InputError(f"DIGEST_TIMEOUT={raw!r} is not a number of seconds") from e


def _openai(
    model: str,
    base_url: str | Sequence[str] | None,
    small: bool,
    per_server: int,
    timeout: float,
) -> Backend:
    from .api import OpenAICompatible

    if not model:
        raise ModelUnavailable("openai: needs a model name, e.g. --model openai:gpt-4o-mini")
    urls = [base_url] if isinstance(base_url, str) else list(base_url or [])
    if not urls:
        env = os.environ.get("DIGEST_BASE_URLS") or os.environ.get("OPENAI_BASE_URL") or ""
        urls = [u.strip() for u in env.split(",") if u.strip()]
    key = os.environ.get("OPENAI_API_KEY")
    if not key and not urls:
        raise ModelUnavailable("openai: set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
    return OpenAICompatible(
        model,
        api_key=key or "not-needed",
        base_url=urls or None,
        small=small,
        per_server=per_server,
        timeout=timeout,
    )
