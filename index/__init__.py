"""Turn articles into searchable passages and find them again.

This layer takes plain values (paths, numbers, model names), never the settings
object; ``assistant`` wires it together.
"""

import os

# onnxruntime (used by Chroma and the int8 backend) queues usage telemetry and writes a
# device id under ~/.cache/Microsoft unless this is set before it is first imported.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from .catalog import Catalog  # noqa: E402
from .chunking import ChunkParams, chunk_article, embedding_text  # noqa: E402
from .embeddings import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder  # noqa: E402
from .ingest import IngestReport, Indexer  # noqa: E402
from .keyword import KeywordIndex  # noqa: E402
from .retrieve import FusionParams, HybridRetriever  # noqa: E402
from .sentences import sentence_spans  # noqa: E402
from .store import ChromaStore  # noqa: E402
from .tokens import get_encoding  # noqa: E402
from .types import Chunk, Hit, SearchFilters  # noqa: E402

__all__ = [
    "Catalog", "ChromaStore", "Chunk", "ChunkParams", "DEFAULT_MODEL", "Embedder", "FusionParams",
    "Hit", "HybridRetriever", "Indexer", "IngestReport", "KeywordIndex", "SearchFilters",
    "SentenceTransformerEmbedder", "chunk_article", "embedding_text", "get_encoding",
    "sentence_spans",
]
