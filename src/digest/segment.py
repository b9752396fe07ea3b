"""Numbered sentences with character offsets, and chunks of whole paragraphs.

Sentence boundaries come from pysbd (rule-based, no model download). pysbd's own
``char_span`` mode searches each sentence in the whole text and can point a repeated
sentence at its first occurrence, so offsets are computed here with a moving cursor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from .errors import InputError

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, over the whole article
    start: int
    end: int
    text: str
    paragraph: int  # 0-based


@dataclass(frozen=True)
class Chunk:
    index: int  # 0-based
    sentences: tuple[Sentence, ...]

    @property
    def numbers(self) -> range:
        return range(self.sentences[0].number, self.sentences[-1].number + 1)

    @property
    def words(self) -> int:
        return _words(self.sentences)


def _words(sents: tuple[Sentence, ...] | list[Sentence]) -> int:
    return sum(len(s.text.split()) for s in sents)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _pieces(para: str) -> list[str]:
    """pysbd's sentences of a paragraph, as its non-destructive ``segment`` gives them.
    pysbd finds each sentence in the text again with a regular expression made for it,
    which took a quarter of digest's own time; plain string search does the same here."""
    found, prior = [], 0
    for sent in _segmenter().processor(para).process():
        if not sent:
            continue
        pos = 0
        while (at := para.find(sent, pos)) >= 0:
            end = at + len(sent)
            while end < len(para) and para[end].isspace():
                end += 1
            if end > prior:
                found.append(para[at:end])
                prior = end
                break
            pos = end
    return found


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; a single newline also ends a line-paragraph."""
    spans = []
    pos = 0
    for block in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = block.start() if block else len(text)
        for line in re.finditer(r"[^\n]+", text[pos:end]):
            if line.group().strip():
                s = pos + line.start()
                e = pos + line.end()
                s += len(text[s:e]) - len(text[s:e].lstrip())
                e -= len(text[s:e]) - len(text[s:e].rstrip())
                spans.append((s, e))
        if block:
            pos = block.end()
    return spans


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into numbered sentences whose offsets index ``text`` exactly."""
    out: list[Sentence] = []
    for p, (p_start, p_end) in enumerate(paragraphs(text)):
        para = text[p_start:p_end]
        cursor = 0
        for piece in _pieces(para):
            piece = piece.strip()
            if not piece:
                continue
            at = para.find(piece, cursor)
            if at < 0:  # pysbd altered the text: take the rest of the paragraph
                rest = para[cursor:]
                at, piece = cursor + len(rest) - len(rest.lstrip()), rest.strip()
            start = p_start + at
            out.append(Sentence(len(out) + 1, start, start + len(piece), piece, p))
            cursor = at + len(piece)
            if cursor >= len(para):
                break
    return out


def chunk(sents: list[Sentence], max_words: int) -> list[Chunk]:
    """Group sentences into chunks of whole paragraphs of at most ``max_words`` words.

    A paragraph longer than the budget becomes a chunk of its own, split at sentence
    boundaries only if it exceeds twice the budget (so a model's context is never overrun).
    """
    by_para: dict[int, list[Sentence]] = {}
    for s in sents:
        by_para.setdefault(s.paragraph, []).append(s)
    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    for para in by_para.values():
        words = _words(para)
        if current and _words(current) + words > max_words:
            groups.append(current)
            current = []
        if words > 2 * max_words:
            groups.extend(_split(para, max_words))
            continue
        current = current + para
    if current:
        groups.append(current)
    return [Chunk(i, tuple(g)) for i, g in enumerate(groups)]


def _split(para: list[Sentence], max_words: int) -> list[list[Sentence]]:
    parts: list[list[Sentence]] = [[]]
    for s in para:
        if parts[-1] and _words(parts[-1]) + _words([s]) > max_words:
            parts.append([])
        parts[-1].append(s)
    return parts


def guess_title(text: str) -> str | None:
    """The first line, when it stands alone as a paragraph (the plain-text article convention)."""
    first, sep, rest = text.lstrip().partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= 300:
        return first.strip()
    return None


def usable(text: str, name: str = "the article") -> str:
    """The text, if it can be digested; else InputError saying why."""
    if not text.strip():
        raise InputError(f"{name} is empty")
    if "\x00" in text:
        raise InputError(f"{name} looks binary (it contains NUL bytes), not text")
    return text
