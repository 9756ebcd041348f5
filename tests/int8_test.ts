import assert from "node:assert/strict";
import { prepareInt8 } from "../kernels/int8/prepare.ts";
import { int8Reference } from "../kernels/int8/reference.ts";
import { type Int8Config, int8TuneCandidates, resolveInt8 } from "../kernels/int8/params.ts";
import { int8, int8Shaders } from "../kernels/int8/mod.ts";
import {
  INT8_GEMV_MAX_M,
  int8GemvDispatch,
  int8GemvLayout,
  int8GemvProblem,
  int8GemvWgsl,
} from "../kernels/int8/gemv_wgsl.ts";
import { int8StreamGeometry, int8StreamProblem } from "../kernels/int8/gemv_stream.ts";
import { int8Code, quantizeRow, roundHalfEven } from "../kernels/int8/quant.ts";
import { int8Work } from "../kernels/int8/work.ts";
import type { Params } from "../harness/types.ts";
import { DEFAULT_SHADER_LIMITS, type PlanContext, SkipCase } from "../harness/kernel.ts";
import { assertSameSums, GPU_TEST, runInline } from "./helpers.ts";

/** Activations with 5% planted outlier channels 20× larger: LLM.int8() finds some at threshold 3. */
const data = {
  x: { dist: "llm-activations", outlierFraction: 0.05, outlierScale: 20 },
  w: "llm-weights",
} as const;

const base: Int8Config = {
  outliers: "none",
  threshold: 6,
  smooth: 0,
  variant: "gemm",
  dot: "unpacked",
  tile: "32x32",
  cols: 4,
  slices: 32,
  xReads: "twice",
  blocks: 1,
};

Deno.test("int8 rounding is half to even and clamps at ±127", () => {
  assert.deepEqual([2.5, 3.5, -2.5, 126.5].map(roundHalfEven), [2, 4, -2, 126]);
  assert.equal(int8Code(200, 1), 127);
  assert.equal(int8Code(-200, 1), -127);
  const { q, scale } = quantizeRow(new Float32Array([-4, 1, 0.5]), new Float32Array([1, 1, 1]));
  assert.equal(scale, Math.fround(4 / 127));
  assert.deepEqual(Array.from(q), [-127, 32, 16]); // 1/(4/127) = 31.75 → 32; 15.875 → 16
});

Deno.test("int8 reference by hand: K = 4, N = 2, one outlier dimension", () => {
  // W (K×N) rows: [1, -2], [0.5, 1], [10, 10], [-1, 0]
  const w = new Float32Array([1, -2, 0.5, 1, 10, 10, -1, 0]);
  // calibration: dimension 2 reaches 9 > 6
  const calib = new Float32Array([1, 1, 9, 1]);
  const shape = { m: 1, k: 4, n: 2 };
  const p = prepareInt8(w, calib, 1, shape, "f32", { ...base, outliers: "llm-int8" });
  assert.deepEqual(Array.from(p.oi), [1, 2]);
  assert.deepEqual(Array.from(p.invS), [1, 1, 0, 1]);
  // column scales over the non-outlier rows: max(1, 0.5, 1) / 127 and max(2, 1, 0) / 127
  assert.deepEqual(Array.from(p.sw), [Math.fround(1 / 127), Math.fround(2 / 127)]);
  assert.deepEqual(Array.from(p.codes), [127, -127, 64, 64, 0, 0, -127, 0]);
  // Ŵ differs from W only at 0.5 → 64/127 (column 0) and 1 → 64·2/127 (column 1)
  const err = Math.sqrt(
    (64 * Math.fround(1 / 127) - 0.5) ** 2 + (64 * Math.fround(2 / 127) - 1) ** 2,
  );
  const norm = Math.sqrt(1 + 4 + 0.25 + 1 + 100 + 100 + 1);
  assert.ok(Math.abs(p.weightError - err / norm) < 1e-9, `${p.weightError}`);
  // packed: column 0 words hold codes of rows 0..3 lowest byte first
  assert.equal(p.wq[0], (127 | (64 << 8) | (0 << 16) | ((-127 & 0xff) << 24)) >>> 0);
  const x = new Float32Array([2, -1, 3, 0]);
  const y = int8Reference(x, p, shape, "f32", [0]);
  // x' = [2, -1, 0, 0]: scale 2/127, codes [127, -64, 0, 0]
  const sx = Math.fround(2 / 127);
  const y0 = (127 * 127 + -64 * 64) * sx * p.sw[0]! + 3 * 10;
  const y1 = (127 * -127 + -64 * 64) * sx * p.sw[1]! + 3 * 10;
  assert.ok(Math.abs(y[0]! - y0) < 1e-12 && Math.abs(y[1]! - y1) < 1e-12, `${y}`);
  // and it is close to the exact product X·W = [2 - 0.5 + 30, -4 - 1 + 30]
  assert.ok(Math.abs(y[0]! - 31.5) < 0.05 && Math.abs(y[1]! - 25) < 0.05);
});

