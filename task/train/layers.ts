/**
 * The operators as differentiable tfjs linear layers, built from (and exported back to) a
 * {@link LinearExport}. Each maps x of shape [B, S, K] (B samples of S rows) to [B, S, N] with
 * the math of task/model/forward_cpu.ts.
 *
 * - dense: `x·W + b`.
 * - stl: α [r, t²], Ŵ [r, K/t, N/t], γ [t², r] all trainable; a sample's S rows are zero-padded
 *   to a multiple of t, cut into t-row blocks, encoded (`x̂ = α·tile`), multiplied plane by plane
 *   (one batched matMul) and decoded (`γ·P`); the padding rows are dropped.
 * - sparse24: `x·(W ⊙ mask) + b`. `fixed`: the mask of the export (W ≠ 0), only kept weights
 *   learn. `ste`: the mask is recomputed by magnitude (kernels/sparse24 topTwoMask) every
 *   `maskEvery` steps and the gradient passes to every weight (straight-through).
 * - int4: shadow weights V (initialised to the export's dequantised values, `(code − zero)·scale`,
 *   AWQ's diag(s) inside) go through a fake RTN quantiser per group of `group` k per column
 *   (scale = (max − min)/15, zero = clamp(−round(min/scale), 0, 15), round half to even) with a
 *   straight-through gradient; AWQ's invScale multiplies x first. The export quantises the final
 *   V with kernels/int4 quantizeRtn.
 * - int8 (int8_layer.ts): W8A8 with run-time per-row activation scales; training through fake
 *   quantisers of W and X (straight-through).
 * - ternary (ternary_layer.ts): latent weights through the absmean ternary quantiser
 *   (straight-through); evaluation copies multiply by codes·scales.
 * - monarch (monarch_layer.ts): trainable factors R and L.
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { LinearExport } from "../export.ts";
import { effectiveWeights } from "../export.ts";
import { topTwoMask } from "../../kernels/sparse24/masks.ts";
import { quantizeRtn } from "../../kernels/int4/rtn.ts";
import { int4Export } from "../convert.ts";

import {
  addBias,
  biasOf,
  type LinearOptions,
  matmul3,
  read,
  straightThrough,
  type TfLinear,
  variable,
  withBias,
} from "./layer_util.ts";
import { int8Layer } from "./int8_layer.ts";
import { ternaryLayer } from "./ternary_layer.ts";
import { monarchLayer } from "./monarch_layer.ts";

export type { LinearOptions, MaskPolicy, TfLinear } from "./layer_util.ts";

type Tensor = tf.Tensor;

/**
 * The STL product of one-row samples x [B, 1, K]: the same values as the zero-padded t-row
 * block, computed from the block's first row alone (its other rows are zeros, so only α's
 * entries e = 0 … t−1 and γ's rows e = 0 … t−1 take part): t× fewer products while training.
 */
function stlApplyRow(x: Tensor, alpha: Tensor, wh: Tensor, gamma: Tensor, t: number): Tensor {
  const [b, , k] = x.shape as [number, number, number];
  const r = alpha.shape[0]!;
  const kt = k / t;
  const nt = wh.shape[2]!;
  const a0 = tf.slice(alpha, [0, 0], [r, t]); // [r, t]
  const g0 = tf.slice(gamma, [0, 0], [t, r]); // [t, r]
  const xh = tf.matMul(tf.reshape(x, [b * kt, t]), a0 as tf.Tensor2D, false, true); // [b·kt, r]
  const xh3 = tf.transpose(tf.reshape(xh, [b, kt, r]), [2, 0, 1]); // [r, b, kt]
  const p = tf.matMul(xh3 as tf.Tensor3D, wh as tf.Tensor3D); // [r, b, nt]
  const pt = tf.reshape(tf.transpose(p, [1, 2, 0]), [b * nt, r]);
  const y = tf.matMul(pt as tf.Tensor2D, g0 as tf.Tensor2D, false, true); // [b·nt, t]
  return tf.reshape(y, [b, 1, nt * t]);
}

