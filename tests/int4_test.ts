import assert from "node:assert/strict";
import { generateCaseData } from "../harness/data/inputs.ts";
import { expandCases } from "../harness/suite/expand.ts";
import { SuiteError } from "../harness/suite/schema.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { quantizeAwq } from "../kernels/int4/awq.ts";
import {
  dequantize,
  groupProblem,
  packCodes,
  packedBytes,
  padK,
  unpackCodes,
} from "../kernels/int4/format.ts";
import { int4GemmWgsl } from "../kernels/int4/gemm_wgsl.ts";
import {
  chooseGemv,
  F32_GEMV_THREADS,
  FEW_SLICES_M_MAX,
  gemvAwqTable,
  gemvOneGroup,
  gemvOverheadFlops,
  gemvSegments,
  gemvWorkgroupBytes,
  HALF_GEMV_THREADS,
  int4GemvDispatch,
  type Int4GemvTuning,
  int4GemvWgsl,
  STAGE_X_BYTES,
  STAGE_X_THREADS,
  WIDE_M_SLICES_FROM,
} from "../kernels/int4/gemv_wgsl.ts";
import { int4Reference } from "../kernels/int4/reference.ts";
import { quantizeRtn, roundHalfEven, rtnCode, rtnParams } from "../kernels/int4/rtn.ts";
import { int4Work } from "../kernels/int4/work.ts";
import { gemvTuning, type Int4Config, resolveInt4 } from "../kernels/int4/params.ts";
import type { DType, Params, Shape } from "../harness/types.ts";
import { GEMM_TILES } from "../kernels/dense/gemm_wgsl.ts";
import { createStorageBuffer, decodeDtype, readBuffer } from "../harness/gpu/buffers.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import { GPU_TEST, runInline, testGpu } from "./helpers.ts";
import type { Int4GemvOptions } from "../kernels/int4/gemv_wgsl.ts";

/** Deterministic pseudo-random values in [-1, 1). */
function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return new Float32Array(count).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Minimum and maximum of rows [k0, k1) of column j (of n). */
function range(w: Float32Array, k0: number, k1: number, j: number, n: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = k0; k < k1; k++) {
    lo = Math.min(lo, w[k * n + j]!);
    hi = Math.max(hi, w[k * n + j]!);
  }
  return [lo, hi];
}

Deno.test("packed format: nibble order, padding, round trip of codes, scales and zeros", () => {
  assert.equal(padK(100), 104);
  assert.equal(padK(8), 8);
  // k = 8r + i sits in bits 4i … 4i+3 of word r.
  assert.equal(packCodes(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8, 1)[0], 0x87654321);
  const k = 21;
  const n = 5;
  const codes = new Uint8Array(k * n).map((_, i) => (i * 7 + 3) % 16);
  const words = packCodes(codes, k, n);
  assert.equal(words.length, (24 / 8) * n);
  const back = unpackCodes(words, 24, n);
  assert.deepEqual(back.subarray(0, k * n), codes);
  assert.ok(back.subarray(k * n).every((q) => q === 0), "padding rows are zero codes");
  assert.throws(() => packCodes(new Uint8Array([16]), 1, 1), /code at \(0, 0\) is 16/);
  assert.throws(() => unpackCodes(new Uint32Array(3), 8, 2), /expected 2/);

  // Quantised weights: every code, scale and zero survives storage; dequantise = (q − z)·s.
  for (const scaleDtype of ["f32", "f16"] as const) {
    const w = values(100 * 6, 7);
    const q = quantizeRtn(w, 100, 6, 8, scaleDtype);
    assert.equal(q.kPadded, 104);
    assert.equal(q.scales.length, 13 * 6);
    assert.ok(
      scaleDtype === "f16" ? q.scales instanceof Float16Array : q.scales instanceof Float32Array,
    );
    const deq = dequantize(q);
    const c = unpackCodes(q.qweight, 104, 6);
    for (let kk = 0; kk < 104; kk++) {
      for (let j = 0; j < 6; j++) {
        const g = Math.floor(kk / 8) * 6 + j;
        assert.equal(deq[kk * 6 + j], (c[kk * 6 + j]! - q.zeros[g]!) * q.scales[g]!);
        if (kk >= 100) assert.equal(deq[kk * 6 + j], 0, "padding dequantises to 0");
        else {
          const [lo, hi] = range(w, kk - (kk % 8), Math.min(kk - (kk % 8) + 8, 100), j, 6);
          // The grid (q − zero)·scale always contains 0, so it covers [min, max] (within half a
          // step, plus what rounding the scale to its dtype loses) only when the range
          // contains 0; same-sign groups lose up to min|w| (the issue's exact formulas).
          if (lo < 0 && hi > 0) {
            const s = q.scales[g]!;
            const bound = s / 2 + Math.abs(hi - lo - 15 * s) + 1e-7;
            const err = Math.abs(deq[kk * 6 + j]! - w[kk * 6 + j]!);
            assert.ok(err <= bound, `error ${err} > ${bound} at (${kk}, ${j})`);
          }
        }
      }
    }
    for (const z of q.zeros) assert.ok(Number.isInteger(z) && z >= 0 && z <= 15);
    // Storage round trip through bytes (what the GPU receives).
    const bytes = new Uint8Array(q.scales.buffer.slice(0));
    const again = scaleDtype === "f16"
      ? new Float16Array(bytes.buffer)
      : new Float32Array(bytes.buffer);
    assert.deepEqual(Array.from(again), Array.from(q.scales));
  }
  assert.equal(packedBytes(4096, 14336, 128, "f16"), 4096 * 14336 / 2 + 2 * 32 * 14336 * 2);
  assert.equal(packedBytes(4096, 14336, 32, "f32"), 4096 * 14336 / 2 + 2 * 128 * 14336 * 4);
});

Deno.test("RTN follows the formulas, including half-way rounding and constant groups", () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4].map(roundHalfEven), [0, 2, 2, -0, -2, 2]);
  // min = −1, max = 2: scale = 3/15 = 0.2, zero = −round(−1/0.2) = 5.
  const w = new Float32Array([-1, 0, 1, 2, 0.5, 0.25, -0.5, 1.5]);
  const q = quantizeRtn(w, 8, 1, 8, "f32");
  const scale = Math.fround(0.2);
  assert.equal(q.scales[0], scale);
  assert.equal(q.zeros[0], 5);
  const expected = Array.from(w, (v) => Math.min(15, Math.max(0, roundHalfEven(v / scale) + 5)));
  assert.deepEqual(Array.from(unpackCodes(q.qweight, 8, 1)), expected);
  assert.equal(expected[0], 0);
  assert.equal(expected[3], 15);
  // Zero clamps into [0, 15] for all-positive and all-negative groups.
  assert.equal(rtnParams(1, 4, "f32").zero, 0);
  assert.equal(rtnParams(-4, -1, "f32").zero, 15);
  // Constant groups reproduce the constant (max = min).
  for (const v of [0.75, -3, 0]) {
    const c = quantizeRtn(new Float32Array(8).fill(v), 8, 1, 8, "f16");
    const d = dequantize(c);
    for (const x of d) assert.ok(Math.abs(x - v) <= Math.abs(v) * 1e-3, `${x} vs ${v}`);
  }
  assert.equal(rtnCode(100, 0.2, 5), 15);
  assert.equal(rtnCode(-100, 0.2, 5), 0);
  assert.throws(() => rtnParams(-1e6, 1e6, "f16"), /scaleDtype: f16 cannot hold the scale/);
  // Scales are rounded to the storage dtype before the codes are computed.
  const h = quantizeRtn(values(64, 3), 64, 1, 64, "f16");
  assert.equal(h.scales[0], Math.f16round(h.scales[0]!));
});