Deno.test("int8 SmoothQuant factors move activation range into the weights", () => {
  const w = new Float32Array([1, 1, 1, 1]); // K = 2, N = 2
  const calib = new Float32Array([16, 1]);
  const p = prepareInt8(w, calib, 1, { m: 1, k: 2, n: 2 }, "f32", { ...base, smooth: 0.5 });
  // s = |x|^0.5 / |w|^0.5 = [4, 1]
  assert.deepEqual(Array.from(p.invS), [0.25, 1]);
  assert.equal(p.calibAbsMax, 4);
});

Deno.test("int8 work counts integer ops as core and the outlier path in overhead", () => {
  const a = int8Work({ m: 4, k: 10, n: 3 }, "f32", 0);
  const b = int8Work({ m: 4, k: 10, n: 3 }, "f32", 2);
  assert.equal(a.flops.core, 2 * 4 * 12 * 3);
  assert.equal(b.flops.overhead - a.flops.overhead, 2 * 4 * 2 * 3);
  assert.equal(a.flops.total, a.flops.core + a.flops.overhead);
  assert.throws(() => resolveInt8({ smooth: 1.5 }, {}, { m: 1, n: 1 }), /smooth/);
});

Deno.test({
  name: "int8 GEMM tiles agree over several workgroups: edges in M, N and K, outliers",
  ...GPU_TEST,
  async fn() {
    // more than one workgroup of every tile in M and N, partial edge tiles, K words not a multiple
    // of the slab (K4 = 16 and 10), and a K of one word
    const res = await runInline({
      shapes: [
        { m: 129, k: 61, n: 257 },
        { m: 260, k: 37, n: 131 },
        { m: 140, k: 4, n: 140 },
      ],
      dtypes: ["f32"],
      data,
      kernels: [{
        kernel: "int8",
        outliers: ["none", "llm-int8"],
        threshold: 3,
        tune: { variant: "gemm", dot: "packed", tile: ["32x32", "64x64", "128x128"] },
      }],
    });
    assert.equal(res.results.length, 18);
    const err = new Map<string, number>();
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.correctness!.passed, r.id);
      // the tiles sum the same integer products: the same outputs, the same error
      const k = `${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.params.outliers}`;
      if (err.has(k)) assert.equal(r.correctness!.relError, err.get(k), r.id);
      else err.set(k, r.correctness!.relError);
    }
  },
});

