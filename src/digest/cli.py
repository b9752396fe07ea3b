"""The command line: a thin Typer layer over :class:`digest.Digester`."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from collections import Counter
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

from . import distributed, llm, prompts, weights
from .batch import Results, stream
from .console import EXIT_PARTIAL, err, fail
from .errors import DigestError, InputError
from .evals.cli import app as eval_app
from .ingest import KINDS, Reader, max_bytes_default
from .llm.cache import CallCache, default_path
from .pipeline import DEFAULT_EXTRACT, DEFAULT_SUMMARY, Digester
from .render import Format, render
from .schema import Digest
from .usage import Usage
from .version import __version__

app = typer.Typer(
    help="Turn a news article into typed, grounded claims and a neutral summary.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")


class _Reporter:
    """Progress on stderr: which step, which chunk of how many, elapsed seconds."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.monotonic()

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        if step == "extract" and done < total:
            err.print(f"digest: extracting chunk {done + 1}/{total} ({elapsed:.0f} s)")
        elif step == "summary" and done == 0:
            err.print(f"digest: writing the summary ({elapsed:.0f} s)")


Model = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="openai:MODEL, local, local:PATH.gguf, fake or replay:DIR "
        "(default: $DIGEST_MODEL, else local).",
    ),
]
BaseUrl = Annotated[
    list[str] | None,
    typer.Option(
        help="OpenAI-compatible endpoint; several make a pool (default: $DIGEST_BASE_URLS, "
        "comma-separated, or $OPENAI_BASE_URL)."
    ),
]
PerServer = Annotated[
    int | None, typer.Option(min=1, help="Requests each endpoint takes at a time (default 8).")
]
Record = Annotated[Path | None, typer.Option(help="Record every model call as a cassette in DIR.")]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Neither answer from nor add to the call cache.")
]
ChunkWords = Annotated[
    int | None, typer.Option(min=40, help="Words per extraction chunk (default: per model).")
]
ExtractPrompt = Annotated[str, typer.Option(help="Extraction prompt, NAME@vN.")]
SummaryPrompt = Annotated[str, typer.Option(help="Summary prompt, NAME@vN.")]
InputFormat = Annotated[
    str,
    typer.Option(
        "--input-format", help="auto (by suffix, else by content), text, html, json or jsonl."
    ),
]
MaxBytes = Annotated[
    int | None,
    typer.Option(
        min=1, help="Refuse an article larger than this (default 5 MB; $DIGEST_MAX_BYTES)."
    ),
]
Encoding = Annotated[str, typer.Option(help="Text encoding of the input.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
Small = Annotated[
    bool | None,
    typer.Option(
        "--small-model/--large-model",
        help="Give an endpoint's model a small local model's settings (default: by its name, "
        "9B parameters or fewer, or $DIGEST_SMALL_MODEL).",
    ),
]


def _reader(input_format: str, max_bytes: int | None, encoding: str) -> Reader:
    if input_format not in KINDS:
        raise InputError(f"--input-format {input_format!r}: use {', '.join(KINDS)}")
    return Reader(input_format, max_bytes or max_bytes_default(), encoding)


def _digester(model: str | None, no_cache: bool, quiet: bool, **options: object) -> Digester:
    """The Digester a command asks for, with the call cache unless it is bypassed (a fake
    or replayed model has nothing worth caching)."""
    chosen = model or llm.default_model()
    if not quiet:
        err.print(f"digest: loading model {chosen}")
        if chosen == "local" and not weights.model_path().is_file():
            err.print("digest: first run: assembling and verifying the 1.1 GB model")
    cached = not no_cache and llm.worth_caching(chosen)
    return Digester(model, cache=CallCache() if cached else None, **options)  # type: ignore[arg-type]


@app.command()
def run(
    path: Annotated[
        str,
        typer.Argument(help="Article file (text, HTML or a JSON record), a URL, or - for stdin."),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, markdown or json (the contract).")
    ] = "text",
    model: Model = None,
    base_url: BaseUrl = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result to FILE.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Article title (default: the input's, else its first line).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Article URL, kept in the output.")] = None,
    record: Record = None,
    no_cache: NoCache = False,
    chunk_words: ChunkWords = None,
    extract_prompt: ExtractPrompt = DEFAULT_EXTRACT,
    summary_prompt: SummaryPrompt = DEFAULT_SUMMARY,
    input_format: InputFormat = "auto",
    max_bytes: MaxBytes = None,
    encoding: Encoding = "utf-8-sig",
    small_model: Small = None,
    per_server: PerServer = None,
    quiet: Quiet = False,
) -> None:
    """Digest one article: a neutral summary and a table of grounded claims."""
    try:
        item = _reader(input_format, max_bytes, encoding).one(path)
        digester = _digester(
            model,
            no_cache,
            quiet,
            base_url=base_url,
            record_dir=record,
            extract_prompt=extract_prompt,
            summary_prompt=summary_prompt,
            chunk_words=chunk_words,
            progress=_Reporter(quiet),
            small=small_model,
            per_server=per_server,
        )
        result = digester.run(
            item.text,
            title=title or item.title,
            url=url or item.url,
            id=item.id,
            published=item.published,
        )
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None

    color = output is None and fmt == "text" and sys.stdout.isatty()
    width = 120 if output or not sys.stdout.isatty() else Console().width
    rendered = render(result, fmt, width=width, color=color)
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as e:
            sys.stdout.write(rendered)
            raise fail(
                f"cannot write {output} ({e.strerror}); the result was printed to stdout instead",
                1,
            ) from None
        if not quiet:
            err.print(f"digest: wrote {output}")
    else:
        sys.stdout.write(rendered)
    if not result.run.complete:
        raise fail(f"incomplete digest written: {result.run.incomplete_reason}", EXIT_PARTIAL)


class _Rate(ProgressColumn):
    """Articles a second, over the run so far."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f} articles/s" if speed else "- articles/s")


@app.command()
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
    usage = Usage()
    interrupted = False
    options: dict[str, object] = {
        "model": model,
        "base_url": base_url,
        "record_dir": record,
        "extract_prompt": extract_prompt,
        "summary_prompt": summary_prompt,
        "chunk_words": chunk_words,
        "small": small_model,
        "per_server": per_server,
    }
    try:
        if engine not in ("local", "ray"):
            raise InputError(f"--engine {engine!r}: use local or ray")
        reader = _reader(input_format, max_bytes, encoding)
        with Results(out, errors) as results:
            total = reader.count(inputs)
            before = frozenset(results.done)  # a repeat within this run is a failure
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=err,
                disable=quiet,
            ) as bar:
                task = bar.add_task("digest", total=total)

                def skip(article_id: str) -> bool:
                    if article_id in before:
                        tally["skipped"] += 1
                        bar.advance(task)
                        return True
                    return False

                items = reader.read(inputs)
                if engine == "ray":
                    prompts.load(extract_prompt), prompts.load(summary_prompt)
                    cache = None if no_cache or not llm.worth_caching(model) else default_path()
                    outcomes = distributed.stream(
                        options,
                        items,
                        concurrency=concurrency,
                        skip=skip,
                        cache_path=str(cache) if cache else None,
                        address=ray_address,
                    )
                else:
                    rest = {k: v for k, v in options.items() if k != "model"}
                    digester = _digester(model, no_cache, quiet, **rest)
                    outcomes = stream(digester, items, concurrency=concurrency, skip=skip)
                try:
                    for outcome in outcomes:
                        results.write(outcome)
                        tally["done" if outcome.ok else f"failed ({outcome.failure})"] += 1
                        if outcome.digest:
                            r = outcome.digest.run
                            usage += Usage(r.llm_calls, r.input_tokens, r.output_tokens)
                        bar.advance(task)
                except KeyboardInterrupt:
                    interrupted = True
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    seconds = time.monotonic() - started
    failed = sum(n for k, n in tally.items() if k.startswith("failed"))
    summary = Table(title=f"digest batch: {out}", show_header=False)
    for key in ("done", "skipped", *sorted(k for k in tally if k.startswith("failed"))):
        summary.add_row(key, str(tally[key]))
    summary.add_row("LLM calls", str(usage.calls))
    summary.add_row("tokens in / out", f"{usage.input_tokens} / {usage.output_tokens}")
    summary.add_row("seconds", f"{seconds:.1f}")
    summary.add_row("articles / s", f"{(tally['done'] + failed) / seconds:.2f}")
    Console(stderr=True, width=100).print(summary)
    if interrupted:
        raise fail("interrupted: run the same command again to resume", 130)
    if failed:
        raise fail(f"{failed} article(s) failed: see {results.errors}", EXIT_PARTIAL)


@app.command("cache")
def cache_cmd(
    clear: Annotated[bool, typer.Option("--clear", help="Forget every cached call.")] = False,
) -> None:
    """Show the call cache that run, batch and eval share (where, how big), or clear it."""
    try:
        cache = CallCache()
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    if clear:
        typer.echo(f"cleared {cache.clear()} cached call(s) from {cache.path}")
        return
    stats = cache.stats()
    table = Table(title=f"call cache: {stats.path}")
    table.add_column("model")
    table.add_column("calls", justify="right")
    for name, n in sorted(stats.by_model.items()):
        table.add_row(name, str(n))
    table.add_row("all", str(stats.calls))
    Console(width=120).print(table)
    typer.echo(f"{stats.bytes / 1e6:.2f} MB on disk; clear it with: digest cache --clear")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output contract (schema_version "1")."""
    typer.echo(json.dumps(Digest.model_json_schema(), indent=2))


def backends() -> list[tuple[str, bool, str]]:
    """(model string, usable here, why or why not) for every backend."""
    rows = []
    have_llama = importlib.util.find_spec("llama_cpp") is not None
    missing = weights.missing_parts()
    if not have_llama:
        rows.append(("local", False, f"llama-cpp-python not installed: {weights.INSTALL_HINT}"))
    elif missing and not weights.model_path().is_file():
        rows.append(("local", False, f"local model not installed: {weights.INSTALL_HINT}"))
    elif weights.model_path().is_file():
        rows.append(("local", True, f"{weights.NAME}, assembled at {weights.model_path()}"))
    else:
        rows.append(("local", True, f"{weights.NAME}; assembled on first use"))
    rows.append(
        (
            "local:PATH.gguf",
            have_llama,
            "any GGUF file"
            if have_llama
            else f"llama-cpp-python not installed: {weights.INSTALL_HINT}",
        )
    )
    base = os.environ.get("OPENAI_BASE_URL")
    if os.environ.get("OPENAI_API_KEY") or base:
        rows.append(("openai:MODEL", True, f"endpoint {base or 'api.openai.com'}"))
    else:
        rows.append(("openai:MODEL", False, "set OPENAI_API_KEY, or OPENAI_BASE_URL/--base-url"))
    rows.append(("fake", True, "scripted test model, always available"))
    rows.append(("replay:DIR", True, "answers recorded with --record DIR"))
    return rows


@app.command()
def models() -> None:
    """Show which model backends are usable on this machine, and why not."""
    table = Table(title=f"digest {__version__}: default model {llm.default_model()}")
    table.add_column("model")
    table.add_column("usable")
    table.add_column("details")
    for name, ok, why in backends():
        table.add_row(name, "yes" if ok else "no", why)
    Console(width=120).print(table)


@app.command()
def version() -> None:
    """Print digest's version."""
    typer.echo(__version__)
