"""Recorded model calls: one folder of cassettes, used in one of three modes.

- ``record``: every call goes to the model and is written down (``--record DIR``);
- ``replay``: every call is answered from the folder; a request it does not hold is a
  :class:`~digest.errors.ReplayMiss` that says how to record it (``replay:DIR``);
- ``cache``: answered from the folder when it holds the request, else asked and recorded
  (``digest eval run --cache DIR``), so re-running after a change costs only what changed.

A cassette is one JSON file named by the first 32 hex digits of the sha256 of the model
name, the messages and the response format: the same request always finds the same file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from ..errors import ModelUnavailable

Mode = Literal["record", "replay", "cache"]


@dataclass(frozen=True)
class Recorded:
    """A stored answer: its text, its token counts, and how long the model took."""

    content: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    model: str


def request_key(model: str, kwargs: dict[str, Any], also: tuple[str, ...] = ()) -> str:
    """The sha256 of the model's name, the messages, the response format and ``also`` (more
    of the request's settings)."""
    fields = ("messages", "response_format", *also)
    payload = {"model": model, **{f: kwargs.get(f) for f in fields}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Store:
    folder: Path
    mode: Mode = "cache"

    def __post_init__(self) -> None:
        if self.mode == "replay" and not self.folder.is_dir():
            raise ModelUnavailable(f"replay: no cassette folder {self.folder}")

    @cached_property
    def models(self) -> list[str]:
        """The model names the folder holds answers of (for replay)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            {json.loads(p.read_text(encoding="utf-8"))["model"] for p in self.folder.glob("*.json")}
        )

    def lookup(self, models: Sequence[str], kwargs: dict[str, Any]) -> Recorded | None:
        """The recorded answer to this request by one of ``models``, if the folder holds it."""
        for model in models:
            path = self.folder / f"{request_key(model, kwargs)[:32]}.json"
            if path.is_file():
                c = json.loads(path.read_text(encoding="utf-8"))
                return Recorded(
                    c["content"],
                    c["prompt_tokens"],
                    c["completion_tokens"],
                    c.get("seconds", 0.0),
                    model,
                )
        return None

    def save(self, model: str, kwargs: dict[str, Any], answer: Recorded) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = request_key(model, kwargs)
        cassette = {
            "model": model,
            "key": key,
            "messages": kwargs.get("messages"),
            "content": answer.content,
            "prompt_tokens": answer.prompt_tokens,
            "completion_tokens": answer.completion_tokens,
            "seconds": round(answer.seconds, 2),
        }
        (self.folder / f"{key[:32]}.json").write_text(
            json.dumps(cassette, indent=1, ensure_ascii=False)
        )

    def miss(self) -> str:
        """What a replay miss says: which models the folder holds and how to record."""
        return (
            f"replay: no recorded answer in {self.folder} for this request (recorded models: "
            f"{', '.join(self.models) or 'none'}); record it with: "
            f"digest run ARTICLE --model MODEL --record {self.folder}"
        )
