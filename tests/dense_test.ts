import assert from "node:assert/strict";
import { GEMM_TILES, gemmWgsl } from "../kernels/dense/gemm_wgsl.ts";
import { gemvWgsl } from "../kernels/dense/gemv_wgsl.ts";
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
        { kernel: "dense", tile: Object.keys(GEMM_TILES), variant: "gemm" },
        { kernel: "dense", variant: "gemv" },
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
      if (r.params.variant === "gemv") {
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

Deno.test("GEMM generator unrolls registers into scalars and bakes shapes", () => {
  const code = gemmWgsl({
    dtype: "f32",
    m: 128,
    k: 64,
    n: 128,
    vec: true,
    batch: 1,
    tile: GEMM_TILES["128x128"]!,
  });
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
  const f16 = gemvWgsl({ dtype: "f16", m: 2, k: 8, n: 8, vec: true, cols: 8, slices: 32 });
  assert.ok(f16.startsWith("enable f16;"));
});
