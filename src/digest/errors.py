"""Every error digest raises on purpose derives from :class:`DigestError`::

DigestError                 the CLI prints its message on one line and exits non-zero
├── InputError              the article or an option is unusable (exit 2)
├── ModelUnavailable        the chosen backend cannot be used here (missing package, key,
│                           weights, bad hash) (exit 3)
├── ReplayMiss              a recording holds no answer for this request (exit 4); not an
│                           LLMError: a run that cannot be replayed must stop, not skip
└── LLMError                the model gave no valid answer after bounded re-asks (exit 4);
    │                       ``usage`` is what the failed attempts cost
    └── TransportError      the endpoint kept failing (connection, timeout, 429, 5xx)
"""

from __future__ import annotations

from .usage import Usage


class DigestError(Exception):
    exit_code = 1


class InputError(DigestError):
    exit_code = 2


class ModelUnavailable(DigestError):
    exit_code = 3


class ReplayMiss(DigestError):
    exit_code = 4


class LLMError(DigestError):
    exit_code = 4

    def __init__(self, message: str, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


class TransportError(LLMError):
    pass
