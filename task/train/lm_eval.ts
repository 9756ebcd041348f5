/**
 * Scoring a language model in tfjs: the mean next-token cross-entropy (nats a token) over the
 * first `count` non-overlapping windows of `len` ids of a token stream, and perplexity, its
 * exponential. Positions 0 … len − 2 of a window are scored, each predicting the window's next
 * id (early positions see little context, as in training); the last position, whose target lies
 * outside the window, is not: so the library, the CPU forward and the kernels (which see only
 * the window) score the same len − 1 predictions a window.
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { TfModel } from "./model.ts";
import { tokenTrainSet } from "./train.ts";
import { Rng } from "../../harness/data/prng.ts";

/**
 * Mean cross-entropy of `model` over `count` windows of `len` ids of `ids` (all windows when
 * count exceeds them; positions 0 … len − 2 of each), `batch` windows a forward pass.
 *
 * @example
 * ```ts ignore
 * const ce = await lmLoss(model, validation, 128, 256);
 * const perplexity = Math.exp(ce);
 * ```
 */
export async function lmLoss(
  model: TfModel,
  ids: Int32Array,
  len: number,
  count: number,
  batch = 32,
): Promise<number> {
  if (model.config.arch !== "lm") {
    throw new RangeError(`arch: must be lm, got ${model.config.arch}`);
  }
  const set = tokenTrainSet(ids, len, model.config.vocab);
  const n = Math.min(count, set.count);
  if (n < 1) throw new RangeError(`ids: ${ids.length} ids hold no window of ${len}`);
  const rng = new Rng(0);
  if (len < 2) throw new RangeError(`len: must be ≥ 2 to score a prediction, got ${len}`);
  let sum = 0;
  for (let s0 = 0; s0 < n; s0 += batch) {
    const b = Math.min(batch, n - s0);
    const picked = Uint32Array.from({ length: b }, (_, i) => s0 + i);
    const { x, y } = set.batch(picked, rng);
    const w = Float32Array.from({ length: b * len }, (_, i) => (i % len === len - 1 ? 0 : 1));
    const total = tf.tidy(() =>
      tf.losses.softmaxCrossEntropy(y, model.forward(x), tf.tensor1d(w), 0, tf.Reduction.SUM)
    );
    sum += (await total.data())[0]!;
    total.dispose();
    x.dispose();
    y.dispose();
  }
  return sum / (n * (len - 1));
}