Deno.test("bad int4 params are rejected with the field named", () => {
  const suite = (kernel: Record<string, unknown>, k = 100) => ({
    name: "bad",
    seed: 1,
    shapes: [{ m: 1, k, n: 8 }],
    kernels: [{ kernel: "dense" }, { kernel: "int4", ...kernel }],
  });
  const expand = (input: ReturnType<typeof suite>) =>
    expandCases(validateSuite(input, "suites/bad.json", builtinKernels), builtinKernels);
  const rejects = (input: ReturnType<typeof suite>, pattern: RegExp) =>
    assert.throws(() => expand(input), (e: unknown) => {
      assert.ok(e instanceof SuiteError, String(e));
      assert.match(e.message, pattern);
      return true;
    });
  rejects(
    suite({ group: 32 }),
    /^suites\/bad\.json: kernels\[1\]\.group: must divide K = 100 padded to a multiple of 8 \(104\), got 32; groups that divide it: 8, 104 \(shape 1x100x8, f32\)$/,
  );
  rejects(suite({ group: 12 }, 96), /kernels\[1\]\.group: must be a positive multiple of 8/);
  rejects(suite({ group: 4 }), /kernels\[1\]\.group: must be ≥ 8, got 4/);
  rejects(
    suite({ method: "gptq" }),
    /kernels\[1\]\.method: must be one of "rtn", "awq"; got "gptq"/,
  );
  rejects(suite({ scaleDtype: "bf16" }), /kernels\[1\]\.scaleDtype: must be one of "f16", "f32"/);
  rejects(suite({ clip: true, group: 8 }), /kernels\[1\]\.clip: only applies to method "awq"/);
  rejects(suite({ group: [8, 64] }), /kernels\[1\]\.group: must divide K = 100/);
  // A valid entry expands; gemv on M > 16 is skipped with the reason, not rejected.
  const ok = expand({
    ...suite({ group: 8, tune: { variant: "gemv" } }),
    shapes: [{ m: 17, k: 100, n: 8 }],
  });
  assert.match(ok[1]!.skip!, /variant gemv needs M ≤ 16, got M = 17/);
  assert.equal(groupProblem(128, 4096), null);
});

Deno.test({
  name: "int4 split-K GEMM matches the f64 reference: ragged splits, odd M and N, AWQ, f32/f16",
  ...GPU_TEST,
  async fn() {
    const data = { x: "llm-activations" as const, w: "llm-weights" as const, calibRows: 16 };
    const run = await runInline({
      // K = 1000: 4 splits of 256 (the last 232); K = 1040 asked for 32 splits runs 22 of 48;
      // N = 53 reduces one value a thread, N = 72 a vec4.
      shapes: [{ m: 12, k: 1000, n: 53 }, { m: 16, k: 1040, n: 72 }, { m: 37, k: 1000, n: 72 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int4", group: 8, tune: { variant: "gemm", tile: "16x64", splitK: ["4", "32"] } },
        {
          kernel: "int4",
          method: "awq",
          group: 8,
          searchCols: 16,
          tune: { variant: "gemm", tile: "32x64", splitK: "4" },
        },
      ],
    });
    assert.equal(run.results.length, 2 * 3 * 3);
    for (const r of run.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const asked = Number(r.tune!.splitK);
      const used = asked === 32 ? (r.shape.k === 1040 ? 22 : 32) : asked;
      assert.equal(r.notes.splitK, used, r.id);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
    }
  },
});

Deno.test({
  name:
    "int4 packed-half GEMM (gemmMath f16x2) matches the f64 reference: tiles, split-K, AWQ, long K",
  ...GPU_TEST,
  async fn() {
    const data = { x: "llm-activations" as const, w: "llm-weights" as const, calibRows: 16 };
    const run = await runInline({
      // Odd N (a column pair's second word guarded), ragged M, K over many carries.
      shapes: [{ m: 37, k: 1000, n: 53 }, { m: 130, k: 256, n: 132 }, { m: 20, k: 2048, n: 64 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int4", group: 8, gemmMath: ["f32", "f16x2"], tune: { variant: "gemm" } },
        {
          kernel: "int4",
          method: "awq",
          group: 8,
          searchCols: 16,
          gemmMath: "f16x2",
          tune: { variant: "gemm", tile: ["128x128", "64x128", "16x64"], splitK: "4" },
        },
      ],
    });
    assert.equal(run.results.length, 3 * 2 * (2 + 3));
    for (const r of run.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const half = r.params.gemmMath === "f16x2";
      assert.equal(r.notes.math, half ? "f16x2" : "f32", r.id);
      assert.equal(r.notes.stage, half ? "pairs" : undefined, r.id);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      const bound = half || r.dtype === "f16" ? 2e-3 : 2e-6;
      assert.ok(r.correctness!.relError < bound, `${r.id}: ${r.correctness!.relError}`);
    }
    // f16 activations run packed halves unless asked otherwise.
    const auto = await runInline({
      shapes: [{ m: 24, k: 128, n: 64 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [{ kernel: "int4", group: 32, tune: { variant: "gemm" } }],
    });
    assert.deepEqual(auto.results.map((r) => [r.dtype, r.notes.math]), [
      ["f32", "f32"],
      ["f16", "f16x2"],
    ]);
  },
});

Deno.test({
  name: "int4 GEMV and GEMM match the f64 reference: odd shapes, both methods, f32/f16",
  ...GPU_TEST,
  async fn() {
    const data = { x: "llm-activations" as const, w: "llm-weights" as const, calibRows: 16 };
    // K = 100 (padded to 104): only groups 8 and 104 divide it.
    const odd = await runInline({
      shapes: [
        { m: 1, k: 100, n: 53 },
        { m: 3, k: 100, n: 10 },
        { m: 9, k: 100, n: 36 },
        { m: 37, k: 100, n: 53 },
      ],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int4", group: 8 },
        { kernel: "int4", method: "awq", group: 104, scaleDtype: "f32" },
        {
          kernel: "int4",
          method: "awq",
          group: 8,
          clip: true,
          tune: { variant: "gemm", tile: "32x64" },
        },
      ],
    });
    // K = 1536: several groups and segments per thread, every unroll, M up to 16.
    const wide = await runInline({
      shapes: [{ m: 1, k: 1536, n: 96 }, { m: 2, k: 1536, n: 40 }, { m: 16, k: 1536, n: 72 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int4", group: [24, 128] },
        { kernel: "int4", method: "awq", group: 64, searchCols: 16 },
        { kernel: "int4", group: 32, scaleDtype: "f32", tune: { variant: "gemm" } },
      ],
    });
    // The big GEMM tiles (8×8 and 4×8 per thread), ragged M and N.
    const tiles = await runInline({
      shapes: [{ m: 130, k: 256, n: 132 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [{
        kernel: "int4",
        group: 64,
        tune: { variant: "gemm", tile: ["128x128", "64x128"] },
      }],
    });
    // Wider GEMV workgroups (more K slices: 64 and 128, up to 1024 threads).
    const slices = await runInline({
      shapes: [{ m: 1, k: 1536, n: 96 }, { m: 5, k: 1536, n: 36 }],
      dtypes: ["f32"],
      data,
      kernels: [{ kernel: "int4", group: 64, tune: { gemvSlices: ["64", "128"] } }],
    });
    for (const r of slices.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.notes.slices, Number(r.tune!.gemvSlices));
      assert.ok(r.correctness!.relError < 2e-6, `${r.id}: ${r.correctness!.relError}`);
    }
    const results = [...odd.results, ...wide.results, ...tiles.results];
    const failed = results.filter((r) => r.status !== "ok");
    assert.equal(failed.length, 0, JSON.stringify(failed.map((r) => [r.id, r.reason])));
    assert.equal(results.length, 2 * (4 * 3 + 3 * 4 + 2));
    const seen = new Set<string>();
    for (const r of results) {
      seen.add(`${r.notes.variant}/${r.notes.dequant ?? "-"}`);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      // The approximation is int4's, not an accident: a few percent, never zero.
      assert.ok(
        r.approximation!.relError > 0.005 && r.approximation!.relError < 0.3,
        `${r.id}: ${r.approximation!.relError}`,
      );
      assert.equal(r.flopsDense, 2 * r.shape.m * r.shape.k * r.shape.n);
      assert.ok(r.flops.overhead > 0);
      assert.ok(r.time!.median > 0);
      assert.ok(r.setup!.prepareMs >= 0);
      if (r.params.method === "awq") {
        assert.equal(typeof r.notes.awqAlpha, "number");
        assert.match(String(r.notes.xScaling), /fused/);
      }
      if (r.shape.k === 100) assert.match(String(r.notes.padding), /from 100 to 104/);
    }
    assert.deepEqual(
      [...seen].sort(),
      ["gemm/-", "gemv/per-weight", "gemv/prescale-x"],
    );
    const clipped = results.find((r) => r.params.clip === true)!;
    assert.ok((clipped.notes.awqClip as { meanRatio: number }).meanRatio <= 1);
  },
});

Deno.test({
  name: "on llm-activations awq is not worse than rtn (held-out rows), for every group size",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 32, k: 512, n: 256 }],
      dtypes: ["f32"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 64 },
      kernels: [{ kernel: "int4", method: ["rtn", "awq"], group: [32, 64, 128] }],
    });
    for (const group of [32, 64, 128]) {
      const get = (method: string) =>
        res.results.find((r) => r.params.method === method && r.params.group === group)!;
      const rtn = get("rtn");
      const awq = get("awq");
      assert.equal(rtn.status, "ok", rtn.reason ?? "");
      assert.equal(awq.status, "ok", awq.reason ?? "");
      assert.ok(
        awq.approximation!.relError <= rtn.approximation!.relError,
        `group ${group}: awq ${awq.approximation!.relError} > rtn ${rtn.approximation!.relError}`,
      );
      assert.ok((awq.notes.awqAlpha as number) > 0, "the search moved away from a = 0 (= rtn)");
      assert.ok((awq.notes.awqCalibError as number) <= (awq.notes.awqCalibErrorRtn as number));
      // AWQ stores the 1/s table on top of RTN's format.
      assert.equal(awq.storedBytes - rtn.storedBytes, 512 * 4);
    }
  },
});

