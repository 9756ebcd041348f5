import assert from "node:assert/strict";
import { convertModel, randomExport } from "../task/convert.ts";
import type { LmConfig } from "../task/model/arch.ts";
import { crossEntropy, lmCalibrationInputs, lmForwardCpu } from "../task/model/lm_forward_cpu.ts";
import { tf, useBackend } from "../task/train/tf.ts";
import { buildTfModel } from "../task/train/model.ts";
import { tokenTrainSet, trainModel } from "../task/train/train.ts";
import { lmLoss } from "../task/train/lm_eval.ts";
import { loadBrown } from "../task/data/brown.ts";
import { VOCAB } from "../task/data/chars.ts";
import { Rng } from "../harness/data/prng.ts";
import type { OperatorSpec } from "../task/operators.ts";

const LM: LmConfig = { arch: "lm", vocab: VOCAB, ctx: 16, dim: 16, depth: 2, heads: 2, mlp: 32 };
const OPS: OperatorSpec[] = [
  { op: "dense" },
  { op: "stl", t: 4, r: 8, init: "random" },
  { op: "stl", t: 4, r: 49, init: "strassen2" },
  { op: "sparse24", mask: "wanda" },
  { op: "int4", group: 16, method: "awq" },
  { op: "int4", group: 16, method: "rtn" },
  { op: "int8", outliers: "llm-int8", threshold: 2, smooth: 0.5 },
  { op: "ternary", group: 0, method: "absmean" },
  { op: "monarch", blocks: 4 },
];

function ids(count: number, seed: number): Int32Array {
  const rng = new Rng(seed, "test-ids");
  return Int32Array.from({ length: count }, () => rng.nextInt(VOCAB));
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

await useBackend("wasm");

Deno.test("lm: the tfjs forward of every operator's export matches lmForwardCpu; lmLoss its cross-entropy", async () => {
  const dense = randomExport(LM, 2);
  const calib = lmCalibrationInputs(dense, ids(4 * 16, 3), 4, 16);
  const x = ids(3 * 16 + 1, 1);
  for (const op of OPS) {
    const m = convertModel(dense, op, calib);
    const want = lmForwardCpu(m, x, 3, 16);
    for (const trainable of [false, true]) {
      const model = buildTfModel(m, { trainable, mask: "fixed", maskEvery: 1 });
      const got = tf.tidy(() => model.forward(tf.tensor2d(x.subarray(0, 48), [3, 16], "int32")));
      const d = maxRel(await got.data() as Float32Array, want);
      got.dispose();
      assert.ok(d < 1e-4, `${JSON.stringify(op)} trainable ${trainable}: ${d}`);
      if (!trainable) {
        const ce = await lmLoss(model, x, 16, 3, 2);
        const targets = Int32Array.from({ length: 48 }, (_, i) => (i % 16 === 15 ? -1 : x[i + 1]!));
        const cpu = crossEntropy(want, targets, VOCAB);
        assert.ok(Math.abs(ce - cpu) < 1e-4, `${JSON.stringify(op)}: ${ce} vs ${cpu}`);
      }
      model.dispose();
    }
  }
});

Deno.test("lm: a few hundred steps on Brown text bring validation loss well below uniform", async () => {
  const brown = await loadBrown();
  const model = buildTfModel(randomExport(LM, 1), { trainable: true, mask: "fixed", maskEvery: 1 });
  try {
    const before = await lmLoss(model, brown.validation, 16, 64);
    const run = await trainModel(
      model,
      tokenTrainSet(brown.train.subarray(0, 200_000), 16, VOCAB),
      { epochs: 1, steps: 300, batch: 16, lr: 0.01 },
      1,
    );
    const after = await lmLoss(model, brown.validation, 16, 64);
    assert.ok(before > Math.log(VOCAB) - 0.5, `before ${before}`);
    // unigram character entropy of English is about 3 nats; uniform is ln 96 = 4.56
    assert.ok(after < 2.9, `validation loss ${after} after ${run.steps} steps`);
    assert.ok(run.losses.at(-1)! < run.losses[0]!);
  } finally {
    model.dispose();
  }
});