Deno.test({
  name:
    "int8 GEMM matches the f64 reference on odd shapes, f32 and f16, GEMM and GEMV, both dot paths",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // GEMV: u32 words with scalar X (K = 130), u32 words with vec4 X (K = 100), vec4 words
      // (K = 96), and rows of codes staged in two batches (16 rows of K = 2608 do not fit)
      shapes: [
        { m: 37, k: 99, n: 53 },
        { m: 3, k: 130, n: 9 },
        { m: 5, k: 96, n: 9 },
        { m: 16, k: 100, n: 33 },
        { m: 16, k: 2608, n: 24 },
        { m: 27, k: 256, n: 40 },
      ],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        {
          kernel: "int8",
          tune: {
            variant: "gemm",
            dot: ["packed", "unpacked"],
            tile: ["32x32", "64x64", "128x128"],
          },
        },
        { kernel: "int8", outliers: "llm-int8", threshold: 3, tune: { variant: "gemv" } },
        { kernel: "int8", tune: { variant: "gemv", dot: ["packed", "unpacked"] } },
        { kernel: "int8", tune: { variant: "gemv", cols: "8", slices: "16" } },
        { kernel: "int8", outliers: "llm-int8", threshold: 3, smooth: [0, 0.5] },
        { kernel: "int8", tune: { variant: "gemv2", dot: ["packed", "unpacked"] } },
        { kernel: "int8", outliers: "llm-int8", threshold: 3, tune: { variant: "gemv2" } },
      ],
    });
    for (const r of res.results) {
      if (String(r.tune!.variant).startsWith("gemv") && r.shape.m > INT8_GEMV_MAX_M) {
        assert.equal(r.status, "skipped", r.id);
        continue;
      }
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const variant = (r.notes as { variant?: string }).variant;
      if (r.tune!.variant !== "auto") assert.equal(variant, r.tune!.variant, r.id);
      assert.ok(r.correctness!.passed, `${r.id}`);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 1e-5 : 2e-3), `${r.id}`);
    }
    // the GEMV serves M = 27 by default, outliers included: every case but the forced GEMMs
    // and two-pass GEMVs
    const m27 = res.results.filter((r) => r.shape.m === 27);
    assert.equal(
      m27.filter((r) => r.notes.variant === "gemv").length,
      m27.filter((r) => r.tune!.variant !== "gemm" && r.tune!.variant !== "gemv2").length,
    );
    // the two-pass GEMV computes the same codes, products and sums as the one-pass GEMV: the
    // same outputs, to the bit (the same errors against the reference)
    const key = (r: (typeof res.results)[number]) =>
      `${r.shape.m}x${r.shape.k}x${r.shape.n}/${r.dtype}/${r.params.outliers}/${r.tune!.dot}`;
    const onePass = new Map(
      res.results.filter((r) => r.tune!.variant === "gemv" && r.tune!.cols === "auto")
        .map((r) => [key(r), r]),
    );
    const twoPass = res.results.filter((r) => r.tune!.variant === "gemv2" && r.status === "ok");
    // 5 shapes with M ≤ 32 × 2 dtypes × (2 dot paths + outliers)
    assert.equal(twoPass.length, 30);
    for (const r of twoPass) assertSameSums(r, onePass.get(key(r)));
    assert.ok(
      m27.filter((r) => r.tune!.variant === "auto" && r.notes.variant === "gemv").length >= 4,
    );
    const withOutliers = res.results.filter((r) => r.params.outliers === "llm-int8");
    assert.ok(withOutliers.some((r) => (r.notes as { outlierDims: number }).outlierDims > 0));
  },
});

Deno.test({
  name: "int8 GEMV reading X once (M = 1) gives the same outputs as reading it twice",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // code words a thread: 1 (K = 1024 over 128 threads), 2 (K = 4096 over 128; K = 1552, 97
      // words, over 64: some threads idle), 3 (K = 1536 over 32), 4 (K = 2048 over 32); M = 2,
      // and 8 words a thread, cannot read X once and read it twice
      shapes: [
        { m: 1, k: 1024, n: 40 },
        { m: 1, k: 4096, n: 24 },
        { m: 1, k: 1552, n: 9 },
        { m: 1, k: 1536, n: 8 },
        { m: 1, k: 2048, n: 8 },
        { m: 2, k: 96, n: 9 },
      ],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        {
          kernel: "int8",
          smooth: [0, 0.5],
          tune: { variant: "gemv", xReads: ["twice", "once"], cols: "4", slices: "32" },
        },
        {
          kernel: "int8",
          outliers: "llm-int8",
          threshold: 3,
          tune: { variant: "gemv", xReads: ["twice", "once"], cols: "1", slices: "128" },
        },
        {
          kernel: "int8",
          tune: { variant: "gemv", xReads: ["twice", "once"], cols: "1", slices: "64" },
        },
        {
          kernel: "int8",
          tune: { variant: "gemv", xReads: ["twice", "once"], cols: "1", slices: "32" },
        },
      ],
    });
    let compared = 0;
    for (const r of res.results.filter((r) => r.tune!.xReads === "once")) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const held = Math.ceil(r.shape.k / 16 / (Number(r.tune!.cols) * Number(r.tune!.slices)));
      const applies = r.shape.m === 1 && held <= 4;
      assert.equal((r.notes as { xReads: string }).xReads, applies ? "once" : "twice", r.id);
      if (!applies) continue;
      const twice = res.results.find((o) =>
        o.tune!.xReads === "twice" && o.dtype === r.dtype && o.shape.k === r.shape.k &&
        o.shape.m === r.shape.m && o.tune!.slices === r.tune!.slices &&
        o.tune!.cols === r.tune!.cols && o.params.smooth === r.params.smooth &&
        o.params.outliers === r.params.outliers
      );
      assertSameSums(r, twice);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 1e-5 : 2e-3), r.id);
      compared++;
    }
    assert.ok(compared >= 20, `${compared} compared`);
  },
});

