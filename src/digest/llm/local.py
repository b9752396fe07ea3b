"""In-process llama.cpp (llama-cpp-python) on the CPU: the embedded model or any GGUF file.

One llama.cpp context serves one request at a time, so calls take a lock and run in a worker
thread: the event loop stays free for other work (an API model's articles, progress, writing
results) while the model writes. A cancelled call (Ctrl-C) stops generating at the next token.
"""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion

from .. import weights
from ..errors import ModelUnavailable

#: llama.cpp's penalty on tokens repeated within the last 64 (1.0: none).
REPEAT_PENALTY = 1.15


class Local:
    def __init__(self, path: Path | None = None) -> None:
        try:
            from llama_cpp import Llama

            from .sampling import grammar_first
        except ImportError as e:
            raise ModelUnavailable(f"local model not installed: {weights.INSTALL_HINT}") from e
        if path is None:
            path = weights.ensure_model()
            self.name = f"local:{weights.NAME}"
        else:
            if not path.is_file():
                raise ModelUnavailable(f"local model file not found: {path}")
            self.name = f"local:{path}"
        self.small = True
        try:
            self._llama = Llama(
                model_path=str(path),
                n_ctx=int(os.environ.get("DIGEST_N_CTX", "4096")),
                n_threads=os.cpu_count() or 2,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as e:
            raise ModelUnavailable(f"cannot load {path}: {e}") from e
        self._lock = threading.Lock()
        self._stop = threading.Event()  # the running request's: set when it is cancelled
        grammar_first(self._llama, lambda: self._stop.is_set())

    async def create(self, **kwargs: Any) -> ChatCompletion:
        stop = threading.Event()
        try:
            return await asyncio.to_thread(self._create, kwargs, stop)
        except asyncio.CancelledError:
            stop.set()
            raise

    def _create(self, kwargs: dict[str, Any], stop: threading.Event) -> ChatCompletion:
        kwargs = dict(kwargs)
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
        with self._lock:
            if stop.is_set():  # cancelled while it waited for the model
                raise asyncio.CancelledError
            self._stop = stop
            response: ChatCompletion = self._llama.create_chat_completion_openai_v1(**kwargs)
            return response
