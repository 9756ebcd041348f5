/**
 * The Monarch operator as a tfjs layer: the factors R (K×b) and L (b×N) of kernels/monarch's
 * layout are the variables, and the layer multiplies by M[k, n] = R[k, n mod b]·L[⌊k/p⌋, n]
 * (p = ⌈K/b⌉), formed each step as (R·E) ⊙ (F·L) with the one-hot E (b×N, E[l, n] = [n mod b
 * = l]) and F (K×b, F[k, i] = [⌊k/p⌋ = i]). Each entry of either product is a single term, so M
 * is exact in f32 and the gradients reach R and L through plain matMuls. (Forming M costs K·N
 * per step; at these sizes that is cheaper than two batched block products in tfjs. The
 * kernels never form M.)
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { LinearExport } from "../export.ts";
import {
  biasOf,
  type LinearOptions,
  matmul3,
  read,
  type TfLinear,
  variable,
  withBias,
} from "./layer_util.ts";

/**
 * A tfjs layer of a monarch export (its factors trainable unless `o.trainable` is false).
 *
 * @example
 * ```ts ignore
 * const layer = monarchLayer(exported, { trainable: true, mask: "fixed", maskEvery: 1 });
 * ```
 */
export function monarchLayer(l: LinearExport, o: LinearOptions): TfLinear {
  const { k, n } = l;
  const { blocks: b, r, l: lf } = l.monarch!;
  if (b > Math.min(k, n)) {
    throw new RangeError(`layer ${l.name}: monarch.blocks: ${b} exceeds min(K, N) of ${k}×${n}`);
  }
  const p = Math.ceil(k / b);
  const rv = variable(r, [k, b], o.trainable);
  const lv = variable(lf, [b, n], o.trainable);
  const e = new Float32Array(b * n);
  for (let c = 0; c < n; c++) e[(c % b) * n + c] = 1;
  const f = new Float32Array(k * b);
  for (let j = 0; j < k; j++) f[j * b + Math.floor(j / p)] = 1;
  const et = tf.tensor(e, [b, n], "float32");
  const ft = tf.tensor(f, [k, b], "float32");
  const bias = biasOf(l, o.trainable);
  const weights = () =>
    tf.mul(
      tf.matMul(rv as tf.Tensor2D, et as tf.Tensor2D),
      tf.matMul(ft as tf.Tensor2D, lv as tf.Tensor2D),
    );
  const vars = [rv, lv];
  if (bias) vars.push(bias);
  return {
    name: l.name,
    k,
    n,
    op: "monarch",
    apply: (x) => matmul3(x, weights(), bias),
    variables: vars,
    afterStep: async () => {},
    toExport: async () =>
      withBias({
        name: l.name,
        k,
        n,
        op: "monarch",
        monarch: { blocks: b, r: await read(rv), l: await read(lv) },
      }, bias),
    dispose: () => {
      vars.forEach((v) => v.dispose());
      et.dispose();
      ft.dispose();
    },
  };
}
