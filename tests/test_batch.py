import asyncio
import json
import signal
import time

import pytest
from typer.testing import CliRunner

from digest import Digest, Digester
from digest.batch import Results, astream, stream
from digest.cli import app
from digest.ingest import Item, Unreadable
from digest.llm import LLM, Fake
from helpers import council_feed, digest_process

runner = CliRunner()


def articles(n, words=1):
    return [
        Item(f"a{i}", f"The council voted {i}-2 on Monday, the mayor said. " * words)
        for i in range(n)
    ]


class Counting(Fake):
    """A fake API model that records how many requests it serves at once."""

    def __init__(self, **kw):
        super().__init__(delay=0.05, small=False, **kw)
        self.now = self.most = 0

    async def create(self, **kwargs):
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            return await super().create(**kwargs)
        finally:
            self.now -= 1


def test_at_most_concurrency_articles_are_in_flight_and_all_are_digested():
    backend = Counting()
    outcomes = asyncio.run(_collect(Digester(LLM(backend)), articles(10), 3))
    assert sorted(o.id for o in outcomes) == [f"a{i}" for i in range(10)]
    assert all(o.ok and o.digest.article.id == o.id for o in outcomes)
    assert backend.most == 3


async def _collect(digester, items, concurrency):
    return [o async for o in astream(digester, items, concurrency=concurrency)]


def test_results_come_as_they_finish_and_failures_are_outcomes_not_raises():
    digester = Digester(LLM(Fake(delay=0.02)))  # a small model: 150-word chunks
    long = Item("long", "The council voted 7-2 on Monday, the mayor said. " * 120)
    items = [long, Item("short", "The mayor resigned on Friday."), Item("empty", "  ")]
    items.append(Unreadable("bad.html", "bad.html: no article text found in the HTML"))
    outcomes = list(stream(digester, items, concurrency=4))
    assert [o.id for o in outcomes][-1] == "long"  # first in, last out
    by_id = {o.id: o for o in outcomes}
    assert by_id["short"].ok and by_id["long"].ok
    assert (by_id["empty"].failure, by_id["empty"].error) == ("input", "the article is empty")
    assert by_id["bad.html"].failure == "input"


def test_the_batch_command_writes_results_and_failures_and_resumes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The council voted 7-2 on Monday, the mayor said.")
    (folder / "b.txt").write_text("")
    (folder / "feed.jsonl").write_text(
        '{"id": "r1", "text": "The mayor resigned on Friday, officials said."}\n'
        '{"id": "r1", "text": "The same id again."}\n'
        "{broken\n"
    )
    out = tmp_path / "out.jsonl"
    first = runner.invoke(app, ["batch", str(folder), "--out", str(out), "-m", "fake"])
    assert first.exit_code == 5, first.output
    digests = [Digest.model_validate_json(line) for line in out.read_text().splitlines()]
    assert sorted(d.article.id for d in digests) == [str(folder / "a.txt"), "r1"]
    failures = [json.loads(line) for line in (tmp_path / "out.jsonl.errors.jsonl").open()]
    assert sorted((f["id"], f["failure"]) for f in failures) == [
        (str(folder / "b.txt"), "input"),
        (f"{folder / 'feed.jsonl'}:3", "input"),
        ("r1", "duplicate"),
    ]
    assert "3 article(s) failed" in first.stderr and "done" in first.stderr
    again = runner.invoke(app, ["batch", str(folder), "--out", str(out), "-m", "fake"])
    assert len(out.read_text().splitlines()) == 2  # nothing digested twice
    assert "skipped" in again.stderr and "│ 2" in again.stderr


def test_a_line_cut_short_by_a_crash_is_dropped_when_the_batch_resumes(tmp_path):
    out = tmp_path / "out.jsonl"
    whole = Digester("fake").run("The mayor resigned on Friday.", id="x").model_dump_json()
    out.write_text(whole + "\n" + whole[:50])
    assert Results(out).done == {"x"}
    assert out.read_text() == whole + "\n"


def test_a_batch_killed_mid_run_finishes_on_the_next_run_with_every_article_once(server, tmp_path):
    """A real `digest batch` process, SIGKILLed while articles are in flight, then run
    again: every article ends up in the results exactly once."""
    srv = server(delay=0.2)
    feed = tmp_path / "feed.jsonl"
    ids = [f"n{i}" for i in range(24)]
    council_feed(feed, ids)
    out = tmp_path / "out.jsonl"
    args = ["-m", "openai:m", "--base-url", srv.url, "--no-cache", "-c", "3", "-q"]
    proc = digest_process(feed, "--out", out, *args, command="batch")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        not out.exists() or len(out.read_text().splitlines()) < 5
    ):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    written = [json.loads(line)["article"]["id"] for line in out.read_text().splitlines()]
    assert 5 <= len(written) < len(ids)
    asked = len(srv.requests)
    rerun = digest_process(feed, "--out", out, *args, command="batch")
    _, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr
    final = [json.loads(line)["article"]["id"] for line in out.read_text().splitlines()]
    assert sorted(final) == sorted(ids)  # each exactly once
    # only what was not written before was asked again (two calls an article)
    assert len(srv.requests) - asked == 2 * (len(ids) - len(written))


@pytest.mark.parametrize("bad", [0, -2])
def test_a_concurrency_below_one_is_refused(bad, tmp_path):
    result = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "-c", bad])
    assert result.exit_code == 2


def test_the_batch_runs_on_ray_and_resumes_from_the_same_results(tmp_path):
    pytest.importorskip("ray")
    feed = tmp_path / "feed.jsonl"
    ids = [f"n{i}" for i in range(6)]
    council_feed(feed, ids)
    out = tmp_path / "out.jsonl"
    out.write_text(
        Digester("fake").run("The council voted n0 on Monday.", id="n0").model_dump_json() + "\n"
    )
    result = runner.invoke(
        app, ["batch", str(feed), "--out", str(out), "-m", "fake", "-c", "4", "--engine", "ray"]
    )
    assert result.exit_code == 0, result.output
    digests = [Digest.model_validate_json(line) for line in out.read_text().splitlines()]
    assert sorted(d.article.id for d in digests) == ids  # n0 was there already: skipped
    assert all(d.run.complete and d.check() == [] for d in digests)
