"""Every setting in one place; each can be set by a ``NEWSDESK_*`` environment variable
(or a ``.env`` file in the working directory)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpus import BUNDLED_DIR
from index import DEFAULT_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the index, catalog and manifest live.")
    corpus_paths: list[Path] = Field(
        [BUNDLED_DIR], description="What `newsdesk serve` indexes on first run (JSON list of paths).")
    embedding_model: str = Field(
        DEFAULT_MODEL, description="sentence-transformers model: the bundled MiniLM, or a local path.")
    # onnx-int8 measured on the dev questions: same retrieval and answers as torch fp32
    # (MRR@10 0.955 vs 0.956), 2.7x faster ingest, 3x faster answers.
    embedding_backend: Literal["torch", "onnx-int8"] = Field(
        "onnx-int8", description="onnx-int8 (quantized ONNX, exported once on first use) or "
        "torch (fp32 sentence-transformers).")
    embedding_batch_size: int = Field(32, ge=1, description="Passages per embedding batch.")
    chunk_tokens: int = Field(180, ge=32, description="Chunk size in cl100k tokens (title included).")
    chunk_overlap_tokens: int = Field(40, ge=0, description="Overlap between neighbouring chunks.")
    top_k: int = Field(8, ge=1, le=50, description="Passages retrieved per question.")
    # Fusion defaults measured on ../shared/eval dev questions (benchmarks/tune_fusion.py).
    keyword_weight: float = Field(1.0, ge=0, description="Weight of BM25 in rank fusion.")
    dense_weight: float = Field(0.25, ge=0, description="Weight of the vector search in rank fusion.")
    rrf_k: int = Field(1, ge=0, description="Rank offset of reciprocal rank fusion.")
    candidates: int = Field(50, ge=1, description="Candidates taken from each retriever before fusion.")
    passages_per_article: int = Field(2, ge=1, description="Most passages from one article.")
    answer_max_sentences: int = Field(4, ge=1, description="Most sentences quoted in an answer.")
    answer_max_words: int = Field(120, ge=10, description="Length budget of an answer, in words.")
    min_coverage: float = Field(
        0.5, ge=0, le=1,
        description="Share of the question's (IDF-weighted) terms, or words of the same meaning, an "
        "article must contain to answer it; when none does, the answer says the articles do not "
        "cover the question.")
    llm: str | None = Field(
        None, description="The LLM that writes answers, as provider:model (openai:gpt-4o-mini, "
        "azure:<deployment>, ollama:llama3.1, llamacpp:/path/model.gguf, smollm2); unset: "
        "extractive answers, no LLM.")
    llm_base_url: str | None = Field(
        None, description="An OpenAI-compatible server (vLLM, llama.cpp server, LM Studio) for "
        "openai:<model>, e.g. http://127.0.0.1:8000/v1; or the Ollama URL.")
    llm_api_key: SecretStr | None = Field(
        None, description="API key of the LLM; else the provider's own variable (OPENAI_API_KEY...).")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds the LLM may go silent before the "
                               "answer falls back to the extractive one.")
    llm_max_retries: int = Field(1, ge=0, le=5, description="Retries of a failed LLM request.")
    llm_max_tokens: int = Field(400, ge=16, description="Longest generated answer, in tokens.")
    llm_temperature: float = Field(0.0, ge=0, le=2, description="Sampling temperature of the LLM.")
    llm_context_tokens: int = Field(4096, ge=512, description="Context window for a local GGUF model.")
    llm_threads: int | None = Field(None, ge=1, description="CPU threads for a local GGUF model.")
    ingest_group: int = Field(64, ge=1, le=10000, description="Articles embedded and committed "
                              "together: a killed ingest redoes at most this many.")
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted.")
    max_upload_mb: float = Field(50, gt=0, description="Largest file accepted in an upload, and "
                                 "largest HTTP request body, in MB.")
    max_upload_files: int = Field(100, ge=1, description="Most files accepted in one upload.")
    rate_limit_per_minute: int = Field(
        0, ge=0, description="Requests per minute each client (API key, else address) may send to "
        "the HTTP API and MCP, in bursts of up to a sixth of it; 0: no limit.")
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    api_keys: list[SecretStr] = Field(
        default_factory=list, description="Bearer keys for the HTTP API, the OpenAI-compatible "
        "endpoint and MCP (JSON list); empty: no key needed.")
    admin_keys: list[SecretStr] = Field(
        default_factory=list, description="Bearer keys that may also add and delete articles "
        "(JSON list); when set, read keys may not.")
    ui_password: SecretStr | None = Field(
        None, description="Password of the web chat's login (user NEWSDESK_UI_USER); unset: no login.")
    ui_user: str = Field("newsdesk", description="User name of the web chat's login.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web server.")
    collection: str = Field("newsdesk", description="Name of the Chroma collection.")
    chroma_url: str | None = Field(
        None, description="A Chroma server (http://host:port) holding the vectors instead of the "
        "embedded store in DATA_DIR; the catalog and keyword index stay in DATA_DIR.")
    log_level: str = Field("INFO", description="Logging level.")
    # following sources (feeds, sitemaps, pages): `newsdesk sources`, `serve`, `watch`
    user_agent: str = Field(
        "Newsdesk/0.1 (news reader; follows feeds politely)",
        description="User-Agent of every request to a news source; robots.txt rules for it apply.")
    fetch_delay: float = Field(1.0, ge=0, description="Seconds between two requests to the same host.")
    fetch_timeout: float = Field(20.0, gt=0, description="Seconds to connect, and between bytes, "
                                 "before a request to a source gives up.")
    fetch_retries: int = Field(2, ge=0, le=10, description="Retries after a 429, a 5xx or a network "
                               "error, waiting 1 s, 2 s, 4 s... (or the Retry-After).")
    fetch_max_mb: float = Field(10, gt=0, description="Largest feed, sitemap or page accepted, in MB.")
    source_recheck_hours: float = Field(
        24, gt=0, description="An article already fetched from a source is fetched again (a "
        "conditional request) when it is still listed after this many hours.")
    follow_sources: bool = Field(True, description="`newsdesk serve` fetches due sources in the "
                                 "background.")


def load_settings(**overrides) -> Settings:
    """Settings from the environment (and ``.env``), with keyword overrides on top."""
    return Settings(**overrides)
