#!/usr/bin/env python3
"""Side-by-side anchors for a tilebench run: cuBLAS (and friends) through PyTorch.

Reads a tilebench results.json, times the same shapes with PyTorch on the same machine and
writes the figures into results.json under meta.anchors (atomically; torch anchors of an earlier
run of this script are replaced, other entries such as the WebGPU peers kept), plus a copy in
anchors.json beside it. Not part of tilebench's own tests (CI has no CUDA); run it on the GPU
host right after `deno task bench`:

    python3 anchors/torch_anchor.py reports/run/results.json [--sparse] [--copy] [--int4]

Anchors (each entry says which):
  - torch.matmul fp32 with TF32 off (cuBLAS SGEMM) and fp16 (cuBLAS HGEMM, fp32 accumulate
    where cuBLAS chooses), for every (M, K, N, dtype) in the results;
  - --sparse: torch semi-structured 2:4 sparse fp16 (to_sparse_semi_structured, cuSPARSELt
    or CUTLASS) for every (M, K, N) with a sparse24 case, against torch dense fp16: event-timed
    torch.mm (host work included) and F.linear replayed from CUDA graphs (GPU time only);
  - --copy: device-to-device copy bandwidth (bytes read + written);
  - --int4: torch's weight-only int4 kernel (tinygemm `_weight_int4pack_mm`, bf16 activations,
    group 128) for every (M ≤ 16, K, N) with an int4 case, isolated and back to back.
Timing: CUDA events around each call after warm-up, median of repeated calls; operands rotate
between copies that together hold at least 4x the device's L2, so the cache is not what is
measured (the WebGPU cases are timed with cold L2 or rotating copies too); tinygemm's back-to-back
figure is replayed from a CUDA graph (`batchMethod`).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile

import torch


def time_fn(fn, reps=50, warmup=10, calls=1):
    """Median ms per call of `fn`, CUDA events around `calls` back-to-back calls (1: isolated)."""
    for _ in range(warmup):
        for _ in range(calls):
            fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        s = torch.cuda.Event(enable_timing=True)
        e = torch.cuda.Event(enable_timing=True)
        s.record()
        for _ in range(calls):
            fn()
        e.record()
        e.synchronize()
        times.append(s.elapsed_time(e) / calls)
    return statistics.median(times), times


def l2_bytes():
    """The device's L2 cache in bytes (torch's device properties; 64 MiB where it does not say)."""
    return int(getattr(torch.cuda.get_device_properties(0), "L2_cache_size", 0) or 64 << 20)


def rotating(make, bytes_each, budget=4 << 30, most=1024, l2=None):
    """Copies of an operand enough that together they hold at least 4× the L2 (`l2` bytes; the
    device's when not given), so a copy is gone from L2 when its turn comes again, within `budget`
    bytes and `most` copies; one when a copy alone is twice the L2."""
    l2 = l2 or l2_bytes()
    if bytes_each >= 2 * l2:
        return [make()]
    want = -(-4 * l2 // max(1, bytes_each))
    count = max(2, min(want, most, budget // max(1, bytes_each)))
    return [make() for _ in range(count)]


def matmul_anchor(m, k, n, dtype):
    tdt = torch.float32 if dtype == "f32" else torch.float16
    g = torch.Generator(device="cuda").manual_seed(1234)
    xs = rotating(lambda: torch.randn(m, k, device="cuda", dtype=tdt, generator=g), m * k * 4)
    ws = rotating(lambda: torch.randn(k, n, device="cuda", dtype=tdt, generator=g), k * n * 4)
    pairs = max(len(xs), len(ws))
    i = [0]

    def run():
        j = i[0] % pairs
        i[0] += 1
        torch.matmul(xs[j % len(xs)], ws[j % len(ws)])

    med, _ = time_fn(run)
    return {
        "anchor": "torch.matmul" + (" fp32 (TF32 off)" if dtype == "f32" else " fp16"),
        "library": "cuBLAS",
        "m": m, "k": k, "n": n, "dtype": dtype,
        "medianMs": med,
        "tflops": 2 * m * k * n / (med * 1e-3) / 1e12,
    }


def graph_time(fn, calls=20):
    """Median ms per call of `fn` replayed from a CUDA graph of `calls` calls: GPU time only,
    without the host work torch does per call (cuSPARSELt plans its matmul on every call)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for _ in range(calls):
            fn()
    med, _ = time_fn(graph.replay, reps=20, warmup=3)
    return med / calls


def sparse_anchor(m, k, n):
    try:
        from torch.sparse import to_sparse_semi_structured
    except Exception as e:  # noqa: BLE001
        return {"anchor": "torch semi-structured 2:4 fp16", "m": m, "k": k, "n": n, "error": str(e)}
    # torch's semi-structured sparse needs the sparse operand first: Y^T = W^T X^T.
    g = torch.Generator(device="cuda").manual_seed(99)
    w = torch.randn(n, k, device="cuda", dtype=torch.float16, generator=g)
    mask = torch.tensor([1, 1, 0, 0], device="cuda", dtype=torch.bool).repeat(n, k // 4)
    w = w * mask
    out = {"anchor": "torch semi-structured 2:4 fp16", "m": m, "k": k, "n": n, "dtype": "f16"}
    try:
        ws = to_sparse_semi_structured(w)
        mpad = max(m, 64) if m % 64 else m  # kernels want padded dense operands; report it
        x = torch.randn(k, mpad, device="cuda", dtype=torch.float16, generator=g)
        med, _ = time_fn(lambda: torch.mm(ws, x))
        dense_med, _ = time_fn(lambda: torch.mm(w, x))
        out.update({
            "library": "cuSPARSELt" if getattr(torch.sparse.SparseSemiStructuredTensor, "_FORCE_CUTLASS", False) is False else "CUTLASS",
            "paddedM": mpad,
            "medianMs": med,
            "denseFp16MedianMs": dense_med,
            "speedupVsTorchDense": dense_med / med,
            "tflopsEffective": 2 * mpad * k * n / (med * 1e-3) / 1e12,
        })
        # The same products as torch's own 2:4 layer runs them, F.linear(x, W) with x M×K
        # contiguous, timed from CUDA graphs (GPU time only): per-call host work (cuSPARSELt
        # plans every call) otherwise dominates the event timing above.
        xl = torch.randn(mpad, k, device="cuda", dtype=torch.float16, generator=g)
        lin = torch.nn.functional.linear
        gs = graph_time(lambda: lin(xl, ws))
        gd = graph_time(lambda: lin(xl, w))
        out.update({
            "linearGraphMs": gs,
            "denseFp16LinearGraphMs": gd,
            "speedupVsTorchDenseGraph": gd / gs,
        })
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
    return out


def int4_anchor(m, k, n, group=128, inner_k_tiles=8):
    """torch's weight-only int4 GEMM/GEMV (tinygemm, `_weight_int4pack_mm`), bf16 activations,
    group-wise scales and zeros: the CUDA counterpart of the int4 kernel. Weight copies rotate
    (together at least 4× the L2, `rotating`) so that L2 does not hold them, isolated and back to
    back (a CUDA graph cycling through the copies)."""
    out = {"anchor": "torch int4 weight-only bf16 (tinygemm _weight_int4pack_mm)", "library": "tinygemm",
           "m": m, "k": k, "n": n, "dtype": "bf16", "group": group}
    try:
        g = torch.Generator(device="cuda").manual_seed(7)

        def make_w():
            q = torch.randint(0, 16, (n, k), device="cuda", dtype=torch.int32, generator=g)
            try:  # torch ≥ 2.5: uint8 [N, K/2], two codes per byte
                return torch.ops.aten._convert_weight_to_int4pack((q[:, ::2] << 4 | q[:, 1::2]).to(torch.uint8), inner_k_tiles)
            except Exception:  # noqa: BLE001 — older torch: int32 [N, K]
                return torch.ops.aten._convert_weight_to_int4pack(q, inner_k_tiles)

        l2 = l2_bytes()
        ws = rotating(make_w, k * n // 2, l2=l2)
        sz = torch.rand(k // group, n, 2, device="cuda", dtype=torch.bfloat16, generator=g)
        x = torch.randn(m, k, device="cuda", dtype=torch.bfloat16, generator=g)
        fns = [(lambda w=w: torch.ops.aten._weight_int4pack_mm(x, w, group, sz)) for w in ws]
        j = [0]

        def one():
            fns[j[0] % len(fns)]()
            j[0] += 1

        med, _ = time_fn(one)
        # Back to back, each call on the next copy, replayed from a CUDA graph: GPU time only, as
        # the WebGPU batch figures are (a Python loop of small calls would time the host).
        # The host loop is kept beside it (`hostLoopMedianMs`): where it reads more, the host's
        # launch rate, not the GPU, set that figure.
        loop, _ = time_fn(one, reps=30, warmup=5, calls=32)
        try:
            batch, batch_method = graph_time(one, calls=max(32, len(ws))), "cuda-graph"
        except Exception:  # noqa: BLE001 — capture refused: the host loop, labelled
            batch, batch_method = loop, "host-loop"
        nbytes = k * n // 2 + sz.numel() * 2 + (m * k + m * n) * 2
        out.update({
            "medianMs": med, "batchMedianMs": batch, "batchMethod": batch_method,
            "hostLoopMedianMs": loop, "copies": len(ws),
            "l2Bytes": l2, "bytes": nbytes,
            "gbps": nbytes / (med * 1e-3) / 1e9, "batchGbps": nbytes / (batch * 1e-3) / 1e9,
        })
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
    return out


def copy_anchor(nbytes=1 << 30):
    a = torch.empty(nbytes // 4, device="cuda", dtype=torch.float32).uniform_()
    b = torch.empty_like(a)
    med, _ = time_fn(lambda: b.copy_(a), reps=30)
    return {"anchor": "torch copy_ (device to device)", "bytes": nbytes, "medianMs": med,
            "gbps": 2 * nbytes / (med * 1e-3) / 1e9}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--sparse", action="store_true")
    ap.add_argument("--copy", action="store_true")
    ap.add_argument("--int4", action="store_true")
    ap.add_argument("--no-matmul", action="store_true")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    with open(args.results) as f:
        res = json.load(f)
    anchors = []
    dev = torch.cuda.get_device_name()
    shapes = sorted({(r["shape"]["m"], r["shape"]["k"], r["shape"]["n"], r["dtype"]) for r in res["results"]})
    if not args.no_matmul:
        for (m, k, n, dt) in shapes:
            a = matmul_anchor(m, k, n, dt)
            anchors.append(a)
            print(f"anchor {a['anchor']} {m}x{k}x{n}: {a['medianMs']:.4f} ms {a['tflops']:.2f} TFLOP/s", file=sys.stderr)
    if args.sparse:
        sp = sorted({(r["shape"]["m"], r["shape"]["k"], r["shape"]["n"]) for r in res["results"] if r.get("family") == "sparse24"})
        for (m, k, n) in sp:
            a = sparse_anchor(m, k, n)
            anchors.append(a)
            print(f"anchor {a['anchor']} {m}x{k}x{n}: {a.get('medianMs', a.get('error'))} graph {a.get('linearGraphMs')} vs dense {a.get('denseFp16LinearGraphMs')}", file=sys.stderr)
    if args.int4:
        q4 = sorted({(r["shape"]["m"], r["shape"]["k"], r["shape"]["n"]) for r in res["results"] if r.get("family") == "int4" and r["shape"]["m"] <= 16})
        for (m, k, n) in q4:
            if k % 128:
                continue
            a = int4_anchor(m, k, n)
            anchors.append(a)
            print(f"anchor {a['anchor']} {m}x{k}x{n}: {a.get('medianMs', a.get('error'))} batch {a.get('batchMedianMs')} ({a.get('batchMethod')}; host loop {a.get('hostLoopMedianMs')}, {a.get('copies')} copies)", file=sys.stderr)
    if args.copy:
        a = copy_anchor()
        anchors.append(a)
        print(f"anchor copy: {a['gbps']:.0f} GB/s", file=sys.stderr)
    for a in anchors:
        a["device"] = dev
        a["torch"] = torch.__version__
    # Entries this script did not write (the WebGPU peers) stay; earlier torch anchors are replaced.
    kept = [a for a in res["meta"].get("anchors") or [] if "torch" not in a]
    res["meta"]["anchors"] = kept + anchors
    d = os.path.dirname(os.path.abspath(args.results))
    fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(res, f, indent=1)
    os.replace(tmp, args.results)
    with open(os.path.join(d, "anchors.json"), "w") as f:
        json.dump(anchors, f, indent=1)


if __name__ == "__main__":
    main()
