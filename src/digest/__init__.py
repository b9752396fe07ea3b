"""digest: turn a news article into typed, grounded claims and a neutral summary.

>>> from digest import digest
>>> result = digest("The council voted 7-2 on Monday, the mayor said.", model="fake")
>>> result.claims[0].evidence[0].text
'The council voted 7-2 on Monday, the mayor said.'
"""

from .errors import DigestError, InputError, LLMError, ModelUnavailable, ReplayMiss, TransportError
from .llm import LLM, Store, fake_model, open_model
from .pipeline import Digester, adigest, digest
from .render import render
from .schema import (
    SCHEMA_VERSION,
    Article,
    Claim,
    Digest,
    Issue,
    LoadedSpan,
    Run,
    Source,
    Span,
    Summary,
    SummarySentence,
)
from .usage import Usage
from .version import __version__

__all__ = [
    "LLM",
    "SCHEMA_VERSION",
    "Article",
    "Claim",
    "Digest",
    "DigestError",
    "Digester",
    "InputError",
    "Issue",
    "LLMError",
    "LoadedSpan",
    "ModelUnavailable",
    "ReplayMiss",
    "Run",
    "Source",
    "Span",
    "Store",
    "Summary",
    "SummarySentence",
    "TransportError",
    "Usage",
    "__version__",
    "adigest",
    "digest",
    "fake_model",
    "open_model",
    "render",
]
