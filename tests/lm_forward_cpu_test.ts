import assert from "node:assert/strict";
import { convertModel, randomExport } from "../task/convert.ts";
import { checkLinearExport } from "../task/export.ts";
import type { LmConfig } from "../task/model/arch.ts";
import { crossEntropy, lmForwardCpu } from "../task/model/lm_forward_cpu.ts";
import { Rng } from "../harness/data/prng.ts";

const LM: LmConfig = { arch: "lm", vocab: 13, ctx: 9, dim: 16, depth: 2, heads: 2, mlp: 32 };

function ids(count: number, len: number, seed: number): Int32Array {
  const rng = new Rng(seed, "test-ids");
  return Int32Array.from({ length: count * len }, () => Math.floor(rng.next() * LM.vocab));
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

Deno.test("lm forward: the exact STL encoder (t = 4, r = 49) reproduces the dense LM", () => {
  const dense = randomExport(LM, 5);
  const stl = convertModel(dense, { op: "stl", t: 4, r: 49, init: "strassen2" }, new Map());
  for (const l of stl.layers) checkLinearExport(l);
  assert.deepEqual(
    stl.layers.map((l) => l.op),
    [...Array(12).fill("stl"), "dense"],
  );
  const x = ids(3, 9, 1);
  const d = lmForwardCpu(dense, x, 3, 9);
  const s = lmForwardCpu(stl, x, 3, 9);
  assert.ok(maxRelDiff(s, d) < 1e-5, `${maxRelDiff(s, d)}`);
});

Deno.test("lm forward: causal and per sequence, also through an approximate STL", () => {
  const dense = randomExport(LM, 6);
  const stl = convertModel(dense, { op: "stl", t: 4, r: 24, init: "cp-als" }, new Map());
  for (const m of [dense, stl]) {
    const a = ids(2, 8, 2);
    const b = Int32Array.from(a);
    b[5] = (b[5]! + 1) % LM.vocab; // a later token of sequence 0
    b[8 + 7] = (b[8 + 7]! + 3) % LM.vocab; // the last token of sequence 1
    const ya = lmForwardCpu(m, a, 2, 8);
    const yb = lmForwardCpu(m, b, 2, 8);
    const v = LM.vocab;
    // sequence 0: positions 0…4 unchanged, position 5 changed
    assert.deepEqual(ya.subarray(0, 5 * v), yb.subarray(0, 5 * v));
    assert.notDeepEqual(ya.subarray(5 * v, 6 * v), yb.subarray(5 * v, 6 * v));
    // sequence 1: positions 0…6 unchanged
    assert.deepEqual(ya.subarray(8 * v, 15 * v), yb.subarray(8 * v, 15 * v));
    // a sequence's logits do not depend on the batch it is in
    const alone = lmForwardCpu(m, a.subarray(8), 1, 8);
    assert.ok(maxRelDiff(alone, ya.subarray(8 * v)) < 1e-12);
  }
  const approx = maxRelDiff(
    lmForwardCpu(stl, ids(1, 8, 3), 1, 8),
    lmForwardCpu(dense, ids(1, 8, 3), 1, 8),
  );
  assert.ok(approx > 1e-3, `cp-als r = 24 should be approximate, got ${approx}`);
});

Deno.test("lm forward: a random LM predicts near-uniformly; bad ids and lengths are named", () => {
  const m = randomExport(LM, 7);
  const x = ids(2, 9, 4);
  const logits = lmForwardCpu(m, x, 2, 9);
  const targets = Int32Array.from(x.subarray(1).values()).slice(0, 17);
  const ce = crossEntropy(logits, Int32Array.from([...targets, -1]), LM.vocab);
  assert.ok(Math.abs(ce - Math.log(LM.vocab)) < 1, `${ce}`); // logits of std ≈ 1
  assert.throws(() => lmForwardCpu(m, x, 1, 10), /len: must be an integer in 1…9/);
  assert.throws(
    () => lmForwardCpu(m, Int32Array.from([13]), 1, 1),
    /ids\[0\]: must be a token id in 0…12/,
  );
  assert.throws(() => lmForwardCpu(m, x, 3, 9), /ids: 18 ids do not hold 3 sequences of 9/);
});
