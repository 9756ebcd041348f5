/**
 * The ternary (BitNet b1.58) operator as a trainable tfjs layer: latent full-precision weights V
 * go through the absmean quantiser of kernels/ternary
 * (per column, or per group of `group` K rows: s = mean|V|, q = clamp(round(V/s), −1, 1)) with a
 * straight-through gradient; the export quantises the final V with kernels/ternary
 * quantizeTernary. Activations stay in full precision, as the kernels take them.
 *
 * V starts at codes·scale/ν, ν the fraction of nonzero codes of the scale group: its absmean is
 * then the export's scale and it rounds back to the export's codes, so the layer starts exactly
 * where the export is (codes·scale itself would have the smaller absmean scale·ν).
 *
 * @module
 */

import { tf } from "./tf.ts";
import { effectiveWeights, type LinearExport } from "../export.ts";
import { ternaryExport } from "../convert.ts";
import {
  biasOf,
  type LinearOptions,
  matmul3,
  read,
  straightThrough,
  type TfLinear,
  variable,
  withBias,
} from "./layer_util.ts";

type Tensor = tf.Tensor;

/**
 * The absmean ternary quantiser of V [K, N] per column (`group` 0) or per group of `group`
 * consecutive k (the last group may be short, as in kernels/ternary): the dequantised values
 * q·s, no gradient handling.
 *
 * @example
 * ```ts ignore
 * const wq = fakeTernary(v, 0);
 * ```
 */
export function fakeTernary(v: Tensor, group: number): Tensor {
  const [k, n] = v.shape as [number, number];
  const rows = group === 0 ? k : group;
  const groups = Math.ceil(k / rows);
  const pad = groups * rows - k;
  // A short last group (K not a multiple of group) averages over its own rows only.
  const vp = pad > 0 ? tf.pad(v, [[0, pad], [0, 0]]) : v;
  const g = tf.reshape(vp, [groups, rows, n]);
  const counts = tf.tensor(
    Float32Array.from({ length: groups }, (_, i) => Math.min(rows, k - i * rows)),
    [groups, 1, 1],
    "float32",
  );
  const s = tf.div(tf.sum(tf.abs(g), 1, true), counts);
  const q = tf.clipByValue(tf.round(tf.div(g, tf.maximum(s, 1e-30))), -1, 1);
  const w = tf.reshape(tf.mul(q, s), [groups * rows, n]);
  return pad > 0 ? tf.slice(w, [0, 0], [k, n]) : w;
}

/** codes·scale/ν per scale group (see the module doc). */
function latentInit(l: LinearExport): Float32Array {
  const { k, n } = l;
  const { group, codes } = l.ternary!;
  const w = effectiveWeights(l)!;
  const rows = group === 0 ? k : group;
  const out = new Float32Array(k * n);
  for (let g0 = 0; g0 < k; g0 += rows) {
    const g1 = Math.min(k, g0 + rows);
    for (let c = 0; c < n; c++) {
      let nz = 0;
      for (let r = g0; r < g1; r++) if (codes[r * n + c] !== 0) nz++;
      const f = nz > 0 ? (g1 - g0) / nz : 0;
      for (let r = g0; r < g1; r++) out[r * n + c] = w[r * n + c]! * f;
    }
  }
  return out;
}

/**
 * A trainable tfjs layer of a ternary export.
 *
 * @example
 * ```ts ignore
 * const layer = ternaryLayer(exported, { trainable: true, mask: "fixed", maskEvery: 1 });
 * ```
 */
export function ternaryLayer(l: LinearExport, o: LinearOptions): TfLinear {
  const { k, n } = l;
  const group = l.ternary!.group;
  const vv = variable(latentInit(l), [k, n], o.trainable);
  const bias = biasOf(l, o.trainable);
  return {
    name: l.name,
    k,
    n,
    op: "ternary",
    apply: (x) => matmul3(x, straightThrough(vv, (v) => fakeTernary(v, group)), bias),
    variables: bias ? [vv, bias] : [vv],
    afterStep: async () => {},
    toExport: async () =>
      withBias({
        name: l.name,
        k,
        n,
        op: "ternary",
        ternary: ternaryExport(await read(vv), k, n, group),
      }, bias),
    dispose: () => {
      vv.dispose();
      bias?.dispose();
    },
  };
}
