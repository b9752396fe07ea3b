"""The shipped ``fake`` model: scripted answers first, then answers derived from the prompt.

The derived answers are from the prompt alone, deterministically, so the whole pipeline (CLI,
validation, grounding, summary checks) runs in tests without a model: the extraction
answer takes each numbered sentence as a claim and reads its level from the cue hints;
the summary answer restates the first claims, keeping their source and doubt.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from typing import Any

from openai.types.chat import ChatCompletion

from ..prompts import read_claim_lines, read_sentence_lines
from .core import LLM, completion

#: A scripted answer: a dict (sent as JSON), a JSON string, or a callable taking the messages.
Scripted = dict[str, Any] | str | Callable[[list[dict[str, Any]]], Any]


class Fake:
    """A deterministic backend: ``answers`` in order, then :func:`respond`. With ``delay``,
    each call waits that many seconds without blocking the event loop, as a remote API
    does; ``calls`` counts the requests it answered."""

    def __init__(
        self,
        answers: Sequence[Scripted] = (),
        *,
        delay: float = 0.0,
        name: str = "fake",
        small: bool = True,
    ) -> None:
        self.name, self.small, self.delay = name, small, delay
        self._queue = list(answers)
        self.calls = 0

    async def create(self, **kwargs: Any) -> ChatCompletion:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.calls += 1
        messages = kwargs["messages"]
        schema = kwargs.get("response_format", {}).get("json_schema", {}).get("name", "")
        if self._queue:
            answer = self._queue.pop(0)
            answer = answer(messages) if callable(answer) else answer
            content = answer if isinstance(answer, str) else json.dumps(answer)
        else:
            content = respond(messages, schema)
        prompt = sum(len(m.get("content") or "") for m in messages)
        return completion(content, prompt // 4 + 1, len(content) // 4 + 1, self.name)


def fake_model(answers: Sequence[Scripted] = (), *, delay: float = 0.0) -> LLM:
    """The shipped test model: scripted ``answers`` first (dicts, JSON strings, or callables
    taking the messages), then a deterministic answer derived from the prompt itself."""
    return LLM(Fake(answers, delay=delay))


def respond(messages: list[dict[str, Any]], schema: str) -> str:
    # The task is the last user message that holds input lines: worked examples come
    # before it, re-asks after it.
    users = [m["content"] for m in messages if m["role"] == "user"]
    if schema == "SummaryAnswer":
        return json.dumps(_summary(next((u for u in users[::-1] if read_claim_lines(u)), "")))
    task = next((u for u in users[::-1] if read_sentence_lines(u)), "")
    if schema == "FactsAnswer":
        return json.dumps(_facts(task))
    return json.dumps(_extract(task))


#: Characters the facts schema forbids in a fact (answers.FactText).
_NOT_IN_FACTS = str.maketrans("", "", "{}[]")


def _facts(user: str) -> dict[str, Any]:
    """Each sentence as its one fact, keyed by its number, and no loaded word: extract@v4's
    shape."""
    facts: dict[str, Any] = {
        str(number): [_short(text.replace('"', "'").translate(_NOT_IN_FACTS), 150)]
        for number, text, _ in read_sentence_lines(user)
    }
    return {**facts, "loaded": []}


def _extract(user: str) -> dict[str, Any]:
    claims: list[dict[str, Any]] = []
    for number, text, hints in read_sentence_lines(user):
        level = "asserted"
        if "(rumour)" in hints or (hints and _short(text).endswith("?")):
            level = "speculative"
        elif "(doubt)" in hints:
            level = "hedged"
        elif "(attribution)" in hints:
            level = "attributed"
        claims.append({"text": _short(text), "sentences": [number], "source": "", "level": level})
    return {"claims": claims[:12]}


def _short(sentence: str, limit: int = 200) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0]


def _summary(user: str) -> dict[str, Any]:
    sentences = []
    for cid, level, source, text in read_claim_lines(user):
        text = text.rstrip(".")
        if level == "hedged":
            text = f"Reportedly, {text[0].lower()}{text[1:]}"
        elif level == "speculative":
            text = f"It is speculated that {text[0].lower()}{text[1:]}"
        elif source:
            text = f"According to {source}, {text[0].lower()}{text[1:]}"
        sentences.append({"text": text + ".", "claims": [cid]})
        if len(sentences) == 3:
            break
    return {
        "sentences": sentences or [{"text": "The article makes no checkable claim.", "claims": []}]
    }
