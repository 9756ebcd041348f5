/**
 * Converting dense layers and models into an operator's export format (plain JS, through the
 * kernel families' own encoders, masks and quantisers) and seeded dense initialisation.
 *
 * - STL: α and γ of the `init` encoder, Ŵ = β·W (kernels/stl encodeWeights).
 * - 2:4: kernels/sparse24 pruneMask (magnitude or Wanda with the layer's calibration inputs).
 * - INT4: kernels/int4 quantizeRtn, or quantizeAwq (no clipping) whose invScale the export keeps.
 * - INT8: kernels/int8 prepareInt8 (SmoothQuant factors and LLM.int8() outlier dimensions from
 *   the calibration rows, per-column absmax scales).
 * - ternary: kernels/ternary quantizeTernary (absmean per column or group).
 * - monarch: kernels/monarch projectMonarch (block-wise rank-1 projection).
 *
 * Calibration inputs of a layer are its inputs in the dense model (forward_cpu's hook) on
 * training digits, never test digits.
 *
 * @module
 */

import type { Encoder } from "../kernels/stl/encoder.ts";
import { strassen2Encoder, strassenEncoder } from "../kernels/stl/strassen.ts";
import { cpAlsEncoder } from "../kernels/stl/cp_als.ts";
import { randomEncoder } from "../kernels/stl/random_encoder.ts";
import { planeGeometry } from "../kernels/stl/geometry.ts";
import { encodeWeights } from "../kernels/stl/weights.ts";
import { pruneMask } from "../kernels/sparse24/masks.ts";
import { quantizeRtn } from "../kernels/int4/rtn.ts";
import { quantizeAwq } from "../kernels/int4/awq.ts";
import { type Int4Weights, unpackCodes } from "../kernels/int4/format.ts";
import { prepareInt8 } from "../kernels/int8/prepare.ts";
import { resolveInt8 } from "../kernels/int8/params.ts";
import { int8Code } from "../kernels/int8/quant.ts";
import { decodeCodes, quantizeTernary } from "../kernels/ternary/format.ts";
import { monarchDims } from "../kernels/monarch/layout.ts";
import { projectMonarch } from "../kernels/monarch/project.ts";
import { Rng } from "../harness/data/prng.ts";
import type { Int4Export, Int8Export, LinearExport, ModelExport, TernaryExport } from "./export.ts";
import type { OperatorSpec } from "./operators.ts";
import { forwardCpu } from "./model/forward_cpu.ts";
import {
  configFromRecord,
  configRecord,
  linearSpecs,
  type ModelConfig,
  tensorSpecs,
} from "./model/arch.ts";

/** Seed of the random STL encoder (fixed: part of the operator's identity). */
export const STL_RANDOM_SEED = 0x5713;

/**
 * The encoder of an STL init.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stlEncoder(4, 49, "strassen2").r, 49);
 * ```
 */
export function stlEncoder(t: number, r: number, init: string): Encoder {
  switch (init) {
    case "strassen":
      return strassenEncoder();
    case "strassen2":
      return strassen2Encoder();
    case "cp-als":
      return cpAlsEncoder(t, r).encoder;
    case "random":
      return randomEncoder(t, r, STL_RANDOM_SEED);
  }
  throw new RangeError(`init: must be one of strassen, strassen2, cp-als, random; got ${init}`);
}

/**
 * A dense K×N layer as STL: α, γ of the encoder, Ŵ = β·W.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "../kernels/stl/strassen.ts";
 * const d = { name: "fc", k: 2, n: 2, op: "dense" as const, w: new Float32Array([1, 2, 3, 4]) };
 * const s = stlFromDense(d, strassenEncoder());
 * assert.equal(s.stl!.wh[0], 5); // β_0 = W11 + W22
 * ```
 */
export function stlFromDense(l: LinearExport, e: Encoder): LinearExport {
  const { k, n } = l;
  const wh = encodeWeights(l.w!, k, n, planeGeometry({ m: e.t, k, n }, e.t), e);
  const out: LinearExport = {
    name: l.name,
    k,
    n,
    op: "stl",
    stl: {
      t: e.t,
      r: e.r,
      alpha: Float32Array.from(e.alpha),
      wh,
      gamma: Float32Array.from(e.gamma),
    },
  };
  if (l.bias) out.bias = l.bias;
  return out;
}

/**
 * A dense layer with the 2:4 keep-mask of `mask` applied (pruned entries exact zeros).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { name: "fc", k: 4, n: 1, op: "dense" as const, w: new Float32Array([1, -4, 3, 2]) };
 * assert.deepEqual([...sparse24FromDense(d, "magnitude", null, 0).w!], [0, -4, 3, 0]);
 * ```
 */
