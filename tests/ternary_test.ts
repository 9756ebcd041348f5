import assert from "node:assert/strict";
import { DEFAULT_SHADER_LIMITS } from "../harness/kernel.ts";
import {
  decodeCodes,
  dp4aReference,
  fmaField,
  fmaPairField,
  offsetCodes,
  quantizeTernary,
  resolveTernary,
  ternary,
  ternaryOps,
  ternaryReference,
  ternaryTuneCandidates,
  ternaryWork,
} from "../kernels/ternary/mod.ts";
import { generateW, generateX } from "../harness/data/inputs.ts";
import { int8Code } from "../kernels/int8/quant.ts";
import { assertSameSums, GPU_TEST, runInline } from "./helpers.ts";

Deno.test("ternary format: halves round as Math.round (0.5 → +1, −0.5 → 0)", () => {
  // mean |W| = 0.625: W / s = 0.8, −0.8, 2.4, −2.4, 0.784, −0.816, 0, 0
  const w = new Float32Array([0.5, -0.5, 1.5, -1.5, 0.49, -0.51, 0, 0]);
  const p = quantizeTernary(w, { m: 1, k: 8, n: 1 }, 0, "f32");
  assert.equal(p.scales[0], 0.625);
  assert.deepEqual(Array.from(decodeCodes(p, 8, 1)), [1, -1, 1, -1, 1, -1, 0, 0]);
  // mean |W| = 1: W / s = W, two exact halves
  const ties = quantizeTernary(
    new Float32Array([0.5, -0.5, 1.5, -1.5]),
    { m: 1, k: 4, n: 1 },
    0,
    "f32",
  );
  assert.equal(ties.scales[0], 1);
  assert.deepEqual(Array.from(decodeCodes(ties, 4, 1)), [1, 0, 1, -1]);
  assert.equal(ties.zeros, 0.25);
});

Deno.test("ternary format: absmean scales, code layout, K padding, per-group scales", () => {
  // K = 20 (two words, the second padded), N = 2; column 1 is zero.
  const k = 20;
  const n = 2;
  const w = new Float32Array(k * n);
  for (let r = 0; r < k; r++) w[r * n] = r % 3 === 0 ? 2 : r % 3 === 1 ? -2 : 0.1;
  const p = quantizeTernary(w, { m: 1, k, n }, 0, "f32");
  // mean |W| of column 0: (7·2 + 7·2 + 6·0.1) / 20
  const s = Math.fround((28 + 0.6) / 20);
  assert.equal(p.scales[0], s);
  assert.equal(p.scales[1], 0);
  assert.equal(p.kPadded, 32);
  assert.equal(p.codes.length, 2 * n);
  // rows 0..15 of column 0 in word 0 (index 0·N + 0): codes 1, 2, 0, 1, 2, 0, …
  let expect = 0;
  for (let j = 0; j < 16; j++) expect |= [1, 2, 0][j % 3]! << (2 * j);
  assert.equal(p.codes[0], expect >>> 0);
  assert.equal(p.codes[1], 0); // column 1
  // rows 16..19 in word 1 (index 1·N + 0), rows 20..31 padded with code 0
  assert.equal(p.codes[2], (2 << 0) | (0 << 2) | (1 << 4) | (2 << 6));
  const q = decodeCodes(p, k, n);
  for (let r = 0; r < k; r++) assert.equal(q[r * n], [1, -1, 0][r % 3]);
  assert.equal(p.zeros, (6 + 20) / 40);
  // groups of 16 rows: K padded to 32, two scales a column
  const g = quantizeTernary(w, { m: 1, k, n }, 16, "f16");
  assert.equal(g.scales.length, 2 * n);
  assert.equal(Number(g.scales[2]), Number(new Float16Array([(2 + 2 + 2 + 0.1) / 4])[0]));
});

