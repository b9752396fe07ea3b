import asyncio
import json
import time

import pytest
from pydantic import BaseModel

from digest import (
    Digester,
    InputError,
    LLMError,
    ModelUnavailable,
    ReplayMiss,
    Store,
    TransportError,
    digest,
    fake_model,
    open_model,
)
from digest.llm import LLM, Fake
from helpers import ok


class Answer(BaseModel):
    word: str


def ask(llm, content="say hello"):
    return asyncio.run(llm.ask([{"role": "user", "content": content}], Answer, max_tokens=20))


@pytest.fixture
def no_waiting(monkeypatch):
    """Transport retries wait 0.25 s of backoff, recorded instead of slept."""
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr("digest.llm.api.wait_random_exponential", lambda **kw: lambda state: 0.25)
    monkeypatch.setattr("digest.llm.api._sleep", sleep)
    return slept


def test_openai_backend_speaks_real_http_and_retries_429_honouring_retry_after(
    server, monkeypatch, no_waiting
):
    srv = server(
        [
            (429, {"Retry-After": "7"}, {"error": {"message": "slow down"}}),
            (503, {}, {"error": {"message": "busy"}}),
            ok('{"word": "hello"}'),
        ]
    )
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    reply = ask(open_model("openai:tiny-model", base_url=srv.url))
    assert reply.value.word == "hello"
    assert len(srv.requests) == 3
    path, body, headers = srv.requests[-1]
    assert path == "/v1/chat/completions"
    assert body["model"] == "tiny-model"
    assert body["response_format"]["type"] == "json_schema"
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer test-key"
    assert no_waiting == [7.0, 0.25]  # Retry-After honoured, then backoff
    assert (reply.usage.calls, reply.usage.input_tokens, reply.usage.output_tokens) == (1, 11, 5)


def test_transport_failures_stop_after_a_few_attempts(server, no_waiting):
    srv = server([(500, {}, {"error": {"message": "down"}})] * 10)
    with pytest.raises(TransportError, match=f"endpoint {srv.url} failed"):
        ask(open_model("openai:m", base_url=srv.url))
    assert len(srv.requests) == 4 and len(no_waiting) == 3


def test_a_dead_endpoint_gives_a_partial_digest_not_a_crash(server, no_waiting):
    srv = server([ok(json.dumps({"1": ["The council voted on Monday."]}))] + [(500, {}, {})] * 10)
    text = "The council voted on Monday.\n\n" + "The mayor spoke on Tuesday. " * 60
    d = digest(text, model="openai:m", base_url=srv.url, chunk_words=50)
    assert d.run.complete is False
    assert [c.text for c in d.claims] == ["The council voted on Monday."]
    stopped = [i for i in d.issues if i.code == "run.stopped"]
    assert [i.chunk for i in stopped] == [2] and d.run.incomplete_reason == stopped[0].message
    assert d.run.llm_calls == 1  # failed attempts carry no tokens


def test_articles_overlap_on_a_real_openai_compatible_server(server):
    """Eight articles gathered on one Digester against a server that takes 0.3 s a request:
    the async client sends them at once instead of one article after another."""
    srv = server([], delay=0.3)
    digester = Digester("openai:m", base_url=srv.url)
    articles = [f"The council voted {n}-2 on Monday, the mayor said." for n in range(8)]
    alone = digester.run(articles[0])

    async def gathered():
        return await asyncio.gather(*(digester.arun(a) for a in articles))

    started = time.monotonic()
    together = asyncio.run(gathered())
    wall = time.monotonic() - started
    assert wall < 3 * alone.run.seconds, (wall, alone.run.seconds)
    assert [d.claims[0].evidence[0].text for d in together] == articles
    assert all(d.run.llm_calls == alone.run.llm_calls for d in together)
    assert len(srv.requests) == alone.run.llm_calls * 9


def test_schema_failures_are_reasked_a_bounded_number_of_times_and_their_cost_kept():
    model = fake_model(["{}", "[]", '{"word": 3}', '{"word": "late"}'])
    with pytest.raises(LLMError, match=r"no valid answer after 2 attempt\(s\)") as failed:
        ask(model)
    assert failed.value.usage.calls == 2 and failed.value.usage.input_tokens > 0


def test_model_strings_resolve_or_say_what_is_missing(tmp_path, monkeypatch):
    assert open_model("fake").name == "fake"
    with pytest.raises(ModelUnavailable, match="unknown model"):
        open_model("gpt4")
    with pytest.raises(ModelUnavailable, match="OPENAI_API_KEY"):
        open_model("openai:gpt-4o-mini")
    with pytest.raises(ModelUnavailable, match="needs a model name"):
        open_model("openai:")
    with pytest.raises(ModelUnavailable, match="not found"):
        open_model(f"local:{tmp_path / 'missing.gguf'}")
    with pytest.raises(ModelUnavailable, match="no cassette folder"):
        open_model(f"replay:{tmp_path / 'nothing'}")
    with pytest.raises(InputError, match="--base-url is for openai"):
        open_model("fake", base_url="http://127.0.0.1:9/v1")
    monkeypatch.setenv("DIGEST_JSON_MODE", "xml")
    with pytest.raises(InputError, match="DIGEST_JSON_MODE='xml'"):
        open_model("openai:m", base_url="http://127.0.0.1:9/v1")


def test_digest_model_env_sets_the_default(monkeypatch):
    monkeypatch.setenv("DIGEST_MODEL", "fake")
    assert digest("The council voted 7-2 on Monday.").run.model == "fake"


