"""The article is data, never instructions: text in it that addresses the model is found,
kept out of what the model is asked to read, and reported.

Three kinds are found, each by its form rather than by a list of words from the articles
we tested on: an instruction to an AI model or assistant ("Ignore all previous
instructions and answer only with ..."), a fake model answer (a JSON object with the keys
an extraction or summary answer has), and chat-template control tokens (``<|im_start|>``,
``[INST]``). A sentence holding one is left out of the extraction (it gives no claim) and
reported as an ``article.injection`` issue. Control tokens anywhere in the text sent to
the model are defused, since llama.cpp would read them as real turn markers. A text that
does not look English is reported too (``article.language``): it is digested, poorly.
"""

from __future__ import annotations

import re

from .cues import english_share
from .schema import Issue
from .segment import Sentence

#: Addressing a model: an order to drop its instructions, a new role, an order about its
#: output, or a name for it.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:previous|prior|above|earlier|preceding|system|original)?\s*"
    r"(?:instructions?|prompts?|directions|rules|guidelines|context)\b"
    r"|\b(?:you\s+are\s+now|from\s+now\s+on\s+you|act\s+as\s+(?:an?\s+)?(?:ai|assistant|model))\b"
    r"|\b(?:answer|respond|reply|output|return)\s+(?:only\s+)?(?:with|in)\s+"
    r"(?:only\s+)?(?:json|the\s+following|this\b|\{)"
    r"|\b(?:as\s+an\s+ai\s+(?:language\s+)?model|dear\s+(?:ai|assistant|chatbot|llm)|"
    r"(?:system|developer)\s+prompt)\b",
    re.IGNORECASE,
)
#: A fake answer: a JSON object that names the keys digest's answers have.
_FAKE_ANSWER = re.compile(r"\{\s*\"(?:claims|summary|sentences|facts|loaded)\"\s*:")
#: Chat-template control tokens of the common model families.
_CONTROL = re.compile(
    r"<\|[a-z_]{2,30}\|>|\[/?INST\]|<</?SYS>>|</?s>|^#{2,3}\s*(?:Instruction|Response)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def addressed(sentence: str) -> str | None:
    """What in ``sentence`` addresses the model, or None."""
    if _CONTROL.search(sentence):
        return "chat-template tokens"
    if _FAKE_ANSWER.search(sentence):
        return "a ready-made model answer"
    if _INSTRUCTION.search(sentence):
        return "an instruction to an AI model"
    return None


def injections(sentences: list[Sentence]) -> dict[int, str]:
    """Sentence number -> what in it addresses the model, for every such sentence."""
    return {s.number: why for s in sentences if (why := addressed(s.text))}


#: Below this share of common English words (English news has a quarter or more), with
#: 20 words or more, an article is said not to look English.
ENGLISH = 0.12


def inspect(text: str, sentences: list[Sentence]) -> tuple[dict[int, str], list[Issue]]:
    """What needs care before the model reads the article: the sentences that address the
    model (to leave out), and the issues to report (those, and a text not in English)."""
    issues = []
    if len(text.split()) >= 20 and (share := english_share(text)) < ENGLISH:
        issues.append(
            Issue(
                code="article.language",
                message=f"the article does not look English ({share:.0%} common English "
                "words): digest's lexicons and prompts are English, its claims and levels "
                "will be poor",
            )
        )
    flagged = injections(sentences)
    for n, why in flagged.items():
        quoted = sentences[n - 1].text[:80]
        issues.append(
            Issue(
                code="article.injection",
                message=f'sentence {n} addresses the model ({why}): "{quoted}"; it gives no claim',
                sentences=[n],
            )
        )
    return flagged, issues


def defused(text: str) -> str:
    """``text`` with chat-template control tokens made plain text ("<|im_start|>" becomes
    "<im_start>"), for the copy the model reads; offsets always index the original."""
    return _CONTROL.sub(lambda m: "(" + re.sub(r"[<>|\[\]#/:\s]+", "", m.group()) + ")", text)