Deno.test("awq search: a = 0 is rtn, the chosen a minimises the grid, clipping never hurts calibration", () => {
  const shape = { m: 1, k: 64, n: 24 };
  const d = generateCaseData(shape, 3, {
    x: { dist: "llm-activations" },
    w: { dist: "llm-weights" },
    calibRows: 16,
  });
  const opts = { group: 16, scaleDtype: "f32" as const, clip: false, searchCols: 0, seed: 3 };
  const plain = quantizeAwq(d.w, 64, 24, d.calib, 16, opts);
  assert.equal(plain.grid.length, 20);
  assert.equal(plain.grid[0]!.alpha, 0);
  assert.equal(plain.grid[19]!.alpha, 0.95);
  const best = Math.min(...plain.grid.map((g) => g.relError));
  assert.equal(plain.grid.find((g) => g.alpha === plain.alpha)!.relError, best);
  // a = 0 means s = 1: exactly the RTN quantisation.
  const zero = quantizeAwq(d.w, 64, 24, d.calib, 16, { ...opts, searchCols: 1 });
  const rtn = quantizeRtn(d.w, 64, 24, 16, "f32");
  if (zero.alpha === 0) assert.deepEqual(zero.weights.qweight, rtn.qweight);
  // Clipping is chosen per (group, column) on calibration output error, r = 1 included: the
  // calibration error of the clipped operator is never above the unclipped one.
  const clipped = quantizeAwq(d.w, 64, 24, d.calib, 16, { ...opts, clip: true });
  assert.equal(clipped.alpha, plain.alpha);
  assert.ok(clipped.clip!.meanRatio <= 1 && clipped.clip!.clippedFraction > 0);
  const rows = Array.from({ length: 16 }, (_, i) => i);
  const calibShape = { m: 16, k: 64, n: 24 };
  const exact = new Float64Array(16 * 24);
  for (let r = 0; r < 16; r++) {
    for (let kk = 0; kk < 64; kk++) {
      for (let j = 0; j < 24; j++) exact[r * 24 + j] += d.calib[r * 64 + kk]! * d.w[kk * 24 + j]!;
    }
  }
  const err = (q: typeof plain) => {
    const y = int4Reference(d.calib, calibShape, "f32", q.weights, q.invScale, rows);
    return y.reduce((s, v, i) => s + (v - exact[i]!) ** 2, 0);
  };
  assert.ok(err(clipped) <= err(plain) * (1 + 1e-9), `${err(clipped)} > ${err(plain)}`);
  assert.throws(
    () => quantizeAwq(d.w, 64, 24, new Float32Array(0), 0, opts),
    /awq needs calibration rows/,
  );
});

/** The layout the runner resolves for a case. */
function int4Layout(shape: Shape, params: Params, dtype: DType, tune: Params = {}) {
  return resolveInt4(params, tune, shape, dtype).layout;
}

/** The work model of a case, from its resolved configuration. */
function workOf(shape: Shape, params: Params, dtype: DType, tune: Params = {}) {
  return int4Work(shape, resolveInt4(params, tune, shape, dtype), dtype);
}

Deno.test("int4 GEMM arithmetic, tile and split: both arithmetics take the dense rules", () => {
  const gemm = (m: number, n: number, dtype: DType, params: Params = {}) => {
    const l = int4Layout({ m, k: 4096, n }, { group: 128, ...params }, dtype);
    assert.ok(l.variant === "gemm");
    return [l.tileName, l.gemm.splitK ?? 1, l.gemm.half ?? false, l.gemm.halfCarry ?? null];
  };
  assert.deepEqual(gemm(2048, 4096, "f16"), ["64x128", 1, true, 16]);
  assert.deepEqual(gemm(2048, 4096, "f32"), ["64x128", 1, false, null]);
  assert.deepEqual(gemm(2048, 4096, "f16", { gemmMath: "f32" }), ["64x128", 1, false, null]);
  assert.deepEqual(gemm(2048, 1024, "f32", { gemmMath: "f16x2" }), ["64x128", 2, true, 8]);
  // Short grids: 64×128 with K split as the dense GEMM splits it, in either arithmetic.
  assert.deepEqual(gemm(128, 4096, "f16"), ["64x128", 8, true, 8]);
  assert.deepEqual(gemm(128, 4096, "f32"), ["64x128", 8, false, null]);
  assert.deepEqual(gemm(32, 14336, "f16"), ["32x64", 2, true, 8]);
  const asked = int4Layout({ m: 128, k: 4096, n: 4096 }, {}, "f16", { splitK: "2" });
  assert.ok(asked.variant === "gemm" && asked.gemm.splitK === 2);
  // At M ≤ 16 the GEMV's arithmetic (f32 from M = 4), for a GEMM asked for or tuned there.
  const small = int4Layout({ m: 16, k: 4096, n: 4096 }, {}, "f16", { variant: "gemm" });
  assert.ok(small.variant === "gemm" && !small.gemm.half);
});

Deno.test("int4 accounting: bytes from the packed format, FLOPs with dequantisation", () => {
  const shape = { m: 1, k: 4096, n: 14336 };
  const rtn = workOf(shape, { group: 128, scaleDtype: "f16", method: "rtn" }, "f32");
  const stored = 4096 * 14336 / 2 + 2 * 32 * 14336 * 2;
  assert.equal(rtn.storedBytes, stored);
  assert.equal(rtn.bytes, stored + (4096 + 14336) * 4);
  assert.equal(rtn.paramsStored, 4096 * 14336 + 2 * 32 * 14336);
  assert.ok(rtn.storedBytes / (4096 * 14336 * 4) < 0.14, "≈ 7.5× smaller than f32");
  assert.equal(rtn.flops.core, 2 * 4096 * 14336);
  assert.equal(rtn.flops.total, rtn.flops.core + rtn.flops.overhead);
  const o = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false);
  assert.equal(int4GemvDispatch(o), 448);
  // 16 slices × 32 packed rows a thread = 2 groups (of 16 rows) a thread.
  assert.equal(gemvSegments(o), 32);
  assert.equal(rtn.flops.overhead, gemvOverheadFlops(o));
  const awq = workOf(shape, { group: 128, scaleDtype: "f16", method: "awq" }, "f32");
  assert.equal(awq.storedBytes - rtn.storedBytes, 4096 * 4);
  assert.equal(awq.bytes - rtn.bytes, 4096 * 4);
  // K padded: the packed format and the core products use kPadded.
  const odd = workOf({ m: 1, k: 100, n: 8 }, { group: 8, scaleDtype: "f32" }, "f16");
  assert.equal(odd.storedBytes, 13 * 8 * 4 + 2 * 13 * 8 * 4);
  assert.equal(odd.bytes, odd.storedBytes + (100 + 8) * 2);
  assert.equal(odd.flops.core, 2 * 104 * 8);
  // GEMM: every row block dequantises W (2 FLOPs a weight, 1 a word); AWQ adds M·K per column block.
  const gemm = { variant: "gemm", tile: "128x128" };
  const g = int4Layout({ m: 256, k: 512, n: 256 }, {}, "f32", gemm);
  assert.equal(g.variant, "gemm");
  const gw = workOf({ m: 256, k: 512, n: 256 }, {}, "f32", gemm);
  assert.equal(gw.flops.overhead, 2 * (2 * 512 * 256 + 64 * 256));
  const ga = workOf({ m: 256, k: 512, n: 256 }, { method: "awq" }, "f32", gemm);
  assert.equal(ga.flops.overhead - gw.flops.overhead, 256 * 512 * 2);
  assert.equal(int4Layout({ m: 17, k: 64, n: 64 }, { group: 64 }, "f32").variant, "gemm");
  assert.equal(int4Layout({ m: 16, k: 64, n: 64 }, { group: 64 }, "f32").variant, "gemv");
});