Deno.test("ternary reference: Y = X·(q·s) by hand, per channel and per group", () => {
  const k = 32;
  const n = 1;
  const w = new Float32Array(k).map((_, r) => (r < 16 ? (r % 2 ? 1 : -1) : r % 2 ? 4 : 0));
  const x = new Float32Array(2 * k).map((_, i) => i % k);
  const shape = { m: 2, k, n };
  const ch = quantizeTernary(w, shape, 0, "f32");
  // s = (16·1 + 8·4) / 32 = 1.5; q = ±1 on rows < 16 (|w|/s = 0.67 rounds to 1), odd rows ≥ 16: +1
  assert.equal(ch.scales[0], 1.5);
  let dot = 0;
  for (let r = 0; r < k; r++) dot += r * (r < 16 ? (r % 2 ? 1 : -1) : r % 2 ? 1 : 0);
  assert.deepEqual(Array.from(ternaryReference(x, ch, shape, "f32", [0, 1])), [
    1.5 * dot,
    1.5 * dot,
  ]);
  const gr = quantizeTernary(w, shape, 16, "f32");
  assert.deepEqual(Array.from(gr.scales), [1, 2]);
  let d0 = 0;
  let d1 = 0;
  for (let r = 0; r < 16; r++) d0 += r * (r % 2 ? 1 : -1);
  for (let r = 16; r < 32; r++) d1 += r * (r % 2 ? 1 : 0);
  assert.deepEqual(Array.from(ternaryReference(x, gr, shape, "f32", [1])), [d0 + 2 * d1]);
});

Deno.test("ternary work: no core multiplies, 2 bits a weight, lut adds per g weights", () => {
  const shape = { m: 1, k: 4096, n: 4096 };
  const a = resolveTernary({}, {}, shape);
  const l = resolveTernary({ method: "lut" }, {}, shape);
  assert.equal(ternaryOps(shape, a).coreMultiplies, 0);
  assert.equal(ternaryOps(shape, a).coreAdds, 4096 * 4096);
  assert.equal(ternaryOps(shape, l).coreAdds, 4096 * 4096 / 2);
  assert.ok(ternaryOps(shape, l).overheadAdds > ternaryOps(shape, a).overheadAdds);
  const w = ternaryWork(shape, resolveTernary({ group: 128 }, {}, shape), "f32");
  assert.equal(w.storedBytes, 4096 * 4096 / 4 + 32 * 4096 * 4);
  assert.equal(w.bytes, w.storedBytes + (4096 + 4096) * 4);
  const big = { m: 2048, k: 4096, n: 4096 };
  const gemm = resolveTernary({}, {}, big);
  assert.equal(gemm.variant, "gemm");
  assert.deepEqual(ternaryOps(big, gemm), {
    coreAdds: 2048 * 4096 * 4096,
    coreMultiplies: 0,
    scaleMultiplies: 2048 * 4096,
    overheadAdds: 0,
  });
  assert.equal(resolveTernary({ method: "lut" }, {}, big).variant, "gemv");
  // the shader's inner loop has no product with an activation
  const [s] = ternary.shaders!({
    shape,
    dtype: "f32",
    config: a,
    limits: DEFAULT_SHADER_LIMITS,
  }) as {
    code: string;
  }[];
  assert.ok(!s!.code.includes("fma("));
  assert.equal(s!.code.split("\n").filter((line) => line.includes(" * sc")).length, 1);
});

