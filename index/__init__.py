"""Turn articles into searchable passages and find them again.

This layer takes plain values (paths, numbers, model names), never the settings
object; ``assistant`` wires it together.
"""

from .catalog import Catalog
from .chunking import ChunkParams, chunk_article, embedding_text
from .embeddings import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder
from .ingest import IngestReport, Indexer
from .keyword import KeywordIndex
from .retrieve import FusionParams, HybridRetriever
from .sentences import sentence_spans
from .store import ChromaStore
from .tokens import get_encoding
from .types import Chunk, Hit, SearchFilters

__all__ = [
    "Catalog", "ChromaStore", "Chunk", "ChunkParams", "DEFAULT_MODEL", "Embedder", "FusionParams",
    "Hit", "HybridRetriever", "Indexer", "IngestReport", "KeywordIndex", "SearchFilters",
    "SentenceTransformerEmbedder", "chunk_article", "embedding_text", "get_encoding",
    "sentence_spans",
]
