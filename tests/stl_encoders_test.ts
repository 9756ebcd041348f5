import assert from "node:assert/strict";
import { generateMatrix } from "../harness/data/distributions.ts";
import { matmulRowsF64 } from "../harness/data/matmul_f64.ts";
import { compareOutputs } from "../harness/analyze/error_metrics.ts";
import { expandCases } from "../harness/suite/expand.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import type { DType, Shape } from "../harness/types.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { fitCpAls } from "../kernels/stl/cp_als.ts";
import type { Encoder } from "../kernels/stl/encoder.ts";
import { EncoderFileError, encoderToJson, parseEncoderJson } from "../kernels/stl/encoder_file.ts";
import { encodeWgsl } from "../kernels/stl/encode_wgsl.ts";
import { decodeWgsl } from "../kernels/stl/decode_wgsl.ts";
import { paddingNote, planeGeometry } from "../kernels/stl/geometry.ts";
import { comboOps, linearCombo } from "../kernels/stl/linear_combo.ts";
import { makeEncoder } from "../kernels/stl/make_encoder.ts";
import { matmulTensorNonzeros, tensorResidual } from "../kernels/stl/matmul_tensor.ts";
import { stlParams } from "../kernels/stl/params.ts";
import { randomEncoder } from "../kernels/stl/random_encoder.ts";
import { stlReference } from "../kernels/stl/reference.ts";
import { strassen2Encoder, strassenEncoder } from "../kernels/stl/strassen.ts";
import { encodeWeights } from "../kernels/stl/weights.ts";
import { stlWork } from "../kernels/stl/work.ts";