Deno.test({
  name: "ternary addsub and lut kernels match the f64 reference: odd shapes, groups, f32/f16",
  ...GPU_TEST,
  async fn() {
    const data = { x: "llm-activations" as const, w: "llm-weights" as const, calibRows: 4 };
    const run = await runInline({
      // M = 70 runs the tiled GEMM for addsub (ragged tiles); M ≤ 32 and lut stream the weights
      shapes: [
        { m: 1, k: 100, n: 53 },
        { m: 3, k: 256, n: 40 },
        { m: 11, k: 100, n: 70 },
        { m: 70, k: 256, n: 130 },
      ],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "ternary", method: ["addsub", "lut"], group: [0, 32] },
        { kernel: "ternary", method: "lut", tune: { lutG: 4, slices: "2" } },
        { kernel: "ternary", group: 64, tune: { cols: "64", slices: "1" } },
      ],
    });
    // Several staged chunks of K, the last one partial; the streaming addsub kernel at M > 8.
    const chunks = await runInline({
      // m = 19: the add/subtract GEMV's two row blocks of 16, the second overlapping the first
      shapes: [{ m: 2, k: 1552, n: 40 }, { m: 11, k: 1552, n: 24 }, { m: 19, k: 1552, n: 24 }],
      dtypes: ["f32"],
      data,
      kernels: [
        { kernel: "ternary", method: ["addsub", "lut"], tune: { variant: "gemv" } },
        { kernel: "ternary", group: 32, tune: { variant: "gemv" } },
      ],
    });
    for (const r of chunks.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.notes.variant, "gemv");
      assert.ok(r.correctness!.relError < 2e-6, `${r.id}: ${r.correctness!.relError}`);
      const words = Math.ceil(1552 / 16);
      if (r.params.method === "lut") {
        assert.ok((r.notes.chunkWords as number) < words, `${r.id}: one chunk`);
      }
    }
    const results = run.results;
    assert.equal(results.length, 4 * 2 * 6);
    for (const r of results) {
      if (r.status === "skipped") {
        // g = 4 tables for 8 rows cannot fit workgroup memory
        assert.ok(r.shape.m > 3 && r.notes.lutG === undefined, `${r.id}: ${r.reason}`);
        continue;
      }
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      assert.equal(r.notes.coreMultiplies, 0);
      const qe = r.notes.quantError as number;
      assert.ok(qe > 0.1 && qe < 0.9, `${r.id}: quantisation error ${qe}`);
    }
    assert.ok(results.filter((r) => r.status === "ok").length >= 42);
    assert.ok(results.some((r) => r.notes.variant === "gemm" && r.status === "ok"));
  },
});

Deno.test("ternary fma decode: every code at every position of a word is −1, 0 or +1 exactly", () => {
  // The plan's offset codes (`offsetCodes`) and the shader's per-field float decode, in f32 on the
  // CPU.
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const value = [0, 1, -1];
  for (let code = 0; code < 3; code++) {
    for (let t = 0; t < 16; t++) {
      // the code at field t, its neighbours holding the other codes
      let q = 0;
      for (let j = 0; j < 16; j++) q |= (j === t ? code : (code + j) % 3) << (2 * j);
      const q1 = offsetCodes(new Uint32Array([q >>> 0]))[0]!;
      const src = t < 8 ? q1 : q1 >>> 16;
      const f = fmaField(t % 8);
      u32[0] = ((src & f.mask) | f.magic) >>> 0;
      assert.equal(Math.fround(f32[0]! - f.offset), value[code], `code ${code} at ${t}`);
    }
  }
  assert.throws(() => fmaField(8), RangeError);
});

Deno.test("ternary f16x2 decode: every code at every position of a pair is −1, 0 or +1 exactly", () => {
  // The plan's offset codes in pairs order (`offsetCodes`) and the shader's per-pair half decode,
  // on the CPU (halves read exactly).
  const half = (h: number) => {
    const e = (h >> 10) & 31;
    const m = h & 1023;
    return (h & 0x8000 ? -1 : 1) * (e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15));
  };
  const value = [0, 1, -1];
  for (let code = 0; code < 3; code++) {
    for (let i = 0; i < 8; i++) {
      // rows 2i and 2i + 1 set (the odd one to the next code), the neighbours holding others
      let q = 0;
      for (let j = 0; j < 16; j++) {
        const c = j === 2 * i ? code : j === 2 * i + 1 ? (code + 1) % 3 : (code + j) % 3;
        q |= c << (2 * j);
      }
      const q1 = offsetCodes(new Uint32Array([q >>> 0]), "pairs")[0]!;
      const f = fmaPairField(i);
      const bits = (((q1 >>> f.shift) & f.mask) | f.magic) >>> 0;
      assert.equal(half(bits & 0xffff) - f.offset, value[code], `code ${code} at row ${2 * i}`);
      assert.equal(half(bits >>> 16) - f.offset, value[(code + 1) % 3], `row ${2 * i + 1}`);
    }
  }
  assert.throws(() => fmaPairField(8), RangeError);
});

