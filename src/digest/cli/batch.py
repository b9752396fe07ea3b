"""``digest batch``: many articles into a resumable JSONL file, with a progress bar."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .. import distributed, llm, prompts
from ..batch import Outcome, Results, stream
from ..console import EXIT_PARTIAL, err, fail
from ..errors import DigestError, InputError
from ..llm.cache import default_path
from ..pipeline import DEFAULT_EXTRACT, DEFAULT_SUMMARY
from ..summary import parse_mode
from ..usage import Usage
from .options import (
    BaseUrl,
    ChunkWords,
    Encoding,
    ExtractPrompt,
    InputFormat,
    MaxBytes,
    Model,
    NoCache,
    PerServer,
    Quiet,
    Record,
    Small,
    SummaryMode,
    SummaryPrompt,
    SummarySentences,
    digester,
    reader,
)


class _Rate(ProgressColumn):
    """Articles a second, over the run so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f} articles/s" if speed else "- articles/s")


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Article files, folders, glob patterns, JSON/JSONL files, URLs, -."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Results, one digest a JSON line.")],
    errors: Annotated[
        Path | None,
        typer.Option(help="Failures, one JSON line each (default: OUT.errors.jsonl)."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Articles in flight at once.")
    ] = 4,
    model: Model = None,
    base_url: BaseUrl = None,
    record: Record = None,
    no_cache: NoCache = False,
    chunk_words: ChunkWords = None,
    extract_prompt: ExtractPrompt = DEFAULT_EXTRACT,
    summary_prompt: SummaryPrompt = DEFAULT_SUMMARY,
    summary_mode: SummaryMode = "auto",
    summary_sentences: SummarySentences = None,
    input_format: InputFormat = "auto",
    max_bytes: MaxBytes = None,
    encoding: Encoding = "utf-8-sig",
    small_model: Small = None,
    per_server: PerServer = None,
    engine: Annotated[
        str, typer.Option(help="local (this process) or ray (a Ray cluster, or a local one).")
    ] = "local",
    ray_address: Annotated[
        str | None, typer.Option(help="The Ray cluster to use (default: $RAY_ADDRESS, else local).")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Digest many articles into a JSONL file; run it again to resume where it stopped."""
    started = time.monotonic()
    tally: Counter[str] = Counter()
    options: dict[str, object] = {
        "model": model,
        "base_url": base_url,
        "record_dir": record,
        "extract_prompt": extract_prompt,
        "summary_prompt": summary_prompt,
        "summary_sentences": summary_sentences,
        "chunk_words": chunk_words,
        "small": small_model,
        "per_server": per_server,
    }
    try:
        options["summary_mode"] = parse_mode(summary_mode)
        if engine not in ("local", "ray"):
            raise InputError(f"--engine {engine!r}: use local or ray")
        source = reader(input_format, max_bytes, encoding)
        with Results(out, errors) as results, _bar(quiet) as bar:
            task = bar.add_task("digest", total=source.count(inputs))
            before = frozenset(results.done)  # a repeat within this run is a failure

            def skip(article_id: str) -> bool:
                if article_id in before:
                    tally["skipped"] += 1
                    bar.advance(task)
                    return True
                return False

            if engine == "ray":
                prompts.load(extract_prompt), prompts.load(summary_prompt)
                cache = None if no_cache or not llm.worth_caching(model) else default_path()
                outcomes = distributed.stream(
                    options,
                    source.read(inputs),
                    concurrency=concurrency,
                    skip=skip,
                    cache_path=str(cache) if cache else None,
                    address=ray_address,
                )
            else:
                rest = {k: v for k, v in options.items() if k != "model"}
                made = digester(model, no_cache, quiet, **rest)
                outcomes = stream(made, source.read(inputs), concurrency=concurrency, skip=skip)
            usage, interrupted = _write(outcomes, results, tally, lambda: bar.advance(task))
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    except KeyboardInterrupt:  # before the first article: nothing to keep
        raise fail("interrupted", 130) from None
    _report(out, tally, usage, time.monotonic() - started)
    if interrupted:
        raise fail("interrupted: run the same command again to resume", 130)
    if failed := sum(n for k, n in tally.items() if k.startswith("failed")):
        raise fail(f"{failed} article(s) failed: see {results.errors}", EXIT_PARTIAL)


def _bar(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
    )


def _write(
    outcomes: Iterable[Outcome],
    results: Results,
    tally: Counter[str],
    advance: Callable[[], object],
) -> tuple[Usage, bool]:
    """Write each outcome as it comes; what the digests cost, and whether Ctrl-C stopped it."""
    usage = Usage()
    try:
        for outcome in outcomes:
            results.write(outcome)
            tally["done" if outcome.ok else f"failed ({outcome.failure})"] += 1
            if outcome.digest:
                r = outcome.digest.run
                usage += Usage(r.llm_calls, r.input_tokens, r.output_tokens)
            advance()
    except KeyboardInterrupt:
        return usage, True
    return usage, False


def _report(out: Path, tally: Counter[str], usage: Usage, seconds: float) -> None:
    failed = sorted(k for k in tally if k.startswith("failed"))
    summary = Table(title=f"digest batch: {out}", show_header=False)
    for key in ("done", "skipped", *failed):
        summary.add_row(key, str(tally[key]))
    summary.add_row("LLM calls", str(usage.calls))
    summary.add_row("tokens in / out", f"{usage.input_tokens} / {usage.output_tokens}")
    summary.add_row("seconds", f"{seconds:.1f}")
    finished = tally["done"] + sum(tally[k] for k in failed)
    summary.add_row("articles / s", f"{finished / seconds:.2f}")
    Console(stderr=True, width=100).print(summary)
