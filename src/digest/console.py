"""What the command line writes to stderr, shared by ``digest`` and ``digest eval``."""

from __future__ import annotations

import typer
from rich.console import Console

err = Console(stderr=True, highlight=False, soft_wrap=True)

#: Exit code when a partial result was written (a chunk, the summary or an eval case failed).
EXIT_PARTIAL = 5


def fail(message: str, code: int) -> typer.Exit:
    """Print a one-line error and return the exit to raise (never a traceback)."""
    err.print(f"digest: error: {message}", markup=False)
    return typer.Exit(code)
