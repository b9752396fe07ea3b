"""The HTML pages in a real browser: Debian's chromium, driven by Playwright (headless).

Screenshots of the demo article's page, an index and an eval comparison are saved in
tests/artifacts/ for people to look at. Set DIGEST_REQUIRE_BROWSER=1 (CI does) to fail
instead of skip when chromium is not installed.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from digest import Digester
from digest.cli import app
from digest.render import render

ARTIFACTS = Path(__file__).parent / "artifacts"
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or not _has_playwright():
        if os.environ.get("DIGEST_REQUIRE_BROWSER"):
            pytest.fail("chromium and playwright are required here")
        pytest.skip("chromium or playwright not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _has_playwright():
    import importlib.util

    return importlib.util.find_spec("playwright") is not None


@pytest.fixture
def open_page(browser):
    """Open a file in a new page; every request the page makes and every dialog it opens
    is recorded."""
    pages = []

    def go(path, width=1280, height=1000):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.requests, page.dialogs = [], []
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri())
        pages.append(page)
        return page

    yield go
    for p in pages:
        p.close()


def _page(tmp_path, d, name="page.html"):
    path = tmp_path / name
    path.write_text(render(d, "html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo():
    text = (ROOT / "examples" / "leaked-audio-lively-baldoni.txt").read_text(encoding="utf-8")
    return Digester("fake").run(text)


def test_clicking_a_highlight_shows_the_claims_source_and_level(demo, open_page, tmp_path):
    page = open_page(_page(tmp_path, demo))
    names = {s.id: s.name for s in demo.sources}
    claim = next(c for c in demo.claims if any(names[i] == "TMZ" for i in c.source_ids))
    page.locator(f'mark[data-claims~="{claim.id}"]').click()
    panel = page.locator("#panel")
    assert claim.text in panel.inner_text() and "TMZ" in panel.inner_text()
    assert claim.hedging in panel.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-page.png"))
    assert page.requests == [page.url]  # nothing but the page itself was fetched
    assert page.dialogs == []


def test_highlights_are_reached_with_the_keyboard(demo, open_page, tmp_path):
    page = open_page(_page(tmp_path, demo))
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        claims = page.evaluate(
            "document.activeElement.tagName === 'MARK' ? document.activeElement.dataset.claims : ''"
        )
        if claims:
            seen.append(claims)
            first = claims.split()[0]
            assert f"{first}:" in page.locator("#panel").inner_text()
        if len(seen) == 3:
            break
    assert len(seen) == 3 and len(set(seen)) == 3  # three different highlights in turn
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.claims") == seen[1]


def test_an_article_with_markup_and_scripts_shows_them_as_text_and_runs_nothing(
    open_page, tmp_path
):
    text = (
        'Hacked headline <script>alert("one")</script>\n\n'
        'The mayor said <img src=x onerror="alert(2)"> the budget passed on Monday. '
        "Officials said the <b>plan</b> <a href='http://example.com/x'>costs</a> $5 million."
    )
    d = Digester("fake").run(text)
    page = open_page(_page(tmp_path, d))
    body = page.locator(".article").inner_text()
    assert '<script>alert("one")</script>' in body and '<img src=x onerror="alert(2)">' in body
    page.locator("mark.claim").first.click()
    assert page.dialogs == []
    assert page.locator(".article script, .article img, .article b").count() == 0
    assert page.requests == [page.url]


def test_the_batch_index_sorts_and_links_to_every_page(open_page, tmp_path):
    results = tmp_path / "results.jsonl"
    texts = [
        "The council voted 7-2 on Monday, the mayor said.",
        "Police arrested three men on Friday. The men were allegedly armed. "
        "Officials confirmed the arrests on Saturday.",
        "Fans reportedly queued overnight.",
    ]
    results.write_text(
        "".join(
            Digester("fake").run(t, id=f"n{i}").model_dump_json() + "\n"
            for i, t in enumerate(texts)
        )
    )
    result = CliRunner().invoke(
        app, ["render", str(results), "--html", "-o", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    page = open_page(tmp_path / "site" / "index.html", height=500)
    page.get_by_role("button", name="claims").click()
    page.get_by_role("button", name="claims").click()  # descending
    first = page.locator("tbody tr").first
    assert first.get_attribute("data-claims") == "3"
    first.locator("a").click()
    assert page.locator("mark.claim").count() == 3
    ARTIFACTS.mkdir(exist_ok=True)
    assert len(list((tmp_path / "site").glob("*.html"))) == 4


def test_the_eval_comparison_page_has_its_tables_and_plots(open_page, tmp_path):
    runs = ROOT / "evals" / "runs" / "history"
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "compare",
            str(runs / "local-extract-v4.json"),
            str(runs / "local-extract-v5.json"),
            "--html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    page = open_page(out, height=1400)
    assert page.locator("svg").count() == 4  # metric bars, two confusions, per-case deltas
    assert "claim_f1" in page.locator("table").inner_text()
    assert page.requests == [page.url]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "comparison-report.png"), full_page=True)
    json.loads(json.dumps(page.requests))  # plain data: nothing else was fetched
