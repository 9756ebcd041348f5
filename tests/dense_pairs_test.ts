import assert from "node:assert/strict";
import { gemmWgsl } from "../kernels/dense/gemm_wgsl.ts";
import { denseTuneCandidates } from "../kernels/dense/tune.ts";
import { pairArrays, pairBytes } from "../kernels/dense/gemm_pairs.ts";
import { GPU_TEST, runInline } from "./helpers.ts";

Deno.test({
  name: "packed-half GEMM with slabs staged as pairs is within f16 tolerance",
  ...GPU_TEST,
  async fn() {
    const gemm = (tune: Record<string, string>) => ({
      kernel: "dense",
      math: "f16x2",
      tune: { variant: "gemm", halfStage: "pairs", ...tune },
    });
    const res = await runInline({
      // 80 = 5 slabs of 16 (the double-buffered loop skips its second half last), 3 of 32 (the
      // last partial); 37x100x53 takes the scalar loads and ragged edges; K = 2048 at M = 20
      // splits K.
      shapes: [{ m: 130, k: 80, n: 68 }, { m: 37, k: 100, n: 53 }, { m: 20, k: 2048, n: 36 }],
      dtypes: ["f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        gemm({ tile: "64x128" }), // 4×8 a thread: two vec4 columns an element
        gemm({ tile: "64x64", buffers: "2" }), // 4×4: one
        gemm({ tile: "128x128", halfCarry: "16" }), // 8×8: two X reads a row of K
        gemm({ tile: "16x64" }), // double-buffered by default
        gemm({ tile: "64x128", bk: "32", halfCarry: "32" }),
        gemm({ tile: "64x64", slabs: "rows", xSkew: "on" }), // row slabs, X skewed in each row
        gemm({ tile: "64x128", slabs: "rows", bk: "32", halfCarry: "32" }),
        gemm({ tile: "64x128", xSkew: "on", buffers: "2" }), // flat, skewed, both buffers
        gemm({ tile: "64x128", halfStage: "vec4" }), // the staging pairs replaced
        gemm({ tile: "64x64", slabs: "rows", halfStage: "auto" }), // auto: pairs
      ],
    });
    assert.equal(res.results.length, 3 * 10);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      const vec4 = r.tune!.halfStage === "vec4";
      assert.equal(r.notes.halfStage, vec4 ? undefined : "pairs", r.id);
      assert.ok(r.correctness!.passed && r.correctness!.nonFinite === 0, r.id);
      assert.ok(r.correctness!.relError < 2e-3, `${r.id} ${r.correctness!.relError}`);
    }
    assert.ok(res.results.some((r) => r.notes.buffers === 2 && (r.notes.splitK as number) > 1));
  },
});

Deno.test("pairs staging: X doubled, no splat, vec2<f16> FMAs; vec4 staging a candidate", () => {
  const o = {
    dtype: "f16" as const,
    m: 128,
    k: 64,
    n: 256,
    vec: true,
    batch: 1,
    half: true,
    halfStage: "pairs" as const,
    tile: { bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 },
  };
  const { code } = gemmWgsl(o);
  assert.match(code, /var<workgroup> As: array<array<vec2<f16>, 4>, 256>;/);
  // skewed: 256 slots and the shifts of K-quads 1-3 (2 slots each: xSkew)
  const skewed = gemmWgsl({ ...o, skew: true }).code;
  assert.match(skewed, /var<workgroup> As: array<array<vec2<f16>, 4>, 262>;/);
  assert.match(skewed, /let slot = kq \* 66u \+ row \/ 4u;/);
  assert.match(code, /h_0_0 = fma\(a0\[0\], bp\[0\], h_0_0\);/);
  assert.doesNotMatch(code, /vec4<f16>\(a0\[/);
  assert.match(code, /stage=pairs/);
  const rowCode = gemmWgsl({ ...o, rows: true, skew: true }).code;
  assert.match(rowCode, /var<workgroup> As: array<array<array<vec2<f16>, 4>, 22>, 16>;/);
  assert.match(rowCode, /let a0 = As\[5u\]\[ty \+ 2u\];/); // row 5: K-quad 1, shifted 2 slots
  assert.throws(() => gemmWgsl({ ...o, halfStage: "vec4", skew: true }), /skewed X slab/);
  assert.throws(() => gemmWgsl({ ...o, half: false }), /halfStage pairs/);
  const cfg = { variant: "gemm", f16io: "packed", tile: "64x128", splitK: 1 } as const;
  const shape = { m: 4096, k: 4096, n: 4096 };
  const pairs = { ...cfg, math: "f16x2", halfCarry: 16, halfStage: "pairs" } as const;
  const half = denseTuneCandidates(shape, "f16", pairs);
  assert.deepEqual(half.filter((t) => t.halfStage), [{ halfStage: "vec4" }]);
  assert.deepEqual(half.filter((t) => t.xSkew), [{ xSkew: "on" }]); // the config is not skewed
  // f32 arithmetic: no staging candidate; packed halves on row slabs (pairs): vec4
  assert.ok(!denseTuneCandidates(shape, "f16", cfg).some((t) => t.halfStage));
  const rows = { ...pairs, rows: true } as const;
  assert.deepEqual(denseTuneCandidates(shape, "f16", rows).filter((t) => t.halfStage), [
    { halfStage: "vec4" },
  ]);
  // workgroup memory: X at two halves a value, W at one, times the buffers (BK 32, 2 buffers)
  const t32 = { bm: 64, bn: 128, bk: 32, tm: 4, tn: 8 };
  assert.equal(pairBytes(t32, 2), (64 * 4 + 128 * 2) * 32 * 2);
  // skewed: 512 slots and 7 shifts of 1 slot (xSkew)
  assert.equal(pairBytes(t32, 2, false, true), ((64 * 32) / 4 + 7) * 16 * 2 + 128 * 2 * 32 * 2);
  assert.deepEqual(pairArrays(t32, 2), [
    "var<workgroup> As: array<array<vec2<f16>, 4>, 1024>;",
    "var<workgroup> Bs: array<array<vec2<f16>, 4>, 1024>;",
  ]);
  // 16 × 512 + 64 × 256 = 32 KiB: within 48 KiB, so the candidates keep BK 32 with two buffers
  assert.ok(half.some((t) => t.bk === "32" && t.buffers === "2"));
});
