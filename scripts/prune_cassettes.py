"""Delete the cassettes of a folder that replaying an eval run no longer asks for.

A re-recording (a new summary mode, claims that changed) adds calls and leaves the old
ones behind; they are never answered again but would be committed forever. Replay the run
as CI does, note every cassette a lookup opens, and delete the rest::

    python scripts/prune_cassettes.py evals/runs/local-v6-write.json          # report
    python scripts/prune_cassettes.py evals/runs/local-v6-write.json --delete  # prune
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from digest.cli import app
from digest.llm import store


def used_by(log: dict[str, Any]) -> tuple[Path, set[Path]]:
    folder = Path(log["cassettes"])
    used: set[Path] = set()
    lookup = store.Store.lookup

    def spy(self: store.Store, models: Any, kwargs: dict[str, Any]) -> Any:
        for model in models:
            path = self.folder / f"{store.request_key(model, kwargs)[:32]}.json"
            if path.is_file():
                used.add(path.resolve())
        return lookup(self, models, kwargs)

    store.Store.lookup = spy  # type: ignore[method-assign]
    args = ["eval", "run", "-m", f"replay:{folder}", "--prompt", log["prompts"]["extract"]]
    if "summary" in log["prompts"]:
        args += ["--summary-prompt", log["prompts"]["summary"]]
    args += ["--summary-mode", log["summary_mode"], "--fixtures", log["fixtures"]]
    for case in log["cases"]:
        args += ["--only", case["id"]]
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(app, [*args, "-o", f"{tmp}/run.json"])
    store.Store.lookup = lookup  # type: ignore[method-assign]
    if result.exit_code != 0:
        sys.exit(f"the replay failed: {result.output.strip().splitlines()[-1]}")
    return folder, used


def main() -> None:
    log = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    folder, used = used_by(log)
    unused = sorted(p for p in folder.glob("*.json") if p.resolve() not in used)
    print(f"{folder}: {len(used)} cassettes used, {len(unused)} unused")
    if "--delete" in sys.argv[2:]:
        for p in unused:
            p.unlink()
        print(f"deleted {len(unused)}")


if __name__ == "__main__":
    main()
