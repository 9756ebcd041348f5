import assert from "node:assert/strict";
import {
  autoSplitK,
  autoTile,
  denseAutoTile,
  GEMM_TILES,
  gemmWgsl,
  splitKChunk,
  tileThreads,
  usedGemmSplitK,
} from "../kernels/dense/gemm_wgsl.ts";
import { gemmTile } from "../kernels/dense/mod.ts";
import { gemvWgsl } from "../kernels/dense/gemv_wgsl.ts";
import {
  loadSlabRegs,
  registerBlockFma,
  slabReads,
  storeATransposed,
  storeSlabRegs,
} from "../kernels/wgsl/slab.ts";
import { GPU_TEST, runInline } from "./helpers.ts";

Deno.test({
  name: "dense GEMM and GEMV are correct on odd shapes, f32 and f16, every tile",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [
        { m: 37, k: 100, n: 53 },
        { m: 1, k: 100, n: 53 },
        { m: 5, k: 64, n: 260 },
        { m: 130, k: 19, n: 7 },
        { m: 129, k: 132, n: 68 },
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        { kernel: "dense", tune: { tile: Object.keys(GEMM_TILES), variant: "gemm" } },
        { kernel: "dense", tune: { variant: "gemv", f16io: ["packed", "native"] } },
        { kernel: "dense", tune: { variant: "gemm", f16io: "native" }, dtypes: ["f16"] },
      ],
    });
    const byStatus = (s: string) => res.results.filter((r) => r.status === s);
    assert.equal(
      byStatus("failed").length,
      0,
      JSON.stringify(byStatus("failed").map((r) => [r.id, r.reason])),
    );
    // gemv is skipped for M > 8 and runs for M ≤ 8.
    for (const r of res.results) {
      if (r.tune!.variant === "gemv") {
        assert.equal(r.status, r.shape.m <= 8 ? "ok" : "skipped", r.id);
      } else assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
    }
    for (const r of byStatus("ok")) {
      assert.ok(r.correctness!.passed);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.equal(r.correctness!.rowsChecked, r.shape.m);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 1e-6 : 2e-3),
        `${r.id} ${r.correctness!.relError}`,
      );
      assert.ok(r.time!.median > 0);
      assert.equal(r.flopsDense, 2 * r.shape.m * r.shape.k * r.shape.n);
    }
  },
});

Deno.test({
  name: "dense split-K GEMM is correct (partials reduced into Y), f32 and f16",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 20, k: 2048, n: 36 }, { m: 33, k: 517, n: 29 }],
      dtypes: ["f32", "f16"],
      kernels: [{ kernel: "dense", tune: { variant: "gemm", splitK: ["1", "4", "16"] } }, {
        kernel: "dense",
        tune: { variant: "gemm" },
      }],
    });
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 1e-6 : 2e-3),
        `${r.id} ${r.correctness!.relError}`,
      );
    }
    const auto = res.results.find((r) => r.tune!.splitK === "auto" && r.shape.m === 20)!;
    assert.ok((auto.notes.splitK as number) > 1, "auto split-K should split a 20x2048x36 product");
    // 16 splits of K = 517 at 48 rows each: only 11 start inside K, and only those run.
    const ragged = res.results.find((r) => r.tune!.splitK === "16" && r.shape.k === 517)!;
    assert.equal(ragged.notes.splitK, 11);
  },
});

Deno.test({
  name: "packed-half dense GEMV and GEMM (math f16x2) are within f16 tolerance",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      // GEMV: K = 517 leaves a tail after the 4-row walk; M = 8 is its largest; N = 30 no vec4.
      // GEMM: odd shape (scalar loads), vec4 shape, and K = 2048 split 4 ways (f32 partials).
      shapes: [
        { m: 1, k: 517, n: 64 },
        { m: 8, k: 1024, n: 132 },
        { m: 1, k: 64, n: 30 },
        { m: 37, k: 100, n: 53 },
        { m: 64, k: 256, n: 64 },
        { m: 20, k: 2048, n: 36 },
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [{ kernel: "dense", math: "f16x2", tune: { f16io: ["packed", "native"] } }],
    });
    const ran = res.results.filter((r) => r.status === "ok");
    assert.equal(ran.length, 10, JSON.stringify(res.results.map((r) => [r.id, r.reason])));
    for (const r of ran) {
      assert.equal(r.dtype, "f16");
      assert.equal(r.notes.math, "f16x2", r.id);
      assert.ok(r.correctness!.relError < 2e-3, `${r.id} ${r.correctness!.relError}`);
    }
    assert.ok(ran.some((r) => r.notes.variant === "gemm" && (r.notes.splitK as number) > 1));
    const reasons = res.results.filter((r) => r.status === "skipped").map((r) => r.reason);
    assert.equal(reasons.filter((x) => /math f16x2 needs f16 storage/.test(x!)).length, 12);
    assert.equal(reasons.filter((x) => /N divisible by 4/.test(x!)).length, 2);
  },
});

