"""Render a Digest as text (for a terminal), markdown, JSON (the contract) or an HTML page."""

from __future__ import annotations

import io
from typing import Literal

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from . import segment
from .schema import Claim, Digest, LoadedSpan

Format = Literal["text", "markdown", "json", "html"]


def where(claim: Claim, paragraphs: list[tuple[int, int]]) -> str:
    """Human location of a claim's evidence: paragraph number and character range."""
    out = []
    for e in claim.evidence:
        p = next((i for i, (a, b) in enumerate(paragraphs, 1) if a <= e.start < b), 0)
        out.append(f"¶{p} {e.start}-{e.end}")
    return "; ".join(out)


def _source_names(d: Digest, claim: Claim) -> str:
    names = {s.id: s.name for s in d.sources}
    return ", ".join(names[i] for i in claim.source_ids) or "(the outlet)"


def _hedging(claim: Claim) -> str:
    return claim.hedging + (f" ({', '.join(claim.hedge_cues)})" if claim.hedge_cues else "")


def _loaded(x: LoadedSpan) -> str:
    """“BOMB” → recording; “smoking gun” (model): the neutral word, and who found it."""
    return (
        f"“{x.text}”"
        + (f" → {x.neutral}" if x.neutral else "")
        + (" (model)" if x.found_by == "model" else "")
    )


def to_json(d: Digest) -> str:
    return d.model_dump_json(indent=2) + "\n"


def to_markdown(d: Digest) -> str:
    paras = segment.paragraphs(d.article.text)
    cell = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [
        f"# {d.article.title or 'Digest'}",
        "",
        f"*Model: {d.run.model}*",
        "",
        "## Summary",
        "",
    ]
    lines += [d.summary.text or "_(no summary: see the warnings)_", "", "## Claims", ""]
    lines += ["| id | claim | source | hedging | evidence |", "|---|---|---|---|---|"]
    for c in d.claims:
        lines.append(
            f"| {c.id} | {cell(c.text)} | {cell(_source_names(d, c))} | {cell(_hedging(c))} "
            f"| {where(c, paras)} |"
        )
    if d.loaded_language:
        lines += ["", "## Loaded wording", ""]
        lines += [f"- {_loaded(x)}" for x in d.loaded_language]
    if d.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in d.warnings]
    lines += ["", _usage(d)]
    return "\n".join(lines) + "\n"


def _usage(d: Digest) -> str:
    r = d.run
    return (
        f"{len(d.claims)} claims, {r.llm_calls} LLM calls, {r.input_tokens} input and "
        f"{r.output_tokens} output tokens, {r.seconds:.1f} s"
    )


def to_text(d: Digest, width: int = 120, color: bool = False) -> str:
    paras = segment.paragraphs(d.article.text)
    table = Table(show_lines=False, expand=True, title="Claims", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("claim", ratio=5)
    table.add_column("source", ratio=2)
    table.add_column("hedging", ratio=2)
    table.add_column("evidence", no_wrap=True)
    for c in d.claims:
        table.add_row(
            c.id, escape(c.text), escape(_source_names(d, c)), escape(_hedging(c)), where(c, paras)
        )
    parts: list = [
        Panel(
            escape(d.summary.text or "(no summary: see the warnings)"),
            title="Summary",
            title_align="left",
        ),
        table,
    ]
    if d.loaded_language:
        words = ", ".join(_loaded(x) for x in d.loaded_language)
        parts.append(f"[bold]Loaded wording[/bold] ({len(d.loaded_language)}): {escape(words)}")
    if d.warnings:
        parts.append("[bold]Warnings[/bold]\n" + "\n".join(f"- {escape(w)}" for w in d.warnings))
    parts.append(f"Model: {escape(d.run.model)}. {_usage(d)}")
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=color, no_color=not color)
    if d.article.title:
        console.print(f"[bold]{escape(d.article.title)}[/bold]")
    console.print(Group(*parts))
    return buf.getvalue()


def render(d: Digest, fmt: Format, *, width: int = 120, color: bool = False) -> str:
    if fmt == "html":
        from .pages import digest_page

        return digest_page(d)
    if fmt == "json":
        return to_json(d)
    if fmt == "markdown":
        return to_markdown(d)
    return to_text(d, width=width, color=color)
