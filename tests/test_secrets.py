import json
import os
import stat
from pathlib import Path

from typer.testing import CliRunner

from digest.cli import app

KEY = "sk-digest-test-3f9a7c1e5b2d"
runner = CliRunner()


def test_the_api_key_reaches_no_file_output_or_error_and_private_files_are_private(
    server, tmp_path, monkeypatch
):
    srv = server([(401, {}, {"error": {"message": "Incorrect API key provided"}})])
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    article = work / "a.txt"
    article.write_text("The council voted 7-2 on Monday, the mayor said.")
    feed = work / "feed.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": "The mayor resigned on Friday."}) + "\n")
    fixtures = Path(__file__).parent / "data" / "fixtures"
    results = [
        runner.invoke(app, ["run", str(article), "-m", "openai:m", "-f", "json", "-q"]),
        runner.invoke(
            app,
            ["run", str(article), "-m", "openai:m", "--record", "calls", "-o", "out.json"],
        ),
        runner.invoke(app, ["batch", str(feed), "--out", "results.jsonl", "-m", "openai:m"]),
        runner.invoke(
            app, ["eval", "run", "-m", "openai:m", "--fixtures", str(fixtures), "-o", "log.json"]
        ),
        runner.invoke(app, ["cache"]),
    ]
    assert results[0].exit_code == 3  # the key was refused: a one-line error ...
    assert "Incorrect API key provided" in results[0].stderr
    assert all(r.exit_code in (0, 3) for r in results), [r.output for r in results]
    for r in results:  # ... that names no key, nor does any other output
        assert KEY not in r.output
    # the server saw the key: it was sent, as it must be
    assert any(KEY in str(headers) for _, _, headers in srv.requests)
    written = [p for p in [*work.rglob("*"), *(tmp_path / "cache").rglob("*")] if p.is_file()]
    names = {p.name for p in written}
    assert {"out.json", "results.jsonl", "log.json", "calls.sqlite"} <= names
    assert any(p.parent.name == "calls" for p in written)  # the recorded calls
    for p in written:
        assert KEY.encode() not in p.read_bytes(), p
    for private in ("calls.sqlite", "log.json"):
        (path,) = [p for p in written if p.name == private]
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, private
