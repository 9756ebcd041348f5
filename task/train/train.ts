/**
 * Training and evaluating a {@link TfModel}: Adam (all variables as one flat vector,
 * task/train/flat_adam.ts) on softmax cross-entropy (an LM's: over every
 * position of its windows), seeded batch order,
 * linear warm-up then cosine decay of the learning rate, the loss read back every few steps.
 *
 * @module
 */

import { tf } from "./tf.ts";
import { flatAdam } from "./flat_adam.ts";
import type { TfModel } from "./model.ts";
import { CLASSES, type Digits, IMAGE_PIXELS } from "../data/mnist.ts";
import { seededPermutation } from "../data/mnist.ts";
import { Rng } from "../../harness/data/prng.ts";

/**
 * A training budget.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b: Budget = { epochs: 2, batch: 128, lr: 1e-3 };
 * assert.equal(budgetSteps(b, 8000), Math.ceil((2 * 8000) / 128)); // steps over both epochs
 * ```
 */
export interface Budget {
  /** Passes over the training samples (fractions allowed: steps = ⌈epochs·samples/batch⌉). */
  epochs: number;
  /** Optimiser steps, instead of epochs (the LM's budgets: a step's cost hardly depends on the
   * model on a GPU). */
  steps?: number;
  /** Samples per step. */
  batch: number;
  /** Peak learning rate of Adam. */
  lr: number;
  /** Fraction of the steps spent warming up linearly (default 0.05). */
  warmup?: number;
  /** Decoupled L2 weight decay per step (AdamW-style, default 0). */
  weightDecay?: number;
  /** Augmentation: each training image shifted by up to ±shift pixels in x and y (default 0). */
  shift?: number;
}

/**
 * Copies the images at `indices` into `out` (rows of 784), each moved by a random (dx, dy) in
 * [−shift, shift]² drawn from `rng` (pixels moved in from outside are 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../../harness/data/prng.ts";
 * const img = new Float32Array(784);
 * img[14 * 28 + 14] = 1;
 * const out = new Float32Array(784);
 * shiftedBatch(img, [0], 0, new Rng(1), out);
 * assert.equal(out[14 * 28 + 14], 1);
 * ```
 */
export function shiftedBatch(
  images: Float32Array,
  indices: ArrayLike<number>,
  shift: number,
  rng: Rng,
  out: Float32Array,
): Float32Array {
  const side = 28;
  out.fill(0);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]! * IMAGE_PIXELS;
    const dst = i * IMAGE_PIXELS;
    const dx = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    const dy = shift > 0 ? rng.nextInt(2 * shift + 1) - shift : 0;
    for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
      const sy = y - dy;
      const x0 = Math.max(0, dx);
      const x1 = Math.min(side, side + dx);
      out.set(
        images.subarray(src + sy * side + x0 - dx, src + sy * side + x1 - dx),
        dst + y * side + x0,
      );
    }
  }
  return out;
}

/**
 * What a training run did.
 *
 * @example
 * ```ts
 * const r: TrainRun = { steps: 10, losses: [2.3, 1.1], lossEvery: 5, ms: 120 };
 * ```
 */
export interface TrainRun {
  steps: number;
  /** Mean loss of each window of `lossEvery` steps, in order. */
  losses: number[];
  lossEvery: number;
  ms: number;
}

/**
 * Steps a budget takes on `samples` training digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(budgetSteps({ epochs: 1.5, batch: 100, lr: 1e-3 }, 1000), 15);
 * ```
 */
export function budgetSteps(b: Budget, samples: number): number {
  if (b.steps !== undefined) return b.steps;
  return Math.max(1, Math.ceil((b.epochs * samples) / b.batch));
}

/**
 * Training samples as tfjs batches: the input and one-hot targets of the samples at `indices`
 * (the caller disposes both).
 *
 * @example
 * ```ts ignore
 * const set = tokenTrainSet(ids, 128, 96);
 * const { x, y } = set.batch(Uint32Array.from([0, 1]), new Rng(1));
 * ```
 */
export interface TrainSet {
  /** Samples an epoch passes over. */
  count: number;
  batch(indices: Uint32Array, rng: Rng): { x: tf.Tensor; y: tf.Tensor };
  dispose(): void;
}

/**
 * Digits as a {@link TrainSet}: images [B, 784] (shifted by up to ±shift pixels, drawn from
 * `rng`), one-hot labels [B, 10].
 *
 * @example
 * ```ts ignore
 * const set = digitsTrainSet(train, 2);
 * ```
 */
export function digitsTrainSet(data: Digits, shift: number): TrainSet {
  const n = data.count;
  const xs = tf.tensor2d(data.images, [n, IMAGE_PIXELS]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels, "int32"), CLASSES).toFloat());
  let buf = new Float32Array(0);
  return {
    count: n,
    batch(indices, rng) {
      return tf.tidy(() => {
        const idx = tf.tensor1d(Int32Array.from(indices), "int32");
        if (buf.length !== indices.length * IMAGE_PIXELS) {
          buf = new Float32Array(indices.length * IMAGE_PIXELS);
        }
        const x = shift > 0
          ? tf.tensor2d(shiftedBatch(data.images, indices, shift, rng, buf), [
            indices.length,
            IMAGE_PIXELS,
          ])
          : tf.gather(xs, idx);
        return { x, y: tf.gather(ys, idx) };
      });
    },
    dispose() {
      xs.dispose();
      ys.dispose();
    },
  };
}