Deno.test("int4 generators: unrolled registers, baked shapes, mantissa-trick dequantisation", () => {
  const o = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false);
  assert.equal(o.cpt, 4);
  assert.equal(o.unroll, 4);
  assert.ok(o.prescale);
  const code = int4GemvWgsl(o).code;
  assert.ok(code.includes("var<storage, read> Q: array<vec4<u32>>;"), "32 weights per load");
  assert.ok(code.includes("const RPT = 16u;"));
  assert.ok(code.includes("unpack2x16float"), "f16 scales without shader-f16");
  assert.ok(!code.includes("enable f16"));
  assert.ok(code.includes("| vec4<u32>(0x4b000000u)) - c16"));
  // Held (the build sets it where 4 more bytes fit): one word of workgroup memory, a barrier.
  const held = int4GemvWgsl({ ...o, hold: true }).code;
  assert.ok(held.includes("| vec4<u32>(fexp0)) - c16"));
  assert.ok(held.includes("var<workgroup> fexp: array<u32, 1>;"));
  assert.ok(held.indexOf("workgroupBarrier();") < held.indexOf("let fexp0 = fexp[0];"));
  assert.equal(gemvWorkgroupBytes({ ...o, hold: true }), gemvWorkgroupBytes(o) + 16);
  assert.ok(!/var\s+\w+\s*:\s*array/.test(code), "no function-scope arrays");
  assert.ok(!/f32\(q|vec4<f32>\(q/.test(code), "no integer→float conversions of codes");
  const f16 = int4GemvWgsl(chooseGemv("f16", 16, 1536, 72, 64, "f32", true)).code;
  assert.ok(f16.startsWith("enable f16;"));
  assert.ok(f16.includes("* XS["));
  assert.ok(f16.includes("var acc15 = vec4<f32>(0.0);"));
  assert.throws(() => int4GemvWgsl({ ...o, m: 17 }), /1 ≤ M ≤ 16/);
  assert.throws(() => int4GemvWgsl({ ...o, n: 14335 }), /cpt 4 must divide N/);
  assert.throws(() => int4GemvWgsl({ ...o, unroll: 3 }), /unroll must divide/);
  const twos = new Float32Array([2, 2, 2, 2, 2, 2, 2, 2, 2]);
  // Packed-half arithmetic and per-weight dequantisation take X (times 1/s) as it is.
  assert.deepEqual(Array.from(gemvAwqTable(twos, { prescale: true, math: "f16x2" })), [...twos]);
  assert.deepEqual(Array.from(gemvAwqTable(twos, { prescale: false, math: "f32" })), [...twos]);
  const table = gemvAwqTable(twos, { prescale: true, math: "f32" });
  assert.deepEqual(Array.from(table), [
    2,
    2 / 16,
    2 / 256,
    2 / 4096,
    2 / 65536,
    2 / 256,
    2 / 4096,
    2 / 65536,
    2,
  ]);
  const gemm = int4GemmWgsl({
    dtype: "f32",
    m: 128,
    kPadded: 64,
    n: 128,
    group: 32,
    scaleDtype: "f32",
    awq: false,
    tile: GEMM_TILES["128x128"]!,
  }).code;
  assert.ok(gemm.includes("var acc_7_1 = vec4<f32>(0.0);"));
  assert.ok(gemm.includes("const KP = 64u;"));
  assert.ok(gemm.includes("| MAGIC) - cz) * ls_0;"));
  assert.throws(
    () =>
      int4GemmWgsl({
        dtype: "f32",
        m: 8,
        kPadded: 64,
        n: 8,
        group: 12,
        scaleDtype: "f32",
        awq: false,
        tile: GEMM_TILES["16x64"]!,
      }),
    /bad K\/group/,
  );
});

/** Runs one GEMV configuration directly and returns its relative error vs the f64 reference. */
async function gemvError(o: Int4GemvOptions, cache: PipelineCache): Promise<number> {
  const { got, ref } = await gemvRun(o, cache);
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += (got[i]! - ref[i]!) ** 2;
    den += ref[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Runs one GEMV configuration directly: its output and the f64 reference's. */
async function gemvRun(o: Int4GemvOptions, cache: PipelineCache) {
  const { device } = await testGpu();
  const k = o.kPadded;
  const shape = { m: o.m, k, n: o.n };
  const d = generateCaseData(shape, 5, {
    x: { dist: "llm-activations" },
    w: { dist: "llm-weights" },
    calibRows: 8,
  });
  const q = o.awq
    ? quantizeAwq(d.w, k, o.n, d.calib, 8, {
      group: o.group,
      scaleDtype: o.scaleDtype,
      clip: false,
      searchCols: 8,
      seed: 5,
    })
    : { weights: quantizeRtn(d.w, k, o.n, o.group, o.scaleDtype), invScale: null };
  const pipeline = await cache.get("int4-gemv-direct", int4GemvWgsl(o).code);
  const buffers = [
    createStorageBuffer(device, "X", o.dtype === "f16" ? new Float16Array(d.x) : d.x),
    createStorageBuffer(device, "Q", q.weights.qweight),
    createStorageBuffer(device, "S", q.weights.scales),
    createStorageBuffer(device, "Z", q.weights.zeros),
    createStorageBuffer(device, "Y", o.m * o.n * (o.dtype === "f16" ? 2 : 4)),
  ];
  if (q.invScale) {
    buffers.push(createStorageBuffer(device, "XS", gemvAwqTable(q.invScale, o)));
  }
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    }),
  );
  pass.dispatchWorkgroups(int4GemvDispatch(o));
  pass.end();
  device.queue.submit([enc.finish()]);
  const got = decodeDtype(
    await readBuffer(device, buffers[4]!, o.m * o.n * (o.dtype === "f16" ? 2 : 4)),
    o.dtype,
    o.m * o.n,
  );
  for (const b of buffers) b.destroy();
  const rows = Array.from({ length: o.m }, (_, i) => i);
  return { got, ref: int4Reference(d.x, shape, o.dtype, q.weights, q.invScale, rows) };
}

