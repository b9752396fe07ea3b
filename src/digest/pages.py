"""HTML pages for people: one digest as its article with the claims highlighted, an index of
many digests, and an eval comparison with plots. Every page is one self-contained file (no
request leaves it: its Content-Security-Policy forbids any), made from a Jinja2 template
with autoescaping, so article text is always shown as text, never run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from . import segment
from .schema import CERTAINTY, Digest, LoadedSpan

#: How each level looks: a colour of the Okabe-Ito palette (told apart with the common
#: colour-vision deficiencies) and an underline style (told apart in greyscale print).
LEVELS = {
    "asserted": ("#0072B2", "solid", "stated by the outlet"),
    "attributed": ("#009E73", "double", "a source says it"),
    "hedged": ("#E69F00", "dashed", "a doubt word qualifies it"),
    "speculative": ("#CC79A7", "dotted", "rumour, prediction or question"),
}


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("digest", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class Piece:
    """A stretch of the article: plain, or the evidence of some claims; ``parts`` are its
    text and, where loaded wording stands, the span that marks it."""

    parts: list[tuple[str, LoadedSpan | None]] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    level: str = ""
    start: int = 0


def article_pieces(d: Digest) -> list[list[Piece]]:
    """The article as paragraphs of pieces, evidence spans grouped by the claims they
    support, each coloured by the least certain of its claims' levels."""
    text = d.article.text
    cited: dict[tuple[int, int], list[str]] = {}
    for c in d.claims:
        for e in c.evidence:
            cited.setdefault((e.start, e.end), []).append(c.id)
    level = {c.id: c.hedging for c in d.claims}
    paragraphs = []
    for p_start, p_end in segment.paragraphs(text):
        pieces: list[Piece] = []
        pos = p_start
        spans = sorted((a, b) for a, b in cited if p_start <= a < p_end)
        for a, b in spans:
            if a < pos:  # overlapping evidence (a claim citing two sentences): skip
                continue
            if a > pos:
                pieces.append(Piece(_parts(d, pos, a), start=pos))
            ids = cited[(a, b)]
            least = min((level[i] for i in ids), key=lambda lv: CERTAINTY[lv])
            pieces.append(Piece(_parts(d, a, b), ids, least, a))
            pos = b
        if pos < p_end:
            pieces.append(Piece(_parts(d, pos, p_end), start=pos))
        paragraphs.append(pieces)
    return paragraphs


def _parts(d: Digest, a: int, b: int) -> list[tuple[str, LoadedSpan | None]]:
    text, pos = d.article.text, a
    out: list[tuple[str, LoadedSpan | None]] = []
    for span in sorted(d.loaded_language, key=lambda s: s.start):
        if span.start < pos or span.end > b:
            continue
        if span.start > pos:
            out.append((text[pos : span.start], None))
        out.append((text[span.start : span.end], span))
        pos = span.end
    if pos < b:
        out.append((text[pos:b], None))
    return out


def page_data(d: Digest) -> dict[str, Any]:
    """What the page's script shows on a click: each claim with its source, role, cue,
    doubt words, disputes and issues (plain data, embedded as JSON)."""
    sources = {s.id: s for s in d.sources}
    issues: dict[str, list[str]] = {}
    for issue in d.issues:
        if issue.claim_id:
            issues.setdefault(issue.claim_id, []).append(issue.message)
    return {
        c.id: {
            "id": c.id,
            "text": c.text,
            "level": c.hedging,
            "sources": [
                {"name": sources[i].name, "kind": sources[i].kind, "role": sources[i].description}
                for i in c.source_ids
                if i in sources
            ],
            "cue": c.cue,
            "hedges": c.hedge_cues,
            "disputed_by": [sources[i].name for i in c.disputed_by if i in sources],
            "checkworthy": c.checkworthy,
            "issues": issues.get(c.id, []),
        }
        for c in d.claims
    }


def digest_page(d: Digest) -> str:
    """One digest as a page: summary, legend, highlighted article, claim panel, issues."""
    general = [i for i in d.issues if not i.claim_id]
    return (
        _env()
        .get_template("digest.html.j2")
        .render(
            d=d,
            paragraphs=article_pieces(d),
            claims=page_data(d),
            levels=LEVELS,
            general=general,
            issued={i.claim_id for i in d.issues if i.claim_id},
        )
    )


def slug(article_id: str, n: int) -> str:
    """A file name for an article's page: its number, then its id's letters and digits."""
    tail = re.sub(r"[^A-Za-z0-9]+", "-", article_id).strip("-")[-60:]
    return f"{n:05d}-{tail or 'article'}.html"


def index_page(rows: list[dict[str, Any]], title: str) -> str:
    """The index of many digests, sortable by any column."""
    return _env().get_template("index.html.j2").render(rows=rows, title=title)


def site(digests: Iterable[Digest], folder: Path, title: str) -> int:
    """A page for every digest and an index of them in ``folder``; returns how many. Each
    page is written as its digest is read, so any number of digests fit in memory."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, d in enumerate(digests, start=1):
        page = slug(d.article.id or d.article.title or "", n)
        (folder / page).write_text(digest_page(d), encoding="utf-8")
        doubtful = sum(c.hedging in ("hedged", "speculative") for c in d.claims)
        rows.append(
            {
                "page": page,
                "id": d.article.id or "",
                "title": d.article.title or d.article.id or f"article {n}",
                "claims": len(d.claims),
                "hedged": doubtful / len(d.claims) if d.claims else 0.0,
                "loaded": len(d.loaded_language),
                "issues": len(d.issues),
                "status": "complete" if d.run.complete else "incomplete",
            }
        )
    (folder / "index.html").write_text(index_page(rows, title), encoding="utf-8")
    return len(rows)


def comparison_page(context: dict[str, Any]) -> str:
    return _env().get_template("compare.html.j2").render(**context)
