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

type Tensor = tf.Tensor;

/**
 * The absmean ternary quantiser of V [K, N] per column (`group` 0) or per group of `group`
 * consecutive k: the dequantised values q·s, no gradient handling.
 *
 * @example
 * ```ts ignore
 * const wq = fakeTernary(v, 0);
 * ```
 */
export function fakeTernary(v: Tensor, group: number): Tensor {
  const [k, n] = v.shape as [number, number];
  const rows = group === 0 ? k : group;
  const g = tf.reshape(v, [k / rows, rows, n]);
  const s = tf.mean(tf.abs(g), 1, true);
  const q = tf.clipByValue(tf.round(tf.div(g, tf.maximum(s, 1e-30))), -1, 1);
  return tf.reshape(tf.mul(q, s), [k, n]);
}

/** codes·scale/ν per scale group (see the module doc). */
function latentInit(l: LinearExport): Float32Array {
  const { k, n } = l;
  const { group, codes } = l.ternary!;
  const w = effectiveWeights(l)!;
  const rows = group === 0 ? k : group;
  const out = new Float32Array(k * n);
  for (let g0 = 0; g0 < k; g0 += rows) {
    for (let c = 0; c < n; c++) {
      let nz = 0;
      for (let r = g0; r < g0 + rows; r++) if (codes[r * n + c] !== 0) nz++;
      const f = nz > 0 ? rows / nz : 0;
      for (let r = g0; r < g0 + rows; r++) out[r * n + c] = w[r * n + c]! * f;
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
  if (group !== 0 && k % group !== 0) {
    throw new RangeError(`layer ${l.name}: ternary.group: ${group} must divide K = ${k}`);
  }
  const vv = variable(latentInit(l), [k, n], o.trainable);
  const bias = biasOf(l, o.trainable);
  return {
    name: l.name,
    k,
    n,
    op: "ternary",
    apply: (x) => addBias(matmul3(x, straightThrough(vv, (v) => fakeTernary(v, group))), bias),
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
