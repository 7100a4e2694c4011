"""A quantized ONNX (int8) backend for BERT-type sentence-transformers models.

The model is exported once, the first time the backend is used, into a cache
directory, and every later process reuses the file (see ``export_int8``). The
recipe was measured on this CPU (docs: ARCHITECTURE.md, "Faster embeddings"):
the TorchScript exporter (``dynamo=False``), onnxruntime's BERT graph optimizer,
then dynamic int8 quantization with per-channel weights.

Two of the optimizer's fusions are left out, here and when the session loads:
onnxruntime's CPU kernel for ``SkipLayerNormalization`` takes 4.1 ms on one batch
of 32 x 162 x 384 floats where ``Add`` + ``LayerNormalization`` take 0.6 ms, and
``BiasGelu`` is slower than the bias folded into the int8 matmul plus ``Gelu``.
Without them the model embeds 34% more tokens per second on this CPU, with the
same agreement with the float32 model (mean cosine 0.9925 on 512 news chunks);
see benchmarks/results/comparison.md, section B.

Exporting needs ``torch``, ``transformers``, ``onnx`` and ``onnxscript``
(dependencies of newsdesk); embedding with an exported file needs only
``onnxruntime`` and ``tokenizers``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

import numpy as np

from corpus.errors import Unavailable

from .cache import cache_dir
from .embeddings import DEFAULT_MODEL, resolve_model

log = logging.getLogger(__name__)

BACKEND = "onnx-int8"
RECIPE = "v2/torchscript-opset17-eager/ort-bert-opt-no-skipln-no-biasgelu/dyn-int8-per-channel"
# the session would fuse Add + LayerNormalization back into the slow kernel
_DISABLED_OPTIMIZERS = ["SkipLayerNormFusion", "BiasGeluFusion"]
_FILE = "model-int8.onnx"
_INSTALL_HINT = "Install the export tools with `pip install onnx onnxscript` (newsdesk depends on them)."


def _no_telemetry() -> None:
    """onnxruntime >= 1.29 on Linux queues usage events and writes a device id under
    ~/.cache/Microsoft unless this is set before it initialises."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextmanager
def _quiet():
    """Silence the exporter's tracer warnings and the optimizer's and quantizer's INFO logs."""
    names = ("fusion_base", "fusion_utils", "onnx_model", "onnx_model_bert", "fusion_options")
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    # onnxruntime.quantization logs through the root logger itself (logging.info)
    only_warnings = lambda record: record.name != "root" or record.levelno > logging.WARNING  # noqa: E731
    logging.root.addFilter(only_warnings)
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.root.removeFilter(only_warnings)
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def cache_key(model_dir: str | os.PathLike, name: str | None = None) -> str:
    """``<model-name>-<hash>``: changes when the weights, the config or the recipe change."""
    model_dir = Path(model_dir)
    h = hashlib.sha256(RECIPE.encode())
    for part in ("config.json", "tokenizer.json", "1_Pooling/config.json"):
        if (model_dir / part).exists():
            h.update((model_dir / part).read_bytes())
    for part in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / part).exists():
            st = (model_dir / part).stat()
            h.update(f"{part}:{st.st_size}:{st.st_mtime_ns}".encode())
    label = name or (model_dir.parent.name if model_dir.name == "model" else model_dir.name)
    return f"{label.replace('/', '_')}-{h.hexdigest()[:12]}"


def export_int8(model_dir: str | os.PathLike, out_dir: str | os.PathLike | None = None) -> Path:
    """Export, optimise and int8-quantize the BERT model in ``model_dir``; return the file.

    ``out_dir`` defaults to ``~/.cache/newsdesk/onnx/<cache_key>/``. An existing file is
    reused; a new one is written atomically (temporary file, then ``os.replace``).
    """
    model_dir = Path(model_dir)
    out = Path(out_dir) if out_dir is not None else cache_dir("onnx") / cache_key(model_dir)
    target = out / _FILE
    if target.exists():
        return target
    config = _json(model_dir / "config.json")
    if config.get("model_type") != "bert":
        raise Unavailable(f"The ONNX backend supports BERT models only, not {model_dir}.",
                          hint="Use the torch backend for this model.")
    _no_telemetry()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import onnx  # noqa: F401 - the optimizer and the quantizer need it
        import onnxscript  # noqa: F401 - torch's exporter imports it
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"Cannot export the embedding model to ONNX: {exc}",
                          hint=_INSTALL_HINT) from exc

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    started = time.perf_counter()
    log.info("exporting %s to int8 ONNX in %s (once; takes a few seconds)", model_dir, out)
    out.mkdir(parents=True, exist_ok=True)
    with _quiet():
        _export(model_dir, config, out, target)
    log.info("exported %s in %.1f s (%.1f MB)", target, time.perf_counter() - started,
             target.stat().st_size / 1e6)
    return target