Deno.test("ternary work: the fma kernel counts one multiply and one add a weight", () => {
  const shape = { m: 1, k: 4096, n: 4096 };
  const c = resolveTernary({ method: "fma" }, {}, shape);
  assert.equal(c.variant, "gemv");
  assert.equal(
    resolveTernary({ method: "fma" }, {}, { m: 2048, k: 4096, n: 4096 }).variant,
    "gemv",
  );
  const ops = ternaryOps(shape, c);
  assert.equal(ops.coreMultiplies, 4096 * 4096);
  assert.equal(ops.coreAdds, 4096 * 4096);
  assert.equal(ternaryWork(shape, c, "f16").flops.core, 2 * 4096 * 4096);
  const [s] = ternary.shaders!({
    shape,
    dtype: "f16",
    config: c,
    limits: DEFAULT_SHADER_LIMITS,
  }) as {
    code: string;
  }[];
  assert.equal(s!.code.split("\n").filter((line) => line.includes("fma(")).length, 16);
});

Deno.test({
  name: "ternary fma kernel matches the f64 reference: odd shapes, groups, row blocks, f32/f16",
  ...GPU_TEST,
  async fn() {
    const run = await runInline({
      // N = 53, 70, 40: one, two and four columns a thread; M = 19 and 70: overlapping row blocks
      shapes: [
        { m: 1, k: 100, n: 53 },
        { m: 3, k: 256, n: 40 },
        { m: 19, k: 1552, n: 70 },
        { m: 70, k: 256, n: 130 },
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 4 },
      kernels: [
        // the f32 arithmetic (f16 X at M = 1 defaults to f16x2)
        { kernel: "ternary", method: "fma", group: [0, 32], tune: { math: "f32" } },
        { kernel: "ternary", method: "fma", tune: { cols: "64", slices: "1" } },
        // the same sums in the same order: addsub's outputs, bit for bit
        { kernel: "ternary", method: "addsub", group: [0, 32], tune: { variant: "gemv" } },
      ],
    });
    assert.equal(run.results.length, 4 * 2 * 5);
    const addsub = run.results.filter((r) => r.params.method === "addsub");
    const fma = run.results.filter((r) => r.params.method === "fma");
    for (const a of addsub) {
      const f = fma.find((r) =>
        r.dtype === a.dtype && r.params.group === a.params.group && r.shape.m === a.shape.m &&
        r.shape.k === a.shape.k && r.tune!.cols !== "64"
      );
      assertSameSums(a, f);
    }
    for (const r of fma) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.notes.method, "fma");
      assert.equal(r.correctness!.nonFinite, 0);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      assert.ok((r.notes.coreMultiplies as number) > 0);
    }
  },
});

