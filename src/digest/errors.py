"""Every error digest raises on purpose derives from :class:`DigestError`::

DigestError                 the CLI prints its message on one line and exits non-zero
├── InputError              the article or an option is unusable (exit 2)
├── ModelUnavailable        the chosen backend cannot be used here (missing package, key,
│                           weights, bad hash) (exit 3)
└── LLMError                the model gave no valid answer after bounded re-asks (exit 4)
    ├── TransportError      the endpoint kept failing (connection, timeout, 429, 5xx)
    └── ReplayMiss          a replay cassette holds no answer for this request
"""


class DigestError(Exception):
    exit_code = 1


class InputError(DigestError):
    exit_code = 2


class ModelUnavailable(DigestError):
    exit_code = 3


class LLMError(DigestError):
    exit_code = 4


class ReplayMiss(LLMError):
    pass


class TransportError(LLMError):
    pass
