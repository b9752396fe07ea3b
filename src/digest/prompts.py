"""Versioned prompt files: ``prompts/NAME/vN.md``, referred to as ``NAME@vN``.

A used version is never edited; a new wording is a new version. Each file has a
``=== system ===`` part, then optionally worked examples as ``=== user ===`` /
``=== assistant ===`` pairs (a small model follows an example exchange far better than an
example described in the instructions), then the ``=== user ===`` part of the task. Its
``$placeholders`` are filled with ``string.Template`` in a single pass, so an article that
contains ``$``, ``{`` or ``{{`` is inserted verbatim and never interpreted; a placeholder
that is not filled, or a value that has no placeholder, is an error (a misspelt name would
otherwise reach the model as text). ``$`` before a number ("$400") is text.

An optional ``=== settings ===`` part holds ``key: value`` lines: ``answer`` (the shape
the model answers in, see :mod:`digest.answers`) and ``chunk_words`` (the chunk size the
prompt was tuned for on small local models).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

from pydantic import BaseModel

from .errors import InputError

_PART = re.compile(r"^=== (system|user|assistant|settings) ===\n", re.MULTILINE)


def prompt_root() -> Path:
    """``digest/prompts`` inside an installed wheel, else ``prompts/`` of the source tree."""
    packaged = Path(str(resources.files("digest"))) / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class Prompt:
    ref: str  # "extract@v1"
    system: str
    user: str
    sha256: str
    #: Worked examples: (user, assistant) exchanges sent before the task.
    examples: tuple[tuple[str, str], ...] = ()
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.ref.partition("@")[0]

    def setting(self, key: str, default: str = "") -> str:
        return dict(self.settings).get(key, default)

    def messages(self, **values: str) -> list[dict[str, str]]:
        task = Template(self.user)
        wanted = set(task.get_identifiers())
        if wanted != set(values):
            missing = ", ".join(f"${n}" for n in sorted(wanted - set(values)))
            unknown = ", ".join(f"${n}" for n in sorted(set(values) - wanted))
            raise InputError(
                f"prompt {self.ref}: "
                + "; ".join(
                    part
                    for part in (
                        missing and f"nothing fills {missing}",
                        unknown and f"no placeholder for {unknown}",
                    )
                    if part
                )
            )
        shots = [
            {"role": role, "content": text}
            for pair in self.examples
            for role, text in zip(("user", "assistant"), pair, strict=True)
        ]
        return [
            {"role": "system", "content": self.system},
            *shots,
            {"role": "user", "content": task.safe_substitute(values)},
        ]


def follow_up(
    messages: Sequence[dict[str, str]], answer: BaseModel, feedback: str
) -> list[dict[str, str]]:
    """A re-ask: the conversation so far, the model's answer, and what is wrong with it."""
    return [
        *messages,
        {"role": "assistant", "content": answer.model_dump_json(by_alias=True)},
        {"role": "user", "content": feedback},
    ]


def versions(name: str) -> list[str]:
    folder = prompt_root() / name
    found = sorted(folder.glob("v*.md"), key=lambda p: int(p.stem[1:]))
    return [f"{name}@{p.stem}" for p in found]


def load(ref: str) -> Prompt:
    """Load ``NAME@vN`` (or ``NAME`` for its latest version)."""
    name, _, version = ref.partition("@")
    if not version:
        known = versions(name)
        if not known:
            raise InputError(f"no prompt named {name!r} in {prompt_root()}")
        return load(known[-1])
    path = prompt_root() / name / f"{version}.md"
    if not path.is_file():
        raise InputError(f"no prompt {ref!r}; known: {', '.join(versions(name)) or 'none'}")
    raw = path.read_text(encoding="utf-8")
    parts = _PART.split(raw)
    sections = [(kind, text.strip()) for kind, text in zip(parts[1::2], parts[2::2], strict=True)]
    settings = [text for kind, text in sections if kind == "settings"]
    turns = [(kind, text) for kind, text in sections if kind != "settings"]
    roles = [kind for kind, _ in turns]
    if (
        len(roles) % 2
        or roles[0] != "system"
        or roles[-1] != "user"
        or any(role != ("user", "assistant")[i % 2] for i, role in enumerate(roles[1:-1]))
    ):
        raise InputError(
            f"prompt {path} needs a '=== system ===' part, then '=== user ===' and "
            "'=== assistant ===' example pairs, then the '=== user ===' part of the task"
        )
    body = [text for _, text in turns]
    pairs = [line.partition(":") for text in settings for line in text.splitlines() if line]
    return Prompt(
        ref=f"{name}@{version}",
        system=body[0],
        user=body[-1],
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        examples=tuple(zip(body[1:-1:2], body[2:-1:2], strict=True)),
        settings=tuple((k.strip(), v.strip()) for k, _, v in pairs),
    )


# ---------------------------------------------------------------- what the prompts are fed
# One writer and one reader for each input format, so the pipeline and the fake model
# (which answers from the prompt) cannot drift apart.

_SENTENCE = re.compile(r"^\[(\d+)\] (.*)$")
_HINT = re.compile(r"^\s+cues: (.*)$")
_CLAIM = re.compile(r"^(c\d+) \| (\w+) \| (.*?) \| (.*)$")


def sentence_lines(numbered: list[tuple[int, str, str]]) -> str:
    """``[n] sentence`` lines, each followed by ``    cues: hints`` when it has hints."""
    lines = []
    for number, text, hints in numbered:
        lines.append(f"[{number}] {text}")
        if hints:
            lines.append(f"    cues: {hints}")
    return "\n".join(lines)


def read_sentence_lines(text: str) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for line in text.splitlines():
        if m := _SENTENCE.match(line):
            out.append((int(m.group(1)), m.group(2), ""))
        elif (m := _HINT.match(line)) and out:
            out[-1] = (*out[-1][:2], m.group(1))
    return out


def claim_lines(claims: Sequence[Sequence[str]]) -> str:
    """``id | level | sources | text`` lines for the summary prompt."""
    return "\n".join(" | ".join(c) for c in claims)


def read_claim_lines(text: str) -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in text.splitlines() if (m := _CLAIM.match(line))]  # type: ignore[misc]