Deno.test({
  name: "ternary fma GEMV with f16x2 arithmetic matches the f64 reference; f32 X ignores it",
  ...GPU_TEST,
  async fn() {
    const run = await runInline({
      // N = 53, 70, 40: one, two and four columns a thread; K = 100: a padded, clamped last word;
      // K = 99: X read as scalars; M = 19: overlapping row blocks; K = 1552 over 8 slices: 13
      // words a thread
      shapes: [
        { m: 1, k: 100, n: 53 },
        { m: 3, k: 256, n: 40 },
        { m: 19, k: 1552, n: 70 },
        { m: 1, k: 48, n: 40 },
        { m: 2, k: 99, n: 40 },
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 4 },
      kernels: [
        { kernel: "ternary", method: "fma", group: [0, 32], tune: { math: "f16x2" } },
        { kernel: "ternary", method: "fma", tune: { math: "f16x2", slices: "8" } },
        { kernel: "ternary", method: "fma", group: [0, 32], tune: { math: "f32" } },
      ],
    });
    assert.equal(run.results.length, 5 * 2 * 5);
    for (const r of run.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.correctness!.nonFinite, 0);
      const asked = r.tune?.math === "f16x2";
      assert.equal(r.notes.math, asked && r.dtype === "f16" ? "f16x2" : "f32", r.id);
      if (r.dtype === "f32") {
        assert.ok(r.correctness!.relError < 2e-6, `${r.id}: ${r.correctness!.relError}`);
        continue;
      }
      assert.ok(r.correctness!.relError < 2e-3, `${r.id}: ${r.correctness!.relError}`);
      if (!asked) continue;
      // the same operator as the f32 arithmetic, within f16 rounding of its partial sums
      const f32math = run.results.find((o) =>
        o.tune?.math !== "f16x2" && o.dtype === "f16" && o.shape.k === r.shape.k &&
        o.shape.m === r.shape.m && o.params.group === r.params.group
      )!;
      assert.ok(
        r.correctness!.relError < 2 * f32math.correctness!.relError + 1e-3,
        `${r.id}: ${r.correctness!.relError} against ${f32math.correctness!.relError}`,
      );
    }
  },
});

Deno.test("ternary math: f16x2 only for the fma GEMV with f16 X, and the generator gets it", () => {
  const shape = { m: 1, k: 4096, n: 4096 };
  const code = (method: string, dtype: "f32" | "f16") =>
    (ternary.shaders!({
      shape,
      dtype,
      config: resolveTernary({ method }, { math: "f16x2" }, shape, dtype),
      limits: DEFAULT_SHADER_LIMITS,
    }) as { code: string }[])[0]!.code;
  assert.match(code("fma", "f16"), /math=f16x2/);
  assert.match(code("fma", "f16"), /unpack2x16float/);
  for (const [method, dtype] of [["fma", "f32"], ["addsub", "f16"], ["lut", "f16"]] as const) {
    assert.doesNotMatch(code(method, dtype), /f16x2|unpack2x16float/, `${method} ${dtype}`);
  }
  // a cached choice meeting the GEMM falls back
  const big = { m: 64, k: 256, n: 256 };
  assert.equal(resolveTernary({ method: "fma" }, { math: "f16x2" }, big, "f16").math, "f16x2");
  assert.equal(resolveTernary({}, { math: "f16x2" }, big, "f16").math, "f32");
  // the default: f16x2 at M = 1 with f16 X, else f32
  assert.equal(resolveTernary({ method: "fma" }, {}, shape, "f16").math, "f16x2");
  assert.equal(resolveTernary({ method: "fma" }, {}, { m: 2, k: 256, n: 256 }, "f16").math, "f32");
  assert.equal(resolveTernary({ method: "fma" }, {}, shape, "f32").math, "f32");
  // the add/subtract GEMV up to M = 32, the GEMM above; the GEMM a candidate at 16 < M ≤ 32
  const m27 = { m: 27, k: 256, n: 256 };
  assert.equal(resolveTernary({}, {}, { m: 32, k: 256, n: 256 }).variant, "gemv");
  assert.equal(resolveTernary({}, {}, { m: 33, k: 256, n: 256 }).variant, "gemm");
  assert.ok(
    ternaryTuneCandidates(m27, "f32", resolveTernary({}, {}, m27)).some((t) =>
      t.variant === "gemm"
    ),
  );
  assert.ok(
    !ternaryTuneCandidates(shape, "f32", resolveTernary({}, {}, shape)).some((t) => t.variant),
  );
  // two row blocks of 14 at M = 27, overlapping by one row: 28 rows of adds counted
  const ops = ternaryOps(m27, resolveTernary({}, {}, m27));
  assert.equal(ops.coreAdds, 28 * 256 * 256);
  // no candidate twice: at M = 1 with f16 X (f16x2 by default) half the slices is a neighbour
  const f = resolveTernary({ method: "fma" }, {}, shape, "f16");
  const keys = ternaryTuneCandidates(shape, "f16", f).map((t) => JSON.stringify(t));
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(!keys.some((k) => k.includes("f16x2")));
});

