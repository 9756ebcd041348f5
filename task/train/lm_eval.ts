/**
 * Scoring a language model in tfjs: the mean next-token cross-entropy (nats a token) over the
 * first `count` non-overlapping windows of `len` ids of a token stream (every position of a
 * window predicts the id after it; early positions see little context, as in training), and
 * perplexity, its exponential.
 *
 * @module
 */

import { tf } from "./tf.ts";
import type { TfModel } from "./model.ts";
import { tokenTrainSet } from "./train.ts";
import { Rng } from "../../harness/data/prng.ts";

/**
 * Mean cross-entropy of `model` over `count` windows of `len` ids of `ids` (all windows when
 * count exceeds them), `batch` windows a forward pass.
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
  let sum = 0;
  for (let s0 = 0; s0 < n; s0 += batch) {
    const picked = Uint32Array.from({ length: Math.min(batch, n - s0) }, (_, i) => s0 + i);
    const { x, y } = set.batch(picked, rng);
    const total = tf.tidy(() =>
      tf.losses.softmaxCrossEntropy(y, model.forward(x), undefined, 0, tf.Reduction.SUM)
    );
    sum += (await total.data())[0]!;
    total.dispose();
    x.dispose();
    y.dispose();
  }
  return sum / (n * len);
}