Deno.test({
  name: "int4 GEMV generator branches the runner's shapes do not reach are correct too",
  ...GPU_TEST,
  async fn() {
    const cache = new PipelineCache((await testGpu()).device);
    const base = chooseGemv("f32", 1, 512, 64, 64, "f16", false);
    const configs: Int4GemvOptions[] = [
      // Wide workgroups (8 column-threads) on a small N, with a partial last workgroup.
      { ...base, n: 72, cols: 8, slices: 16 },
      // Two columns a thread, prescale and per-weight dequantisation at the same M.
      { ...base, m: 3, n: 66, cpt: 2, prescale: true, unroll: 2 },
      { ...base, m: 3, n: 66, cpt: 2, prescale: false, unroll: 2 },
      // One column a thread, unroll 1, f16 activations, f32 scales, AWQ table.
      { ...base, dtype: "f16", m: 2, n: 9, cpt: 1, unroll: 1, scaleDtype: "f32", awq: true },
      // More slices than row steps (idle threads), multi-pass reduction (M = 9, chunk 2).
      { ...base, m: 9, n: 16, cols: 4, slices: 128, prescale: false, unroll: 2 },
      // Packed-half arithmetic: prescale with f32 and f16 activations, two accumulator sets,
      // one and two columns a thread, AWQ, and per-weight dequantisation (M = 5).
      { ...base, math: "f16x2" },
      { ...base, math: "f16x2", dtype: "f16", m: 3, n: 66, cpt: 2, accs: 2, unroll: 2 },
      { ...base, math: "f16x2", m: 2, n: 9, cpt: 1, unroll: 1, scaleDtype: "f32", awq: true },
      { ...base, math: "f16x2", dtype: "f16", m: 5, n: 36, prescale: false, unroll: 2 },
      { ...base, math: "f16x2", m: 5, n: 36, prescale: false, unroll: 2, accs: 2, awq: true },
      // X staged as f16 pairs in workgroup memory: f32 and f16 activations, M = 3 with two sets,
      // AWQ, and more slices than rows (idle threads still stage X and meet the barrier).
      { ...base, math: "f16x2", stageX: true },
      { ...base, math: "f16x2", stageX: true, dtype: "f16", m: 3, n: 66, cpt: 2, accs: 2 },
      { ...base, math: "f16x2", stageX: true, m: 2, n: 9, cpt: 1, unroll: 1, awq: true },
      { ...base, math: "f16x2", stageX: true, n: 16, cols: 4, slices: 128, unroll: 1 },
      // The f16x2 default's wide workgroups: 16 column-threads staging X, one group a thread.
      { ...base, math: "f16x2", dtype: "f16", stageX: true, n: 136, cols: 16, slices: 8 },
      // Reduction fan-ins: binary tree, 4, and 8 over 128 slices (8, 8, then the last 2 into Y),
      // over 4 slices (one step into Y) and over 1 slice (no step), and chunked over M = 9.
      { ...base, fanIn: 2 },
      { ...base, fanIn: 4, n: 72, cols: 8, slices: 16 },
      { ...base, fanIn: 8, n: 16, cols: 4, slices: 128, unroll: 1 },
      { ...base, fanIn: 8, n: 16, cols: 4, slices: 4 },
      { ...base, fanIn: 8, n: 16, cols: 4, slices: 1 },
      { ...base, fanIn: 8, m: 9, n: 16, cols: 4, slices: 128, prescale: false, unroll: 2 },
      // Several steps and groups a thread and a short last slice (72 rows over 8 slices of 10),
      // in both arithmetics, the packed-half one with X staged and with AWQ.
      { ...base, slices: 4, unroll: 2 },
      { ...base, kPadded: 576, slices: 8, unroll: 2 },
      { ...base, math: "f16x2", dtype: "f16", slices: 4 },
      { ...base, math: "f16x2", stageX: true, kPadded: 576, slices: 8, unroll: 1 },
      { ...base, math: "f16x2", kPadded: 576, slices: 8, unroll: 1, awq: true },
      // The f16x2 default where 4 rows a step make one group: 88 packed rows padded to 16 slices
      // × 8 rows (the last 5 slices idle), X staged.
      { ...base, math: "f16x2", dtype: "f16", stageX: true, kPadded: 704, slices: 16, unroll: 4 },
    ];
    // Both walks are exercised: within one group (scales once; f16x2 prescale carries unscaled)
    // and across groups, in each arithmetic.
    for (const math of ["f32", "f16x2"] as const) {
      const walks = configs.filter((o) => o.math === math && o.prescale).map(gemvOneGroup);
      assert.ok(walks.includes(true) && walks.includes(false), math);
    }
    for (const o of configs) {
      const err = await gemvError(o, cache);
      // f16 storage or packed-half arithmetic: f16 rounding (observed 2e-4 … 8e-4).
      const half = o.dtype === "f16" || o.math === "f16x2";
      assert.ok(err < (half ? 2e-3 : 2e-6), `${JSON.stringify(o)}: ${err}`);
      // A wrong pairing of nibbles and X would be O(1): the f16x2 cases are not f32-exact either.
      if (o.math === "f16x2") assert.ok(err > 1e-5, `${JSON.stringify(o)}: ${err}`);
    }
  },
});

Deno.test("chooseGemv applies the Int4GemvTuning overrides; accs defaults to 1", () => {
  const pick = (o: { cols: number; slices: number }) => [o.cols, o.slices];
  // Auto geometry: 4 columns a thread, 8 column-threads (N wide enough), 128 threads' worth of
  // slices (16), doubled once: 3584 × 16 threads are fewer than F32_GEMV_THREADS, and at 32
  // slices a thread's 16 packed rows are one g128 group.
  const auto = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false);
  assert.deepEqual(
    [auto.cpt, auto.cols, auto.slices, auto.unroll, auto.accs, auto.prescale],
    [4, 8, 32, 4, 1, true],
  );
  assert.equal(F32_GEMV_THREADS, 1 << 16);
  assert.ok(gemvOneGroup(auto));
  // g64: 32 slices would still give a thread two groups, and 3584 × 16 > 2^15: no doubling.
  assert.equal(chooseGemv("f32", 1, 4096, 14336, 64, "f16", false).slices, 16);
  // A small grid (1024 column-threads × 32 = 2^15) doubles whatever the groups.
  assert.equal(chooseGemv("f32", 1, 4096, 4096, 32, "f16", false).slices, 64);
  // f16x2 at M ≤ 2: 4 packed rows a step where 2 leave the walk over groups and 4 make it one.
  const half = (k: number, n: number, m = 1, tune: Int4GemvTuning = {}) => {
    const g = chooseGemv("f16", m, k, n, 128, "f16", false, { math: "f16x2", ...tune });
    return [g.cols, g.slices, g.unroll, gemvOneGroup(g) ? 1 : 0];
  };
  assert.deepEqual(half(14336, 4096), [8, 128, 4, 1]); // 2 a step: 14 rows a thread
  assert.deepEqual(half(5632, 2048), [8, 128, 4, 1]); // 704 rows padded to 128 × 8
  assert.deepEqual(half(4096, 4096), [8, 64, 2, 1]); // one group at 2 a step already
  assert.deepEqual(half(8960, 1536), [4, 128, 2, 0]); // 4 a step would not make one group
  assert.deepEqual(half(14336, 4096, 3), [8, 128, 1, 0]); // M = 3: 1 a step
  assert.deepEqual(half(14336, 4096, 1, { unroll: 2 }), [8, 128, 2, 0]); // as given
  // At 3 < M < 9 the slices stay at 128 threads a workgroup.
  assert.equal(chooseGemv("f32", 4, 4096, 14336, 128, "f16", false).slices, 16);
  assert.equal(chooseGemv("f32", 8, 4096, 1024, 128, "f16", false).slices, 32);
  // From M = 9: 64 slices for at most 512 column-threads, else 32 (also with 8 column-threads).
  assert.equal(WIDE_M_SLICES_FROM, 9);
  assert.deepEqual(pick(chooseGemv("f32", 16, 4096, 1024, 128, "f16", false)), [4, 64]);
  assert.deepEqual(pick(chooseGemv("f16", 9, 2048, 2048, 128, "f16", false)), [4, 64]);
  assert.deepEqual(pick(chooseGemv("f32", 16, 2048, 2052, 128, "f16", false)), [4, 32]);
  assert.deepEqual(pick(chooseGemv("f32", 16, 4096, 14336, 128, "f16", false)), [8, 32]);
  // Up to M = 12, 16 slices from 2048 column-threads (N = 8192 with 4 columns a thread).
  assert.equal(FEW_SLICES_M_MAX, 12);
  assert.deepEqual(pick(chooseGemv("f32", 12, 2560, 10240, 128, "f16", false)), [8, 16]);
  assert.deepEqual(pick(chooseGemv("f16", 9, 3072, 8192, 128, "f16", false)), [4, 16]);
  assert.deepEqual(pick(chooseGemv("f32", 12, 2048, 8188, 128, "f16", false)), [4, 32]);
  assert.deepEqual(pick(chooseGemv("f32", 13, 2560, 10240, 128, "f16", false)), [8, 32]);
  assert.deepEqual(pick(chooseGemv("f32", 8, 2560, 10240, 128, "f16", false)), [8, 16]);
  assert.deepEqual(pick(chooseGemv("f32", 16, 4096, 1024, 128, "f16", false, { slices: 16 })), [
    4,
    16,
  ]);
  assert.deepEqual(chooseGemv("f32", 1, 4096, 14336, 128, "f16", false, {}), auto);
  // Every override is applied as given.
  const all = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false, {
    slices: 64,
    unroll: 8,
    cols: 16,
    cpt: 2,
    accs: 2,
  });
  assert.deepEqual(
    [all.cpt, all.cols, all.slices, all.unroll, all.accs],
    [2, 16, 64, 8, 2],
  );
  // What is left out is still chosen by shape: slices start from the 128-thread default of the
  // given cols (8) and grow (to 32: 3584 × 32 ≥ 2^16), unroll the M-dependent default, accs
  // stays 1.
  const cols16 = chooseGemv("f32", 1, 4096, 14336, 128, "f16", false, { cols: 16 });
  assert.deepEqual([cols16.cols, cols16.slices, cols16.unroll, cols16.accs], [16, 32, 4, 1]);
  // Growth stops at K′/64 slices (8 packed rows a thread) or, up to 64 slices, K′/32:
  // K = 1024 allows 32 (8 column-threads start at 16 and grow to it), K = 2048 64, K = 4096 64.
  assert.equal(chooseGemv("f32", 1, 1024, 4096, 128, "f16", false).slices, 32);
  assert.equal(chooseGemv("f32", 1, 1024, 4096, 128, "f16", false, { cols: 8 }).slices, 32);
  assert.equal(chooseGemv("f32", 1, 2048, 256, 128, "f16", false).slices, 64);
  assert.equal(chooseGemv("f32", 1, 4096, 1024, 128, "f16", false).slices, 64);
  const slices = chooseGemv("f16", 5, 1024, 36, 64, "f32", true, { slices: 128 });
  assert.deepEqual([slices.slices, slices.cols, slices.cpt, slices.unroll, slices.accs], [
    128,
    4,
    4,
    2,
    1,
  ]);
  // Unroll overrides the M-dependent cap (M = 16 would pick 1).
  assert.equal(chooseGemv("f32", 16, 1024, 64, 64, "f16", false).unroll, 1);
  assert.equal(chooseGemv("f32", 16, 1024, 64, 64, "f16", false, { unroll: 8 }).unroll, 8);
  // cpt feeds the column-thread default: N = 4096 has 128 vec4 columns (4 column-threads), but
  // 512 single columns (8 column-threads).
  const narrow = chooseGemv("f32", 1, 4096, 4096, 128, "f16", false);
  assert.deepEqual([narrow.cpt, narrow.cols, narrow.slices], [4, 4, 64]);
  const single = chooseGemv("f32", 1, 4096, 4096, 128, "f16", false, { cpt: 1 });
  assert.deepEqual([single.cpt, single.cols, single.slices], [1, 8, 16]);
  assert.equal(chooseGemv("f32", 1, 4096, 4096, 128, "f16", false, { accs: 2 }).accs, 2);
  // The suite params map onto the tuning: "auto" leaves a field to chooseGemv.
  assert.deepEqual(
    gemvTuning({
      gemvSlices: "64",
      gemvUnroll: "auto",
      gemvCols: "16",
      gemvCpt: "2",
      gemvAccs: "2",
    }),
    {
      slices: 64,
      unroll: undefined,
      cols: 16,
      cpt: 2,
      accs: 2,
      stageX: undefined,
      lean: undefined,
      fanIn: undefined,
    },
  );
  assert.equal(gemvTuning({ gemvLean: "on" }).lean, true);
  assert.deepEqual(gemvTuning({}), {
    slices: undefined,
    unroll: undefined,
    cols: undefined,
    cpt: undefined,
    accs: undefined,
    stageX: undefined,
    lean: undefined,
    fanIn: undefined,
  });
  assert.equal(gemvTuning({ gemvFanIn: "2" }).fanIn, 2);
  assert.equal(gemvTuning({ gemvStageX: "off" }).stageX, false);
  assert.equal(gemvTuning({ gemvStageX: "on" }).stageX, true);
});