def _export(model_dir: Path, config: dict, out: Path, target: Path) -> None:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    # eager attention: the SDPA graph of transformers 5 defeats the optimizer's Attention fusion
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class _Wrapper(torch.nn.Module):
        # keyword arguments: transformers 5 changed BertModel's positional order
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with tempfile.TemporaryDirectory(dir=out, prefix=".export-") as work:
        raw, fused, tmp = (Path(work) / n for n in ("raw.onnx", "fused.onnx", "int8.onnx"))
        with torch.no_grad():
            torch.onnx.export(
                _Wrapper(bert), (ids, ids, torch.zeros_like(ids)), str(raw), dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"], opset_version=17,
                dynamic_axes={"input_ids": axes, "attention_mask": axes,
                              "token_type_ids": axes, "last_hidden_state": axes})
        fusions = FusionOptions("bert")
        fusions.enable_skip_layer_norm = fusions.enable_bias_skip_layer_norm = False
        fusions.enable_bias_gelu = False
        optimized = optimize_model(str(raw), model_type="bert",
                                   num_heads=int(config["num_attention_heads"]),
                                   hidden_size=int(config["hidden_size"]),
                                   optimization_options=fusions)
        optimized.save_model_to_file(str(fused))
        quantize_dynamic(str(fused), str(tmp), per_channel=True, weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.replace(tmp, target)


class OnnxEmbedder:
    """int8 ONNX embeddings of a sentence-transformers BERT model; lazy, thread-safe.

    ``model_id`` is the torch embedder's id plus ``#onnx-int8``: the vectors differ
    slightly, so an index built with one backend is never queried with the other.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 32,
                 cache_dir: str | os.PathLike | None = None, threads: int | None = None):
        base_id, path = resolve_model(model)
        self.model_id = f"{base_id}#{BACKEND}"
        self._path = Path(path)
        self.batch_size = batch_size
        self._cache_dir = cache_dir
        self.threads = threads or _cpus()
        self._session = None
        self._lock = threading.Lock()
        st = _json(self._path / "sentence_bert_config.json")
        self._max_len = int(st.get("max_seq_length") or 256)

    @property
    def loaded(self) -> bool:
        """Whether the model has been loaded (it loads, and exports if needed, on first use)."""
        return self._session is not None

    def _load(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = self._open()
        return self._session

    def _open(self):
        _no_telemetry()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        pooling = _json(self._path / "1_Pooling" / "config.json")
        if pooling and not pooling.get("pooling_mode_mean_tokens"):
            raise Unavailable(f"The ONNX backend needs a mean-pooling model; {self.model_id} is not.",
                              hint="Use the torch backend for this model.")
        name = self.model_id.split("#")[0].rstrip("/").rsplit("/", 1)[-1]
        out = Path(self._cache_dir) if self._cache_dir is not None else cache_dir("onnx")
        onnx_path = export_int8(self._path, out / cache_key(self._path, name))
        try:
            # tokenizer.json ships its own truncation (128) and fixed padding: replace both
            counter = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            counter.no_truncation()
            counter.no_padding()
            tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(self._max_len)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(str(onnx_path), options,
                                           providers=["CPUExecutionProvider"],
                                           disabled_optimizers=_DISABLED_OPTIMIZERS)
        except Exception as exc:  # noqa: BLE001 - any load failure is the same to the user
            raise Unavailable(f"Cannot load the ONNX embedding model {onnx_path}: {exc}",
                              hint=f"Delete {onnx_path.parent} to export it again.") from exc
        self._inputs = {i.name for i in session.get_inputs()}
        self._dim = int(session.get_outputs()[0].shape[-1])
        self._counter, self._tokenizer = counter, tokenizer
        log.info("loaded embedding model %s from %s (%d threads)", self.model_id, onnx_path,
                 self.threads)
        return session

    @property
    def dimension(self) -> int:
        self._load()
        return self._dim

    @property
    def max_seq_length(self) -> int:
        return self._max_len

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes in the model's own tokenizer, special tokens included."""
        self._load()
        return [len(e.ids) for e in self._counter.encode_batch(list(texts))]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        session = self._load()
        texts = list(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            types = np.zeros_like(ids)
            for r, i in enumerate(rows):
                e = encodings[i]
                n = len(e.ids)
                ids[r, :n], mask[r, :n], types[r, :n] = e.ids, e.attention_mask, e.type_ids
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