function fnv64(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (const x of b) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** STL reference on every row vs exact X·W, both in f64. */
function stlVsExact(shape: Shape, enc: Encoder, dtype: DType = "f32") {
  const { m, k, n } = shape;
  const x = generateMatrix({ dist: "gaussian" }, m, k, 5, `x${m}x${k}`);
  const w = generateMatrix({ dist: "gaussian" }, k, n, 5, `w${k}x${n}`);
  const g = planeGeometry(shape, enc.t);
  const wh = encodeWeights(w, k, n, g, enc);
  const rows = Array.from({ length: m }, (_, i) => i);
  const y = stlReference({ x, shape, dtype, encoder: enc, wh, rows });
  const exact = matmulRowsF64(x, w, m, k, n, rows);
  return compareOutputs(new Float32Array(y), exact);
}

Deno.test("strassen and strassen2 are exact decompositions of the matmul tensor", () => {
  assert.equal(matmulTensorNonzeros(4).length, 64);
  assert.equal(tensorResidual(strassenEncoder()), 0);
  const s2 = strassen2Encoder();
  assert.equal(s2.t, 4);
  assert.equal(s2.r, 49);
  assert.equal(tensorResidual(s2), 0);
  // A broken coefficient is detected.
  const bad = strassenEncoder();
  bad.gamma[0] = 0;
  assert.ok(tensorResidual(bad) > 0.1);
});

Deno.test("STL with strassen/strassen2 equals X·W to f32 rounding, also on odd shapes", () => {
  const shapes: Shape[] = [
    { m: 8, k: 8, n: 8 },
    { m: 37, k: 100, n: 53 },
    { m: 1, k: 7, n: 3 },
    { m: 13, k: 5, n: 22 },
  ];
  for (const shape of shapes) {
    for (const enc of [strassenEncoder(), strassen2Encoder()]) {
      const c = stlVsExact(shape, enc);
      assert.ok(c.relError < 1e-6, `${enc.source} ${JSON.stringify(shape)}: ${c.relError}`);
    }
  }
  // A truncated (approximate) encoder is visibly not exact.
  const r24 = fitCpAls(2, 4, { restarts: 1, maxIters: 50, lambda: 1e-3, tol: 1e-9, seed: 1 });
  assert.ok(stlVsExact({ m: 8, k: 8, n: 8 }, r24.encoder).relError > 0.2);
});

Deno.test("the reference models the storage roundings: f16 differs from f32", () => {
  const shape = { m: 6, k: 10, n: 6 };
  const enc = strassenEncoder();
  const f32 = stlVsExact(shape, enc, "f32");
  const f16 = stlVsExact(shape, enc, "f16");
  assert.ok(f32.relError < 1e-6);
  assert.ok(f16.relError > 1e-5 && f16.relError < 5e-3, String(f16.relError));
});

Deno.test("cp-als is deterministic (golden hash), its residual is reported and decreases with rank", () => {
  const opts = { restarts: 2, maxIters: 60, lambda: 1e-3, tol: 1e-9, seed: 0x57a1 };
  const a = fitCpAls(2, 5, opts);
  const b = fitCpAls(2, 5, opts);
  assert.deepEqual(a.encoder, b.encoder);
  assert.deepEqual(a.restartResiduals, b.restartResiduals);
  // Pins the fit bit for bit: same on every machine (IEEE +, −, ×, ÷ only; seeded xoshiro).
  const hash = fnv64(
    Float64Array.from([...a.encoder.alpha, ...a.encoder.beta, ...a.encoder.gamma]),
  );
  assert.equal(hash, GOLDEN_CP_ALS_2_5, `cp-als golden hash changed: ${hash}`);
  assert.equal(a.residual, tensorResidual(a.encoder));
  assert.ok(a.residual > 0 && a.residual < 1);
  // Coefficients are f32 values and α, β are balanced into [1, 2) per channel.
  for (const v of a.encoder.gamma) assert.equal(Math.fround(v), v);
  for (let rho = 0; rho < 5; rho++) {
    const mx = Math.max(...Array.from(a.encoder.alpha.subarray(rho * 4, rho * 4 + 4), Math.abs));
    assert.ok(mx >= 1 && mx < 2, `alpha row ${rho} max ${mx}`);
  }
  const r4 = fitCpAls(2, 4, opts).residual;
  const r6 = fitCpAls(2, 6, opts).residual;
  const r8 = fitCpAls(2, 8, opts).residual;
  assert.ok(r4 > a.residual && a.residual > r6 && r6 > r8, `${r4} ${a.residual} ${r6} ${r8}`);
  assert.ok(r8 < 0.02, `rank 8 = t³ should be nearly exact, got ${r8}`);
  // A different seed gives a different fit.
  const other = fitCpAls(2, 5, { ...opts, seed: 1 });
  assert.notDeepEqual(other.encoder.alpha, a.encoder.alpha);
});

const GOLDEN_CP_ALS_2_5 = "b914e96e";

Deno.test("cp-als fits are cached per (t, r) and reported in notes", async () => {
  const first = await makeEncoder(stlParams({ tile: 2, rank: 3 }), 1, null);
  const again = await makeEncoder(stlParams({ tile: 2, rank: 3 }), 99, null);
  assert.equal(first.encoder, again.encoder, "the cached fit object is reused");
  assert.equal(first.notes.encoder, "cp-als");
  assert.equal(typeof first.notes.tensorResidual, "number");
  assert.ok((first.notes.tensorResidual as number) > 0.3);
  const fit = first.notes.fit as Record<string, unknown>;
  assert.equal(fit.restarts, 6);
  assert.equal((fit.restartResiduals as number[]).length, 6);
});

Deno.test("random encoders are seeded", () => {
  const a = randomEncoder(4, 24, 7);
  assert.deepEqual(a, randomEncoder(4, 24, 7));
  assert.notDeepEqual(a.alpha, randomEncoder(4, 24, 8).alpha);
  assert.ok(tensorResidual(a) > 0.9);
});

Deno.test("linear combinations skip zeros, use ±1 as add/sub and count what they emit", () => {
  assert.deepEqual(linearCombo([0, 0], ["a", "b"]), { expr: "0.0", ops: 0 });
  assert.deepEqual(linearCombo([-1, -1], ["a", "b"]), { expr: "-a - b", ops: 2 });
  assert.deepEqual(linearCombo([-1, 1], ["a", "b"]), { expr: "b - a", ops: 1 });
  assert.deepEqual(linearCombo([0.5, -0.25], ["a", "b"]), {
    expr: "0.5 * a - 0.25 * b",
    ops: 3,
  });
  assert.equal(comboOps(Array(16).fill(0.3).map(Math.fround)), 31);
  assert.throws(() => linearCombo([0.1], ["a"]), /not an f32 value/);
  // Generated shaders report the same counts as the work model.
  const g = planeGeometry({ m: 8, k: 8, n: 8 }, 4);
  const s2 = strassen2Encoder();
  const enc = encodeWgsl({ dtype: "f32", m: 8, k: 8, geometry: g, encoder: s2 });
  const dec = decodeWgsl({ dtype: "f32", m: 8, n: 8, geometry: g, encoder: s2 });
  // Strassen: α costs 5 ops per 2×2 tile, γ 8; the Kronecker square costs less than dense.
  assert.ok(enc.opsPerTile < 49 * 31 / 4, String(enc.opsPerTile));
  assert.ok(dec.opsPerTile < 16 * 97 / 4, String(dec.opsPerTile));
  assert.ok(!enc.code.includes("* v"), "±1 coefficients need no multiplications");
});

Deno.test("work: core, overhead from real nonzeros, stored params with padding", () => {
  const shape = { m: 10, k: 9, n: 7 }; // t = 2: Mt 5, Kt 5, Nt 4
  const p = stlParams({ tile: 2, rank: 7 });
  const w = stlWork(shape, p, "f32", strassenEncoder());
  assert.equal(w.flops.core, 2 * 5 * 5 * 4 * 7);
  assert.equal(w.flops.overhead, 5 * 5 * 5 + 5 * 4 * 8);
  assert.equal(w.flops.total, w.flops.core + w.flops.overhead);
  assert.equal(w.paramsStored, 7 * 5 * 4);
  assert.equal(w.storedBytes, 7 * 5 * 4 * 4);
  assert.equal(w.bytes, (10 * 9 + 140 + 10 * 7) * 4);
  assert.equal(stlWork(shape, p, "f16", strassenEncoder()).storedBytes, 140 * 2);
  // Dense encoders (unknown yet): 2t² − 1 per channel to encode, t²(2r − 1) to decode.
  const big = stlWork({ m: 2048, k: 2048, n: 5632 }, stlParams({ tile: 4, rank: 24 }), "f32", null);
  assert.equal(big.flops.core, 2 * 512 * 512 * 1408 * 24);
  assert.equal(big.flops.overhead, 512 * 512 * 24 * 31 + 512 * 1408 * 16 * 47);
  assert.equal(big.paramsStored, (2048 * 5632 * 24) / 16);
  assert.ok(2 * 2048 * 2048 * 5632 / big.flops.core > 2.66);
  assert.equal(paddingNote(planeGeometry(shape, 2)), "zero padding to multiples of 2: K +1, N +1");
});

Deno.test("encoder files: round trip and clear errors on wrong shapes", () => {
  const json = encoderToJson(strassenEncoder(), "Strassen");
  const back = parseEncoderJson(json, 2, 7, "s.json");
  assert.equal(back.source, "file");
  assert.equal(tensorResidual(back), 0);
  const good = JSON.parse(json);
  const bad = (patch: Record<string, unknown>, t = 2, r = 7) => () =>
    parseEncoderJson(JSON.stringify({ ...good, ...patch }), t, r, "enc.json");
  const cases: [() => unknown, RegExp][] = [
    [() => parseEncoderJson("{nope", 2, 7, "enc.json"), /encoder file "enc.json": not valid JSON/],
    [() => parseEncoderJson("[1]", 2, 7, "enc.json"), /must be a JSON object, got \[1\]/],
    [bad({ alpha: good.alpha.slice(1) }), /alpha: must have 7 rows of 4 numbers .* got 6 rows/],
    [bad({ beta: "x" }), /beta: must be an array of 7 rows of 4 numbers/],
    [bad({ gamma: [[1, 2], ...good.gamma.slice(1)] }), /gamma\[0\]: must have 7 numbers .* got 2/],
    [
      bad({ alpha: [[1, 0, "a", 1], ...good.alpha.slice(1)] }),
      /alpha\[0\]\[2\]: must be a finite number, got "a"/,
    ],
    [bad({ gamma: undefined }), /gamma: must be an array of 4 rows of 7 numbers .* got nothing/],
    [
      bad({ extra: 1 }),
      /extra: unknown field; allowed: tile, rank, description, alpha, beta, gamma/,
    ],
    [bad({}, 4, 7), /tile: is 2 but the kernel's tile is 4/],
    [bad({}, 2, 6), /rank: is 7 but the kernel's rank is 6/],
  ];
  for (const [fn, re] of cases) {
    assert.throws(
      fn,
      (e: unknown) => e instanceof EncoderFileError && re.test(e.message),
      String(re),
    );
  }
});

Deno.test("bad params are rejected with the field named, before any GPU work", () => {
  const expand = (entry: Record<string, unknown>) => {
    const suite = validateSuite(
      // deno-lint-ignore no-explicit-any
      { name: "t", seed: 1, shapes: [{ m: 8, k: 8, n: 8 }], kernels: [entry as any] },
      "<suite>",
      builtinKernels,
    );
    return expandCases(suite, builtinKernels);
  };
  const rejects: [Record<string, unknown>, RegExp][] = [
    [{ kernel: "stl", tile: 3 }, /kernels\[0\]\.tile: must be one of 2, 4; got 3/],
    [{ kernel: "stl", rank: 0 }, /kernels\[0\]\.rank: must be ≥ 1, got 0/],
    [{ kernel: "stl", tile: 2, rank: 9 }, /kernels\[0\]\.rank: must be an integer in \[1, 8\]/],
    [
      { kernel: "stl", encoder: "magic" },
      /kernels\[0\]\.encoder: must be one of "auto", "strassen"/,
    ],
    [
      { kernel: "stl", tile: 4, rank: 7, encoder: "strassen" },
      /kernels\[0\]\.encoder: "strassen" needs tile 2 and rank 7; got tile 4, rank 7/,
    ],
    [
      { kernel: "stl", tile: 4, rank: 24, encoder: "strassen2" },
      /kernels\[0\]\.encoder: "strassen2" needs tile 4 and rank 49/,
    ],
    [
      { kernel: "stl", encoder: "file" },
      /kernels\[0\]\.encoderFile: is required when encoder is "file"/,
    ],
    [
      { kernel: "stl", encoderFile: "x.json" },
      /kernels\[0\]\.encoderFile: only applies to encoder "file"/,
    ],
    // The fused pipeline was removed: its parameter and knob are unknown names now.
    [
      { kernel: "stl", fused: true },
      /kernels\[0\]\.fused: unknown parameter of kernel "stl"; allowed: .*tile, rank, encoder, encoderFile, math$/,
    ],
    [
      { kernel: "stl", tune: { fusedTile: "16x64/1x4" } },
      /kernels\[0\]\.tune\.fusedTile: unknown tuning knob of kernel "stl"; allowed: gemmTile$/,
    ],
  ];
  for (const [entry, re] of rejects) assert.throws(() => expand(entry), re, JSON.stringify(entry));
  const ok = expand({ kernel: "stl", tile: [2, 4], rank: 7 });
  assert.deepEqual(ok.map((c) => c.id), ["stl(rank=7,tile=2)/f32/8x8x8", "stl(rank=7)/f32/8x8x8"]);
});