Deno.test("int4 GEMV text: accs 2 declares and combines a second accumulator set", () => {
  // Prescale (M = 1): a second per-group partial sum p0b, added into acc0 with p0.
  const pre = chooseGemv("f32", 1, 512, 96, 64, "f16", false);
  assert.ok(pre.prescale);
  const pre1 = int4GemvWgsl(pre).code;
  const pre2 = int4GemvWgsl({ ...pre, accs: 2 }).code;
  assert.ok(!pre1.includes("p0b"));
  assert.ok(pre2.includes("var p0b = vec4<f32>(0.0);"));
  assert.ok(pre2.includes("fma(sc, (p0 + p0b), acc0)"));
  assert.ok(pre2.includes("p0b = vec4<f32>(0.0);"), "reset at each group boundary");
  assert.ok(!pre2.includes("acc0b"), "prescale keeps one set of final accumulators");
  assert.ok(pre2.includes(" accs=2"));
  // Odd packed rows of a step chain into the b set (unroll 4: rows 1 and 3).
  assert.equal(pre2.match(/p0b = fma\(/g)?.length, 8 * 2);
  assert.equal(pre2.match(/p0 = fma\(/g)?.length, 8 * 2);
  // Per-weight dequantisation (M = 8): acc0b … acc7b, folded in before the reduction.
  const deq = chooseGemv("f32", 8, 512, 96, 64, "f16", false);
  assert.ok(!deq.prescale);
  const deq1 = int4GemvWgsl(deq).code;
  const deq2 = int4GemvWgsl({ ...deq, accs: 2 }).code;
  assert.ok(!deq1.includes("acc0b"));
  for (let r = 0; r < 8; r++) {
    assert.ok(deq2.includes(`var acc${r}b = vec4<f32>(0.0);`), `acc${r}b`);
    assert.ok(deq2.includes(`acc${r} = acc${r} + acc${r}b;`), `acc${r} + acc${r}b`);
  }
  assert.ok(!deq2.includes("acc8b"));
  assert.ok(!deq2.includes("p0b"));
  // cpt 1: scalar accumulators.
  assert.ok(int4GemvWgsl({ ...deq, cpt: 1, accs: 2 }).code.includes("var acc0b = f32(0.0);"));
});

Deno.test("int4 GEMV text: the one-group walk", () => {
  // 1×4096×14336 at g128: 32 slices of 16 packed rows, one group each.
  const one = chooseGemv("f16", 1, 4096, 14336, 128, "f16", false, { math: "f16x2" });
  assert.ok(gemvOneGroup(one));
  const t1 = int4GemvWgsl(one).code;
  assert.ok(t1.includes("let sc = vec4<f32>(ldS(e + 0u)"));
  assert.ok(!t1.includes("nsc") && !t1.includes("% RPG"), "no group boundary");
  assert.ok(t1.includes("acc0 = acc0 + vec4<f32>(f0_0_0.x + f0_0_0.y"), "unscaled carry");
  assert.ok(t1.includes("acc0 = acc0 * sc;"), "scaled once");
  // Small groups: one more doubling of the slices when it makes a one-group walk within 2^18
  // threads (g64 at 1×4096×14336, g32 at 1×4096×4096), none when it would not (g32 at
  // 1×4096×14336 would need two).
  const geo = (k: number, n: number, g: number) => {
    const o = chooseGemv("f16", 1, k, n, g, "f16", false, { math: "f16x2" });
    return [o.slices, o.cols, gemvOneGroup(o)];
  };
  assert.deepEqual(geo(4096, 14336, 64), [64, 8, true]);
  assert.deepEqual(geo(4096, 14336, 32), [32, 16, false]);
  assert.deepEqual(geo(4096, 4096, 32), [128, 8, true]);
  assert.deepEqual(geo(4096, 4096, 128), [64, 8, true]);
  // 16 slices: 32 rows a thread, two groups.
  const two = { ...one, slices: 16 };
  assert.ok(!gemvOneGroup(two));
  const t2 = int4GemvWgsl(two).code;
  assert.ok(t2.includes("var nsc = sc;") && t2.includes("if (kn % RPG == 0u) {"));
  assert.ok(t2.includes("acc0 = fma(sc, vec4<f32>(f0_0_0.x + f0_0_0.y"), "scaled every step");
  assert.ok(!t2.includes("acc0 = acc0 * sc;"));
  // The FLOP count follows: an add a step and a product a segment instead of an FMA a step.
  const steps = (4096 / 8 / one.unroll) * 14336;
  assert.equal(
    gemvOverheadFlops(one) - gemvOverheadFlops(two),
    -steps + (gemvSegments(one) - gemvSegments(two)) * 14336 * 2 + gemvSegments(one) * 14336,
  );
});

Deno.test("int4 GEMV text: one step of words in flight, scales and X read a value at a time", () => {
  const base = chooseGemv("f16", 1, 4096, 14336, 128, "f16", false, { math: "f16x2", cols: 4 });
  const one = int4GemvWgsl(base).code;
  assert.ok(!one.includes("qn0"));
  assert.ok(one.includes("var<storage, read> X: array<vec4<f16>>;"));
  assert.ok(one.includes("fn ldS(e: u32) -> f32 {") && !one.includes("ldSv"));
  assert.ok(!one.includes("mat2x4"));
  for (let u = 0; u < base.unroll; u++) {
    assert.ok(one.includes(`q${u} = Q[(kn + ${u}u) * NQ + qc];`), `q${u}`);
  }
});

Deno.test("bad int4 GEMV tuning combinations are rejected up front with the field named", () => {
  const suite = (kernel: Record<string, unknown>, n = 96) => ({
    name: "bad",
    seed: 1,
    shapes: [{ m: 1, k: 512, n }],
    kernels: [{ kernel: "dense" }, { kernel: "int4", ...kernel }],
  });
  const expand = (input: ReturnType<typeof suite>) =>
    expandCases(validateSuite(input, "suites/bad.json", builtinKernels), builtinKernels);
  const rejects = (input: ReturnType<typeof suite>, field: string, pattern: RegExp) =>
    assert.throws(() => expand(input), (e: unknown) => {
      assert.ok(e instanceof SuiteError, String(e));
      assert.equal(e.field, `kernels[1].tune.${field}`);
      assert.match(e.message, pattern);
      return true;
    });
  // group 32 has 4 packed rows per group: unroll 8 does not divide them.
  rejects(
    suite({ group: 32, tune: { gemvUnroll: "8" } }),
    "gemvUnroll",
    /^suites\/bad\.json: kernels\[1\]\.tune\.gemvUnroll: must divide group\/8 = 4 \(packed rows per group\), got 8 \(shape 1x512x96, f32\)$/,
  );
  rejects(
    suite({ group: 32, tune: { gemvUnroll: ["4", "8"] } }),
    "gemvUnroll",
    /gemvUnroll: .*got 8/,
  );
  // 4 columns a thread do not divide N = 90.
  rejects(
    suite({ group: 64, tune: { gemvCpt: "4" } }, 90),
    "gemvCpt",
    /kernels\[1\]\.tune\.gemvCpt: must divide N = 90, got 4 \(shape 1x512x90, f32\)$/,
  );
  // 16 column-threads × 128 slices = 2048 threads.
  rejects(
    suite({ group: 64, tune: { gemvCols: "16", gemvSlices: "128" } }),
    "gemvSlices",
    /kernels\[1\]\.tune\.gemvSlices: gemvCols × gemvSlices must be ≤ 1024 threads, got 16 × 128/,
  );
  // X staging exists only for the packed-half arithmetic at M ≤ 3 (f32 cases default to f32).
  rejects(
    suite({ group: 64, tune: { gemvStageX: "on" } }),
    "gemvStageX",
    /kernels\[1\]\.tune\.gemvStageX: "on" needs the f16x2 arithmetic at M ≤ 3, got gemvMath f32 at M = 1/,
  );
  assert.equal(
    expand(suite({ group: 64, gemvMath: "f16x2", tune: { gemvStageX: "on" } })).length,
    2,
  );
  // f16 activations at M = 1 take the f16x2 arithmetic by default, and its layout can stage X:
  // "on" is accepted, because the case is checked with its own dtype's configuration.
  const f16 = { ...suite({ group: 64, tune: { gemvStageX: "on" } }), dtypes: ["f16"] };
  const staged = expand(f16);
  assert.equal(staged.length, 2);
  assert.equal(staged[1]!.skip, null);
  const layout = (staged[1]!.config as Int4Config).layout;
  assert.ok(layout.variant === "gemv" && layout.gemv.math === "f16x2" && layout.gemv.stageX);
  // Fewer registers exist only for the f32 arithmetic's per-weight dequantisation (M > 3).
  rejects(
    suite({ group: 64, tune: { gemvLean: "on" } }),
    "gemvLean",
    /kernels\[1\]\.tune\.gemvLean: "on" needs the f32 arithmetic's per-weight dequantisation \(M > 3\), got gemvMath f32 at M = 1/,
  );
  const lean = {
    ...suite({ group: 64, tune: { gemvLean: "on" } }),
    shapes: [{ m: 4, k: 512, n: 96 }],
  };
  assert.equal(expand(lean)[1]!.skip, null);
  // The knobs measured slower everywhere are gone, and a suite naming one is told so.
  for (const knob of ["gemvXAhead", "gemvWideLoads", "gemvPrefetch"]) {
    rejects(suite({ group: 64, tune: { [knob]: "on" } }), knob, /unknown tuning knob/);
  }
  // The neighbours of each bad combination expand.
  const ok = expand(
    suite(
      { group: 32, tune: { gemvUnroll: "4", gemvCpt: "2", gemvCols: "16", gemvSlices: "64" } },
      90,
    ),
  );
  assert.equal(ok.length, 2);
  assert.equal(ok[1]!.skip, null);
  assert.equal(
    expand(suite({ group: 64, tune: { gemvUnroll: "8", gemvCols: "8", gemvSlices: "128" } }))
      .length,
    2,
  );
  // N = 90 auto-picks cpt 2, so only the explicit "4" is a problem.
  assert.equal(expand(suite({ group: 64 }, 90)).length, 2);
});

Deno.test({
  name: "int4 GEMV with fewer registers (gemvLean) matches the f64 reference, WGSL apart",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 4, k: 1024, n: 96 }, { m: 9, k: 512, n: 36 }, { m: 16, k: 1024, n: 64 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 16 },
      kernels: [
        // one-group walk, then several groups a thread with two steps a pass and split chains
        { kernel: "int4", group: 128, tune: { gemvLean: "on" } },
        {
          kernel: "int4",
          group: 32,
          tune: { gemvLean: "on", gemvSlices: "16", gemvUnroll: "2", gemvAccs: "2" },
        },
        // AWQ's per-k table, vec2 loads, f32 scales
        {
          kernel: "int4",
          method: "awq",
          group: 64,
          scaleDtype: "f32",
          tune: { gemvLean: "on", gemvCpt: "2" },
        },
      ],
    });
    assert.equal(res.results.length, 18);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const c = r.correctness!;
      assert.equal(c.nonFinite, 0, r.id);
      assert.ok(c.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), `${r.id}: ${c.relError}`);
      assert.equal(r.notes.leanRegisters, true, r.id);
      assert.equal(r.notes.dequant, "per-weight", r.id);
    }
    // With f16 scales every dequantised weight is exact either way and each accumulator takes its
    // products in the same order: the lean output equals the default's bit for bit (one and
    // several groups a thread, two rows a step, one and four columns a thread, split chains, AWQ,
    // f16 X and Y). With f32 scales it differs in rounding only.
    const cache = new PipelineCache((await testGpu()).device);
    const base = chooseGemv("f32", 9, 512, 64, 64, "f16", false);
    const same: Int4GemvOptions[] = [
      base,
      { ...base, kPadded: 576, slices: 8, unroll: 2 },
      { ...base, n: 9, cpt: 1, accs: 2 },
      { ...base, awq: true, kPadded: 576, slices: 4 },
      { ...base, dtype: "f16", m: 16, slices: 4, unroll: 2 },
    ];
    assert.ok(same.some(gemvOneGroup) && !same.every(gemvOneGroup));
    for (const o of same) {
      const plain = await gemvRun(o, cache);
      const lean = await gemvRun({ ...o, lean: true }, cache);
      assert.deepEqual(lean.got, plain.got, JSON.stringify(o));
    }
    const f32Scales = { ...base, scaleDtype: "f32" as const, kPadded: 576, slices: 4, lean: true };
    assert.ok(!gemvOneGroup(f32Scales));
    assert.ok((await gemvError(f32Scales, cache)) < 2e-6);
    // The lean text holds 6 group constants and decodes a step in two halves.
    const o = int4Layout({ m: 16, k: 4096, n: 14336 }, {}, "f16", { gemvLean: "on" });
    assert.ok(o.variant === "gemv");
    const code = int4GemvWgsl(o.gemv).code;
    assert.ok(code.includes("let zs = nzc * sc;") && !code.includes("let c0 ="));
    const lastFirstHalf = code.indexOf("acc15 = fma(vec4<f32>(xa.w), t3, acc15);");
    assert.ok(lastFirstHalf >= 0 && code.indexOf("let t4 =") > lastFirstHalf);
    const plain = int4Layout({ m: 16, k: 4096, n: 14336 }, {}, "f16", {});
    assert.ok(plain.variant === "gemv" && !int4GemvWgsl(plain.gemv).code.includes("zs"));
  },
});

