import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pydantic import BaseModel

from digest import LLMError, ModelUnavailable, ReplayMiss, digest, fake_model, open_model


class Answer(BaseModel):
    word: str


class Server:
    """A tiny OpenAI-compatible endpoint on 127.0.0.1 with a script of replies."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((self.path, body, dict(self.headers)))
                status, headers, payload = outer.replies.pop(0)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def ok(content, prompt_tokens=11, completion_tokens=5):
    return (
        200,
        {},
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )


@pytest.fixture
def server():
    servers = []

    def make(replies):
        servers.append(Server(replies))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_openai_backend_speaks_real_http_and_retries_429_honouring_retry_after(server, monkeypatch):
    srv = server(
        [
            (429, {"Retry-After": "7"}, {"error": {"message": "slow down"}}),
            (503, {}, {"error": {"message": "busy"}}),
            ok('{"word": "hello"}'),
        ]
    )
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setattr("digest.llm.wait_random_exponential", lambda **kw: lambda state: 0.25)
    slept = []
    monkeypatch.setattr("digest.llm._sleep", slept.append)
    llm = open_model("openai:tiny-model", base_url=srv.url)
    answer = llm.ask([{"role": "user", "content": "say hello"}], Answer, max_tokens=20)
    assert answer.word == "hello"
    assert len(srv.requests) == 3
    path, body, headers = srv.requests[-1]
    assert path == "/v1/chat/completions"
    assert body["model"] == "tiny-model"
    assert body["response_format"]["type"] == "json_schema"
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == "Bearer test-key"
    assert slept == [7.0, 0.25]  # Retry-After honoured, then backoff
    assert llm.usage.calls == 1 and llm.usage.input_tokens == 11


def test_transport_failures_stop_after_a_few_attempts(server, monkeypatch):
    srv = server([(500, {}, {"error": {"message": "down"}})] * 10)
    monkeypatch.setattr("digest.llm._sleep", lambda s: None)
    llm = open_model("openai:m", base_url=srv.url)
    with pytest.raises(LLMError, match="endpoint failed"):
        llm.ask([{"role": "user", "content": "hi"}], Answer, max_tokens=5)
    assert len(srv.requests) == 4


def test_a_dead_endpoint_gives_a_partial_digest_not_a_crash(server, monkeypatch):
    srv = server([ok(json.dumps({"1": ["The council voted on Monday."]}))] + [(500, {}, {})] * 10)
    monkeypatch.setattr("digest.llm._sleep", lambda s: None)
    text = "The council voted on Monday.\n\n" + "The mayor spoke on Tuesday. " * 60
    d = digest(text, model="openai:m", base_url=srv.url, chunk_words=50)
    assert d.run.complete is False
    assert [c.text for c in d.claims] == ["The council voted on Monday."]
    assert any("stopped at chunk 2" in w for w in d.warnings)


def test_schema_failures_are_reasked_a_bounded_number_of_times():
    model = fake_model(["{}", "[]", '{"word": 3}', '{"word": "late"}'])
    with pytest.raises(LLMError, match="no valid answer after 2 attempts"):
        model.ask([{"role": "user", "content": "x"}], Answer, max_tokens=5)
    assert model.usage.calls == 2


def test_model_strings_resolve_or_say_what_is_missing(tmp_path):
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


def test_a_replay_miss_says_how_to_record(tmp_path):
    cassettes = tmp_path / "c"
    digest("The council voted 7-2 on Monday.", model="fake", record_dir=cassettes)
    with pytest.raises(
        ReplayMiss, match="record it with: digest run ARTICLE --model MODEL --record"
    ):
        digest("A different article entirely, on Tuesday.", model=f"replay:{cassettes}")


def test_replay_chunks_as_the_recorded_model_did(tmp_path, demo_text):
    from digest import LLM

    fake = fake_model()
    api_like = LLM("openai:m", fake.create, record_dir=tmp_path / "c")  # 1500-word chunks
    recorded = digest(demo_text, model=api_like)
    assert recorded.run.llm_calls <= 3  # one chunk (not 150-word ones), a summary, a re-ask
    replayed = digest(demo_text, model=f"replay:{tmp_path / 'c'}")
    assert replayed.claims == recorded.claims
    assert replayed.run.llm_calls == recorded.run.llm_calls


def test_replay_reports_the_time_each_call_took_when_recorded(tmp_path):
    slow = fake_model()
    create = slow.create

    def late(**kwargs):
        time.sleep(0.05)
        return create(**kwargs)

    slow.create, slow.record_dir = late, tmp_path / "c"
    digest("The council voted 7-2 on Monday, the mayor said.", model=slow)
    assert slow.usage.seconds >= 0.1  # extraction and summary
    replay = open_model(f"replay:{tmp_path / 'c'}")
    digest("The council voted 7-2 on Monday, the mayor said.", model=replay)
    assert replay.usage.seconds == pytest.approx(slow.usage.seconds, abs=0.02)