Deno.test({
  name: "int8 GEMV column blocks give the same outputs as one block a workgroup",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // N = 40 in blocks of 4 columns: 10 blocks, over 5 (blocks 2) or 3 workgroups (blocks 4:
      // the last workgroup's third and fourth blocks past N); M = 3 reads X twice, M = 1 once;
      // K = 100 takes u32 words
      shapes: [{ m: 1, k: 1024, n: 40 }, { m: 3, k: 256, n: 40 }, { m: 2, k: 100, n: 37 }],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int8", tune: { variant: "gemv", blocks: ["1", "2", "4"], cols: "4" } },
        {
          kernel: "int8",
          outliers: "llm-int8",
          threshold: 3,
          smooth: 0.5,
          tune: { variant: "gemv", blocks: ["1", "2", "4"], cols: "4" },
        },
      ],
    });
    let compared = 0;
    for (const r of res.results.filter((r) => r.tune!.blocks !== "1")) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal((r.notes as { blocks: number }).blocks, Number(r.tune!.blocks), r.id);
      const one = res.results.find((o) =>
        o.tune!.blocks === "1" && o.dtype === r.dtype && o.shape.m === r.shape.m &&
        o.params.outliers === r.params.outliers
      );
      assertSameSums(r, one);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 1e-5 : 2e-3), r.id);
      compared++;
    }
    assert.equal(compared, 3 * 2 * 2 * 2);
  },
});

Deno.test("int8 GEMV column blocks need every row of codes staged at once", () => {
  const o = {
    dtype: "f32",
    m: 32,
    k: 4096,
    n: 64,
    cols: 2,
    slices: 64,
    dot: "packed",
    outliers: false,
    workgroupBytes: 16384,
  } as const;
  assert.ok(int8GemvLayout(o).stageRows < 32);
  assert.equal(int8GemvProblem(o), null);
  assert.match(int8GemvProblem({ ...o, blocks: 2 }) ?? "", /all 32 rows of codes staged/);
  assert.equal(int8GemvProblem({ ...o, m: 1, blocks: 2 }), null);
  assert.deepEqual(int8GemvDispatch({ ...o, m: 1, blocks: 4 }), [8, 1, 1]);
  assert.match(int8GemvProblem({ ...o, blocks: 1.5 }) ?? "", /blocks must be/);
  // Every block ends on a barrier: the next block's reduction rewrites `red`, which the software
  // adapter's lockstep threads would never show racing.
  for (const m of [1, 3]) {
    const code = int8GemvWgsl({ ...o, m, blocks: 2 }).code;
    const body = code.slice(code.indexOf("for (var b = 0u;"));
    const lastBlockLines = body.trimEnd().split("\n").slice(-3).map((l) => l.trim());
    assert.deepEqual(lastBlockLines, ["workgroupBarrier();", "}", "}"], `M = ${m}`);
    assert.ok(body.indexOf("live = nextLive;") < body.lastIndexOf("workgroupBarrier();"));
  }
});

