"""What one article's run spent and what went wrong in it, as it accumulates."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from .prompts import Prompt
from .schema import Issue, IssueCode, Run
from .usage import Usage
from .version import __version__


@dataclass
class Tally:
    """One article's issues and usage as they accumulate, and why it is partial, if it is."""

    issues: list[Issue] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    incomplete: str | None = None

    def add(self, code: IssueCode, message: str, *, stops: bool = False, **where: object) -> None:
        self.issues.append(Issue(code=code, message=message, **where))  # type: ignore[arg-type]
        if stops and self.incomplete is None:
            self.incomplete = message

    def run(
        self,
        model: str,
        used: tuple[Prompt, ...],
        started: float,
        summary: Literal["pick", "write"],
    ) -> Run:
        return Run(
            model=model,
            summary_mode=summary,
            prompts={p.name: p.ref for p in used},
            prompt_sha256={p.name: p.sha256 for p in used},
            llm_calls=self.usage.calls,
            input_tokens=self.usage.input_tokens,
            output_tokens=self.usage.output_tokens,
            seconds=round(time.monotonic() - started, 2),
            model_seconds=round(self.usage.seconds, 2),
            digest_version=__version__,
            complete=self.incomplete is None,
            incomplete_reason=self.incomplete,
        )


def interrupted(e: BaseException, stop: threading.Event) -> None:
    """Re-raise a cancellation that is not the user's Ctrl-C (a caller's timeout, say): only
    Ctrl-C turns into a partial digest."""
    if isinstance(e, asyncio.CancelledError) and not stop.is_set():
        raise e