/**
 * The most rows an STL encode or decode product may have: tfjs-backend-webgpu launches a
 * product's rows in workgroups of as few as 8, and WebGPU allows 65,535 workgroups a dimension.
 * Larger batches run in chunks of samples.
 */
const STL_MAX_ROWS = 1 << 18;

/**
 * The STL product of x [B, S, K] with α [r, t²], Ŵ [r, K/t, N/t], γ [t², r] (K, N multiples
 * of t): [B, S, N]. Batches whose encode or decode products would exceed `maxRows` rows run in
 * chunks of samples (the same values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "./tf.ts";
 * const x = tf.randomNormal([6, 1, 8], 0, 1, "float32", 1);
 * const [a, w, g] = [tf.randomNormal([5, 16]), tf.randomNormal([5, 2, 3]), tf.randomNormal([16, 5])];
 * const whole = stlApply(x, a, w, g, 4).dataSync();
 * const chunked = stlApply(x, a, w, g, 4, 3).dataSync(); // 1 sample (3 rows) a chunk
 * assert.deepEqual([...chunked], [...whole]);
 * ```
 */
export function stlApply(
  x: Tensor,
  alpha: Tensor,
  wh: Tensor,
  gamma: Tensor,
  t: number,
  maxRows: number = STL_MAX_ROWS,
): Tensor {
  const [b, s, k] = x.shape as [number, number, number];
  // Each sample adds ⌈S/t⌉·max(K, N)/t rows to the encode and decode products.
  const perSample = Math.ceil(s / t) * Math.max(k / t, wh.shape[2]!);
  const chunk = Math.max(1, Math.floor(maxRows / perSample));
  if (b <= chunk) return stlApplySamples(x, alpha, wh, gamma, t);
  const parts: Tensor[] = [];
  for (let i = 0; i < b; i += chunk) {
    const n = Math.min(chunk, b - i);
    parts.push(stlApplySamples(tf.slice(x, [i, 0, 0], [n, s, k]), alpha, wh, gamma, t));
  }
  return tf.concat(parts, 0);
}

/** {@link stlApply} on samples whose products fit {@link STL_MAX_ROWS}. */
function stlApplySamples(x: Tensor, alpha: Tensor, wh: Tensor, gamma: Tensor, t: number): Tensor {
  const [b, s, k] = x.shape as [number, number, number];
  const r = alpha.shape[0]!;
  const kt = k / t;
  const nt = wh.shape[2]!;
  if (s === 1) return stlApplyRow(x, alpha, wh, gamma, t);
  const sp = Math.ceil(s / t) * t;
  const xp = sp > s ? tf.pad(x, [[0, 0], [0, sp - s], [0, 0]]) : x;
  const bt = (b * sp) / t;
  // [bt, a, kk, b'] -> [bt, kk, a, b'] -> rows of t² tile entries e = a·t + b'.
  const tiles = tf.reshape(tf.transpose(tf.reshape(xp, [bt, t, kt, t]), [0, 2, 1, 3]), [
    bt * kt,
    t * t,
  ]);
  const xh = tf.matMul(tiles as tf.Tensor2D, alpha as tf.Tensor2D, false, true); // [bt·kt, r]
  const xh3 = tf.transpose(tf.reshape(xh, [bt, kt, r]), [2, 0, 1]); // [r, bt, kt]
  const p = tf.matMul(xh3 as tf.Tensor3D, wh as tf.Tensor3D); // [r, bt, nt]
  const pt = tf.reshape(tf.transpose(p, [1, 2, 0]), [bt * nt, r]);
  const y = tf.matMul(pt as tf.Tensor2D, gamma as tf.Tensor2D, false, true); // [bt·nt, t²]
  const yt = tf.transpose(tf.reshape(y, [bt, nt, t, t]), [0, 2, 1, 3]); // [bt, a, j, b']
  const out = tf.reshape(yt, [b, sp, nt * t]);
  return sp > s ? tf.slice(out, [0, 0, 0], [b, s, nt * t]) : out;
}

