"""What ``digest run`` and ``digest batch`` share: their options, and how a reader and a
Digester are made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import llm, weights
from ..console import err
from ..errors import InputError
from ..ingest import KINDS, Reader, max_bytes_default
from ..llm.cache import CallCache
from ..pipeline import Digester

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
SummaryMode = Annotated[
    str,
    typer.Option(
        help="pick (code states the top claims), write (the model writes from them) or auto "
        "(pick for a small model, write for others)."
    ),
]
SummarySentences = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=10,
        help="Sentences in the summary (default: 3 for a brief, up to 6 for a long article).",
    ),
]
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


def reader(input_format: str, max_bytes: int | None, encoding: str) -> Reader:
    if input_format not in KINDS:
        raise InputError(f"--input-format {input_format!r}: use {', '.join(KINDS)}")
    return Reader(input_format, max_bytes or max_bytes_default(), encoding)


def digester(model: str | None, no_cache: bool, quiet: bool, **options: object) -> Digester:
    """The Digester a command asks for, with the call cache unless it is bypassed (a fake
    or replayed model has nothing worth caching)."""
    chosen = model or llm.default_model()
    if not quiet:
        err.print(f"digest: loading model {chosen}")
        if chosen == "local" and not weights.model_path().is_file():
            err.print("digest: first run: assembling and verifying the 1.1 GB model")
    cached = not no_cache and llm.worth_caching(chosen)
    return Digester(model, cache=CallCache() if cached else None, **options)  # type: ignore[arg-type]