Deno.test({
  name: "dense GEMM tuning candidates: 128x64, BK 32, 2 buffers, 8x4 warps, row slabs, carries",
  ...GPU_TEST,
  async fn() {
    const gemm = (tune: Record<string, string>) => ({
      kernel: "dense",
      tune: { variant: "gemm", ...tune },
    });
    const res = await runInline({
      // 80 = 5 slabs of 16 (odd: the double-buffered loop skips its second half last), 3 of 32
      // (the last one partial); 37x100x53 takes the scalar loads; K = 2048 at M = 20 splits K.
      shapes: [{ m: 130, k: 80, n: 68 }, { m: 37, k: 100, n: 53 }, { m: 20, k: 2048, n: 36 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        gemm({ tile: "128x64" }),
        // The f32 GEMM's default tile with the knobs its tuning candidates combine it with.
        gemm({ tile: "128x64", slabs: "rows", buffers: "2", lanes: "8x4" }),
        gemm({ tile: "128x64", bk: "32" }),
        gemm({ tile: "32x64", bk: "32" }),
        gemm({ tile: "32x64", buffers: "2", lanes: "8x4" }),
        gemm({ tile: "64x64", bk: "32", buffers: "2" }),
        gemm({ tile: "64x64", slabs: "rows" }),
        gemm({ tile: "32x64", slabs: "rows", buffers: "2", lanes: "8x4" }),
        {
          ...gemm({ tile: "64x64", bk: "32", buffers: "2", halfCarry: "32", slabs: "rows" }),
          math: "f16x2",
          dtypes: ["f16"],
        },
        { ...gemm({ tile: "32x64", halfCarry: "16" }), math: "f16x2", dtypes: ["f16"] },
        // The 8x8 block in packed halves (a candidate only there).
        { ...gemm({ tile: "128x128", halfCarry: "16" }), math: "f16x2", dtypes: ["f16"] },
      ],
    });
    assert.equal(res.results.length, 3 * (8 * 2 + 3));
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.ok(r.correctness!.passed && r.correctness!.nonFinite === 0, r.id);
      const tol = r.dtype === "f32" ? 1e-6 : 2e-3;
      assert.ok(r.correctness!.relError < tol, `${r.id} ${r.correctness!.relError}`);
      // (auto is 1 on these tiles; 2 only for f16x2 on the 16-row tile)
      const buffers = r.tune!.buffers === "auto" ? 1 : Number(r.tune!.buffers);
      assert.equal(r.notes.buffers ?? 1, buffers, r.id);
      assert.equal(r.notes.bk ?? 16, r.tune!.bk === "auto" ? 16 : Number(r.tune!.bk), r.id);
      if (r.params.math === "f16x2") assert.equal(r.notes.halfCarry, Number(r.tune!.halfCarry));
      assert.equal(r.notes.lanes ?? "rows", r.tune!.lanes, r.id);
      assert.equal(r.notes.slabs ?? "flat", r.tune!.slabs, r.id);
    }
    assert.ok(res.results.some((r) => r.notes.buffers === 2 && (r.notes.splitK as number) > 1));
  },
});

