import assert from "node:assert/strict";
import { tf, useBackend } from "../task/train/tf.ts";
import { geluTf, layerNormTf } from "../task/train/norm_act.ts";
import { LN_EPS } from "../task/model/arch.ts";
import { Rng } from "../harness/data/prng.ts";

await useBackend("cpu");

function plainLayerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
}

function plainGelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

function random(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = new Rng(seed, "norm-act");
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => scale * (2 * rng.next() - 1)), shape);
}

/** Values and gradients (w.r.t. every input) of sum(f(inputs)·w). */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], w: tf.Tensor) {
  const y = f(...xs);
  const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
  return [y, ...grads].map((t) => Array.from(t.dataSync()));
}

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

Deno.test("layerNormTf: the plain composition's values exactly, its gradients (x, g, b) to rounding", () => {
  const x = random([3, 5, 16], 1, 3);
  const g = random([16], 2);
  const b = random([16], 3);
  const w = random([3, 5, 16], 4);
  const got = valueAndGrads(layerNormTf, [x, g, b], w);
  const want = valueAndGrads(plainLayerNorm, [x, g, b], w);
  assert.deepEqual(got[0], want[0]);
  for (let i = 1; i < 4; i++) {
    const d = maxAbsDiff(got[i]!, want[i]!);
    assert.ok(d < 1e-5, `gradient ${i}: ${d}`);
  }
});

Deno.test("geluTf: the plain composition's values exactly, its gradient to rounding", () => {
  const x = random([4, 32], 5, 4);
  const w = random([4, 32], 6);
  const got = valueAndGrads(geluTf, [x], w);
  const want = valueAndGrads(plainGelu, [x], w);
  assert.deepEqual(got[0], want[0]);
  const d = maxAbsDiff(got[1]!, want[1]!);
  assert.ok(d < 1e-5, `gradient: ${d}`);
});
