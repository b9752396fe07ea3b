import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from digest import Digest
from digest.cli import app
from digest.llm.cache import CallCache, default_path
from digest.llm.store import Recorded

runner = CliRunner()


def test_a_repeated_run_is_answered_from_the_cache_and_no_cache_bypasses_it(server, tmp_path):
    srv = server()
    article = tmp_path / "a.txt"
    article.write_text("The council voted 7-2 on Monday, the mayor said.")
    args = ["run", str(article), "-m", "openai:m", "--base-url", srv.url, "-f", "json", "-q"]
    first = runner.invoke(app, args)
    asked = len(srv.requests)
    again = runner.invoke(app, args)
    assert first.exit_code == again.exit_code == 0
    assert asked == 2 and len(srv.requests) == asked  # the second run asked nothing
    a, b = (Digest.model_validate_json(r.stdout) for r in (first, again))
    assert a.claims == b.claims and b.run.llm_calls == a.run.llm_calls  # usage as recorded
    runner.invoke(app, [*args, "--no-cache"])
    assert len(srv.requests) == 2 * asked

    shown = runner.invoke(app, ["cache"])
    assert shown.exit_code == 0
    assert f"call cache: {default_path()}\n" in shown.stdout  # whole, however long
    assert "openai:m" in shown.stdout and "MB on disk" in shown.stdout
    cleared = runner.invoke(app, ["cache", "--clear"])
    assert "cleared 2 cached call(s)" in cleared.stdout
    runner.invoke(app, args)
    assert len(srv.requests) == 3 * asked


def test_the_cache_file_is_private_to_its_owner(tmp_path):
    cache = CallCache(tmp_path / "c.sqlite")
    cache.save("m", {"messages": []}, Recorded("{}", 1, 1, 0.1, "m"))
    assert stat.S_IMODE(os.stat(cache.path).st_mode) == 0o600


WRITER = """
import sys
from pathlib import Path
from digest.llm.cache import CallCache
from digest.llm.store import Recorded
cache = CallCache(Path(sys.argv[1]))
for n in range(150):
    kwargs = {"messages": [{"role": "user", "content": f"{sys.argv[2]} {n}"}]}
    cache.save("m", kwargs, Recorded(f"answer {n}", 1, 1, 0.0, "m"))
    assert cache.lookup("m", kwargs).content == f"answer {n}"
"""


def test_several_processes_write_one_cache_at_once(tmp_path):
    path = tmp_path / "shared.sqlite"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"p{i}"], stderr=subprocess.PIPE)
        for i in range(3)
    ]
    for p in procs:
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr.decode()
    assert CallCache(path).stats().calls == 450


def test_digest_schema_prints_the_committed_contract():
    result = runner.invoke(app, ["schema"])
    committed = Path(__file__).resolve().parents[1] / "schema" / "digest.schema.json"
    assert json.loads(result.stdout) == json.loads(committed.read_text())
    assert json.loads(result.stdout)["properties"]["schema_version"]["const"] == "1"