Deno.test({
  name:
    "int4 GEMV tuning params (unroll, cols, cpt, accs, X staging) run correctly and show in notes",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 1, k: 512, n: 96 }, { m: 5, k: 1024, n: 36 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 16 },
      kernels: [
        // Longest unroll, widest workgroups (partial last one), split chains.
        { kernel: "int4", group: 64, tune: { gemvUnroll: "8", gemvCols: "16", gemvAccs: "2" } },
        // One column a thread, one row a step, 512 threads (f16 at M = 1: X staged).
        {
          kernel: "int4",
          group: 64,
          tune: { gemvUnroll: "1", gemvCpt: "1", gemvCols: "8", gemvSlices: "64" },
        },
        // vec2 loads, AWQ table, f32 scales.
        {
          kernel: "int4",
          method: "awq",
          group: 32,
          scaleDtype: "f32",
          tune: { gemvUnroll: "2", gemvCpt: "2", gemvAccs: "1" },
        },
        // Narrow workgroups, few slices (several groups a thread), split chains.
        {
          kernel: "int4",
          group: 128,
          tune: { gemvUnroll: "4", gemvCpt: "4", gemvCols: "4", gemvSlices: "16", gemvAccs: "2" },
          dtypes: ["f32"],
        },
      ],
    });
    assert.equal(res.results.length, 4 + 4 + 4 + 2);
    assert.equal(res.results.filter((r) => r.notes.stagedX === true).length, 1);
    const failed = res.results.filter((r) => r.status !== "ok");
    assert.equal(failed.length, 0, JSON.stringify(failed.map((r) => [r.id, r.reason])));
    const pick = (r: (typeof res.results)[number], name: string) =>
      r.tune![name] === "auto" ? undefined : Number(r.tune![name]);
    for (const r of res.results) {
      const c = r.correctness!;
      assert.equal(c.nonFinite, 0, r.id);
      assert.equal(c.rowsChecked, r.shape.m);
      assert.ok(c.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), `${r.id}: ${c.relError}`);
      assert.equal(r.notes.variant, "gemv", r.id);
      assert.equal(r.notes.dequant, r.shape.m <= 3 ? "prescale-x" : "per-weight", r.id);
      // The layout (what the generator got) has the geometry the params asked for …
      const layout = int4Layout(r.shape, r.params, r.dtype, r.tune);
      assert.equal(layout.variant, "gemv");
      const o = (layout as Extract<typeof layout, { variant: "gemv" }>).gemv;
      assert.equal(o.unroll, pick(r, "gemvUnroll"), r.id);
      assert.equal(o.cpt, pick(r, "gemvCpt") ?? 4, r.id);
      // f16 activations at M ≤ 3 take the packed-half arithmetic and its geometry rule: K slices
      // for ~2^17 threads (a power of two, 4–128, ≥ 8 packed rows a thread), doubled once more
      // when that makes a one-group walk within 2^18 threads, ≤ 1024 threads a workgroup; 16
      // column-threads up to 32 slices when 128 workgroups remain, 8 from 64 slices when 64
      // remain; f32 arithmetic keeps 128-thread workgroups at these sizes.
      const half = r.dtype === "f16" && r.shape.m <= 3;
      assert.equal(r.notes.math, half ? "f16x2" : "f32", r.id);
      assert.equal(o.math, r.notes.math, r.id);
      if (half) {
        const want = HALF_GEMV_THREADS / (r.shape.n / o.cpt);
        const most = Math.max(4, Math.min(128, o.kPadded / 64));
        let slices = 4;
        while (slices * 2 <= most && (slices < 16 || slices * 1.5 < want)) slices *= 2;
        const rpg = o.group / 8;
        const oneGroup = (sl: number) =>
          rpg % (Math.ceil(o.kPadded / 8 / (sl * o.unroll)) * o.unroll) === 0;
        const columnThreads = r.shape.n / o.cpt;
        if (
          !oneGroup(slices) && oneGroup(slices * 2) && slices * 2 <= 128 &&
          columnThreads * slices * 2 <= 2 * HALF_GEMV_THREADS
        ) slices *= 2;
        const cols = pick(r, "gemvCols");
        if (cols !== undefined) slices = Math.min(slices, 1024 / cols);
        slices = pick(r, "gemvSlices") ?? slices;
        assert.equal(o.slices, slices, r.id);
        const auto = slices <= 32 && Math.ceil(r.shape.n / (16 * o.cpt)) >= 128
          ? 16
          : slices >= 64 && r.shape.n / (8 * o.cpt) >= 64
          ? 8
          : 4;
        assert.equal(o.cols, cols ?? auto, r.id);
        // X is staged for workgroups of ≥ 256 threads when it takes ≤ 32 KiB there.
        const stage = pick(r, "gemvStageX") === undefined
          ? o.cols * o.slices >= STAGE_X_THREADS && r.shape.m * o.kPadded * 2 <= STAGE_X_BYTES
          : r.tune!.gemvStageX === "on";
        assert.equal(o.stageX, stage, r.id);
        assert.equal(r.notes.stagedX, stage, r.id);
      } else {
        assert.equal(o.cols, pick(r, "gemvCols") ?? 4, r.id);
        // 128 threads, and at M = 1 (grids this small) as many slices as K′ = 512 allows (16)
        assert.ok(r.shape.m === 5 || o.kPadded === 512, r.id);
        const grown = r.shape.m <= 3 ? Math.max(128 / o.cols, 16) : 128 / o.cols;
        assert.equal(o.slices, pick(r, "gemvSlices") ?? grown, r.id);
      }
      assert.equal(o.accs, pick(r, "gemvAccs") ?? 1, r.id);
      // … and the notes report it (accs is not among the notes).
      assert.equal(r.notes.unroll, o.unroll, r.id);
      assert.equal(r.notes.columnsPerThread, o.cpt, r.id);
      assert.equal(r.notes.columnsPerWorkgroup, o.cpt * o.cols, r.id);
      assert.equal(r.notes.slices, o.slices, r.id);
      assert.equal(
        r.flops.overhead,
        workOf(r.shape, r.params, r.dtype, r.tune).flops.overhead,
        r.id,
      );
    }
    // Auto cpt on N = 36 / 96 is 4: the explicit "1" and "2" cases really changed it.
    const cpts = new Set(res.results.map((r) => r.notes.columnsPerThread));
    assert.deepEqual([...cpts].sort(), [1, 2, 4]);
  },
});

Deno.test({
  name: "int4 GEMV warps of one K slice (32 column-threads) at M = 12 and 16 run correctly",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // N = 160: 40 column-threads of 4 columns (80 of 2), the second workgroup partly idle
      shapes: [{ m: 16, k: 256, n: 160 }, { m: 12, k: 384, n: 128 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 16 },
      kernels: [
        { kernel: "int4", group: 128, tune: { gemvCols: "32", gemvSlices: "16" } },
        { kernel: "int4", group: 64, tune: { gemvCols: "32", gemvCpt: "2", gemvSlices: "16" } },
      ],
    });
    assert.equal(res.results.length, 8);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), r.id);
      const cpt = Number(r.tune!.gemvCpt === "auto" ? 4 : r.tune!.gemvCpt);
      assert.equal(r.notes.columnsPerWorkgroup, 32 * cpt, r.id);
      assert.equal(r.notes.slices, 16, r.id);
    }
  },
});