/**
 * The fake RTN quantiser of V [K, N] per group of `group` consecutive k (K a multiple of
 * group): the dequantised values, no gradient handling.
 *
 * @example
 * ```ts ignore
 * const wq = fakeQuant(v, 16);
 * ```
 */
export function fakeQuant(v: Tensor, group: number): Tensor {
  const [k, n] = v.shape as [number, number];
  const g = tf.reshape(v, [k / group, group, n]);
  const lo = tf.min(g, 1, true);
  const hi = tf.max(g, 1, true);
  const scale = tf.maximum(tf.div(tf.sub(hi, lo), 15), 1e-12);
  const zero = tf.clipByValue(tf.neg(tf.round(tf.div(lo, scale))), 0, 15);
  const q = tf.clipByValue(tf.add(tf.round(tf.div(g, scale)), zero), 0, 15);
  return tf.reshape(tf.mul(tf.sub(q, zero), scale), [k, n]);
}

function denseLayer(l: LinearExport, w: Float32Array, o: LinearOptions): TfLinear {
  const wv = variable(w, [l.k, l.n], o.trainable);
  const bias = biasOf(l, o.trainable);
  return {
    name: l.name,
    k: l.k,
    n: l.n,
    op: "dense",
    apply: (x) => matmul3(x, wv, bias),
    variables: bias ? [wv, bias] : [wv],
    afterStep: async () => {},
    toExport: async () =>
      withBias({ name: l.name, k: l.k, n: l.n, op: "dense", w: await read(wv) }, bias),
    dispose: () => {
      wv.dispose();
      bias?.dispose();
    },
  };
}