Deno.test("int8 variant: the GEMV up to M = 32 by default, the GEMM a candidate above M = 16", () => {
  const at = (m: number) => resolveInt8({}, {}, { m, k: 4096, n: 4096 });
  assert.equal(at(32).variant, "gemv");
  assert.equal(at(33).variant, "gemm");
  assert.ok(
    int8TuneCandidates({ m: 27, k: 4096, n: 4096 }, at(27)).some((c) => c.variant === "gemm"),
  );
  // at M ≤ 16 the only other variant offered is the two-pass GEMV
  const m16 = int8TuneCandidates({ m: 16, k: 4096, n: 4096 }, at(16)).filter((c) => c.variant);
  assert.ok(m16.length >= 1 && m16.every((c) => c.variant === "gemv2"), JSON.stringify(m16));
});

Deno.test("int8 GEMV shaders: X read once where asked and it applies; IS only when scaled", () => {
  const text = (params: Params, tune: Record<string, string>, m = 1) => {
    const shape = { m, k: 4096, n: 64 };
    return int8Shaders(shape, "f16", resolveInt8(params, { variant: "gemv", ...tune }, shape))[0]!;
  };
  assert.match(text({}, { xReads: "once" }).code, /X read once/);
  assert.match(text({}, {}).code, /xq\[e0\] = vec4<u32>\(codesOf\(x0_0, sxw\[0\]\)/); // the default
  assert.doesNotMatch(text({}, { xReads: "twice" }).code, /X read once|codesOf\(x0_0/);
  assert.doesNotMatch(text({}, { xReads: "once" }, 2).code, /X read once/); // M = 2: twice
  assert.doesNotMatch(text({}, {}, 2).code, /X read once/);
  // every activation factor is 1 without SmoothQuant and outliers: not bound, not read
  assert.ok(!text({}, {}).bindings.includes("IS"));
  assert.ok(!/IS\[/.test(text({}, {}).code));
  assert.ok(text({ smooth: 0.5 }, {}).bindings.includes("IS"));
  assert.ok(text({ outliers: "llm-int8" }, {}).bindings.includes("IS"));
});

Deno.test("int8 GEMV column blocks on a device with less workgroup storage: a skip", async () => {
  // 8×5000 stages every row in the default 48 KiB, not in 16 KiB
  const shape = { m: 8, k: 5000, n: 64 };
  const config = resolveInt8({}, { blocks: "2" }, shape);
  int8.check!(config, shape, "f32");
  const device = { limits: { ...DEFAULT_SHADER_LIMITS, maxComputeWorkgroupStorageSize: 16384 } };
  const ctx = { device, shape, dtype: "f32", config } as unknown as PlanContext<never, Int8Config>;
  await assert.rejects(() => int8.plan(ctx), (e: Error) => {
    assert.ok(e instanceof SkipCase);
    assert.match(e.message, /rows of codes staged .* on this device/);
    return true;
  });
});

Deno.test({
  name: "int8 activation pass: every thread count and the looped rows match the reference",
  ...GPU_TEST,
  async fn() {
    // K = 2000, 20000, 40000: 128, 512 and 1024 threads a row (a fan-in that ends in a smaller
    // step); 65540: more than 16 words a thread, a loop
    const ks = [2000, 20000, 40000, 65540];
    const threads = ks.map((k) => {
      const shape = { m: 2, k, n: 8 };
      const [quant] = int8Shaders(shape, "f32", resolveInt8({}, { variant: "gemm" }, shape));
      return /(\d+) threads a row/.exec(quant!.code)?.[1] + (/a loop/.test(quant!.code) ? "L" : "");
    });
    assert.deepEqual(threads, ["128", "512", "1024", "1024L"]);
    const res = await runInline({
      shapes: ks.map((k) => ({ m: 2, k, n: 8 })),
      dtypes: ["f32", "f16"],
      data,
      kernels: [{ kernel: "int8", smooth: [0, 0.5], tune: { variant: "gemm" } }],
    });
    assert.equal(res.results.length, 16);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.correctness!.passed, r.id);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 1e-5 : 2e-3), r.id);
    }
  },
});

