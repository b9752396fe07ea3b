"""Eval runs: digest every fixture, score it, and keep a self-describing run log.

A run log (JSON) holds everything needed to read, rescore or compare a run later without
calling a model: who ran what (digest version, git commit, model, prompt refs and hashes),
every case's predicted digest, its counts, calls, tokens and seconds, and the overall
metrics with 95% bootstrap intervals.
"""

from __future__ import annotations

import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ..errors import DigestError, InputError, LLMError
from ..llm import LLM, Store, open_model
from ..llm.cache import CallCache
from ..pipeline import Digester
from ..schema import Digest, Run
from ..version import __version__
from . import score
from .fixtures import Fixture


class Case(BaseModel):
    id: str
    digest: Digest | None = None
    error: str | None = None
    counts: score.Counts = Field(default_factory=score.Counts)
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    #: Time the model took to answer; for a replayed run, the time it took when recorded.
    model_seconds: float = 0.0


class RunLog(BaseModel):
    digest_version: str
    git_commit: str | None = None
    git_dirty: bool | None = None
    python: str = platform.python_version()
    started: str
    model: str
    prompts: dict[str, str]
    prompt_sha256: dict[str, str]
    #: How summaries were made ("pick" or "write"); logs from before the choice: "write".
    summary_mode: Literal["pick", "write"] = "write"
    fixtures: str
    #: The folder of recorded calls the run answered from or added to, if any.
    cassettes: str | None = None
    complete: bool = True
    cases: list[Case] = Field(default_factory=list)
    metrics: dict[str, dict[str, float | None]] = Field(default_factory=dict)
    confusion: list[list[int]] = Field(default_factory=list)

    def counts(self) -> list[score.Counts]:
        return [c.counts for c in self.cases]


def _git(folder: Path) -> tuple[str | None, bool | None]:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    return head, bool(status.strip())


def _cassettes(model: str | LLM | None, store: Store | None) -> str | None:
    """The folder of recorded calls a run answers from or adds to, if any."""
    if store is not None:
        return str(store.folder)
    if isinstance(model, str) and model.startswith("replay:"):
        return model.removeprefix("replay:")
    return None


def rescore(log: RunLog, fixtures: Sequence[Fixture]) -> RunLog:
    """Score every case of ``log`` again with the current scorers (no model is called)."""
    gold = {f.id: f for f in fixtures}
    for case in log.cases:
        fixture = gold.get(case.id)
        if fixture is None:
            raise DigestError(f"no fixture {case.id!r} to score the run's case against")
        empty = Digest(article=fixture.article, run=Run(model=log.model))
        case.counts = score.score_case(fixture, case.digest or empty)
    cases = log.counts()
    log.metrics = {name: score.estimate(name, cases).as_dict() for name in score.METRICS}
    log.confusion = score.confusion([pair for c in cases for pair in c.levels])
    return log


def run(
    fixtures: Sequence[Fixture],
    model: str | LLM | None,
    *,
    folder: Path,
    extract_prompt: str,
    summary_prompt: str,
    summary_mode: str | None = None,
    store: Store | None = None,
    cache: CallCache | None = None,
    on_case: Callable[[Case], None] | None = None,
) -> RunLog:
    """Digest and score every fixture. A case that fails is kept with its error and scored
    as an empty prediction; Ctrl-C stops the run and keeps the cases done so far. With a
    ``store`` in cache mode, calls recorded there are answered from it and the rest are
    added to it."""
    llm = model.with_store(store) if isinstance(model, LLM) else open_model(model, store=store)
    llm = llm.with_cache(cache)
    digester = Digester(
        llm,
        extract_prompt=extract_prompt,
        summary_prompt=summary_prompt,
        summary_mode=summary_mode,
    )
    commit, dirty = _git(Path.cwd())
    p = digester.prompts()
    log = RunLog(
        digest_version=__version__,
        git_commit=commit,
        git_dirty=dirty,
        started=datetime.now(UTC).isoformat(timespec="seconds"),
        model=digester.llm.name,
        prompts={x.name: x.ref for x in p},
        prompt_sha256={x.name: x.sha256 for x in p},
        summary_mode=digester.summarizer.mode,
        fixtures=str(folder),
        cassettes=_cassettes(model, store),
    )
    for fixture in fixtures:
        case = Case(id=fixture.id)
        started = time.monotonic()
        try:
            case.digest = digester.run(fixture.article.text, url=fixture.article.url)
        except KeyboardInterrupt:
            log.complete = False
            break
        except (LLMError, InputError) as e:
            case.error = str(e)
            log.complete = False
        if case.digest and any(i.code == "run.interrupted" for i in case.digest.issues):
            log.complete = False  # Ctrl-C inside the pipeline: a half-digested case is not scored
            break
        case.seconds = round(time.monotonic() - started, 2)
        if case.digest:
            r = case.digest.run
            case.calls, case.input_tokens, case.output_tokens = (
                r.llm_calls,
                r.input_tokens,
                r.output_tokens,
            )
            case.model_seconds = r.model_seconds
            log.complete &= r.complete
        log.cases.append(case)
        if on_case:
            on_case(case)
    return rescore(log, fixtures)
