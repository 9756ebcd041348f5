import assert from "node:assert/strict";
import {
  activationProfile,
  detLn,
  generateCaseData,
  generateMatrix,
  matmulRowsF64,
  Rng,
  sampleRows,
} from "../harness/data/mod.ts";

function fnvBytes(a: Float32Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (const x of b) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

Deno.test("xoshiro128** streams are deterministic and independent", () => {
  const a = new Rng(42, "x");
  const b = new Rng(42, "x");
  const c = new Rng(42, "w");
  const sa = Array.from({ length: 8 }, () => a.nextU32());
  assert.deepEqual(sa, Array.from({ length: 8 }, () => b.nextU32()));
  assert.notDeepEqual(sa, Array.from({ length: 8 }, () => c.nextU32()));
  const u = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const v = u.next();
    assert.ok(v >= 0 && v < 1);
    const k = u.nextInt(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
  assert.throws(() => new Rng(1.5), TypeError);
});

Deno.test("golden values: same seed gives bit-identical matrices on every machine", () => {
  // These hashes pin the PRNG, the deterministic logarithm and every distribution. If they
  // change, every published result's inputs changed: say so in the changelog.
  const got: Record<string, string> = {};
  for (const dist of ["gaussian", "uniform", "llm-activations", "llm-weights"] as const) {
    got[dist] = fnvBytes(generateMatrix({ dist }, 16, 64, 42, "golden"));
  }
  assert.deepEqual(got, {
    "gaussian": "2f537e4a",
    "uniform": "8cdf96a7",
    "llm-activations": "47588eac",
    "llm-weights": "2c124b64",
  });
});

Deno.test("detLn matches Math.log closely", () => {
  for (const x of [1e-300, 5e-324, 0.1, 0.5, 1, Math.E, 2, 10, 12345.678, 1e300]) {
    const want = Math.log(x);
    assert.ok(Math.abs(detLn(x) - want) <= 4e-16 * Math.max(1, Math.abs(want)), `ln(${x})`);
  }
  assert.throws(() => detLn(0), RangeError);
  assert.throws(() => detLn(-1), RangeError);
});

Deno.test("gaussian moments are right", () => {
  const g = generateMatrix({ dist: "gaussian", std: 2 }, 200, 500, 7, "moments");
  let s = 0, s2 = 0;
  for (const v of g) {
    s += v;
    s2 += v * v;
  }
  const mean = s / g.length;
  const sd = Math.sqrt(s2 / g.length - mean * mean);
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(sd - 2) < 0.02, `sd ${sd}`);
});

Deno.test("llm-activations: outlier channels shared by evaluated and calibration rows", () => {
  const spec = { dist: "llm-activations" as const };
  const prof = activationProfile(9, 512, spec);
  assert.ok(prof.outliers.length >= 1);
  const d = generateCaseData({ m: 64, k: 512, n: 8 }, 9, {
    x: spec,
    w: { dist: "llm-weights" },
    calibRows: 64,
  });
  const colRms = (a: Float32Array, rows: number) => {
    const out = new Float64Array(512);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 512; c++) out[c] += a[r * 512 + c]! ** 2;
    return Array.from(out, (v) => Math.sqrt(v / rows));
  };
  const top = (rms: number[]) =>
    rms.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, prof.outliers.length)
      .map((p) => p[1]).sort((a, b) => a - b);
  assert.deepEqual(top(colRms(d.x, 64)), prof.outliers);
  assert.deepEqual(top(colRms(d.calib, 64)), prof.outliers);
  // Independent value streams: calibration rows are not copies of evaluated rows.
  assert.notDeepEqual(Array.from(d.x.subarray(0, 512)), Array.from(d.calib.subarray(0, 512)));
  // Heavy tails: kurtosis of a normal channel well above 3.
  let s2 = 0, s4 = 0, cnt = 0;
  const big = generateMatrix(spec, 400, 512, 3, "tails");
  const p3 = activationProfile(3, 512, spec);
  for (let r = 0; r < 400; r++) {
    for (let c = 0; c < 512; c++) {
      if (p3.outliers.includes(c)) continue;
      const v = big[r * 512 + c]! / p3.scales[c]!;
      s2 += v * v;
      s4 += v ** 4;
      cnt++;
    }
  }
  const kurt = (s4 / cnt) / (s2 / cnt) ** 2;
  assert.ok(kurt > 4, `kurtosis ${kurt}`);
});

Deno.test("matmulRowsF64 and sampleRows", () => {
  const x = new Float32Array([1, 2, 3, 4, 5, 6]); // 2x3
  const w = new Float32Array([1, 0, 0, 1, 1, 1]); // 3x2
  assert.deepEqual(Array.from(matmulRowsF64(x, w, 2, 3, 2, [1])), [10, 11]);
  assert.deepEqual(sampleRows(5, 10, 10, 1e9, 1), [0, 1, 2, 3, 4]);
  const rows = sampleRows(1000, 100, 100, 100 * 100 * 10, 1);
  assert.equal(rows.length, 10);
  assert.ok(rows.includes(0) && rows.includes(999));
  assert.deepEqual(rows, sampleRows(1000, 100, 100, 100 * 100 * 10, 1));
});
