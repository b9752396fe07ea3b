"""The command line: a thin Typer layer over :class:`digest.Digester`."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .. import llm, pages, weights
from ..console import EXIT_PARTIAL, err, fail
from ..errors import DigestError, InputError
from ..evals.cli import app as eval_app
from ..llm.cache import CallCache
from ..pipeline import DEFAULT_EXTRACT, DEFAULT_SUMMARY
from ..render import Format, render
from ..schema import Digest
from ..version import __version__
from .batch import batch
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

app = typer.Typer(
    help="Turn a news article into typed, grounded claims and a neutral summary.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")
app.command()(batch)


@app.callback()
def _ctrl_c() -> None:
    """Ctrl-C keeps what is done: that needs Python's handler for SIGINT, which a parent
    process may have left ignored or blocked (seen under a test runner that started Ray):
    restore it before any work."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.default_int_handler)


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


@app.command()
def run(
    path: Annotated[
        str,
        typer.Argument(help="Article file (text, HTML or a JSON record), a URL, or - for stdin."),
    ],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="text, markdown, json (the contract) or html (a page)."
        ),
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
    summary_mode: SummaryMode = "auto",
    summary_sentences: SummarySentences = None,
    input_format: InputFormat = "auto",
    max_bytes: MaxBytes = None,
    encoding: Encoding = "utf-8-sig",
    small_model: Small = None,
    per_server: PerServer = None,
    quiet: Quiet = False,
) -> None:
    """Digest one article: a neutral summary and a table of grounded claims."""
    try:
        item = reader(input_format, max_bytes, encoding).one(path)
        made = digester(
            model,
            no_cache,
            quiet,
            base_url=base_url,
            record_dir=record,
            extract_prompt=extract_prompt,
            summary_prompt=summary_prompt,
            summary_mode=summary_mode,
            summary_sentences=summary_sentences,
            chunk_words=chunk_words,
            progress=_Reporter(quiet),
            small=small_model,
            per_server=per_server,
        )
        result = made.run(
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
    typer.echo(f"call cache: {stats.path}")  # on a line of its own: never wrapped, copyable
    table = Table()
    table.add_column("model")
    table.add_column("calls", justify="right")
    for name, n in sorted(stats.by_model.items()):
        table.add_row(name, str(n))
    table.add_row("all", str(stats.calls))
    Console(width=120).print(table)
    typer.echo(f"{stats.bytes / 1e6:.2f} MB on disk; clear it with: digest cache --clear")


@app.command("render")
def render_cmd(
    results: Annotated[Path, typer.Argument(help="A results file of digest batch (JSONL).")],
    html: Annotated[bool, typer.Option("--html", help="Write HTML pages.")] = False,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the pages and index.html.")
    ] = Path("site"),
) -> None:
    """Browse batch results: a page per article and a sortable index of them."""
    if not html:
        raise fail("say what to render: --html (the only form for now)", 2)
    try:
        count = pages.site(_digests(results), output, f"digest: {results.name}")
    except DigestError as e:
        raise fail(str(e), e.exit_code) from None
    except OSError as e:
        raise fail(f"cannot write {e.filename}: {e.strerror}", 1) from None
    typer.echo(f"wrote {count} page(s) and {output / 'index.html'}")


def _digests(path: Path) -> Iterator[Digest]:
    try:
        lines = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    with lines:
        for n, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    yield Digest.model_validate_json(line)
                except ValueError as e:
                    raise InputError(f"{path} line {n} is not a digest") from e


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
