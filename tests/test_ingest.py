import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from digest import InputError
from digest.ingest import Item, Reader, Unreadable

PAGE = """<html><head><title>Council passes budget | City News</title>
<meta property="og:title" content="Council passes budget"></head>
<body><nav>Home | Sport | Weather</nav>
<article><h1>Council passes budget</h1>
<p>The city council voted 7-2 on Monday to pass the budget, the mayor said.</p>
<p>Opponents said the plan would raise parking fees &amp; bus fares.</p>
<script>alert("pwned")</script></article>
<footer>Copyright 2026 City News</footer></body></html>"""


def test_html_becomes_the_article_text_and_title_without_markup_or_page_furniture(tmp_path):
    page = tmp_path / "budget.html"
    page.write_text(PAGE)
    item = Reader().one(str(page))
    assert item.title == "Council passes budget"
    assert item.text.split("\n\n") == [
        "Council passes budget",
        "The city council voted 7-2 on Monday to pass the budget, the mayor said.",
        "Opponents said the plan would raise parking fees & bus fares.",
    ]
    assert "alert" not in item.text and "Copyright" not in item.text and "Sport" not in item.text


def test_json_and_jsonl_records_keep_their_ids_and_say_what_is_wrong_with_a_bad_one(tmp_path):
    records = tmp_path / "feed.jsonl"
    records.write_text(
        json.dumps({"id": 7, "text": "The mayor resigned.", "title": "Mayor", "published": "2026"})
        + "\n\n"
        + json.dumps({"id": "p", "html": PAGE, "url": "https://news.example/p"})
        + "\n{not json\n"
        + json.dumps({"id": "q"})
        + "\n"
    )
    got = list(Reader().read([str(records)]))
    assert got[0] == Item("7", "The mayor resigned.", "Mayor", None, "2026")
    assert got[1].id == "p" and got[1].url == "https://news.example/p"
    assert got[1].text.startswith("Council passes budget\n\nThe city council")
    assert got[2] == Unreadable(f"{records}:4", got[2].reason)
    assert f"line 4 of {records} is not valid JSON" in got[2].reason
    assert "needs either 'text' or 'html'" in got[3].reason
    listed = tmp_path / "two.json"
    listed.write_text(json.dumps([{"text": "One fact."}, {"id": "b", "text": "Two facts."}]))
    assert [i.id for i in Reader().read([str(listed)])] == [f"{listed}#1", "b"]
    assert Reader().count([str(records), str(listed)]) == 6


def test_folders_and_globs_give_their_article_files_in_order(tmp_path):
    for name in ("b.txt", "a.txt", "c.html", "notes.csv"):
        (tmp_path / name).write_text(PAGE if name.endswith("html") else f"Text of {name}.")
    ids = [i.id for i in Reader().read([str(tmp_path)])]
    assert ids == [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.html")]
    assert [i.id for i in Reader().read([str(tmp_path / "*.txt")])] == ids[:2]
    (missing,) = Reader().read([str(tmp_path / "*.pdf")])
    assert isinstance(missing, Unreadable) and "no file matches" in missing.reason


def test_a_large_article_is_refused_before_it_is_read_and_a_record_too(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("The council voted. " * 1000)
    with pytest.raises(InputError, match="is 19 kB, above the 10 kB limit"):
        Reader(max_bytes=10_000).one(str(big))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": "word " * 5000}) + "\n")
    (item,) = Reader(max_bytes=10_000).read([str(feed)])
    assert isinstance(item, Unreadable) and "above the 10 kB limit" in item.reason


@pytest.fixture
def site():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/missing":
                self.send_error(404, "Not Found")
                return
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_url_is_fetched_and_read_as_html_and_a_failure_is_one_line(site):
    item = Reader().one(f"{site}/budget")
    assert item.url == f"{site}/budget" and item.title == "Council passes budget"
    with pytest.raises(InputError, match=r"cannot fetch .*/missing: HTTP 404"):
        Reader().one(f"{site}/missing")
    with pytest.raises(InputError, match=r"cannot fetch http://127\.0\.0\.1:9/x"):
        Reader().one("http://127.0.0.1:9/x")
    with pytest.raises(InputError, match="above the 100 bytes limit"):
        Reader(max_bytes=100).one(f"{site}/budget")
