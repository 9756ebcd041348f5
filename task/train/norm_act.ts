/**
 * LayerNorm and GELU for the tfjs models, each one differentiable op with its analytic gradient.
 * Their forward passes are the same tfjs ops, in the same order, as the plain compositions (so the
 * same values); their backward passes are the closed-form derivatives, written with the fewest
 * tfjs kernels, where tfjs's automatic differentiation of the composition launches about three
 * times as many: a training step of these small models costs its kernel launches, so this is a
 * large share of a transformer's step. The gradients equal the automatic ones up to float
 * rounding (the sums run in another order).
 *
 * @module
 */

import { tf } from "./tf.ts";
import { LN_EPS } from "../model/arch.ts";

type Tensor = tf.Tensor;

/** Column sums of `t` [..., d] over every leading axis: [d]. */
function columnSums(t: Tensor): Tensor {
  const d = t.shape[t.rank - 1]!;
  return tf.sum(tf.reshape(t, [-1, d]), 0);
}

const layerNormOp = tf.customGrad((...args) => {
  const [x, g, b] = args as Tensor[];
  const save = args[3] as unknown as (ts: Tensor[]) => void;
  const mean = tf.mean(x!, -1, true);
  const centred = tf.sub(x!, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  const sd = tf.sqrt(tf.add(variance, LN_EPS));
  const xhat = tf.div(centred, sd);
  save([xhat, sd, g!]);
  return {
    value: tf.add(tf.mul(xhat, g!), b!),
    gradFunc: (dy, saved) => {
      const [xh, s, gain] = saved as Tensor[];
      const d = dy as Tensor;
      const gdy = tf.mul(d, gain!);
      const m1 = tf.mean(gdy, -1, true);
      const m2 = tf.mean(tf.mul(gdy, xh!), -1, true);
      const dx = tf.div(tf.sub(tf.sub(gdy, m1), tf.mul(xh!, m2)), s!);
      return [dx, columnSums(tf.mul(d, xh!)), columnSums(d)];
    },
  };
});

/**
 * LayerNorm over the last axis, `(x − mean)/sqrt(var + LN_EPS)·g + b` with the biased variance
 * (task/model/forward_cpu.ts), g and b of the last axis's size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "./tf.ts";
 * const y = layerNormTf(tf.tensor2d([[1, 3]]), tf.tensor1d([1, 1]), tf.tensor1d([0, 0]));
 * const [a, b] = y.dataSync();
 * assert.ok(Math.abs(a! + 1) < 1e-4 && Math.abs(b! - 1) < 1e-4);
 * ```
 */
export function layerNormTf(x: Tensor, g: Tensor, b: Tensor): Tensor {
  return layerNormOp(x, g, b) as Tensor;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

const geluOp = tf.customGrad((...args) => {
  const x = args[0] as Tensor;
  const save = args[1] as unknown as (ts: Tensor[]) => void;
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), GELU_K)), GELU_C);
  const t = tf.tanh(inner);
  const half = tf.mul(x, 0.5);
  const onePlus = tf.add(t, 1);
  save([x, t, half, onePlus]);
  return {
    value: tf.mul(half, onePlus),
    // d/dx ½x(1 + tanh u) = ½(1 + tanh u) + ½x(1 − tanh²u)·c(1 + 3k·x²).
    gradFunc: (dy, saved) => {
      const [xs, th, hx, op] = saved as Tensor[];
      const du = tf.add(tf.mul(tf.square(xs!), 3 * GELU_K * GELU_C), GELU_C);
      const sech2 = tf.sub(1, tf.square(th!));
      const slope = tf.add(tf.mul(op!, 0.5), tf.mul(tf.mul(hx!, sech2), du));
      return tf.mul(dy as Tensor, slope);
    },
  };
});

/**
 * GELU in its tanh form, `½x(1 + tanh(sqrt(2/π)(x + 0.044715x³)))` (as forward_cpu.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "./tf.ts";
 * const [z, one] = geluTf(tf.tensor1d([0, 1])).dataSync();
 * assert.equal(z, 0);
 * assert.ok(Math.abs(one! - 0.8412) < 1e-3);
 * ```
 */
export function geluTf(x: Tensor): Tensor {
  return geluOp(x) as Tensor;
}
