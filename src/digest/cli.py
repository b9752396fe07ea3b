"""The command line: a thin Typer layer over :class:`digest.Digester`."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from . import llm, weights
from .console import EXIT_PARTIAL, err, fail
from .errors import DigestError, InputError
from .evals.cli import app as eval_app
from .pipeline import DEFAULT_EXTRACT, DEFAULT_SUMMARY, Digester
from .render import Format, render
from .version import __version__

app = typer.Typer(
    help="Turn a news article into typed, grounded claims and a neutral summary.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")


def read_article(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{path} is a folder, not an article file")
        try:
            data = p.read_bytes()
        except FileNotFoundError as e:
            raise InputError(f"no such file: {path}") from e
        except OSError as e:
            raise InputError(f"cannot read {path}: {e.strerror}") from e
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        where = "stdin" if path == "-" else path
        raise InputError(f"{where} is not UTF-8 text (byte {e.start} cannot be decoded)") from e


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
    path: Annotated[str, typer.Argument(help="Article file (plain UTF-8 text), or - for stdin.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, markdown or json (the contract).")
    ] = "text",
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="openai:MODEL, local, local:PATH.gguf, fake or replay:DIR "
            "(default: $DIGEST_MODEL, else local).",
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result to FILE.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Article title (default: its first line).")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Article URL, kept in the output.")] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every model call as a cassette in DIR.")
    ] = None,
    chunk_words: Annotated[
        int | None, typer.Option(min=40, help="Words per extraction chunk (default: per model).")
    ] = None,
    extract_prompt: Annotated[
        str, typer.Option(help="Extraction prompt, NAME@vN.")
    ] = DEFAULT_EXTRACT,
    summary_prompt: Annotated[str, typer.Option(help="Summary prompt, NAME@vN.")] = DEFAULT_SUMMARY,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Digest one article: a neutral summary and a table of grounded claims."""
    try:
        text = read_article(path)
        reporter = _Reporter(quiet)
        if not quiet:
            chosen = model or llm.default_model()
            err.print(f"digest: loading model {chosen}")
            if chosen == "local" and not weights.model_path().is_file():
                err.print("digest: first run: assembling and verifying the 1.1 GB model")
        digester = Digester(
            model,
            base_url=base_url,
            record_dir=record,
            extract_prompt=extract_prompt,
            summary_prompt=summary_prompt,
            chunk_words=chunk_words,
            progress=reporter,
        )
        result = digester.run(text, title=title, url=url)
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