Deno.test({
  name: "int8 streaming GEMV matches the f64 reference: ragged columns, K tails, idle slices",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // vec4 words with the loop's last batch part-filled (K = 1040: 65 words over 8 slices) and
      // several batches (K = 4096 over 8 and 16), u32 words (K = 100, 130: scalar X), more slices
      // than words (K = 96 over 256 slices: most threads idle), M = 2 and 3, N ragged
      shapes: [
        { m: 1, k: 1040, n: 70 },
        { m: 1, k: 4096, n: 40 },
        { m: 2, k: 100, n: 37 },
        { m: 3, k: 130, n: 9 },
        { m: 1, k: 96, n: 5 },
      ],
      dtypes: ["f32", "f16"],
      data,
      kernels: [
        { kernel: "int8", tune: { variant: "stream", dot: ["packed", "unpacked"] } },
        { kernel: "int8", tune: { variant: "stream", cols: "32", slices: "8" } },
        { kernel: "int8", tune: { variant: "stream", cols: "16", slices: "16" } },
        { kernel: "int8", tune: { variant: "stream", cols: "1", slices: "256" } },
        {
          kernel: "int8",
          outliers: "llm-int8",
          threshold: 3,
          smooth: [0, 0.5],
          tune: { variant: "stream", cols: "16", slices: "16" },
        },
      ],
    });
    let checked = 0;
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal((r.notes as { variant: string }).variant, "stream", r.id);
      assert.ok(r.correctness!.passed, r.id);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.ok(r.correctness!.relError < (r.dtype === "f32" ? 1e-5 : 2e-3), r.id);
      checked++;
    }
    // 5 shapes × 2 dtypes × (2 dot paths + 3 geometries + 2 outlier cases)
    assert.equal(checked, 70);
    assert.ok(res.results.some((r) => (r.notes as { outlierDims?: number }).outlierDims! > 0));
  },
});

Deno.test("int8 streaming GEMV: geometry, bounds and its place among the candidates", () => {
  assert.deepEqual(int8StreamGeometry(4096, 4096), { cols: 16, slices: 16 });
  assert.deepEqual(int8StreamGeometry(2048, 2048), { cols: 8, slices: 32 });
  // a thread walks at most 64 words: K = 65536 (4096 words) over 64 slices, 4 columns
  assert.deepEqual(int8StreamGeometry(65536, 14336), { cols: 4, slices: 64 });
  const o = {
    dtype: "f16",
    m: 2,
    k: 14336,
    n: 64,
    cols: 16,
    slices: 16,
    dot: "packed",
    outliers: false,
    workgroupBytes: 49152,
  } as const;
  assert.equal(int8StreamProblem(o), null);
  assert.match(int8StreamProblem({ ...o, m: 4 }) ?? "", /workgroup memory/);
  assert.match(int8StreamProblem({ ...o, codes: "pass" }) ?? "", /inline/);
  // the one-pass GEMV's candidates include the streaming GEMV; the streaming GEMV's, the one-pass
  const shape = { m: 1, k: 4096, n: 14336 };
  const gemv = int8TuneCandidates(shape, resolveInt8({}, { variant: "gemv" }, shape));
  assert.deepEqual(gemv.filter((c) => c.variant === "stream"), [
    { variant: "stream", cols: "32", slices: "8" },
    { variant: "stream", cols: "16", slices: "16" },
  ]);
  // the default at M = 1 from N = 3072 (INT8_STREAM_MIN_N), where it fits
  const stream = resolveInt8({}, {}, shape);
  assert.equal(stream.variant, "stream");
  assert.equal(resolveInt8({}, {}, { m: 1, k: 4096, n: 2048 }).variant, "gemv");
  assert.equal(resolveInt8({}, {}, { m: 2, k: 4096, n: 14336 }).variant, "gemv");
  assert.deepEqual([stream.cols, stream.slices, stream.xReads], [32, 8, "twice"]);
  assert.deepEqual(int8TuneCandidates(shape, stream), [
    { variant: "stream", cols: "16", slices: "16" },
    { variant: "gemv", cols: "auto", slices: "auto" },
  ]);
  // the loop reads each word once: its first batch before the activation work, the rest ahead
  const code = int8Shaders(shape, "f16", stream)[0]!.code;
  assert.equal(code.match(/WQ\[base \+ s \+ /g)?.length, 4);
  assert.ok(code.indexOf("WQ[base + s + 0u]") < code.indexOf("sxw[ar] = v / 127.0;"));
  assert.equal(code.match(/WQ\[base \+ en \+ /g)?.length, 4);
});