Deno.test("ternary dp4a: byte-order codes, the W1.58A8 reference by hand, work and skips", () => {
  // the codes of row 4b + i land in byte i of (word >> 2b) & 0x03030303, as value + 1
  const codes = new Uint32Array(1);
  const t = [1, -1, 0, 1, 0, 0, -1, 1, 1, 1, -1, 0, 0, -1, 1, 0];
  t.forEach((v, r) => (codes[0]! |= (v === 1 ? 1 : v === -1 ? 2 : 0) << (2 * r)));
  const b = offsetCodes(codes, "bytes")[0]!;
  for (let r = 0; r < 16; r++) {
    const byte = ((b >>> (2 * Math.floor(r / 4))) & 0x03030303) >>> (8 * (r % 4)) & 0xff;
    assert.equal(byte, t[r]! + 1, `row ${r}`);
  }
  // X quantised per row: codes round(x / (max|x| / 127)), then s_x · s · Σ q·t
  const shape = { m: 2, k: 16, n: 1 };
  const w = new Float32Array(t.map((v) => v * 0.5));
  const p = quantizeTernary(w, shape, 0, "f32");
  const x = new Float32Array(32).map((_, i) => (i % 7) - 3 + (i >= 16 ? 0.25 : 0));
  const y = dp4aReference(x, p, shape, "f32", [0, 1]);
  for (const row of [0, 1]) {
    const xr = x.subarray(16 * row, 16 * row + 16);
    const sx = Math.fround(Math.max(...xr.map(Math.abs)) / 127);
    let sum = 0;
    xr.forEach((v, r) => {
      sum += int8Code(v, sx) * t[r]!;
    });
    assert.ok(Math.abs(y[row]! - sum * sx * p.scales[0]!) < 1e-9, `row ${row}`);
  }
  // integer multiply-adds are counted; the activation pass's codes are traffic
  const big = { m: 1, k: 4096, n: 4096 };
  const c = resolveTernary({ method: "dp4a" }, { quantX: "pass" }, big, "f16");
  // inline (the default here): no codes written or read, X quantised in every workgroup
  const inline = resolveTernary({ method: "dp4a" }, {}, big, "f16");
  assert.equal(inline.quantX, "inline");
  assert.equal(
    ternaryWork(big, inline, "f16").bytes,
    ternaryWork(big, c, "f16").bytes - 2 * (4096 + 8),
  );
  assert.ok(ternaryOps(big, inline).overheadAdds > ternaryOps(big, c).overheadAdds);
  assert.equal(ternaryOps(big, c).coreMultiplies, 4096 * 4096);
  const fma = resolveTernary({ method: "fma" }, {}, big, "f16");
  assert.equal(
    ternaryWork(big, c, "f16").bytes - ternaryWork(big, fma, "f16").bytes,
    2 * (4096 + 8),
  );
  // group > 0 and K not a multiple of 16 are skipped with the reason
  const odd = { m: 1, k: 100, n: 8 };
  assert.throws(
    () => ternary.check!(resolveTernary({ method: "dp4a" }, {}, odd), odd, "f32"),
    /multiple of 16/,
  );
  assert.throws(
    () => ternary.check!(resolveTernary({ method: "dp4a", group: 32 }, {}, big), big, "f32"),
    /group 0/,
  );
});

