"""The CPU's measured matrix-multiply peak, float32 and int8, with this process's threads.

- float32: numpy ``a @ b`` on n x n matrices (n = 2048), best of 5: 2 n^3 FLOPs per run.
- int8: onnxruntime ``MatMulInteger`` (uint8 activations x int8 weights -> int32, the
  kernel family dynamic int8 quantization runs: MLAS, VNNI where the CPU has it) on the
  same size, through a one-node graph built with ``onnx.helper``, weights as an
  initializer like a quantized model's; best of 20 (a run takes ~10 ms): 2 n^3 integer ops.
- float32 in onnxruntime: ``MatMul`` (MLAS, the kernels the model's float32 attention
  products run on) on n x n, through a one-node graph; best of 10.
- int8 at the model's shapes: the same op with K x N = 384 x 1152 (fused Q/K/V),
  384 x 384, 384 x 1536 and 1536 x 384 (MiniLM-L6), M = ``--tokens`` rows, i.e. the
  peak the embedding model's own layers could reach.

Prints one JSON object.

    .venv/bin/python benchmarks/cpu_peak.py
"""

from __future__ import annotations

import os

os.environ["ORT_DISABLE_TELEMETRY"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

MODEL_SHAPES = ((384, 1152), (384, 384), (384, 1536), (1536, 384))


def threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def best_of(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def fp32_numpy(n: int, repeats: int) -> dict:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    s = best_of(lambda: a @ b, repeats)
    return {"n": n, "seconds": s, "gflops": 2 * n ** 3 / s / 1e9}


def fp32_ort(n: int, n_threads: int, repeats: int) -> dict:
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["A", "B"], ["Y"])], "fp32_gemm",
        [helper.make_tensor_value_info("A", TensorProto.FLOAT, ["M", n])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["M", n])],
        initializer=[numpy_helper.from_array(rng.standard_normal((n, n), dtype=np.float32), "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = n_threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    a = rng.standard_normal((n, n), dtype=np.float32)
    s = best_of(lambda: session.run(None, {"A": a}), repeats)
    return {"n": n, "seconds": s, "gflops": 2 * n ** 3 / s / 1e9}


def int8_session(k: int, n: int, n_threads: int):
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weights = rng.integers(-127, 128, size=(k, n), dtype=np.int8)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "B", "a_zero"], ["Y"])], "int8_gemm",
        [helper.make_tensor_value_info("A", TensorProto.UINT8, ["M", k])],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, ["M", n])],
        initializer=[numpy_helper.from_array(weights, "B"),
                     numpy_helper.from_array(np.array(128, dtype=np.uint8), "a_zero")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    options = ort.SessionOptions()
    options.intra_op_num_threads = n_threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def int8_ort(m: int, k: int, n: int, n_threads: int, repeats: int) -> dict:
    session = int8_session(k, n, n_threads)
    a = np.random.default_rng(1).integers(0, 256, size=(m, k), dtype=np.uint8)
    s = best_of(lambda: session.run(None, {"A": a}), repeats)
    return {"m": m, "k": k, "n": n, "seconds": s, "gops": 2 * m * k * n / s / 1e9}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=5, help="float32 runs (about 70 ms each)")
    parser.add_argument("--int8-repeats", type=int, default=20, help="int8 runs (about 10 ms each)")
    parser.add_argument("--tokens", type=int, default=32 * 160,
                        help="rows of the model-shaped GEMMs (batch size x sequence length)")
    args = parser.parse_args()
    n_threads = threads()
    out: dict = {"threads": n_threads, "fp32_numpy": fp32_numpy(args.n, args.repeats)}
    try:
        import onnxruntime

        out["onnxruntime"] = onnxruntime.__version__
        out["fp32_ort"] = fp32_ort(args.n, n_threads, 10)
        out["int8_ort"] = int8_ort(args.n, args.n, args.n, n_threads, args.int8_repeats)
        shaped = [int8_ort(args.tokens, k, n, n_threads, args.int8_repeats) for k, n in MODEL_SHAPES]
        ops = sum(2 * r["m"] * r["k"] * r["n"] for r in shaped)
        out["int8_ort_model_shapes"] = {"shapes": shaped,
                                        "gops": ops / sum(r["seconds"] for r in shaped) / 1e9}
    except Exception as exc:  # noqa: BLE001 - the report says why the int8 peak is missing
        out["int8_error"] = f"{type(exc).__name__}: {exc}"
    try:
        out["blas"] = {k: v for k, v in np.show_config(mode="dicts")["Build Dependencies"]["blas"].items()
                       if k in ("name", "version")}
    except Exception:  # noqa: BLE001 - informational only
        pass
    print(json.dumps(out))


if __name__ == "__main__":
    main()
