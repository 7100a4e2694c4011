"""index.onnx_embedder: the int8 ONNX backend against the real torch fp32 MiniLM."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus import BUNDLED_DIR, load_paths
from corpus.errors import Unavailable
from index import SentenceTransformerEmbedder, chunk_article, embedding_text
from index.embeddings import DEFAULT_MODEL, resolve_model
from index.onnx_embedder import OnnxEmbedder, export_int8

ROOT = Path(__file__).resolve().parents[2]


def _require_export_tools() -> None:
    # find_spec, not import: onnxruntime must first see ORT_DISABLE_TELEMETRY (set by the backend)
    missing = [n for n in ("onnx", "onnxscript", "onnxruntime") if importlib.util.find_spec(n) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run `pip install onnx onnxscript`",
                    pytrace=False)


@pytest.fixture(scope="module")
def passages() -> list[str]:
    """64 real chunk texts of the bundled corpus, of mixed lengths, in no particular order."""
    articles = load_paths([BUNDLED_DIR]).articles
    texts = [embedding_text(c) for a in articles for c in chunk_article(a)]
    rng = np.random.default_rng(7)
    return [texts[i] for i in rng.permutation(len(texts))[:64]]


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory):
    _require_export_tools()
    return OnnxEmbedder(cache_dir=tmp_path_factory.mktemp("onnx-cache"), batch_size=16)


@pytest.fixture(scope="module")
def torch_embedder():
    return SentenceTransformerEmbedder()


@pytest.mark.integration
def test_int8_vectors_match_torch_fp32(onnx_embedder, torch_embedder, passages):
    got = onnx_embedder.embed(passages)
    want = torch_embedder.embed(passages)
    assert got.shape == want.shape == (64, 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosine = (got * want).sum(axis=1)
    assert cosine.mean() >= 0.98 and cosine.min() >= 0.97, (cosine.mean(), cosine.min())
    q = onnx_embedder.embed_query(passages[0])
    assert q.shape == (384,) and float(q @ want[0]) >= 0.97


@pytest.mark.integration
def test_order_is_kept_across_length_sorted_batches(onnx_embedder, torch_embedder, passages):
    texts = ["Kyiv.", passages[0], "Drones hit a power plant overnight.", passages[1],
             "Sybiga said so.", passages[2] + " " + passages[3], "Rain."]
    want = torch_embedder.embed(texts)
    together = onnx_embedder.embed(texts)  # batch_size 16: one batch
    small = OnnxEmbedder(cache_dir=onnx_embedder._cache_dir, batch_size=3).embed(texts)
    alone = np.stack([onnx_embedder.embed_query(t) for t in texts])
    # int8 activations are quantized per batch, so a vector depends a little on its batch
    # mates; each one must still be its own text's, in the order given
    for vectors in (together, small, alone):
        similarity = vectors @ want.T
        assert list(similarity.argmax(axis=1)) == list(range(len(texts)))
        assert np.diag(similarity).min() >= 0.97


@pytest.mark.integration
def test_count_tokens_and_window_match_torch(onnx_embedder, torch_embedder, passages):
    texts = passages + ["", "Kyiv’s “air” 😀", "word " * 400]
    assert onnx_embedder.count_tokens(texts) == torch_embedder.count_tokens(texts)
    assert onnx_embedder.max_seq_length == torch_embedder.max_seq_length == 256
    assert onnx_embedder.dimension == torch_embedder.dimension == 384


@pytest.mark.integration
def test_empty_input_and_model_id(onnx_embedder, torch_embedder):
    assert onnx_embedder.embed([]).shape == (0, 384)
    assert onnx_embedder.model_id == f"{DEFAULT_MODEL}#onnx-int8" != torch_embedder.model_id


@pytest.mark.integration
def test_export_is_reused_and_written_atomically(onnx_embedder):
    onnx_embedder.embed(["warm"])
    files = list(onnx_embedder._cache_dir.rglob("*"))
    target = next(f for f in files if f.name == "model-int8.onnx")
    assert [f.name for f in files if f.is_file()] == ["model-int8.onnx"]  # no temporaries left
    mtime = target.stat().st_mtime_ns
    _, model_dir = resolve_model(DEFAULT_MODEL)
    assert export_int8(model_dir, target.parent) == target
    assert target.stat().st_mtime_ns == mtime


@pytest.mark.integration
def test_slow_fused_kernels_are_kept_out(onnx_embedder, tmp_path):
    """SkipLayerNormalization and BiasGelu are much slower on CPU than what they fuse;
    neither the exported file nor the session onnxruntime builds from it may use them."""
    import onnx

    onnx_embedder.embed(["warm"])
    target = next(onnx_embedder._cache_dir.rglob("model-int8.onnx"))
    exported = {n.op_type for n in onnx.load(str(target)).graph.node}
    assert {"QAttention", "MatMulInteger", "LayerNormalization"} <= exported
    assert not exported & {"SkipLayerNormalization", "BiasGelu"}
    # the session's own level-2 fusions would put SkipLayerNormalization back
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.optimized_model_filepath = str(tmp_path / "as-run.onnx")
    from index.onnx_embedder import _DISABLED_OPTIMIZERS

    ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"],
                         disabled_optimizers=_DISABLED_OPTIMIZERS)
    as_run = {n.op_type for n in onnx.load(str(tmp_path / "as-run.onnx")).graph.node}
    assert "LayerNormalization" in as_run and "SkipLayerNormalization" not in as_run
    assert "DynamicQuantizeMatMul" in as_run  # the int8 matmuls are still fused


@pytest.mark.integration
def test_missing_export_tools_name_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    embedder = OnnxEmbedder(cache_dir=tmp_path)
    with pytest.raises(Unavailable) as caught:
        embedder.embed(["x"])
    assert "pip install onnx onnxscript" in caught.value.user_message()


@pytest.mark.integration
def test_onnxruntime_writes_no_telemetry(onnx_embedder, tmp_path):
    onnx_embedder.embed(["warm"])  # the export exists in its cache dir
    script = ("from index.onnx_embedder import OnnxEmbedder; import sys; "
              "print(OnnxEmbedder(cache_dir=sys.argv[1]).embed(['hi']).shape)")
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", script, str(onnx_embedder._cache_dir)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "(1, 384)" in done.stdout, done.stderr
    assert not (tmp_path / "Microsoft").exists()  # onnxruntime's device id and event queue