export function sparse24FromDense(
  l: LinearExport,
  mask: "magnitude" | "wanda",
  calib: Float32Array | null,
  calibRows: number,
): LinearExport {
  const keep = pruneMask(mask, l.w!, l.k, l.n, calib ?? new Float32Array(0), calibRows);
  const w = l.w!.map((v, i) => (keep[i] ? v : 0));
  const out: LinearExport = { name: l.name, k: l.k, n: l.n, op: "sparse24", w };
  if (l.bias) out.bias = l.bias;
  return out;
}

/**
 * kernels/int4's packed weights in the export's unpacked form (K rows; `invScale` sliced to K).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeRtn } from "../kernels/int4/rtn.ts";
 * const q = quantizeRtn(new Float32Array([-1, 0, 1, 2, 0.5, 0.25, -0.5, 1.5]), 8, 1, 8, "f32");
 * assert.equal(int4Export(q, null).codes.length, 8);
 * ```
 */
export function int4Export(q: Int4Weights, invScale: Float32Array | null): Int4Export {
  const codes = unpackCodes(q.qweight, q.kPadded, q.n).slice(0, q.k * q.n);
  const out: Int4Export = {
    group: q.group,
    codes,
    scales: Float32Array.from(q.scales),
    zeros: Float32Array.from(q.zeros),
  };
  if (invScale) out.invScale = invScale.slice(0, q.k);
  return out;
}

/**
 * A dense layer quantised to INT4 by RTN, or by AWQ when calibration rows are given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { name: "fc", k: 8, n: 1, op: "dense" as const, w: new Float32Array([-1, 0, 1, 2, 0.5, 0.25, -0.5, 1.5]) };
 * const q = int4FromDense(d, 8, null, 0);
 * assert.equal(q.op, "int4");
 * assert.equal(q.int4!.invScale, undefined);
 * ```
 */
export function int4FromDense(
  l: LinearExport,
  group: number,
  calib: Float32Array | null,
  calibRows: number,
): LinearExport {
  let int4: Int4Export;
  if (calib) {
    const r = quantizeAwq(l.w!, l.k, l.n, calib, calibRows, {
      group,
      scaleDtype: "f32",
      clip: false,
      searchCols: 0,
      seed: 1,
    });
    int4 = int4Export(r.weights, r.invScale);
  } else {
    int4 = int4Export(quantizeRtn(l.w!, l.k, l.n, group, "f32"), null);
  }
  const out: LinearExport = { name: l.name, k: l.k, n: l.n, op: "int4", int4 };
  if (l.bias) out.bias = l.bias;
  return out;
}

/**
 * A dense layer as W8A8 (kernels/int8 prepareInt8): SmoothQuant factors (`smooth` > 0) and
 * LLM.int8() outlier dimensions (`outliers` llm-int8: calibration |x| over `threshold`) from the
 * calibration rows, per-column absmax weight scales.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { name: "fc", k: 2, n: 1, op: "dense" as const, w: new Float32Array([2, 3]) };
 * const q = int8FromDense(d, { outliers: "llm-int8", threshold: 6, smooth: 0 }, new Float32Array([1, 8]), 1);
 * assert.deepEqual([...q.int8!.codes], [127, 0]);
 * assert.deepEqual([...q.int8!.outliers!.dims], [1]);
 * ```
 */
export function int8FromDense(
  l: LinearExport,
  o: { outliers: "none" | "llm-int8"; threshold: number; smooth: number },
  calib: Float32Array | null,
  calibRows: number,
): LinearExport {
  const { k, n } = l;
  const shape = { m: 1, k, n };
  const config = resolveInt8(
    { outliers: o.outliers, threshold: o.threshold, smooth: o.smooth },
    { dot: "unpacked" },
    shape,
  );
  const p = prepareInt8(
    l.w!,
    calib ?? new Float32Array(0),
    calib ? calibRows : 0,
    shape,
    "f32",
    config,
  );
  const int8: Int8Export = {
    codes: p.codes,
    scales: p.sw,
    invScale: p.invS,
    smooth: o.smooth,
  };
  if (o.outliers === "llm-int8") {
    int8.outliers = { threshold: o.threshold, dims: p.oi.slice(1), w: p.wo };
  }
  const out: LinearExport = { name: l.name, k, n, op: "int8", int8 };
  if (l.bias) out.bias = l.bias;
  return out;
}

