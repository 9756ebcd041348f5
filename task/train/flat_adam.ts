/**
 * Adam over all of a model's variables at once: their gradients are concatenated into one flat
 * vector, the moment updates and the step run on it, and the step is split back onto the
 * variables. The math is tfjs's `tf.train.adam` (β1 0.9, β2 0.999, ε the backend's epsilon, bias
 * correction by β^t), but a step launches a few dozen kernels for the update (the
 * concatenations of the gradients and of the parameters included) plus one per variable (its
 * slice of the new parameters) instead of about fifteen per variable: on a GPU, where these small
 * models' steps cost their kernel launches, that is most of a transformer's step (the LM has 70
 * variables).
 *
 * @module
 */

import { tf } from "./tf.ts";

/**
 * A flat Adam optimiser over `vars`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "./tf.ts";
 * const w = tf.variable(tf.tensor1d([1, -2]));
 * const opt = flatAdam([w]);
 * for (let i = 0; i < 200; i++) opt.step(() => tf.sum(tf.square(w)) as tf.Scalar, 0.05, 0).dispose();
 * assert.ok(Math.abs((w.dataSync() as Float32Array)[0]!) < 0.05);
 * opt.dispose();
 * w.dispose();
 * ```
 */
export function flatAdam(vars: tf.Variable[]): {
  /** One step at learning rate `lr` (and decoupled weight decay `decay`); returns the loss. */
  step(f: () => tf.Scalar, lr: number, decay: number): tf.Scalar;
  dispose(): void;
} {
  const b1 = 0.9, b2 = 0.999;
  const eps = tf.backend().epsilon();
  const sizes = vars.map((v) => v.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  const v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  let t = 0;
  return {
    step(f, lr, decay) {
      t++;
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(f, vars);
        const flat = tf.concat(
          vars.map((x) => tf.reshape(grads[x.name] ?? tf.zerosLike(x), [-1])),
        );
        m.assign(tf.add(tf.mul(m, b1), tf.mul(flat, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(flat), 1 - b2)));
        const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
        const upd = tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), eps));
        // The parameters step as one vector too (the same elementwise sub and decay as a step
        // per variable); only the split back onto the variables costs a kernel per variable.
        const params = tf.concat(vars.map((x) => tf.reshape(x, [-1])));
        const stepped = tf.sub(params, upd);
        const next = decay > 0 ? tf.mul(stepped, 1 - lr * decay) : stepped;
        const parts = tf.split(next, sizes);
        vars.forEach((x, i) => x.assign(tf.reshape(parts[i]!, x.shape)));
        return value;
      });
    },
    dispose() {
      m.dispose();
      v.dispose();
    },
  };
}