function stlLayer(l: LinearExport, o: LinearOptions): TfLinear {
  const s = l.stl!;
  const { t, r } = s;
  if (l.k % t !== 0 || l.n % t !== 0) {
    throw new RangeError(`layer ${l.name}: stl.t: ${t} must divide K = ${l.k} and N = ${l.n}`);
  }
  const kt = l.k / t;
  const nt = l.n / t;
  const alpha = variable(s.alpha, [r, t * t], o.trainable);
  const wh = variable(s.wh, [r, kt, nt], o.trainable);
  const gamma = variable(s.gamma, [t * t, r], o.trainable);
  const bias = biasOf(l, o.trainable);
  const vars = [alpha, wh, gamma];
  if (bias) vars.push(bias);
  return {
    name: l.name,
    k: l.k,
    n: l.n,
    op: "stl",
    apply: (x) => addBias(stlApply(x, alpha, wh, gamma, t), bias),
    variables: vars,
    afterStep: async () => {},
    toExport: async () =>
      withBias({
        name: l.name,
        k: l.k,
        n: l.n,
        op: "stl",
        stl: { t, r, alpha: await read(alpha), wh: await read(wh), gamma: await read(gamma) },
      }, bias),
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}

function sparseLayer(l: LinearExport, o: LinearOptions): TfLinear {
  const w0 = l.w!;
  const wv = variable(w0, [l.k, l.n], o.trainable);
  const bias = biasOf(l, o.trainable);
  const maskOf = (w: Float32Array) =>
    o.mask === "fixed"
      ? Float32Array.from(w0, (v) => (v !== 0 ? 1 : 0))
      : Float32Array.from(topTwoMask(w, l.k, l.n, null));
  let mask = tf.tensor(maskOf(w0), [l.k, l.n], "float32");
  const effective = () =>
    o.mask === "ste" && o.trainable
      ? straightThrough(wv, (w) => tf.mul(w, mask))
      : tf.mul(wv, mask);
  return {
    name: l.name,
    k: l.k,
    n: l.n,
    op: "sparse24",
    apply: (x) => matmul3(x, effective(), bias),
    variables: bias ? [wv, bias] : [wv],
    afterStep: async (step) => {
      if (o.mask !== "ste" || step % o.maskEvery !== 0) return;
      const m = tf.tensor(maskOf(await read(wv)), [l.k, l.n], "float32");
      mask.dispose();
      mask = m;
    },
    toExport: async () => {
      const w = await read(wv);
      const m = maskOf(w);
      return withBias({
        name: l.name,
        k: l.k,
        n: l.n,
        op: "sparse24",
        w: w.map((v, i) => (m[i] ? v : 0)),
      }, bias);
    },
    dispose: () => {
      wv.dispose();
      mask.dispose();
      bias?.dispose();
    },
  };
}

function int4Layer(l: LinearExport, o: LinearOptions): TfLinear {
  const q = l.int4!;
  const { k, n } = l;
  if (k % q.group !== 0) {
    throw new RangeError(`layer ${l.name}: int4.group: ${q.group} must divide K = ${k}`);
  }
  // Shadow weights: the dequantised grid values (AWQ's diag(s)·W, without invScale).
  const v0 = new Float32Array(k * n);
  for (let kk = 0; kk < k; kk++) {
    const gb = Math.floor(kk / q.group) * n;
    for (let c = 0; c < n; c++) {
      v0[kk * n + c] = (q.codes[kk * n + c]! - q.zeros[gb + c]!) * q.scales[gb + c]!;
    }
  }
  const vv = variable(v0, [k, n], o.trainable);
  const inv = q.invScale ? tf.tensor(q.invScale, [k], "float32") : null;
  const bias = biasOf(l, o.trainable);
  return {
    name: l.name,
    k,
    n,
    op: "int4",
    apply: (x) => {
      const xs = inv ? tf.mul(x, inv) : x;
      return matmul3(xs, straightThrough(vv, (v) => fakeQuant(v, q.group)), bias);
    },
    variables: bias ? [vv, bias] : [vv],
    afterStep: async () => {},
    toExport: async () => {
      const w = quantizeRtn(await read(vv), k, n, q.group, "f32");
      return withBias({
        name: l.name,
        k,
        n,
        op: "int4",
        int4: int4Export(w, q.invScale ?? null),
      }, bias);
    },
    dispose: () => {
      vv.dispose();
      inv?.dispose();
      bias?.dispose();
    },
  };
}

/**
 * A tfjs layer of an exported linear. Evaluation copies (`trainable: false`) of sparse24, int4
 * and ternary layers multiply by the export's effective weights (2:4-pruned W;
 * diag(invScale)·W'; codes·scales); int8 quantises x at run time as its kernels do.
 *
 * @example
 * ```ts ignore
 * const layer = buildLinear(exported, { trainable: true, mask: "fixed", maskEvery: 100 });
 * ```
 */
export function buildLinear(l: LinearExport, o: LinearOptions): TfLinear {
  switch (l.op) {
    case "dense":
      return denseLayer(l, l.w!, o);
    case "stl":
      return stlLayer(l, o);
    case "sparse24":
      if (!o.trainable) {
        return {
          ...denseLayer(l, l.w!, o),
          op: "sparse24",
          toExport: () => Promise.resolve(l),
        };
      }
      return sparseLayer(l, o);
    case "int4": {
      if (o.trainable) return int4Layer(l, o);
      const w = Float32Array.from(effectiveWeights(l)!);
      return { ...denseLayer(l, w, o), op: "int4", toExport: () => Promise.resolve(l) };
    }
    case "int8":
      return int8Layer(l, o);
    case "ternary": {
      if (o.trainable) return ternaryLayer(l, o);
      const w = Float32Array.from(effectiveWeights(l)!);
      return { ...denseLayer(l, w, o), op: "ternary", toExport: () => Promise.resolve(l) };
    }
    case "monarch":
      return monarchLayer(l, o);
  }
}