Deno.test({
  name: "dense GEMV tuning candidates: workgroup shapes, 8 columns and rows, native f16, f16x2",
  ...GPU_TEST,
  async fn() {
    const gemv = (tune: Record<string, string | string[]>) => ({
      kernel: "dense",
      tune: { variant: "gemv", ...tune },
    });
    const res = await runInline({
      // 517: a tail after the 4-row walk; N = 36 is not divisible by 8 (width 8 is skipped).
      shapes: [{ m: 1, k: 517, n: 64 }, { m: 3, k: 100, n: 72 }, { m: 1, k: 64, n: 36 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        gemv({ gemvCols: "2", gemvSlices: "128" }),
        gemv({ gemvCols: "4", gemvSlices: "64", gemvWidth: "8", gemvUnroll: "8" }),
        { ...gemv({ f16io: "native", gemvWidth: "8" }), dtypes: ["f16"] },
        {
          ...gemv({ f16io: ["packed", "native"], gemvWidth: "8", gemvUnroll: "8" }),
          math: "f16x2",
          dtypes: ["f16"],
        },
      ],
    });
    assert.equal(res.results.length, 3 * (2 * 2 + 1 + 2));
    for (const r of res.results) {
      const skip = r.tune!.gemvWidth === "8" && r.shape.n % 8 !== 0;
      assert.equal(r.status, skip ? "skipped" : "ok", `${r.id}: ${r.reason}`);
      if (skip) {
        assert.match(r.reason!, /gemvWidth 8 needs N divisible by 8/);
        continue;
      }
      const tol = r.dtype === "f32" ? 1e-6 : 2e-3;
      assert.ok(r.correctness!.relError < tol, `${r.id} ${r.correctness!.relError}`);
      const width = r.tune!.gemvWidth === "auto"
        ? (r.shape.n % 8 === 0 ? 8 : 4)
        : r.tune!.gemvWidth;
      assert.equal(r.notes.width ?? 4, Number(width), r.id);
      assert.equal(r.notes.unroll ?? 4, Number(r.tune!.gemvUnroll), r.id);
    }
    assert.equal(res.results.filter((r) => r.status === "skipped").length, 2 + 1 + 2);
  },
});

Deno.test("auto tile and split-K choices", () => {
  assert.equal(autoTile(4096, 4096), "128x128");
  assert.equal(denseAutoTile(4096, 4096), "64x128");
  assert.equal(autoTile(2048, 256), "64x64");
  assert.equal(autoTile(16, 4096), "16x64");
  assert.equal(autoSplitK(4096, 4096, 4096, GEMM_TILES["128x128"]!), 1);
  assert.equal(autoSplitK(128, 2048, 256, GEMM_TILES["64x64"]!), 8);
  assert.equal(autoSplitK(16, 4096, 14336, GEMM_TILES["16x64"]!), 4); // 16-row tile: ~4 workgroups per SM
  assert.equal(autoSplitK(16, 4096, 1024, GEMM_TILES["16x64"]!), 32); // 16-row tile: down to 128 of K a split
  assert.equal(autoSplitK(64, 4096, 256, GEMM_TILES["64x64"]!), 16); // larger tiles: 256 of K a split
  assert.equal(splitKChunk(1000, 4, 16), 256);
  assert.equal(usedGemmSplitK(1040, 32, 16), 22);
  assert.equal(usedGemmSplitK(4096, 8, 16), 8);
  for (let k = 16; k < 3000; k += 61) {
    for (const want of [1, 2, 4, 8, 16, 32]) {
      const used = usedGemmSplitK(k, want, 16);
      const chunk = splitKChunk(k, used, 16);
      assert.ok(used <= want && (used - 1) * chunk < k && used * chunk >= k, `${k} ${want}`);
    }
  }
});

Deno.test("GEMM generator unrolls registers into scalars and bakes shapes", () => {
  const code = gemmWgsl({
    dtype: "f32",
    m: 128,
    k: 64,
    n: 128,
    vec: true,
    batch: 1,
    tile: GEMM_TILES["128x128"]!,
  }).code;
  assert.ok(code.includes("var acc_7_1 = vec4<f32>(0.0);"));
  assert.ok(!/array<vec4<f32>, \d+>;\s*\n\s*fn/.test(code));
  assert.ok(!code.includes("var<function>"));
  assert.ok(code.includes("const K = 64u;"));
  assert.throws(
    () =>
      gemmWgsl({ dtype: "f32", m: 8, k: 6, n: 8, vec: true, batch: 1, tile: GEMM_TILES["16x64"]! }),
    RangeError,
  );
  assert.throws(
    () => gemvWgsl({ dtype: "f32", m: 9, k: 8, n: 8, vec: true, cols: 8, slices: 32 }),
    RangeError,
  );
  const f16 = gemvWgsl({ dtype: "f16", m: 2, k: 8, n: 8, vec: true, cols: 8, slices: 32 }).code;
  assert.ok(f16.startsWith("enable f16;"));
});

Deno.test("shared GEMM parts: transposed X store and register-blocked FMA", () => {
  const tile = GEMM_TILES["128x128"]!;
  const fma = registerBlockFma(tile, "");
  // BK steps × (TM × TN/4) vec4 FMAs, no loop, no arrays indexed by a loop variable.
  assert.equal(fma.filter((l) => l.includes("fma(")).length, 16 * 8 * 2);
  assert.ok(!fma.some((l) => l.includes("for (")));
  const store = storeATransposed(tile, 256, "");
  // 128×16 slab, 512 vec4 over 256 threads: two unguarded stores of 4 lanes each.
  assert.equal(store.filter((l) => l.includes("As[slot")).length, 8);
  assert.ok(!store.some((l) => l.startsWith("if (")));
  assert.ok(storeATransposed(GEMM_TILES["16x64"]!, 256, "").some((l) => l.startsWith("if (lid")));
});

Deno.test("shared GEMM parts: the transposed X store is free of bank conflicts, the reads find it", () => {
  // Evaluates the generated store (`let slot = kq * S + row / 4u; As[slot + O][lane] = …`) for
  // each warp of 32 lanes and each vec4 component: 32 distinct banks (32-bit words mod 32) with
  // the skew, 32 / (BK/4) without (8 at BK 16, 4 at BK 32). Then the product's read of row k, `As[R + ty]`, must land on the slot the
  // store wrote k to.
  for (const name of ["128x64", "64x128", "64x64", "32x64", "16x64"]) {
    for (const bk of [16, 32]) {
      const tile = { ...gemmTile(name), bk };
      const threads = tileThreads(tile);
      for (const skew of [true, false]) {
        const store = storeATransposed(tile, threads, "", 0, (v) => v, skew);
        const S = Number(store.join("\n").match(/let slot = kq \* (\d+)u \+ row \/ 4u;/)![1]);
        const offsets = store.flatMap((l) =>
          [...l.matchAll(/As\[slot \+ (\d+)u\]/g)].map((m) => +m[1])
        );
        assert.equal(offsets.length % 4, 0);
        const perRow = bk / 4;
        const slots = (tile.bm * bk) / 4;
        const slotOf = (e: number, c: number) =>
          Math.floor(e / perRow / 4) + (e % perRow) * S + offsets[c]!;
        for (let w = 0; w * 32 < slots; w++) {
          for (let c = 0; c < 4; c++) {
            const banks = new Set<number>();
            for (let lane = 0; lane < 32; lane++) {
              const e = w * 32 + lane;
              banks.add((slotOf(e, c) * 4 + (Math.floor(e / perRow) % 4)) % 32);
            }
            const want = skew ? 32 : 32 / perRow;
            assert.equal(
              banks.size,
              want,
              `${name} BK ${bk} warp ${w} component ${c} skew ${skew}`,
            );
          }
        }
        // Every row k of the slab is read at the slot the store put it (row 0 of M, ty = 0).
        for (let k = 0; k < bk; k++) {
          const read = slabReads(tile, k, { a: 0, b: 0 }, false, skew)[0]!;
          const at = Number(read.match(/As\[(\d+)u \+ ty/)![1]);
          const kq = Math.floor(k / 4);
          assert.equal(at, slotOf(kq, k % 4), `${name} BK ${bk} row ${k}`);
        }
      }
    }
  }
});

Deno.test("shared GEMM parts: guarded slab loads (vec4 and scalar) and register stores", () => {
  const slab = {
    reg: "lb_",
    slots: 384,
    perRow: 16,
    row: "gk",
    col: "gc",
    rowStart: "k0",
    colStart: "colBase",
    rowBound: "K",
    colBound: "N",
    vec4: "vec4<f32>(W[gk * 16u + gc / 4u])",
    scalar: (c: number) => `f32(W[gk * N + gc + ${c}u])`,
  };
  const vec = loadSlabRegs(256, "", slab);
  // 384 slots over 256 threads: the first load needs no guard, the second does.
  assert.deepEqual(vec.filter((l) => l.includes(" = vec4<f32>(W[")), [
    "  if (gk < K && gc < N) { lb_0 = vec4<f32>(W[gk * 16u + gc / 4u]); }",
    "  if (lid + 256u < 384u && gk < K && gc < N) { lb_1 = vec4<f32>(W[gk * 16u + gc / 4u]); }",
  ]);
  assert.ok(vec.includes("  let gk = k0 + e / 16u;"));
  assert.ok(vec.includes("  let gc = colBase + (e % 16u) * 4u;"));
  // Scalar path: every lane guarded against the column bound, the row checked once per load.
  const scalar = loadSlabRegs(256, "", { ...slab, vec4: null });
  assert.equal(scalar.filter((l) => /if \(gc \+ \du < N\)/.test(l)).length, 8);
  assert.ok(scalar.includes("  if (lid + 256u < 384u && gk < K) {"));
  assert.ok(scalar.includes("    if (gc + 3u < N) { lb_1[3] = f32(W[gk * N + gc + 3u]); }"));
  assert.throws(
    () => loadSlabRegs(256, "", { ...slab, vec4: null, scalar: undefined }),
    (e: unknown) => e instanceof TypeError && /slab "lb_": vec4 is null/.test(e.message),
  );
  assert.deepEqual(storeSlabRegs(256, "", "lb_", 384, "Bs"), [
    "{ Bs[lid + 0u] = lb_0; }",
    "if (lid + 256u < 384u) { Bs[lid + 256u] = lb_1; }",
  ]);
});