/**
 * A token stream as a {@link TrainSet}: sample i is the window of `len` ids starting at i·len
 * (non-overlapping; ⌊(ids − 1)/len⌋ of them), its targets the next ids: x [B, len] int32, y
 * one-hot [B·len, vocab].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../../harness/data/prng.ts";
 * const set = tokenTrainSet(Int32Array.from([1, 2, 3, 4, 5, 6, 7]), 3, 8);
 * assert.equal(set.count, 2);
 * const { x, y } = set.batch(Uint32Array.from([1]), new Rng(1));
 * assert.deepEqual([...x.dataSync()], [4, 5, 6]);
 * assert.deepEqual([...y.argMax(-1).dataSync()], [5, 6, 7]);
 * x.dispose();
 * y.dispose();
 * ```
 */
export function tokenTrainSet(ids: Int32Array, len: number, vocab: number): TrainSet {
  const count = Math.floor((ids.length - 1) / len);
  return {
    count,
    batch(indices) {
      const b = indices.length;
      const x = new Int32Array(b * len);
      const y = new Int32Array(b * len);
      for (let i = 0; i < b; i++) {
        const at = indices[i]! * len;
        x.set(ids.subarray(at, at + len), i * len);
        y.set(ids.subarray(at + 1, at + len + 1), i * len);
      }
      return tf.tidy(() => ({
        x: tf.tensor2d(x, [b, len], "int32"),
        y: tf.cast(tf.oneHot(tf.tensor1d(y, "int32"), vocab), "float32"),
      }));
    },
    dispose() {},
  };
}

/**
 * Learning rate at step `s` (0-based) of `steps`: linear warm-up over `warmup·steps` steps, then
 * cosine decay to 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(learningRate(0.1, 0, 100, 0), 0.1);
 * assert.ok(learningRate(0.1, 99, 100, 0) < 1e-3);
 * ```
 */
export function learningRate(lr: number, s: number, steps: number, warmup: number): number {
  const w = Math.floor(warmup * steps);
  if (s < w) return (lr * (s + 1)) / w;
  const p = (s - w) / Math.max(1, steps - w);
  return 0.5 * lr * (1 + Math.cos(Math.PI * p));
}

/**
 * Trains `model` on `data` for `budget`, the batch order drawn from the stream `batches:<e>` of
 * `seed` (epoch e). `log` sees progress lines.
 *
 * @example
 * ```ts ignore
 * const run = await trainModel(model, train, { epochs: 1, batch: 128, lr: 1e-3 }, 1);
 * ```
 */
export async function trainModel(
  model: TfModel,
  data: Digits | TrainSet,
  budget: Budget,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<TrainRun> {
  const t0 = performance.now();
  const set = "images" in data ? digitsTrainSet(data, budget.shift ?? 0) : data;
  const n = set.count;
  if (n < budget.batch) {
    throw new RangeError(`batch: ${budget.batch} is more than the ${n} training samples`);
  }
  const steps = budgetSteps(budget, n);
  const lossEvery = Math.max(1, Math.min(25, Math.floor(steps / 20) || 1));
  const vars = model.variables().filter((v) => v.trainable);
  const opt = flatAdam(vars);
  const decay = budget.weightDecay ?? 0;
  const augRng = new Rng(seed, "shift");
  const losses: number[] = [];
  let pending: tf.Scalar[] = [];
  let order = seededPermutation(n, seed, "batches:0");
  let at = 0;
  let epoch = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const s = tf.tidy(() => tf.mean(tf.stack(pending)));
    const v = (await s.data())[0]!;
    s.dispose();
    pending.forEach((p) => p.dispose());
    pending = [];
    if (!Number.isFinite(v)) {
      throw new Error(`training diverged: loss ${v} at step ${losses.length * lossEvery}`);
    }
    losses.push(v);
  };
  try {
    for (let s = 0; s < steps; s++) {
      if (at + budget.batch > n) {
        epoch++;
        order = seededPermutation(n, seed, `batches:${epoch}`);
        at = 0;
      }
      const picked = order.subarray(at, at + budget.batch);
      const { x, y } = set.batch(picked, augRng);
      at += budget.batch;
      const lr = learningRate(budget.lr, s, steps, budget.warmup ?? 0.05);
      const loss = opt.step(
        () => tf.losses.softmaxCrossEntropy(y, model.forward(x)) as tf.Scalar,
        lr,
        decay,
      );
      x.dispose();
      y.dispose();
      await model.afterStep(s + 1);
      pending.push(loss);
      if (pending.length === lossEvery) {
        await flush();
        if (losses.length % 5 === 0) {
          log(`step ${s + 1}/${steps} loss ${losses.at(-1)!.toFixed(4)}`);
        }
      }
    }
    await flush();
  } finally {
    pending.forEach((p) => p.dispose());
    if (set !== data) set.dispose();
    opt.dispose();
  }
  return { steps, losses, lossEvery, ms: performance.now() - t0 };
}

/**
 * The model's logits (count×10) on `data`, in batches of `batch`.
 *
 * @example
 * ```ts ignore
 * const logits = await predict(model, test);
 * ```
 */
export async function predict(model: TfModel, data: Digits, batch = 500): Promise<Float32Array> {
  const out = new Float32Array(data.count * CLASSES);
  for (let s0 = 0; s0 < data.count; s0 += batch) {
    const n = Math.min(batch, data.count - s0);
    const y = tf.tidy(() =>
      model.forward(
        tf.tensor2d(data.images.subarray(s0 * IMAGE_PIXELS, (s0 + n) * IMAGE_PIXELS), [
          n,
          IMAGE_PIXELS,
        ]),
      )
    );
    out.set(await y.data() as Float32Array, s0 * CLASSES);
    y.dispose();
  }
  return out;
}
