"""Sources: one entry per distinct name the claims cite, its kind, and its role in the article.

The model names who says a claim; code decides the kind (from ``lexicons/sources.tsv``)
and looks up the role the article gives ("Lively's attorney", "filmmaker"), so no output
token is spent on either.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import cast

from rapidfuzz import fuzz

from .schema import Source, SourceKind

_PERSON = re.compile(r"^(?:[A-Z][\w.'’-]+\s+){1,3}[A-Z][\w.'’-]+$")


def norm(name: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", re.sub(r"\s+", " ", name.strip().lower()))


@lru_cache(maxsize=1)
def _rules() -> list[tuple[str, re.Pattern[str]]]:
    raw = resources.files("digest").joinpath("lexicons", "sources.tsv").read_text("utf-8")
    rules = []
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, pattern = line.partition("\t")
            rules.append((kind, re.compile(pattern.strip(), re.IGNORECASE)))
    return rules


def kind_of(name: str) -> SourceKind:
    for kind, pattern in _rules():
        if pattern.fullmatch(name.strip()):
            return cast(SourceKind, kind)
    return "person" if _PERSON.match(name.strip()) else "other"


def role_of(name: str, text: str) -> str | None:
    """The role the article gives a named source: "NAME, ROLE," or "ROLE NAME" (lower-case
    role words right before the name, such as "filmmaker Claire Ayoub")."""
    escaped = re.escape(name.strip())
    after = re.search(rf"{escaped}, ((?:the |an? )?[^,.;:—“”\"]{{3,60}}),", text)
    if after and not after.group(1)[:1].isupper():
        return after.group(1).strip()
    before = re.search(rf"((?:[A-Z][\w’']+(?:’s|'s)? )?(?:[a-z][\w-]+ ){{1,3}}){escaped}\b", text)
    if before:
        words = before.group(1).split()
        keep = [
            w
            for w in words
            if w.lower()
            not in {
                "and",
                "the",
                "a",
                "an",
                "to",
                "of",
                "by",
                "from",
                "with",
                "for",
                "in",
                "on",
                "at",
                "as",
            }
        ]
        if keep and keep == words[-len(keep) :]:
            return " ".join(keep)
    return None


def in_article(name: str, text: str) -> bool:
    key = norm(name)
    lowered = text.lower()
    return key in lowered or fuzz.partial_ratio(key, lowered) >= 90


def collect(names: list[str], text: str) -> tuple[list[Source], dict[str, str], list[str]]:
    """Sources for the given names, in order of first mention; normalised name -> id; and a
    warning for every name the article does not contain (those are dropped)."""
    sources: list[Source] = []
    ids: dict[str, str] = {}
    warnings: list[str] = []
    for name in names:
        key = norm(name)
        if not key or key in ids:
            continue
        if not in_article(name, text):
            warnings.append(f'source "{name}" is not named in the article; dropped')
            ids[key] = ""
            continue
        sid = f"s{len(sources) + 1}"
        sources.append(
            Source(id=sid, name=name.strip(), kind=kind_of(name), description=role_of(name, text))
        )
        ids[key] = sid
    return sources, {k: v for k, v in ids.items() if v}, warnings