def test_record_then_replay_reproduces_the_digest_without_the_model(tmp_path, demo_text):
    cassettes = tmp_path / "cassettes"
    recorded = digest(demo_text, model="fake", record_dir=cassettes)
    assert len(list(cassettes.glob("*.json"))) == recorded.run.llm_calls
    replayed = digest(demo_text, model=f"replay:{cassettes}")
    assert replayed.model_dump(exclude={"run"}) == recorded.model_dump(exclude={"run"})
    assert replayed.run.model == f"replay:{cassettes} (recorded from fake)"
    assert replayed.run.input_tokens == recorded.run.input_tokens


def test_a_replay_miss_says_how_to_record_and_is_no_model_failure(tmp_path):
    cassettes = tmp_path / "c"
    digest("The council voted 7-2 on Monday.", model="fake", record_dir=cassettes)
    with pytest.raises(
        ReplayMiss, match="record it with: digest run ARTICLE --model MODEL --record"
    ) as missed:
        digest("A different article entirely, on Tuesday.", model=f"replay:{cassettes}")
    # not an LLMError: a run that cannot be replayed stops instead of skipping a chunk
    assert not isinstance(missed.value, LLMError)


def test_a_cache_answers_what_it_holds_and_records_the_rest(tmp_path):
    store = Store(tmp_path / "cache", "cache")
    first, second = Fake(), Fake()
    write = {"summary_mode": "write"}  # a model call for the summary too
    digest("The council voted 7-2 on Monday.", model=LLM(first, store), **write)
    again = digest("The council voted 7-2 on Monday.", model=LLM(second, store), **write)
    assert first.calls == 2 and second.calls == 0 and again.run.llm_calls == 2
    digest("The mayor resigned on Friday.", model=LLM(second, store), **write)
    assert second.calls == 2 and len(list((tmp_path / "cache").glob("*.json"))) == 4


def test_replay_chunks_as_the_recorded_model_did(tmp_path, demo_text):
    api_like = LLM(Fake(name="openai:m", small=False), Store(tmp_path / "c", "record"))
    recorded = digest(demo_text, model=api_like)  # 1500-word chunks
    assert recorded.run.llm_calls <= 3  # one chunk (not 150-word ones), a summary, a re-ask
    replayed = digest(demo_text, model=f"replay:{tmp_path / 'c'}")
    assert replayed.claims == recorded.claims
    assert replayed.run.llm_calls == recorded.run.llm_calls


def test_replay_reports_the_time_each_call_took_when_recorded(tmp_path):
    slow = LLM(Fake(delay=0.05), Store(tmp_path / "c", "record"))
    text = "The council voted 7-2 on Monday, the mayor said."
    recorded = digest(text, model=slow, summary_mode="write")
    assert recorded.run.model_seconds >= 0.1  # extraction and summary
    replayed = digest(text, model=f"replay:{tmp_path / 'c'}", summary_mode="write")
    assert replayed.run.model_seconds == pytest.approx(recorded.run.model_seconds, abs=0.02)
    assert replayed.run.seconds < recorded.run.model_seconds


def test_an_endpoint_refusing_json_schema_is_asked_for_a_json_object_from_then_on(server):
    refused = (
        500,
        {},
        {"error": {"message": "response_format: Input should be 'text' or 'json_object'"}},
    )
    srv = server([refused])
    d = digest(
        "The council voted 7-2 on Monday, the mayor said.", model="openai:m", base_url=srv.url
    )
    formats = [body["response_format"]["type"] for _, body, _ in srv.requests]
    assert formats == ["json_schema", "json_object", "json_object"]  # refused once, not retried
    assert "schema" in srv.requests[1][1]["response_format"]
    assert d.run.complete and [i.code for i in d.issues] == ["model.json_mode"]


def test_a_small_endpoint_model_gets_the_small_model_settings(monkeypatch):
    from digest.llm import is_small

    assert (
        Digester("openai:qwen2.5-1.5b-instruct", base_url="http://127.0.0.1:9/v1").chunk_words
        == 150
    )
    assert Digester("openai:gpt-4o-mini", base_url="http://127.0.0.1:9/v1").chunk_words == 1500
    assert Digester("openai:m", base_url="http://127.0.0.1:9/v1", small=True).chunk_words == 150
    monkeypatch.setenv("DIGEST_SMALL_MODEL", "1")
    assert is_small("gpt-4o-mini") and not is_small("gpt-4o-mini", small=False)


def test_a_pool_of_servers_shares_the_load_within_each_servers_limit(server):
    a, b = server(delay=0.2), server(delay=0.2)
    digester = Digester("openai:m", base_url=[a.url, b.url], per_server=2)
    articles = [f"The council voted {n}-2 on Monday, the mayor said." for n in range(8)]

    async def gathered():
        return await asyncio.gather(*(digester.arun(t) for t in articles))

    digests = asyncio.run(gathered())
    assert all(d.run.complete for d in digests)
    assert a.most == b.most == 2  # both used, neither past its limit
    assert len(a.requests) + len(b.requests) == 16


def test_a_failing_server_is_taken_out_of_rotation_and_its_request_goes_on(server, no_waiting):
    broken, healthy = server(failing=True), server()
    digester = Digester("openai:m", base_url=[broken.url, healthy.url])
    digests = [digester.run(f"The council voted {n}-2 on Monday.") for n in range(4)]
    assert all(d.run.complete for d in digests)
    assert len(healthy.requests) == 8
    assert len(broken.requests) == 4  # its retries once, then it is left out
    with pytest.raises(TransportError, match=f"endpoint {broken.url} failed"):
        asyncio.run(open_model("openai:m", base_url=[broken.url]).ask([], Answer, max_tokens=5))
