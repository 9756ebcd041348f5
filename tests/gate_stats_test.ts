import assert from "node:assert/strict";
import { bootstrapMedianRatio } from "../harness/analyze/bootstrap.ts";
import { mannWhitneyU } from "../harness/analyze/mann_whitney.ts";
import { erfc, normalUpperTail } from "../harness/analyze/normal.ts";

const close = (a: number, b: number, rel: number, msg = "") =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${msg} ${a} vs ${b}`);

Deno.test("erfc matches SciPy to 1.2e-7 relative", () => {
  close(erfc(-1.5), 1.9661051464753108, 1.2e-7);
  close(erfc(0.3), 0.6713732405408726, 1.2e-7);
  close(erfc(2.0), 0.004677734981047266, 1.2e-7);
  close(erfc(4.0), 1.541725790028002e-08, 1.2e-7);
  close(erfc(0), 1, 1.2e-7);
  close(normalUpperTail(1.6448536269514722), 0.05, 1e-6);
});

Deno.test("Mann-Whitney exact p-value without ties matches SciPy (method='exact')", () => {
  const x = [0.614, -1.1967, -0.3224, -0.0068, -0.4453, -0.0541, 1.3388, -0.5169, -1.2593, -1.8367];
  const y = [
    0.5952,
    0.4477,
    1.0651,
    0.3358,
    0.3214,
    0.0787,
    0.2802,
    0.9602,
    0.4196,
    0.9004,
    2.7012,
    1.2791,
  ];
  const r = mannWhitneyU(x, y);
  assert.equal(r.method, "exact");
  assert.equal(r.u, 18);
  close(r.pValue, 0.004429007524982757, 1e-9);
  // Symmetric in the order of the samples.
  close(mannWhitneyU(y, x).pValue, r.pValue, 1e-12);
  assert.equal(mannWhitneyU(y, x).u, 120 - 18);
});

Deno.test("Mann-Whitney exact p-value with ties is the permutation distribution of mid-ranks", () => {
  // Reference: all C(13, 6) splits enumerated in Python with scipy.stats.rankdata mid-ranks.
  const r = mannWhitneyU([1, 2, 2, 3, 4, 5], [2, 3, 3, 4, 6, 7, 8]);
  assert.equal(r.method, "exact");
  assert.equal(r.ties, true);
  assert.equal(r.u, 10.5);
  close(r.pValue, 0.14219114219114218, 1e-9);
});

Deno.test("Mann-Whitney normal approximation with tie and continuity corrections matches SciPy", () => {
  // deno-fmt-ignore
  const x = [9.2, 8.7, 9.8, 10.4, 11.1, 10.1, 9.4, 9.2, 10.7, 11.6, 10.3, 8.8, 9.0, 11.6, 10.2, 8.3,
    9.9, 8.8, 9.4, 9.5, 9.3, 10.6, 9.9, 9.4, 10.4, 10.8, 8.4, 9.7, 9.0, 9.8, 8.7, 10.0, 10.0, 9.7, 9.0,
    9.6, 8.9, 8.6, 10.2, 8.9];
  // deno-fmt-ignore
  const y = [11.8, 11.3, 8.6, 10.9, 9.5, 10.6, 10.6, 8.6, 10.4, 10.3, 11.6, 9.4, 11.3, 9.5, 10.3, 9.8,
    12.0, 11.2, 13.0, 11.2, 11.4, 11.4, 10.0, 10.5, 12.0, 10.2, 10.8, 10.6, 11.2, 10.2, 10.4, 10.8,
    10.7, 9.7, 11.5, 9.3, 9.4, 9.3, 11.6, 10.2, 9.6, 9.5, 11.0, 9.5, 9.3];
  const r = mannWhitneyU(x, y);
  assert.equal(r.method, "normal");
  assert.equal(r.u, 473);
  close(r.pValue, 0.00017146105455250038, 1e-5);
  // The exact permutation p-value (forced) agrees with a 2-million-permutation Monte Carlo
  // estimate in NumPy (0.000117); the normal approximation is coarser this far in the tail.
  const exact = mannWhitneyU(x, y, { method: "exact" }).pValue;
  assert.ok(exact > 0.0001 && exact < 0.00014, `${exact}`);
});

Deno.test("Mann-Whitney: identical samples give p = 1; bad input is refused", () => {
  assert.equal(mannWhitneyU([1, 1, 1], [1, 1, 1]).pValue, 1);
  assert.equal(mannWhitneyU([1, 1, 1], [1, 1, 1], { method: "normal" }).pValue, 1);
  assert.throws(() => mannWhitneyU([], [1]), /non-empty samples, got sizes 0 and 1/);
  assert.throws(() => mannWhitneyU([1, NaN], [1]), /not finite: NaN/);
});

Deno.test("bootstrap CI of the ratio of medians is seeded, covers the truth, and is ordered", () => {
  const base = [1.0, 1.02, 0.98, 1.05, 0.97, 1.01, 0.99, 1.03];
  const cur = base.map((x) => 2 * x);
  const a = bootstrapMedianRatio(base, cur, { seed: 3, resamples: 1000 });
  const b = bootstrapMedianRatio(base, cur, { seed: 3, resamples: 1000 });
  assert.deepEqual(a, b);
  close(a.ratio, 2, 1e-12);
  assert.ok(a.lo <= 2 && a.hi >= 2 && a.lo > 1.8 && a.hi < 2.2, `${a.lo} ${a.hi}`);
  const c = bootstrapMedianRatio(base, cur, { seed: 4, resamples: 1000 });
  assert.notDeepEqual([a.lo, a.hi], [c.lo, c.hi].map((v) => v + 1));
  const same = bootstrapMedianRatio(base, base, { seed: 1 });
  assert.ok(same.lo < 1 && same.hi > 1);
  assert.throws(() => bootstrapMedianRatio([1], [0]), /positive and finite, got 0/);
  assert.throws(() => bootstrapMedianRatio([1], [1], { level: 1 }), /level must be in \(0, 1\)/);
});