/**
 * Re-quantises K×N weights `w` (the effective weights x multiplies by, e.g. fine-tuned shadow
 * weights) into an int8 export with the given activation factors and outlier set kept: per
 * column, scale = max over non-outlier rows of |w/invScale| / 127 (f32) and codes as
 * kernels/int8 prepareInt8 rounds them; the outlier rows are kept in f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const q = int8FromWeights(new Float32Array([1, -0.5]), 2, 1, {
 *   codes: new Int8Array(2), scales: new Float32Array(1), invScale: new Float32Array([1, 1]), smooth: 0,
 * });
 * assert.deepEqual([...q.codes], [127, -64]);
 * ```
 */
export function int8FromWeights(
  w: Float32Array,
  k: number,
  n: number,
  like: Int8Export,
): Int8Export {
  const inv = like.invScale;
  const codes = new Int8Array(k * n);
  const scales = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    let amax = 0;
    for (let j = 0; j < k; j++) {
      if (inv[j] !== 0) amax = Math.max(amax, Math.abs(w[j * n + c]! / inv[j]!));
    }
    const scale = Math.fround(amax / 127);
    scales[c] = scale;
    for (let j = 0; j < k; j++) {
      if (inv[j] !== 0) codes[j * n + c] = int8Code(w[j * n + c]! / inv[j]!, scale);
    }
  }
  const out: Int8Export = { codes, scales, invScale: inv, smooth: like.smooth };
  if (like.outliers) {
    const dims = like.outliers.dims;
    const wo = new Float32Array(dims.length * n);
    dims.forEach((j, o) => wo.set(w.subarray(j * n, j * n + n), o * n));
    out.outliers = { threshold: like.outliers.threshold, dims, w: wo };
  }
  return out;
}

/**
 * K×N weights as ternary by absmean (kernels/ternary quantizeTernary, f32 scales), unpacked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = ternaryExport(new Float32Array([0.9, 0.1, -1.5, 0.5]), 4, 1, 0);
 * assert.deepEqual([...t.codes], [1, 0, -1, 1]);
 * assert.deepEqual([...t.scales], [0.75]);
 * ```
 */
export function ternaryExport(w: Float32Array, k: number, n: number, group: number): TernaryExport {
  const p = quantizeTernary(w, { m: 1, k, n }, group, "f32");
  return { group, codes: decodeCodes(p, k, n), scales: Float32Array.from(p.scales) };
}

/**
 * Seed of the Monarch projection's power iteration (fixed: part of the conversion).
 */
export const MONARCH_PROJECTION_SEED = 0x4d4f;

/**
 * A dense layer as Monarch with b blocks: each (input block, output block) pair of W replaced by
 * its best rank-1 approximation (kernels/monarch projectMonarch).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { name: "fc", k: 4, n: 4, op: "dense" as const, w: new Float32Array(16).fill(1) };
 * const m = monarchFromDense(d, 2);
 * assert.equal(m.monarch!.r.length, 8);
 * ```
 */
export function monarchFromDense(l: LinearExport, blocks: number): LinearExport {
  const p = projectMonarch(l.w!, monarchDims(blocks, l.k, l.n), MONARCH_PROJECTION_SEED);
  const out: LinearExport = {
    name: l.name,
    k: l.k,
    n: l.n,
    op: "monarch",
    monarch: { blocks, r: p.r, l: p.l },
  };
  if (l.bias) out.bias = l.bias;
  return out;
}

/**
 * Whether an operator needs calibration inputs to convert a dense layer (Wanda, AWQ).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(needsCalibration({ op: "sparse24", mask: "wanda" }), true);
 * ```
 */
export function needsCalibration(o: OperatorSpec): boolean {
  return (o.op === "sparse24" && o.mask === "wanda") || (o.op === "int4" && o.method === "awq") ||
    (o.op === "int8" && (o.outliers === "llm-int8" || o.smooth > 0));
}

/**
 * A dense layer converted to an operator (the post-training conversion; QAT converts by RTN).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = { name: "fc", k: 4, n: 4, op: "dense" as const, w: new Float32Array(16).fill(1) };
 * assert.equal(convertLinear(d, { op: "stl", t: 2, r: 7, init: "strassen" }, null, 0).op, "stl");
 * ```
 */
