"""Hand-labelled fixtures: one article and its gold claims, sources and loaded wording.

A fixture is a JSON file whose ``claims``, ``sources`` and ``loaded_language`` use the
contract's own models, so gold and predictions are scored field for field. Labellers may
write an evidence span or a loaded span as its text alone; :func:`anchor` fills in the
offsets, and :func:`problems` says what is wrong with a fixture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..cues import find
from ..schema import Article, Claim, LoadedSpan, Source


class Reference(BaseModel):
    """What a good summary of the article covers (evals/GUIDELINES.md, section 6)."""

    reference: str
    key_claims: list[str]


class Fixture(BaseModel):
    id: str
    attribution: str
    tags: list[str] = Field(default_factory=list)
    article: Article
    claims: list[Claim]
    sources: list[Source]
    loaded_language: list[LoadedSpan] = Field(default_factory=list)
    summary: Reference | None = None
    notes: str = ""


def load(path: Path) -> Fixture:
    return Fixture.model_validate_json(path.read_text(encoding="utf-8"))


def load_all(folder: Path) -> list[Fixture]:
    return [load(p) for p in sorted(folder.glob("*.json"))]


def _locate(text: str, quote: str, within: str | None = None) -> tuple[int, int]:
    """Offsets of ``quote``, which must occur once in ``text`` (or once in ``within``,
    a longer passage that occurs once in ``text``)."""
    base = 0
    if within:
        base, _ = _locate(text, within)
        text = within
    hits = [i for i in range(len(text)) if text.startswith(quote, i)]
    if len(hits) != 1:
        where = f"in {within!r}" if within else "in the article"
        raise ValueError(f"{quote!r} occurs {len(hits)} times {where}: quote more (or less)")
    return base + hits[0], base + hits[0] + len(quote)


def anchor(data: dict[str, Any]) -> dict[str, Any]:
    """Fill the offsets of every span given as ``"text"`` or ``{"text", "within"}``."""
    text = data["article"]["text"]

    def span(item: str | dict[str, Any]) -> dict[str, Any]:
        item = {"text": item} if isinstance(item, str) else dict(item)
        if "start" in item and text[item["start"] : item["end"]] == item["text"]:
            return item
        start, end = _locate(text, item["text"], item.pop("within", None))
        return {**item, "start": start, "end": end}

    for claim in data["claims"]:
        claim["evidence"] = [span(e) for e in claim["evidence"]]
    data["loaded_language"] = sorted(
        (span(s) for s in data.get("loaded_language", [])), key=lambda s: s["start"]
    )
    return data


def problems(fixture: Fixture) -> list[str]:
    """Every way a fixture breaks the labelling rules that code can check."""
    out = []
    text = fixture.article.text
    ids = {s.id for s in fixture.sources}
    seen: set[str] = set()
    for c in fixture.claims:
        if c.id in seen:
            out.append(f"{c.id}: duplicate id")
        seen.add(c.id)
        if not c.evidence:
            out.append(f"{c.id}: no evidence")
        for e in c.evidence:
            if text[e.start : e.end] != e.text:
                out.append(f"{c.id}: evidence {e.start}-{e.end} does not match the text")
        evidence = " ".join(e.text for e in c.evidence)
        for sid in c.source_ids + c.disputed_by:
            if sid not in ids:
                out.append(f"{c.id}: unknown source {sid}")
        if c.hedging == "attributed" and not c.source_ids:
            out.append(f"{c.id}: attributed but no source")
        if c.hedging == "asserted" and c.source_ids:
            out.append(f"{c.id}: asserted (the outlet's own voice) but names a source")
        for word in c.hedge_cues + ([c.cue] if c.cue and c.cue != ":" else []):
            if not find(evidence, (word.lower(),)):
                out.append(f"{c.id}: cue {word!r} is not in its evidence")
        if c.cue == ":" and ":" not in evidence:
            out.append(f"{c.id}: cue ':' but no colon in its evidence")
    if fixture.summary is not None:
        if unknown := [k for k in fixture.summary.key_claims if k not in seen]:
            out.append(f"summary: unknown key claims {unknown}")
        if not fixture.summary.key_claims or not fixture.summary.reference.strip():
            out.append("summary: a reference and at least one key claim are needed")
    for s in fixture.loaded_language:
        if text[s.start : s.end] != s.text:
            out.append(f"loaded {s.text!r}: {s.start}-{s.end} does not match the text")
    return out


def main(paths: list[Path]) -> int:
    """Anchor and check fixture files in place; print what is wrong."""
    status = 0
    for path in paths:
        try:
            data = anchor(json.loads(path.read_text(encoding="utf-8")))
            found = problems(Fixture.model_validate(data))
        except (ValueError, KeyError) as e:
            found = [str(e)]
        if found:
            status = 1
            print(f"{path}:", *found, sep="\n  ")
            continue
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path}: ok, {len(data['claims'])} claims")
    return status
