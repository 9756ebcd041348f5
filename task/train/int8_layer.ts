/**
 * The W8A8 (LLM.int8()) operator as a tfjs layer, the math of task/export.ts's `int8`.
 *
 * - Evaluation copy: the export's codes and scales as they are; each row of x is quantised in
 *   f32 (x' = x ⊙ invScale, s = max|x'|/127, q = clamp(round_half_even(x'/s), ±127)), the
 *   integer product q·codes is exact in f32 (|Σ| < 2²⁴ for K ≤ 1040 at full codes; far below in
 *   practice), scaled by s and the column scales; the outlier dimensions add x·W_O.
 * - Training: shadow weights V (K×N, initialised to the dequantised export: invScale_k ·
 *   codes[k, n] · scales[n], the outlier rows as stored) go through a per-column absmax fake
 *   quantiser of diag(1/invScale)·V, the activations through the per-row fake quantiser, both
 *   with straight-through gradients; the outlier rows of V multiply x in f32. The activation
 *   factors and the outlier set stay fixed. The export re-quantises V (convert.ts
 *   int8FromWeights).
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { LinearExport } from "../export.ts";
import { int8FromWeights } from "../convert.ts";
import {
  addBias,
  biasOf,
  type LinearOptions,
  read,
  straightThrough,
  type TfLinear,
  variable,
  withBias,
} from "./layer_util.ts";

type Tensor = tf.Tensor;

/** The smallest divisor the fake quantisers use for an all-zero row or column. */
const TINY = 1e-30;

/**
 * Per-row symmetric int8 codes of x2 [rows, K] and their scales (kernels/int8 quantizeRow's
 * rule, in f32): `{ q, s }` with q [rows, K] integers in ±127 and s [rows, 1].
 *
 * @example
 * ```ts ignore
 * const { q, s } = quantizeRowsTf(xs);
 * ```
 */
export function quantizeRowsTf(x2: Tensor): { q: Tensor; s: Tensor } {
  const s = tf.div(tf.max(tf.abs(x2), 1, true), 127);
  const q = tf.clipByValue(tf.round(tf.div(x2, tf.maximum(s, TINY))), -127, 127);
  return { q, s };
}

function fakeRows(x2: Tensor): Tensor {
  const { q, s } = quantizeRowsTf(x2);
  return tf.mul(q, s);
}

function fakeCols(w: Tensor): Tensor {
  const s = tf.div(tf.max(tf.abs(w), 0, true), 127);
  return tf.mul(tf.clipByValue(tf.round(tf.div(w, tf.maximum(s, TINY))), -127, 127), s);
}

/**
 * A tfjs layer of an int8 export (evaluation copy or trainable, see the module doc).
 *
 * @example
 * ```ts ignore
 * const layer = int8Layer(exported, { trainable: true, mask: "fixed", maskEvery: 1 });
 * ```
 */
export function int8Layer(l: LinearExport, o: LinearOptions): TfLinear {
  const q8 = l.int8!;
  const { k, n } = l;
  const dims = q8.outliers?.dims ?? new Uint32Array(0);
  const inv = tf.tensor(q8.invScale, [k], "float32");
  const outMask = new Float32Array(k);
  for (const j of dims) outMask[j] = 1;
  const outMaskT = dims.length ? tf.tensor(outMask, [k], "float32") : null;
  const bias = biasOf(l, o.trainable);
  const consts: Tensor[] = [inv];
  if (outMaskT) consts.push(outMaskT);
  const outlierPart = (x2: Tensor, wo: Tensor) =>
    tf.matMul(tf.mul(x2, outMaskT!), wo as tf.Tensor2D);
  const flat = (x: Tensor) => tf.reshape(x, [-1, k]);
  const unflat = (y: Tensor, x: Tensor) => tf.reshape(y, [...x.shape.slice(0, -1), n]);

  if (!o.trainable) {
    const codes = tf.tensor(Float32Array.from(q8.codes), [k, n], "float32");
    const scales = tf.tensor(q8.scales, [n], "float32");
    const woFull = new Float32Array(k * n);
    dims.forEach((j, i) => woFull.set(q8.outliers!.w.subarray(i * n, i * n + n), j * n));
    const wo = outMaskT ? tf.tensor(woFull, [k, n], "float32") : null;
    consts.push(codes, scales);
    if (wo) consts.push(wo);
    return {
      name: l.name,
      k,
      n,
      op: "int8",
      apply: (x) => {
        const x2 = flat(x);
        const { q, s } = quantizeRowsTf(tf.mul(x2, inv));
        let y = tf.mul(tf.mul(tf.matMul(q as tf.Tensor2D, codes as tf.Tensor2D), s), scales);
        if (wo) y = tf.add(y, outlierPart(x2, wo));
        return addBias(unflat(y, x), bias);
      },
      variables: bias ? [bias] : [],
      afterStep: async () => {},
      toExport: () => Promise.resolve(l),
      dispose: () => {
        consts.forEach((t) => t.dispose());
        bias?.dispose();
      },
    };
  }

  // Shadow weights: the effective weights of the export.
  const v0 = new Float32Array(k * n);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < n; c++) {
      v0[j * n + c] = q8.invScale[j]! * q8.codes[j * n + c]! * q8.scales[c]!;
    }
  }
  dims.forEach((j, i) => v0.set(q8.outliers!.w.subarray(i * n, i * n + n), j * n));
  const vv = variable(v0, [k, n], true);
  // 1/invScale on the int8 rows, 0 on the outlier rows.
  const rowScale = tf.tensor(
    Float32Array.from(q8.invScale, (v) => (v === 0 ? 0 : 1 / v)),
    [k, 1],
    "float32",
  );
  consts.push(rowScale);
  const outRows = outMaskT ? tf.reshape(outMaskT, [k, 1]) : null;
  if (outRows) consts.push(outRows);
  return {
    name: l.name,
    k,
    n,
    op: "int8",
    apply: (x) => {
      const x2 = flat(x);
      const xq = straightThrough(tf.mul(x2, inv), fakeRows);
      const wq = straightThrough(tf.mul(vv, rowScale), fakeCols);
      let y = tf.matMul(xq as tf.Tensor2D, wq as tf.Tensor2D);
      if (outRows) y = tf.add(y, outlierPart(x2, tf.mul(vv, outRows)));
      return addBias(unflat(y, x), bias);
    },
    variables: bias ? [vv, bias] : [vv],
    afterStep: async () => {},
    toExport: async () =>
      withBias({
        name: l.name,
        k,
        n,
        op: "int8",
        int8: int8FromWeights(await read(vv), k, n, q8),
      }, bias),
    dispose: () => {
      vv.dispose();
      consts.forEach((t) => t.dispose());
      bias?.dispose();
    },
  };
}
