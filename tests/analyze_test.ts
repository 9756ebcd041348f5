import assert from "node:assert/strict";
import {
  assignSpeedups,
  compareOutputs,
  median,
  medianCiRanks,
  quantileSorted,
  summarize,
} from "../harness/analyze/mod.ts";
import type { CaseResult } from "../harness/types.ts";

Deno.test("quantiles interpolate between order statistics", () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([10], 0.9), 10);
  assert.equal(quantileSorted([0, 10], 0.1), 1);
  assert.equal(median([5, 1, 3]), 3);
  assert.throws(() => quantileSorted([], 0.5), RangeError);
  assert.throws(() => quantileSorted([1], 1.5), RangeError);
});

Deno.test("median CI ranks match the binomial tables", () => {
  // Classic table values (1-based 40 and 61 for n = 100 at 95%).
  assert.deepEqual(medianCiRanks(100, 0.95), [39, 60]);
  // n = 6 reaches 96.9% with the extremes; n = 5 cannot reach 95%: whole range.
  assert.deepEqual(medianCiRanks(6, 0.95), [0, 5]);
  assert.deepEqual(medianCiRanks(5, 0.95), [0, 4]);
  // n = 20: ranks 6 and 15 (1-based) give 95.9%.
  assert.deepEqual(medianCiRanks(20, 0.95), [5, 14]);
  assert.throws(() => medianCiRanks(0), RangeError);
});

Deno.test("summarize computes location, spread, CI and outliers", () => {
  const s = summarize([1, 2, 3, 4, 100]);
  assert.equal(s.median, 3);
  assert.equal(s.min, 1);
  assert.equal(s.max, 100);
  assert.equal(s.mean, 22);
  assert.equal(s.outliers, 1);
  assert.ok(
    Math.abs(
      s.stddev - Math.sqrt(((21 ** 2) + (20 ** 2) + (19 ** 2) + (18 ** 2) + (78 ** 2)) / 4),
    ) < 1e-9,
  );
  assert.ok(Math.abs(s.noise - s.stddev / 22) < 1e-12);
  assert.ok(s.ci.lo <= s.median && s.median <= s.ci.hi);
  const flat = summarize(Array(50).fill(2));
  assert.equal(flat.stddev, 0);
  assert.equal(flat.ciRelHalfWidth, 0);
  assert.throws(() => summarize([]), RangeError);
  assert.throws(() => summarize([1, NaN]), RangeError);
});

Deno.test("error metrics compare outputs with references", () => {
  const exact = compareOutputs(new Float32Array([1, 2, 3]), new Float64Array([1, 2, 3]));
  assert.equal(exact.relError, 0);
  assert.equal(exact.snrDb, Infinity);
  const off = compareOutputs(new Float32Array([1, 2, 4]), new Float64Array([1, 2, 3]));
  assert.ok(Math.abs(off.relError - 1 / Math.sqrt(14)) < 1e-12);
  assert.equal(off.maxAbsError, 1);
  assert.ok(Math.abs(off.snrDb - 10 * Math.log10(14)) < 1e-9);
  const nan = compareOutputs(new Float32Array([NaN, 1]), new Float64Array([1, 1]));
  assert.equal(nan.nonFinite, 1);
  assert.equal(nan.relError, Infinity);
  assert.throws(() => compareOutputs(new Float32Array(2), new Float64Array(3)), RangeError);
});

Deno.test("speedups use the fastest dense case of the same shape and dtype", () => {
  const mk = (id: string, family: string, median: number, dtype = "f32"): CaseResult =>
    ({
      id,
      family,
      kernel: family,
      status: "ok",
      dtype,
      shape: { m: 8, k: 8, n: 8 },
      time: { median },
    }) as unknown as CaseResult;
  const rs = [
    mk("d1", "dense", 2),
    mk("d2", "dense", 1),
    mk("s", "stl", 0.5),
    mk("h", "stl", 1, "f16"),
  ];
  assignSpeedups(rs, (r) => r.family === "dense");
  assert.equal(rs[0]!.speedupVsDense, 0.5);
  assert.equal(rs[2]!.speedupVsDense, 2);
  assert.equal(rs[2]!.denseId, "d2");
  assert.equal(rs[3]!.speedupVsDense, null);
});