Deno.test("ternary dp4a: on LLM activations its reference is far from the weight-only one", () => {
  // the check tells the operators apart: a kernel computing X·(q·s) would fail by > 5× the f16
  // tolerance (4e-3; here 4%)
  const shape = { m: 3, k: 1024, n: 64 };
  const data = {
    x: { dist: "llm-activations" },
    w: { dist: "llm-weights" },
    calibRows: 1,
  } as const;
  const x = generateX(shape.m, shape.k, 7, data);
  const p = quantizeTernary(generateW(shape.k, shape.n, 7, data), shape, 0, "f32");
  const rows = [0, 1, 2];
  const a8 = dp4aReference(x, p, shape, "f32", rows);
  const a16 = ternaryReference(x, p, shape, "f32", rows);
  let d = 0;
  let norm = 0;
  a8.forEach((v, i) => {
    d += (v - a16[i]!) ** 2;
    norm += v ** 2;
  });
  assert.ok(Math.sqrt(d / norm) > 0.02, String(Math.sqrt(d / norm)));
});

Deno.test({
  name:
    "ternary dp4a (W1.58A8) matches its f64 reference: row blocks, 1/2/4 columns a thread, f32/f16",
  ...GPU_TEST,
  async fn() {
    const run = await runInline({
      // N = 53, 54, 64: one, two and four columns a thread; M = 19: overlapping row blocks
      shapes: [
        { m: 1, k: 256, n: 53 },
        { m: 3, k: 1024, n: 54 },
        { m: 19, k: 512, n: 64 },
        { m: 1, k: 2048, n: 256 },
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 4 },
      kernels: [
        { kernel: "ternary", method: "dp4a", tune: { quantX: ["inline", "pass"] } },
        { kernel: "ternary", method: "dp4a", tune: { cols: "64", slices: "2", dot: "unpacked" } },
        { kernel: "ternary", method: "fma", tune: { math: "f32" } },
      ],
    });
    assert.equal(run.results.length, 4 * 2 * 4);
    for (const r of run.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      if (r.params.method !== "dp4a") continue;
      const inline = String(r.notes.quantX).startsWith("inline");
      assert.equal(r.notes.passes, inline ? 1 : 2, r.id);
      if (r.tune!.quantX !== "auto") assert.equal(inline, r.tune!.quantX === "inline", r.id);
      assert.match(String(r.notes.activations), /int8 per row/);
      assert.match(String(r.notes.dot), r.tune!.dot === "unpacked" ? /unpacked/ : /dot4I8Packed/);
    }
  },
});

Deno.test({
  name: "ternary dp4a: the activation pass's row sums over every thread count and a looped row",
  ...GPU_TEST,
  async fn() {
    // K = 2000, 40000: 128 and 1024 threads a row; 65600: more than 16 words a thread, a loop
    const res = await runInline({
      shapes: [2000, 40000, 65600].map((k) => ({ m: 2, k, n: 8 })),
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 4 },
      kernels: [{ kernel: "ternary", method: "dp4a", tune: { quantX: "pass" } }],
    });
    assert.equal(res.results.length, 6);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), r.id);
    }
    const shape = { m: 2, k: 65600, n: 8 };
    const [quant] = await ternary.shaders!({
      shape,
      dtype: "f32",
      config: resolveTernary({ method: "dp4a" }, {}, shape),
      limits: DEFAULT_SHADER_LIMITS,
    });
    assert.match(quant!.code, /a loop|walked in a loop/);
    assert.match(quant!.code, /cs \+= bytesSum\(c\)/);
  },
});

