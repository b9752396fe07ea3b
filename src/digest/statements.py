"""A claim as a whole statement: a fact the answer's length limit cut off mid-phrase ("...
to prevent the line from snapping in a") is shortened to a whole clause of itself, or
replaced by the sentence it rests on; it is never left truncated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import roles

#: The longest fact the extraction answer allows (answers.FactText); a fact this long has
#: probably been stopped by the limit, not by its writer.
LIMIT = 150
#: Words no English statement ends on.
_DANGLING_WORDS = """a an the and or but nor with of to by as in on at for from into onto
over under than that which who whom whose his her their its our my your is are was were be
been being has have had will would could should can may might must not very about after
before because if while"""
_DANGLING = frozenset(_DANGLING_WORDS.split())
_ENDS = (".", "!", "?", "”", '"', "'", "’", ")")
_BOUNDARY = re.compile(r"[,;]\s+")
#: A shortened fact keeps at least this many words and this share of its length.
MIN_WORDS, MIN_SHARE = 8, 0.6
#: The longest evidence that stands in for a cut-off fact as it is.
EVIDENCE_CHARS = 300


def cut_off(text: str) -> bool:
    """Whether ``text`` stops mid-phrase: on a word no statement ends on, on a comma, or at
    the answer's length limit without a full stop."""
    t = text.rstrip()
    if not t or t.endswith(_ENDS):
        return False
    words = re.findall(r"[\w'’-]+", t)
    return (
        t.endswith((",", ";", ":", "-", "–"))
        or (bool(words) and words[-1].lower() in _DANGLING)
        or len(t) >= LIMIT - 2
    )


def whole(text: str, evidence: Sequence[str]) -> str:
    """``text`` when it is a whole statement; else its longest whole clause (most of it
    kept), else the evidence it rests on (shortened at a clause boundary only when very
    long). A fact with no verb ("Director Anthony Fauci of the NIAID") is no statement."""
    if not cut_off(text) and roles.has_verb(text):
        return text
    if (head := _clause(text, len(text) * MIN_SHARE)) and roles.has_verb(head):
        return head
    sentence = " ".join(e.strip() for e in evidence)
    if len(sentence) <= EVIDENCE_CHARS or not (head := _clause(sentence, 0, EVIDENCE_CHARS)):
        return sentence
    return head


def _clause(text: str, least: float, most: int | None = None) -> str:
    """The longest head of ``text`` ending at a clause boundary that is whole, has at least
    ``least`` characters and MIN_WORDS words (and at most ``most`` characters)."""
    for m in reversed(list(_BOUNDARY.finditer(text))):
        head = text[: m.start()].rstrip()
        if most is not None and len(head) > most:
            continue
        if len(head) < least or len(head.split()) < MIN_WORDS:
            return ""
        if not cut_off(head) and head.count("(") == head.count(")") and head.count('"') % 2 == 0:
            return head
    return ""
