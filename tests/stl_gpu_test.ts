import assert from "node:assert/strict";
import { join } from "node:path";
import { runSuite } from "../harness/run/runner.ts";
import { loadSuite } from "../harness/suite/load.ts";
import type { CaseResult } from "../harness/types.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { GEMM_TILES } from "../kernels/dense/gemm_wgsl.ts";
import { encoderToJson } from "../kernels/stl/encoder_file.ts";
import { strassenEncoder } from "../kernels/stl/strassen.ts";
import { GPU_TEST, QUICK_MEASURE, runInline, testGpu } from "./helpers.ts";

function failures(results: CaseResult[]): string {
  return JSON.stringify(results.filter((r) => r.status !== "ok").map((r) => [r.id, r.reason]));
}

Deno.test({
  name: "stl math f16x2: the packed-half batched GEMM matches the f64 reference; f32 data skips",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [
        { m: 64, k: 256, n: 128, label: "vec" }, // t = 4: 16×64 × 64×32 planes, pairs staging
        { m: 37, k: 101, n: 53, label: "odd" }, // padded planes, scalar loads
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        { kernel: "stl", tile: 2, rank: 7, math: ["f32", "f16x2"] },
        { kernel: "stl", tile: 4, rank: [24, 49], math: "f16x2" },
      ],
    });
    assert.equal(res.results.length, 2 * 2 * 4);
    for (const r of res.results) {
      if (r.dtype === "f32" && r.params.math === "f16x2") {
        assert.equal(r.status, "skipped", r.id);
        assert.match(r.reason!, /math f16x2 needs f16 storage, got f32/);
        continue;
      }
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.notes.gemmMath, r.params.math, r.id);
      const c = r.correctness!;
      assert.ok(c.passed && c.nonFinite === 0 && c.rowsChecked === r.shape.m, r.id);
      // f16 products decoded through the encoder's coefficients: 1–2.5e-3 for the exact
      // encoders, up to ~5e-3 for cp-als (the dense packed-half GEMM: 5e-4); the tolerance is 1.6e-2.
      const bound = r.dtype === "f32" ? 5e-6 : r.params.math === "f16x2" ? 1e-2 : 2e-3;
      assert.ok(c.relError < bound, `${r.id}: ${c.relError}`);
      if (r.notes.encoder !== "cp-als") {
        // Exact encoders in packed halves: X·W up to f16 rounding.
        assert.ok(r.approximation!.relError < 4e-3, `${r.id}: ${r.approximation!.relError}`);
      }
    }
  },
});

Deno.test({
  name: "stl is correct on the GPU, f32 and f16, with and without padding",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [
        { m: 9, k: 64, n: 64, label: "vec" }, // t = 4: 16×16-tile planes, vec4 GEMM; M padded
        { m: 37, k: 101, n: 53, label: "odd" }, // M, K and N padded for t = 2 and 4; scalar paths
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights" },
      kernels: [
        { kernel: "dense" },
        { kernel: "stl", tile: 2, rank: 7 },
        { kernel: "stl", tile: 4, rank: 49 },
        { kernel: "stl", tile: 4, rank: 24 },
        { kernel: "stl", tile: 2, rank: 5, encoder: "random" },
      ],
    });
    assert.equal(res.totals.ok, res.totals.cases, failures(res.results));
    for (const r of res.results.filter((x) => x.kernel === "stl")) {
      const c = r.correctness!;
      assert.ok(c.passed && c.nonFinite === 0, r.id);
      assert.equal(c.rowsChecked, r.shape.m);
      assert.ok(c.relError < (r.dtype === "f32" ? 5e-6 : 2e-3), `${r.id}: ${c.relError}`);
      const t = r.params.tile as number;
      const rank = r.params.rank as number;
      const mt = Math.ceil(r.shape.m / t);
      const kt = Math.ceil(r.shape.k / t);
      const nt = Math.ceil(r.shape.n / t);
      assert.equal(r.flops.core, 2 * mt * kt * nt * rank);
      assert.ok(r.flops.overhead > 0);
      assert.equal(r.paramsStored, rank * kt * nt);
      assert.equal(r.notes.pipeline, "encode X → r-batched GEMM → decode");
      assert.ok(typeof r.notes.tensorResidual === "number");
      const padded = r.shape.m % t !== 0 || r.shape.k % t !== 0 || r.shape.n % t !== 0;
      assert.equal(r.notes.padding === "none", !padded, `${r.id}: ${r.notes.padding}`);
      assert.ok(r.speedupVsDense! > 0 && r.denseId!.startsWith("dense"));
      const exact = r.notes.encoder === "strassen" || r.notes.encoder === "strassen2";
      const a = r.approximation!.relError;
      if (exact) {
        // Exact encoders: STL == X·W up to storage rounding.
        assert.ok(a < (r.dtype === "f32" ? 1e-5 : 4e-3), `${r.id}: approximation ${a}`);
      } else {
        assert.ok(a > 0.1, `${r.id}: an approximate encoder cannot be exact (${a})`);
      }
    }
  },
});