Deno.test({
  name:
    "ternary dp4a GEMM (W1.58A8, M > 32) matches its f64 reference and the GEMV's sums on every tile",
  ...GPU_TEST,
  async fn() {
    // ragged row and column tiles, K tails within a slab (48: 12 int8 words of a slab of 8), one
    // and several workgroups of the 128×128 tile; X with outlier channels
    const shapes = [
      { m: 70, k: 256, n: 132 },
      { m: 33, k: 48, n: 61 },
      { m: 260, k: 160, n: 132 },
    ];
    const data = { x: "llm-activations", w: "llm-weights", calibRows: 4 } as const;
    const gemm = await runInline({
      shapes,
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "ternary", method: "dp4a", tune: { tile: ["32x32", "64x64", "128x128"] } },
        { kernel: "ternary", method: "dp4a", tune: { tile: "64x64", dot: "unpacked" } },
      ],
    });
    const gemv = await runInline({
      shapes,
      dtypes: ["f32", "f16"],
      data,
      kernels: [{ kernel: "ternary", method: "dp4a", tune: { variant: "gemv", quantX: "pass" } }],
    });
    const twin = new Map(gemv.results.map((r) => [`${r.dtype}/${r.shape.m}x${r.shape.n}`, r]));
    assert.equal(gemm.results.length, 3 * 2 * 4);
    for (const r of gemm.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.notes.variant, "gemm", r.id);
      assert.equal(r.notes.passes, 2, r.id);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      // exact integer sums, then the GEMV's dequantisation: the same outputs
      if (r.dtype === "f32") assertSameSums(r, twin.get(`${r.dtype}/${r.shape.m}x${r.shape.n}`));
    }
  },
});

Deno.test("ternary dp4a GEMM: chosen at M > 32 with the int8 GEMM's tile, counted, its candidates", () => {
  const shape = { m: 2048, k: 4096, n: 4096 };
  const c = resolveTernary({ method: "dp4a" }, {}, shape, "f16");
  assert.deepEqual([c.variant, c.tile, c.quantX], ["gemm", "128x128", "pass"]);
  // the GEMM reads the activation pass's codes whatever quantX asks
  assert.equal(
    resolveTernary({ method: "dp4a" }, { quantX: "inline" }, shape, "f16").quantX,
    "pass",
  );
  // on the 64×64 tile 128 words of W a slab are requested by half of the 256 threads
  const [, gemm] = ternary.shaders!({
    shape,
    dtype: "f16",
    config: resolveTernary({ method: "dp4a" }, { tile: "64x64" }, shape, "f16"),
    limits: DEFAULT_SHADER_LIMITS,
  }) as { code: string }[];
  assert.match(gemm!.code, /@workgroup_size\(256\)/);
  // the first slab's load and store, the loop's load and store
  assert.equal(gemm!.code.match(/if \(lid < 128u\) \{/g)?.length, 4);
  assert.equal(resolveTernary({ method: "dp4a" }, {}, { m: 32, k: 64, n: 64 }).variant, "gemv");
  assert.equal(resolveTernary({ method: "dp4a" }, {}, { m: 33, k: 64, n: 64 }).tile, "32x32");
  const ops = ternaryOps(shape, c);
  assert.equal(ops.coreMultiplies, 2048 * 4096 * 4096);
  // padded tiles and 32-row slabs: 33 rows on 32×32 tiles, K = 48 run as 64
  const odd = { m: 33, k: 48, n: 40 };
  assert.equal(ternaryOps(odd, resolveTernary({ method: "dp4a" }, {}, odd)).coreAdds, 64 * 64 * 64);
  assert.equal(ops.overheadAdds, 4 * 2048 * 4096 + 2048 * 4096);
  // the codes in byte order, as the dp4a GEMV reads them
  assert.match(
    String(ternary.notes!({ zeros: 0, quantError: 0 } as never, shape, c, "f16").layout),
    /bytes of/,
  );
  const cands = ternaryTuneCandidates(shape, "f16", c);
  assert.deepEqual(cands.map((t) => t.tile).sort(), ["32x32", "64x64"]);
  const small = { m: 48, k: 64, n: 64 };
  assert.ok(
    ternaryTuneCandidates(small, "f16", resolveTernary({ method: "dp4a" }, {}, small))
      .some((t) => t.variant === "gemv"),
  );
  assert.throws(
    () =>
      ternary.check!(resolveTernary({ method: "lut" }, { variant: "gemm" }, shape), shape, "f32"),
    /addsub" or "dp4a/,
  );
});
