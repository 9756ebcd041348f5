/**
 * What a task's dataset gives the runner (task/experiment.ts): the training samples of a model,
 * the metric an export is scored by (tfjs, and the f64 CPU forward for the check), and the
 * calibration inputs of Wanda and AWQ.
 *
 * - `mnist`: top-1 (%) on the test digits; training digits calibrate.
 * - `brown`: validation perplexity, `exp` of the mean next-token cross-entropy over the first
 *   `testSamples` non-overlapping windows of `ctx` tokens of the validation text (positions
 *   0 … ctx − 2 of a window, each predicting the window's next token: what the kernel path
 *   scores too); training windows of `ctx` tokens, the first `calibSamples` calibrate.
 *
 * @module
 */

import { calibrationInputs } from "./convert.ts";
import { type Digits, head, loadMnist, SPLIT_SEED } from "./data/mnist.ts";
import { BROWN_SPLIT_SEED, loadBrown } from "./data/brown.ts";
import type { ModelExport } from "./export.ts";
import { forwardCpu, top1 } from "./model/forward_cpu.ts";
import {
  crossEntropy,
  lmCalibrationInputs,
  lmConfigOf,
  lmForwardCpu,
} from "./model/lm_forward_cpu.ts";
import type { TaskModel, TaskSuite } from "./suite.ts";
import { buildTfModel } from "./train/model.ts";
import { lmLoss } from "./train/lm_eval.ts";
import { predict, tokenTrainSet, type TrainSet } from "./train/train.ts";
import type { TaskResults } from "./types.ts";

/**
 * A loaded dataset of a task.
 *
 * @example
 * ```ts ignore
 * const data = await loadTaskData(suite);
 * const acc = await data.score(exported);
 * ```
 */
export interface TaskData {
  dataset: TaskResults["dataset"];
  metric: "top1" | "perplexity";
  /** Digits, or token windows of the model's ctx. */
  trainSet(tm: TaskModel): Digits | TrainSet;
  /** The metric of an export, evaluated by tfjs from its weights. */
  score(m: ModelExport): Promise<number>;
  /** The same through the f64 CPU forward. */
  cpuScore(m: ModelExport): number;
  /** Every linear's inputs in `m` on the calibration samples (training data only). */
  calibration(m: ModelExport): Map<string, { x: Float32Array; rows: number }>;
  /** A score as the log shows it. */
  format(v: number): string;
}

async function tfScore(
  m: ModelExport,
  f: (model: ReturnType<typeof buildTfModel>) => Promise<number>,
) {
  const model = buildTfModel(m, { trainable: false, mask: "fixed", maskEvery: 1 });
  try {
    return await f(model);
  } finally {
    model.dispose();
  }
}

function mnistData(suite: TaskSuite): TaskData {
  const { train: fullTrain, test: fullTest } = loadMnist();
  const train = head(fullTrain, suite.trainSamples);
  const test = head(fullTest, suite.testSamples);
  const calibCount = Math.min(suite.calibSamples, train.count);
  return {
    dataset: { name: "mnist", train: train.count, test: test.count, splitSeed: SPLIT_SEED },
    metric: "top1",
    trainSet: () => train,
    score: (m) => tfScore(m, async (model) => top1(await predict(model, test), test.labels)),
    cpuScore: (m) => top1(forwardCpu(m, test.images, test.count), test.labels),
    calibration: (m) =>
      calibrationInputs(m, train.images.subarray(0, calibCount * 784), calibCount),
    format: (v) => `top-1 ${v.toFixed(2)}%`,
  };
}

async function brownData(suite: TaskSuite): Promise<TaskData> {
  const brown = await loadBrown();
  const train = brown.train.subarray(0, Math.min(suite.trainSamples, brown.train.length));
  const windows = (m: ModelExport) => {
    const c = lmConfigOf(m);
    return {
      ctx: c.ctx,
      count: Math.min(suite.testSamples, Math.floor(brown.validation.length / c.ctx)),
    };
  };
  return {
    dataset: {
      name: "brown",
      train: train.length,
      test: suite.testSamples,
      splitSeed: BROWN_SPLIT_SEED,
      source: brown.source,
    },
    metric: "perplexity",
    trainSet: (tm) => {
      if (tm.config.arch !== "lm") throw new RangeError(`model: brown takes lm, got ${tm.model}`);
      return tokenTrainSet(train, tm.config.ctx, tm.config.vocab);
    },
    score: (m) =>
      tfScore(m, async (model) => {
        const { ctx, count } = windows(m);
        return Math.exp(await lmLoss(model, brown.validation, ctx, count));
      }),
    cpuScore: (m) => {
      const { ctx, count } = windows(m);
      const ids = brown.validation.subarray(0, count * ctx);
      const logits = lmForwardCpu(m, ids, count, ctx);
      const targets = Int32Array.from(
        { length: count * ctx },
        (_, i) => (i % ctx === ctx - 1 ? -1 : ids[i + 1]!),
      );
      return Math.exp(crossEntropy(logits, targets, lmConfigOf(m).vocab));
    },
    calibration: (m) => {
      const ctx = lmConfigOf(m).ctx;
      const count = Math.min(suite.calibSamples, Math.floor(train.length / ctx));
      return lmCalibrationInputs(m, train, count, ctx);
    },
    format: (v) => `perplexity ${v.toFixed(3)}`,
  };
}

/**
 * The dataset of a validated suite, loaded.
 *
 * @example
 * ```ts ignore
 * const data = await loadTaskData(suite);
 * ```
 */
export async function loadTaskData(suite: TaskSuite): Promise<TaskData> {
  return suite.dataset === "brown" ? await brownData(suite) : mnistData(suite);
}