export function convertLinear(
  l: LinearExport,
  o: OperatorSpec,
  calib: Float32Array | null,
  calibRows: number,
): LinearExport {
  if (l.op !== "dense") {
    throw new RangeError(`layer ${l.name}: op: converts dense layers, got ${l.op}`);
  }
  switch (o.op) {
    case "dense":
      return l;
    case "stl":
      return stlFromDense(l, stlEncoder(o.t, o.r, o.init));
    case "sparse24":
      return sparse24FromDense(l, o.mask, o.mask === "wanda" ? calib : null, calibRows);
    case "int4":
      return int4FromDense(l, o.group, o.method === "awq" ? calib : null, calibRows);
    case "int8":
      return int8FromDense(l, o, needsCalibration(o) ? calib : null, calibRows);
    case "ternary": {
      const out: LinearExport = {
        name: l.name,
        k: l.k,
        n: l.n,
        op: "ternary",
        ternary: ternaryExport(l.w!, l.k, l.n, o.group),
      };
      if (l.bias) out.bias = l.bias;
      return out;
    }
    case "monarch":
      return monarchFromDense(l, o.blocks);
  }
}

/**
 * A model whose operator linears (arch.ts) are converted; the other layers and tensors shared.
 * `calib` maps a layer name to its calibration inputs (rows×K), needed for Wanda and AWQ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = randomExport({ arch: "mlp", hidden: 8, depth: 1 }, 1);
 * const s = convertModel(m, { op: "sparse24", mask: "magnitude" }, new Map());
 * assert.deepEqual(s.layers.map((l) => l.op), ["sparse24", "dense"]);
 * ```
 */
export function convertModel(
  m: ModelExport,
  o: OperatorSpec,
  calib: Map<string, { x: Float32Array; rows: number }>,
): ModelExport {
  const ops = new Set(
    linearSpecs(configOf(m)).filter((s) => s.operator).map((s) => s.name),
  );
  const layers = m.layers.map((l) => {
    if (!ops.has(l.name)) return l;
    const c = calib.get(l.name);
    if (needsCalibration(o) && !c) {
      throw new RangeError(`layer ${l.name}: calibration inputs missing (${o.op} needs them)`);
    }
    return convertLinear(l, o, c?.x ?? null, c?.rows ?? 0);
  });
  return { ...m, layers };
}

function configOf(m: ModelExport): ModelConfig {
  return configFromRecord(m.arch, m.config);
}

/**
 * A seeded dense initialisation of a model: Glorot-uniform weights, zero biases, LayerNorm
 * gains 1 and biases 0, position (and the LM's token) embeddings uniform in ±0.02·√3 (std 0.02). Drawn from the
 * stream `init:<layer>` of `seed`, so every operator starts from the same dense weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = randomExport({ arch: "mlp", hidden: 8, depth: 2 }, 3);
 * assert.deepEqual(a.layers[1]!.w, randomExport({ arch: "mlp", hidden: 8, depth: 2 }, 3).layers[1]!.w);
 * ```
 */
export function randomExport(c: ModelConfig, seed: number): ModelExport {
  const layers: LinearExport[] = linearSpecs(c).map((s) => {
    const rng = new Rng(seed, `init:${s.name}`);
    const lim = Math.sqrt(6 / (s.k + s.n));
    const w = Float32Array.from({ length: s.k * s.n }, () => lim * (2 * rng.next() - 1));
    return { name: s.name, k: s.k, n: s.n, op: "dense", w, bias: new Float32Array(s.n) };
  });
  const tensors: ModelExport["tensors"] = {};
  for (const [name, shape] of Object.entries(tensorSpecs(c))) {
    const size = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (name === "pos" || name === "tok") {
      const rng = new Rng(seed, `init:${name}`);
      const lim = 0.02 * Math.sqrt(3);
      data = Float32Array.from({ length: size }, () => lim * (2 * rng.next() - 1));
    } else data = new Float32Array(size).fill(name.endsWith(".g") ? 1 : 0);
    tensors[name] = { shape, data };
  }
  const { arch, ...config } = configRecord(c);
  return { arch: String(arch), config, layers, tensors };
}

/**
 * Every linear layer's inputs (f32, rows×K) in model `m` on `count` images: the calibration rows
 * of Wanda and AWQ. Pass training digits only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = randomExport({ arch: "mlp", hidden: 8, depth: 1 }, 1);
 * const c = calibrationInputs(m, new Float32Array(2 * 784), 2);
 * assert.equal(c.get("fc1")!.rows, 2);
 * assert.equal(c.get("head")!.x.length, 2 * 8);
 * ```
 */
export function calibrationInputs(
  m: ModelExport,
  images: Float32Array,
  count: number,
): Map<string, { x: Float32Array; rows: number }> {
  const out = new Map<string, { x: Float32Array; rows: number }>();
  forwardCpu(m, images, count, count, (name, x, rows) => {
    out.set(name, { x: Float32Array.from(x), rows });
  });
  return out;
}
