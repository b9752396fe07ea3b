"""Reading articles: plain text, HTML, JSON and JSONL records, from files, folders, globs,
standard input and URLs.

Each input gives :class:`Item` objects (an id and the article text) or, for an input that
cannot be read, an :class:`Unreadable` with the reason, so that a batch can record it and go
on. HTML is reduced to the article's text by trafilatura (paragraphs separated by a blank
line); that text is ``article.text``, the one every offset indexes. A JSON file holds one
record or a list of them, a JSONL file one record a line: ``id``, ``text`` or ``html``, and
optionally ``title``, ``url`` and ``published``.

An article larger than ``max_bytes`` (5 MB unless set: ``--max-bytes`` or
``$DIGEST_MAX_BYTES``) is refused before anything else is done with it; text must be UTF-8
unless another encoding is named.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, model_validator

from .errors import InputError
from .segment import usable

Kind = Literal["auto", "text", "html", "json", "jsonl"]
KINDS: tuple[Kind, ...] = ("auto", "text", "html", "json", "jsonl")
_SUFFIXES: dict[str, Kind] = {
    ".txt": "text",
    ".md": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
#: Seconds to wait for a URL, and the size above which an article is refused.
FETCH_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 5_000_000


def max_bytes_default() -> int:
    raw = os.environ.get("DIGEST_MAX_BYTES")
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        return int(raw)
    except ValueError as e:
        raise InputError(f"DIGEST_MAX_BYTES={raw!r} is not a number of bytes") from e


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """An input that gives no article, and why."""

    id: str
    reason: str


class Record(BaseModel):
    """One article of a JSON or JSONL input."""

    id: str | int | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> Record:
        if (self.text is None) == (self.html is None):
            raise ValueError("a record needs either 'text' or 'html'")
        return self


@dataclass(frozen=True)
class Reader:
    """How inputs are read: their format (``auto`` goes by the file's suffix, else by its
    first character), the size limit and the text encoding."""

    kind: Kind = "auto"
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str = "utf-8-sig"

    def read(self, inputs: Iterable[str]) -> Iterator[Item | Unreadable]:
        """Every article of the inputs, in order: files, folders (their article files),
        glob patterns, ``-`` for standard input, and http(s) URLs."""
        for source in inputs:
            yield from self._source(source)

    def count(self, inputs: Iterable[str]) -> int:
        """How many articles ``read`` will give, without reading HTML or decoding text."""
        total = 0
        for source in inputs:
            for path in self._paths(source):
                kind = self._kind(path, b"")
                if kind == "jsonl" and path != "-" and _is_file(path):
                    with open(path, "rb") as f:
                        total += sum(1 for line in f if line.strip())
                elif kind == "json" and _is_file(path):
                    try:
                        data = json.loads(Path(path).read_bytes())
                        total += len(data) if isinstance(data, list) else 1
                    except (OSError, ValueError):
                        total += 1
                else:
                    total += 1
        return total

    def one(self, source: str) -> Item:
        """The single article ``source`` holds; InputError when it holds none or several."""
        if Path(source).is_dir():
            raise InputError(f"{source} is a folder, not an article file: use 'digest batch'")
        items = list(self.read([source]))
        if not items:
            raise InputError(f"{source}: no article found")
        if len(items) > 1:
            raise InputError(
                f"{source} holds {len(items)} articles: digest them with 'digest batch'"
            )
        if isinstance(items[0], Unreadable):
            raise InputError(items[0].reason)
        return items[0]

    # ------------------------------------------------------------ sources

    def _paths(self, source: str) -> list[str]:
        if source == "-" or source.startswith(("http://", "https://")):
            return [source]
        path = Path(source)
        if path.is_dir():
            return [str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in _SUFFIXES]
        if not path.exists() and glob.has_magic(source):
            return sorted(glob.glob(source))
        return [source]

    def _source(self, source: str) -> Iterator[Item | Unreadable]:
        paths = self._paths(source)
        if not paths and glob.has_magic(source):
            yield Unreadable(source, f"no file matches {source}")
        for path in paths:
            try:
                data = self._bytes(path)
            except InputError as e:
                yield Unreadable(path, str(e))
                continue
            yield from self._parse(path, data)

    def _bytes(self, path: str) -> bytes:
        if path == "-":
            data = sys.stdin.buffer.read(self.max_bytes + 1)
        elif path.startswith(("http://", "https://")):
            data = self._fetch(path)
        else:
            p = Path(path)
            if p.is_dir():
                raise InputError(f"{path} is a folder, not an article file")
            try:
                size = p.stat().st_size
                if size > self.max_bytes and self._kind(path, b"") not in ("jsonl", "json"):
                    raise InputError(_too_large(path, size, self.max_bytes))
                data = p.read_bytes()
            except FileNotFoundError as e:
                raise InputError(f"no such file: {path}") from e
            except OSError as e:
                raise InputError(f"cannot read {path}: {e.strerror}") from e
        if len(data) > self.max_bytes and self._kind(path, data) not in ("jsonl", "json"):
            raise InputError(_too_large(_name(path), len(data), self.max_bytes))
        return data

    def _fetch(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": "digest"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
                data: bytes = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as e:
            raise InputError(f"cannot fetch {url}: HTTP {e.code} {e.reason}") from e
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise InputError(f"cannot fetch {url}: {reason}") from e
        return data

    def _kind(self, path: str, data: bytes) -> Kind:
        if self.kind != "auto":
            return self.kind
        if path.startswith(("http://", "https://")):
            return "html" if data.lstrip()[:1] == b"<" else "text"
        suffix = Path(path).suffix.lower() if path != "-" else ""
        if suffix in _SUFFIXES:
            return _SUFFIXES[suffix]
        start = data.lstrip()[:1]
        if start == b"<":
            return "html"
        if start in (b"{", b"["):
            return "json"
        return "text"

    # ------------------------------------------------------------ formats

    def _parse(self, path: str, data: bytes) -> Iterator[Item | Unreadable]:
        kind = self._kind(path, data)
        name = _name(path)
        try:
            if kind == "jsonl":
                yield from self._jsonl(name, data)
            elif kind == "json":
                yield from self._json(name, data)
            else:
                text = self._decode(name, data)
                url = path if path.startswith(("http://", "https://")) else None
                if kind == "html":
                    yield html_item(name, text, url=url)
                else:
                    yield Item(id=name, text=usable(text, name), url=url)
        except InputError as e:
            yield Unreadable(name, str(e))

    def _decode(self, name: str, data: bytes) -> str:
        if b"\x00" in data:
            raise InputError(f"{name} looks binary (it contains NUL bytes), not text")
        try:
            return data.decode(self.encoding)
        except UnicodeDecodeError as e:
            encoding = "UTF-8" if self.encoding.lower().startswith("utf-8") else self.encoding
            raise InputError(
                f"{name} is not {encoding} text (byte {e.start} cannot be decoded; "
                "name its encoding with --encoding)"
            ) from e
        except LookupError as e:
            raise InputError(f"unknown encoding {self.encoding!r}") from e

    def _json(self, name: str, data: bytes) -> Iterator[Item | Unreadable]:
        try:
            parsed = json.loads(self._decode(name, data))
        except ValueError as e:
            raise InputError(f"{name} is not valid JSON: {e}") from e
        records = parsed if isinstance(parsed, list) else [parsed]
        for n, raw in enumerate(records, start=1):
            yield self._record(raw, f"{name}#{n}")

    def _jsonl(self, name: str, data: bytes) -> Iterator[Item | Unreadable]:
        for n, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{name}:{n}"
            try:
                raw = json.loads(self._decode(where, line))
            except InputError as e:
                yield Unreadable(where, str(e))
                continue
            except ValueError as e:
                yield Unreadable(where, f"line {n} of {name} is not valid JSON: {e}")
                continue
            yield self._record(raw, where)

    def _record(self, raw: object, where: str) -> Item | Unreadable:
        try:
            record = Record.model_validate(raw)
        except ValidationError as e:
            problem = e.errors()[0]
            field = ".".join(str(p) for p in problem["loc"])
            why = problem["msg"] + (f" ({field})" if field else "")
            return Unreadable(where, f"{where}: not an article record: {why}")
        rid = str(record.id) if record.id is not None else where
        body = record.text if record.text is not None else record.html or ""
        if len(body.encode("utf-8")) > self.max_bytes:
            return Unreadable(rid, _too_large(rid, len(body.encode("utf-8")), self.max_bytes))
        try:
            if record.html is not None:
                item = html_item(rid, record.html, url=record.url, title=record.title)
                return Item(item.id, item.text, item.title, item.url, record.published)
            return Item(rid, usable(body, rid), record.title, record.url, record.published)
        except InputError as e:
            return Unreadable(rid, str(e))


def html_item(name: str, html: str, *, url: str | None = None, title: str | None = None) -> Item:
    """The article in an HTML page: its text (paragraphs separated by a blank line) and
    title, as trafilatura extracts them; markup and scripts never reach the text."""
    import trafilatura

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if title is None:
        meta = trafilatura.extract_metadata(html)
        title = meta.title if meta and meta.title else None
    return Item(id=name, text="\n\n".join(paragraphs), title=title, url=url)


def _name(path: str) -> str:
    return "stdin" if path == "-" else path


def _is_file(path: str) -> bool:
    return Path(path).is_file()


def _too_large(name: str, size: int, limit: int) -> str:
    return f"{name} is {_size(size)}, above the {_size(limit)} limit (raise it with --max-bytes)"


def _size(n: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"