Deno.test({
  name: "encoder files are read relative to the suite file; bad files fail the case clearly",
  ...GPU_TEST,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tilebench-stl-" });
    try {
      await Deno.mkdir(join(dir, "enc"));
      await Deno.writeTextFile(join(dir, "enc", "strassen.json"), encoderToJson(strassenEncoder()));
      const bad = JSON.parse(encoderToJson(strassenEncoder()));
      bad.beta = bad.beta.slice(0, 6);
      await Deno.writeTextFile(join(dir, "enc", "bad.json"), JSON.stringify(bad));
      await Deno.writeTextFile(
        join(dir, "suite.json"),
        JSON.stringify({
          name: "files",
          seed: 3,
          shapes: [{ m: 10, k: 12, n: 14 }],
          measure: QUICK_MEASURE,
          kernels: [
            { kernel: "dense" },
            {
              kernel: "stl",
              tile: 2,
              rank: 7,
              encoder: "file",
              encoderFile: ["enc/strassen.json", "enc/bad.json", "enc/missing.json"],
            },
          ],
        }),
      );
      const suite = await loadSuite(join(dir, "suite.json"), builtinKernels);
      const res = await runSuite({
        suite,
        registry: builtinKernels,
        gpu: await testGpu(),
        outDir: null,
        peaks: false,
        quiet: true,
      });
      const by = (f: string) => res.results.find((r) => r.params.encoderFile === f)!;
      const good = by("enc/strassen.json");
      assert.equal(good.status, "ok", good.reason ?? "");
      assert.equal(good.notes.file, join(dir, "enc", "strassen.json"));
      assert.equal(good.notes.tensorResidual, 0);
      assert.ok(good.approximation!.relError < 1e-5);
      // Overhead counted from the file's nonzeros (Strassen: 5 per X tile, 8 per Y tile).
      assert.equal(good.flops.overhead, 5 * 6 * 5 + 5 * 7 * 8);
      assert.equal(by("enc/bad.json").status, "failed");
      assert.match(
        by("enc/bad.json").reason!,
        /^prepare: encoder file ".*bad\.json": beta: must have 7 rows of 4 numbers .*got 6 rows$/,
      );
      assert.equal(by("enc/missing.json").status, "failed");
      assert.match(by("enc/missing.json").reason!, /missing\.json": cannot be read/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "every batched-GEMM tile is correct on a padded shape",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 70, k: 36, n: 150 }],
      kernels: [
        { kernel: "stl", tile: 4, rank: 8, tune: { gemmTile: Object.keys(GEMM_TILES) } },
      ],
    });
    assert.equal(res.totals.ok, Object.keys(GEMM_TILES).length, failures(res.results));
    for (const r of res.results) {
      assert.ok(r.correctness!.relError < 5e-6, `${r.id}: ${r.correctness!.relError}`);
      assert.equal(r.notes.gemmTile, r.tune?.gemmTile);
    }
  },
});
