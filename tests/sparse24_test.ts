import assert from "node:assert/strict";
import { generateCalib, generateW, generateX } from "../harness/data/inputs.ts";
import { matmulRowsF64 } from "../harness/data/matmul_f64.ts";
import { Rng } from "../harness/data/prng.ts";
import { expandCases } from "../harness/suite/expand.ts";
import { loadSuite, SuiteError, validateSuite } from "../harness/suite/mod.ts";
import { builtinKernels } from "../kernels/mod.ts";
import {
  autoGatherTile,
  autoSparseSplitK,
  autoSparseTile,
  compress24,
  decompress24,
  defaultGemvShape,
  GATHER_TILES,
  gatherGemmWgsl,
  gatherHalf,
  gemvChunks,
  groupIndices,
  maskScores,
  paddedDims,
  prepareSparse24,
  pruneMask,
  sparse24GemmWgsl,
  sparse24GemvWgsl,
  sparse24Reference,
  sparse24Work,
  SPARSE_GEMM_TILES,
  sparseDecode,
  storedBytes24,
  usedSplitK,
} from "../kernels/sparse24/mod.ts";
import { GPU_TEST, runInline } from "./helpers.ts";

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = new Rng(seed, "sparse24-test");
  return Float32Array.from({ length: rows * cols }, () => 2 * rng.next() - 1);
}

function maskedDense(w: Float32Array, mask: Uint8Array): Float32Array {
  return w.map((v, i) => (mask[i] ? v : 0));
}

Deno.test("2:4 format: compress → decompress == masked W for any K, N, both dtypes", () => {
  for (const [k, n] of [[1, 1], [3, 2], [4, 5], [5, 3], [31, 7], [32, 4], [33, 9], [100, 6]]) {
    const w = randomMatrix(k!, n!, k! * 131 + n!);
    const calib = randomMatrix(8, k!, 7);
    for (const maskName of ["magnitude", "wanda"] as const) {
      const mask = pruneMask(maskName, w, k!, n!, calib, 8);
      // Every group keeps min(2, real rows) weights.
      for (let g = 0; g * 4 < k!; g++) {
        for (let col = 0; col < n!; col++) {
          let kept = 0;
          for (let c = 0; c < 4 && 4 * g + c < k!; c++) kept += mask[(4 * g + c) * n! + col]!;
          assert.equal(kept, Math.min(2, k! - 4 * g), `k=${k} n=${n} g=${g} col=${col}`);
        }
      }
      for (const dtype of ["f32", "f16"] as const) {
        const c = compress24(w, k!, n!, mask, dtype);
        const { kp, np } = paddedDims(k!, n!);
        assert.equal(c.kp, kp);
        assert.equal(c.np, np);
        assert.equal(kp % 32, 0);
        assert.equal(c.values.length, (kp / 2) * np);
        assert.equal(c.meta.length, (kp / 32) * np);
        assert.equal(c.values instanceof Float16Array, dtype === "f16");
        const expected = maskedDense(
          dtype === "f16" ? new Float32Array(new Float16Array(w)) : w,
          mask,
        );
        assert.deepEqual(decompress24(c), expected, `k=${k} n=${n} ${maskName} ${dtype}`);
        for (let g = 0; g < kp / 4; g++) {
          for (let col = 0; col < np; col++) {
            const [i0, i1] = groupIndices(c, g, col);
            assert.ok(i0 < i1, `i0 < i1 at g=${g} col=${col}`);
            if (col >= n! || 4 * g >= k!) {
              // Padding: zero values, indices (0, 1).
              assert.deepEqual([i0, i1], [0, 1]);
              assert.equal(c.values[2 * g * np + col], 0);
              assert.equal(c.values[(2 * g + 1) * np + col], 0);
            }
          }
        }
      }
    }
  }
});

Deno.test("2:4 format: exact layout of values and metadata bits", () => {
  // K = 40 (two metadata words, the second partial), N = 2. Column 0 keeps (1, 3) in group 0
  // and (0, 2) in group 9; column 1 keeps (0, 1) everywhere.
  const k = 40;
  const n = 2;
  const w = new Float32Array(k * n);
  const mask = new Uint8Array(k * n);
  for (let kk = 0; kk < k; kk++) w[kk * n] = kk + 1, w[kk * n + 1] = -(kk + 1);
  for (let g = 0; g < 10; g++) {
    const [a, b] = g === 0 ? [1, 3] : g === 9 ? [0, 2] : [2, 3];
    mask[(4 * g + a) * n] = 1;
    mask[(4 * g + b) * n] = 1;
    mask[(4 * g) * n + 1] = 1;
    mask[(4 * g + 1) * n + 1] = 1;
  }
  const c = compress24(w, k, n, mask, "f32");
  assert.equal(c.kp, 64);
  assert.equal(c.np, 4);
  // values[(2g + j)·np + col]
  assert.equal(c.values[0 * 4 + 0], 2); // g0 j0 → row 1
  assert.equal(c.values[1 * 4 + 0], 4); // g0 j1 → row 3
  assert.equal(c.values[18 * 4 + 0], 37); // g9 j0 → row 36
  assert.equal(c.values[19 * 4 + 0], 39); // g9 j1 → row 38
  assert.equal(c.values[1 * 4 + 1], -2); // col 1, g0 j1 → row 1
  // meta[(g >> 3)·np + col], nibble 4·(g & 7): i0 | i1 << 2
  assert.equal(c.meta[0]! & 15, 1 | (3 << 2));
  assert.equal((c.meta[0]! >>> 4) & 15, 2 | (3 << 2));
  assert.equal(c.meta[4 + 0]! & 15, 2 | (3 << 2)); // g8
  assert.equal((c.meta[4 + 0]! >>> 4) & 15, 0 | (2 << 2)); // g9
  assert.equal(c.meta[1], 0x44444444); // column 1: (0, 1) in all 8 groups
  assert.equal((c.meta[4 + 0]! >>> 8) & 15, 4); // g10 is padding: (0, 1)
  assert.equal(storedBytes24(k, n, "f32"), c.values.byteLength + c.meta.byteLength);
  assert.equal(storedBytes24(k, n, "f16"), c.values.byteLength / 2 + c.meta.byteLength);
  // A mask keeping 3 of 4 is rejected.
  const bad = new Uint8Array(k * n);
  bad[0] = bad[2] = bad[4] = 1;
  assert.throws(() => compress24(w, k, n, bad, "f32"), /more than 2 of the 4 weights in group 0/);
});

Deno.test("masks: magnitude ranks |W|, wanda ranks |W|·‖X_k‖ over calibration rows", () => {
  // One column, one group: W = [4, -3, 2, 1]; channel norms make the small weights win.
  const w = new Float32Array([4, -3, 2, 1]);
  const calib = new Float32Array([0.1, 0.1, 10, 10]); // 1 row × K = 4
  assert.deepEqual([...pruneMask("magnitude", w, 4, 1, calib, 1)], [1, 1, 0, 0]);
  assert.deepEqual([...pruneMask("wanda", w, 4, 1, calib, 1)], [0, 0, 1, 1]);
  // Ties keep the lower index.
  assert.deepEqual([...pruneMask("magnitude", new Float32Array(4).fill(1), 4, 1, calib, 1)], [
    1,
    1,
    0,
    0,
  ]);
  const s = maskScores("wanda", w, 4, 1, new Float32Array([3, 0, 0, 0, 4, 0, 0, 0]), 2);
  assert.equal(s[0], 4 * 5);
  assert.throws(
    () => maskScores("wanda", w, 4, 1, new Float32Array(0), 0),
    /data\.calibRows ≥ 1/,
  );
  assert.throws(() => maskScores("random" as "wanda", w, 4, 1, calib, 1), /mask: must be one of/);
  // The fused mask equals an independent top-2 by sorting the scores.
  const [k, n] = [22, 5];
  const wr = randomMatrix(k, n, 11);
  const cr = randomMatrix(3, k, 12);
  for (const name of ["magnitude", "wanda"] as const) {
    const scores = maskScores(name, wr, k, n, cr, 3);
    const got = pruneMask(name, wr, k, n, cr, 3);
    for (let g = 0; 4 * g < k; g++) {
      for (let col = 0; col < n; col++) {
        const idx = [0, 1, 2, 3].filter((c) => 4 * g + c < k);
        idx.sort((a, b) =>
          scores[(4 * g + b) * n + col]! - scores[(4 * g + a) * n + col]! || a - b
        );
        for (const c of idx) {
          assert.equal(got[(4 * g + c) * n + col], idx.indexOf(c) < 2 ? 1 : 0, `${name} g${g}`);
        }
      }
    }
  }
});

Deno.test("wanda approximates exact X·W better than magnitude on llm-activations (CPU)", () => {
  const data = {
    x: { dist: "llm-activations" as const },
    w: { dist: "llm-weights" as const },
    calibRows: 64,
  };
  for (const seed of [1, 2, 3]) {
    const [m, k, n] = [32, 512, 128];
    const x = generateX(m, k, seed, data);
    const w = generateW(k, n, seed, data);
    const calib = generateCalib(k, seed, data);
    const rows = Array.from({ length: m }, (_, i) => i);
    const exact = matmulRowsF64(x, w, m, k, n, rows);
    const err: Record<string, number> = {};
    for (const mask of ["magnitude", "wanda"] as const) {
      const p = prepareSparse24(w, k, n, mask, "f32", calib, data.calibRows);
      const y = sparse24Reference(p.weights, x, { m, k, n }, "f32", rows);
      let num = 0;
      let den = 0;
      for (let i = 0; i < y.length; i++) num += (y[i]! - exact[i]!) ** 2, den += exact[i]! ** 2;
      err[mask] = Math.sqrt(num / den);
    }
    assert.ok(err.wanda! < err.magnitude!, `seed ${seed}: ${JSON.stringify(err)}`);
  }
});

Deno.test("reference matches a dense product with the masked weights", () => {
  const [m, k, n] = [5, 37, 11];
  const w = randomMatrix(k, n, 3);
  const x = randomMatrix(m, k, 4);
  const mask = pruneMask("magnitude", w, k, n, new Float32Array(0), 0);
  const c = compress24(w, k, n, mask, "f32");
  const rows = [0, 2, 4];
  const want = matmulRowsF64(x, maskedDense(w, mask), m, k, n, rows);
  const got = sparse24Reference(c, x, { m, k, n }, "f32", rows);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-12);
});

Deno.test("work model: half the FLOPs of dense, bytes of the compressed format", () => {
  const w = sparse24Work({ m: 2048, k: 4096, n: 14336 }, "f16");
  assert.equal(w.flops.core, 2048 * 4096 * 14336);
  assert.equal(w.flops.overhead, 0);
  assert.equal(w.paramsStored, (4096 / 2) * 14336);
  assert.equal(w.storedBytes, 2048 * 14336 * 2 + 128 * 14336 * 4);
  assert.equal(w.bytes, w.storedBytes + (2048 * 4096 + 2048 * 14336) * 2);
  // Padded last group counts as a whole group; expand multiplies the zeros too.
  const odd = sparse24Work({ m: 3, k: 5, n: 7 }, "f32", true);
  assert.equal(odd.flops.core, 2 * 3 * 7 * 4);
  assert.equal(odd.flops.total, 2 * odd.flops.core);
});

Deno.test("generators: unrolled registers, no function-scope arrays, bad options rejected", () => {
  const gemm = sparse24GemmWgsl({
    dtype: "f32",
    m: 2048,
    k: 4096,
    n: 4096,
    tile: SPARSE_GEMM_TILES["256x128"]!,
    decode: "pair",
  }).code;
  assert.ok(gemm.includes("var acc_1_15 = vec4<f32>(0.0);"));
  for (const nib of [4, 8, 12, 9, 13, 14]) assert.ok(gemm.includes(`case ${nib}u:`));
  assert.ok(!gemm.includes("var<function>"));
  // Only storage and workgroup arrays.
  for (const decl of gemm.matchAll(/var(<[^>]*>)? \w+: array</g)) {
    assert.ok(/var<(storage|workgroup)/.test(decl[0]), decl[0]);
  }
  const split = sparse24GemmWgsl({
    dtype: "f16",
    m: 64,
    k: 64,
    n: 64,
    tile: SPARSE_GEMM_TILES["128x64"]!,
    decode: "split",
  }).code;
  assert.ok(split.startsWith("enable f16;") && split.includes("& 3u)"));
  assert.throws(
    () =>
      sparse24GemmWgsl({
        dtype: "f32",
        m: 8,
        k: 8,
        n: 8,
        tile: { tm: 2, tn: 16, wc: 4 },
        decode: "pair",
      }),
    /tm must be 4 or 8/,
  );
  const gemv =
    sparse24GemvWgsl({ dtype: "f32", m: 1, k: 4096, n: 14336, cols: 8, slices: 32 }).code;
  assert.ok(gemv.includes("let mw = Meta[w * NP4 + col4];"));
  assert.ok(!/var(<function>)? \w+: array/.test(gemv));
  assert.throws(
    () => sparse24GemvWgsl({ dtype: "f32", m: 1, k: 8, n: 8, cols: 8, slices: 3 }),
    /power of 2/,
  );
  assert.equal(autoSparseTile(2048, 1024), "256x64");
  assert.equal(autoSparseTile(2048, 4096), "256x128");
  // Gather: no branches, X read at the decoded slab rows, bank padding of the k rows.
  const gather = gatherGemmWgsl({
    dtype: "f32",
    m: 2048,
    k: 4096,
    n: 4096,
    tile: GATHER_TILES["g64x128"]!,
  }).code;
  assert.ok(!gather.includes("switch") && !gather.includes("select("));
  assert.ok(gather.includes("acc_3_3 = fma(Xs[k1].v[wm][3], w1, acc_3_3);"));
  assert.ok(gather.includes("  pad: vec4<f32>,"));
  assert.ok(!/var(<function>)? \w+: array/.test(gather));
  const halfGather = gatherGemmWgsl({
    dtype: "f16",
    m: 64,
    k: 64,
    n: 128,
    tile: GATHER_TILES["g32x128"]!,
    half: true,
  }).code;
  assert.ok(halfGather.includes("h_1_3 = fma(Xs[k1].v[wm][1], w1, h_1_3);"));
  assert.ok(halfGather.includes("acc_1_3 = acc_1_3 + vec4<f32>(h_1_3);"));
  assert.throws(
    () =>
      gatherGemmWgsl({
        dtype: "f32",
        m: 8,
        k: 8,
        n: 8,
        tile: GATHER_TILES["g32x128"]!,
        half: true,
      }),
    /half needs dtype f16, got f32/,
  );
  assert.throws(
    () => gatherGemmWgsl({ dtype: "f32", m: 8, k: 8, n: 8, tile: { tm: 6, wm: 1, wn: 1 } }),
    /tm must be a multiple of 4, got 6/,
  );
  assert.equal(autoGatherTile(2048, 4096), "g64x128");
  assert.equal(autoGatherTile(64, 512), "g32x128");
});

Deno.test("bad sparse24 params are rejected naming the field and allowed values", () => {
  const base = { name: "t", seed: 1, shapes: [{ m: 4, k: 8, n: 4 }], dtypes: ["f32"] };
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [
      { kernel: "sparse24", mask: "random" },
      "kernels[0].mask",
      /"magnitude", "wanda"; got "random"/,
    ],
    [
      { kernel: "sparse24", tune: { variant: "spmm" } },
      "kernels[0].tune.variant",
      /"auto", "gemm", "gemv"/,
    ],
    [{ kernel: "sparse24", tune: { tile: "64x64" } }, "kernels[0].tune.tile", /"256x128"/],
    [
      { kernel: "sparse24", tune: { decode: "maybe" } },
      "kernels[0].tune.decode",
      /"pair", "split", "expand", "gather"/,
    ],
    [{ kernel: "sparse24", mask: ["wanda", 3] }, "kernels[0].mask[1]", /got 3/],
  ];
  for (const [entry, field, text] of cases) {
    assert.throws(
      () => validateSuite({ ...base, kernels: [entry] }, "suites/bad.json", builtinKernels),
      (e: unknown) => {
        assert.ok(e instanceof SuiteError, String(e));
        assert.equal(e.field, field);
        assert.match(e.message, text);
        return true;
      },
    );
  }
});

Deno.test("gather tiles and decode gather go together, rejected up front naming the tile", () => {
  const suite = (entry: Record<string, unknown>) => ({
    name: "t",
    seed: 1,
    shapes: [{ m: 64, k: 64, n: 128 }],
    dtypes: ["f32"],
    kernels: [entry],
  });
  const rejects = (entry: Record<string, unknown>, text: RegExp) =>
    assert.throws(
      () =>
        expandCases(validateSuite(suite(entry), "suites/bad.json", builtinKernels), builtinKernels),
      (e: unknown) => {
        assert.ok(e instanceof SuiteError, String(e));
        assert.equal(e.field, "kernels[0].tune.tile");
        assert.match(e.message, text);
        return true;
      },
    );
  rejects(
    { kernel: "sparse24", tune: { decode: "gather", tile: "256x128" } },
    /decode "gather" needs a gather tile \(g64x256, .*\), got "256x128"/,
  );
  rejects(
    { kernel: "sparse24", tune: { decode: "pair", tile: "g64x256" } },
    /gather tile "g64x256" needs decode "gather", got decode "pair"/,
  );
  assert.throws(
    () =>
      expandCases(
        validateSuite(
          suite({ kernel: "sparse24", gatherMath: "f16x2", tune: { decode: "pair" } }),
          "suites/bad.json",
          builtinKernels,
        ),
        builtinKernels,
      ),
    (e: unknown) =>
      e instanceof SuiteError && e.field === "kernels[0].gatherMath" &&
      /applies to decode "gather" only, got decode "pair"/.test(e.message),
  );
  const ok = expandCases(
    validateSuite(
      suite({ kernel: "sparse24", tune: { tile: ["auto", "g32x128", "128x64"] } }),
      "suites/ok.json",
      builtinKernels,
    ),
    builtinKernels,
  );
  assert.equal(ok.length, 3);
  // auto decode: gather, or pair for a warp-column tile; auto gatherMath: halves for f16 only.
  assert.equal(sparseDecode("auto", "auto"), "gather");
  assert.equal(sparseDecode("auto", "g32x128"), "gather");
  assert.equal(sparseDecode("auto", "128x64"), "pair");
  assert.equal(sparseDecode("split", "128x64"), "split");
  assert.ok(gatherHalf("auto", "f16") && !gatherHalf("auto", "f32"));
  assert.ok(!gatherHalf("f32", "f16"));
});

Deno.test("sparse24 suites hold the llm-prefill / llm-decode shapes, both dense arithmetics and both masks", async () => {
  for (
    const [name, like, l2] of [["sparse24", "llm-prefill", "warm"], [
      "sparse24-decode",
      "llm-decode",
      "cold",
    ]]
  ) {
    const s = await loadSuite(name!, builtinKernels);
    const ref = await loadSuite(like!, builtinKernels);
    assert.deepEqual(s.shapes, ref.shapes);
    assert.deepEqual(s.dtypes, ref.dtypes);
    assert.deepEqual(s.data, ref.data);
    assert.equal(s.seed, ref.seed);
    assert.equal(s.measure.l2, l2);
    // dense with f32 and with packed-half arithmetic (f16 only), then both masks
    assert.deepEqual(s.kernels.map((k) => k.kernel), ["dense", "dense", "sparse24"]);
    assert.equal(s.kernels[1]!.math, "f16x2");
    assert.deepEqual(s.kernels[1]!.dtypes, ["f16"]);
    assert.deepEqual(s.kernels[2]!.mask, ["magnitude", "wanda"]);
  }
});

Deno.test({
  name: "sparse24 GEMV and GEMM match the f64 masked reference on odd shapes, f32 and f16",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [
        { m: 1, k: 100, n: 53 }, // tail word, N % 4 ≠ 0
        { m: 9, k: 19, n: 6 }, // K % 4 ≠ 0 (scalar X, partial group), two row chunks
        { m: 3, k: 1100, n: 20 }, // several words per slice
        { m: 37, k: 45, n: 135 }, // GEMM edges in M, K and N
        { m: 2, k: 40, n: 8450 }, // wide N: the GEMV's full-width workgroups (16 or 8 col-vec4s)
      ],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 16 },
      kernels: [
        { kernel: "dense" },
        { kernel: "sparse24", mask: ["magnitude", "wanda"], tune: { variant: "gemv" } },
        { kernel: "sparse24", mask: "wanda", tune: { variant: "gemm", tile: "128x64" } },
        { kernel: "sparse24", tune: { variant: "gemm", decode: "gather", tile: "g32x128" } },
        {
          kernel: "sparse24",
          gatherMath: "f16x2",
          tune: { variant: "gemm", decode: "gather" },
          dtypes: ["f16"],
        },
        {
          kernel: "sparse24",
          tune: { variant: "gemv", gemvSlices: ["16", "64"] },
          dtypes: ["f32"],
        },
      ],
    });
    for (
      const r of res.results.filter((r) =>
        r.tune?.gemvSlices !== undefined && r.tune.gemvSlices !== "auto"
      )
    ) {
      assert.equal(r.notes.slices, Number(r.tune!.gemvSlices), r.id);
    }
    const failed = res.results.filter((r) => r.status !== "ok");
    assert.equal(failed.length, 0, JSON.stringify(failed.map((r) => [r.id, r.reason])));
    for (const r of res.results.filter((r) => r.kernel === "sparse24")) {
      const c = r.correctness!;
      assert.ok(c.passed && c.nonFinite === 0, r.id);
      assert.equal(c.rowsChecked, r.shape.m);
      assert.ok(c.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), `${r.id} ${c.relError}`);
      const { m, k, n } = r.shape;
      assert.equal(r.flops.core, 2 * m * n * 2 * Math.ceil(k / 4));
      assert.equal(r.storedBytes, storedBytes24(k, n, r.dtype));
      assert.ok(r.speedupVsDense! > 0 && r.denseId!.startsWith("dense"), r.id);
      assert.ok(r.setup!.prepareMs >= 0);
      if (r.params.gatherMath === "f16x2") assert.equal(r.notes.gatherMath, "f16x2", r.id);
      if (r.tune!.variant === "gemv" && n === 8450) {
        assert.equal(r.notes.cols, r.dtype === "f16" ? 64 : 32, r.id);
      }
      // Pruning loses accuracy vs exact X·W, and says so.
      assert.ok(r.approximation!.relError > 0.01, `${r.id} ${r.approximation!.relError}`);
    }
  },
});

Deno.test({
  name: "sparse24 GEMM: every tile and decode mode is correct; wanda beats magnitude on GPU",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 130, k: 40, n: 68 }],
      dtypes: ["f32"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 32 },
      kernels: [
        {
          kernel: "sparse24",
          tune: {
            variant: "gemm",
            tile: Object.keys(SPARSE_GEMM_TILES),
            decode: ["pair", "split", "expand"],
          },
        },
        {
          kernel: "sparse24",
          tune: { variant: "gemm", decode: "gather", tile: Object.keys(GATHER_TILES) },
        },
        { kernel: "sparse24", mask: "wanda", tune: { variant: "gemm" } },
      ],
    });
    const failed = res.results.filter((r) => r.status !== "ok");
    assert.equal(failed.length, 0, JSON.stringify(failed.map((r) => [r.id, r.reason])));
    for (const r of res.results) {
      assert.ok(r.correctness!.relError < 2e-6, `${r.id} ${r.correctness!.relError}`);
      if (r.tune!.decode === "expand") assert.equal(r.flops.overhead, r.flops.core);
    }
    const approx = (mask: string) =>
      res.results.find((r) => r.params.mask === mask)!.approximation!.relError;
    assert.ok(
      approx("wanda") < approx("magnitude"),
      `${approx("wanda")} vs ${approx("magnitude")}`,
    );
  },
});

Deno.test("defaultGemvShape: H100-tuned widths and threads, capped by workgroup memory", () => {
  // Wide N: 128-byte value rows a warp (16 f16 or 8 f32 column-vec4s), 1024 / 256 threads.
  assert.deepEqual(defaultGemvShape("f16", 1, 14336), { cols: 16, slices: 64 });
  assert.deepEqual(defaultGemvShape("f16", 1, 14336, 16384), { cols: 16, slices: 64 });
  assert.deepEqual(defaultGemvShape("f32", 1, 14336), { cols: 8, slices: 32 });
  // Wide f32 N below two workgroups of 8 column-vec4s per SM (N < 8448): 512 threads.
  assert.deepEqual(defaultGemvShape("f32", 1, 5120), { cols: 8, slices: 64 });
  assert.deepEqual(defaultGemvShape("f32", 1, 8448), { cols: 8, slices: 32 });
  assert.deepEqual(defaultGemvShape("f32", 1, 8416), { cols: 8, slices: 64 });
  // Narrow N (fewer than 132 workgroups at full width): 4 column-vec4s, 512 threads.
  assert.deepEqual(defaultGemvShape("f32", 1, 4096), { cols: 4, slices: 128 });
  assert.deepEqual(defaultGemvShape("f16", 1, 4096), { cols: 4, slices: 128 });
  assert.equal(defaultGemvShape("f32", 1, 256).cols, 4);
  // M = 16 runs in 2 chunks of 8 rows: 16 bytes a thread and row must fit 16 KiB.
  assert.deepEqual(gemvChunks(16), { chunks: 2, rows: 8 });
  for (const dtype of ["f32", "f16"] as const) {
    const g = defaultGemvShape(dtype, 16, 14336, 16384);
    const threads = g.cols * g.slices;
    assert.ok(threads * 8 * 16 <= 16384, `${dtype}: ${threads} threads`);
    assert.equal(threads, 128, `${dtype}: the largest power of two that fits`);
    assert.equal(g.cols, dtype === "f16" ? 16 : 8, "the cap keeps the column width");
  }
  assert.deepEqual(defaultGemvShape("f32", 16, 14336, 16384), { cols: 8, slices: 16 });
  // A larger budget leaves more threads.
  assert.deepEqual(defaultGemvShape("f16", 16, 14336, 65536), { cols: 16, slices: 32 });
  // Never above the budget, for every M and a few budgets; slices stay powers of two ≥ 1.
  for (const dtype of ["f32", "f16"] as const) {
    for (const n of [256, 4096, 14336]) {
      for (const budget of [4096, 8192, 16384, 32768, 65536]) {
        for (let m = 1; m <= 20; m++) {
          const g = defaultGemvShape(dtype, m, n, budget);
          const { rows } = gemvChunks(m);
          const what = `${dtype} m=${m} n=${n} budget=${budget}: ${JSON.stringify(g)}`;
          assert.ok(g.cols * g.slices * rows * 16 <= budget, what);
          assert.ok(g.slices >= 1 && (g.slices & (g.slices - 1)) === 0, what);
          assert.ok([4, 8, 16].includes(g.cols), what);
          // Capped only when needed: twice the threads would not fit (or is over the default).
          const full = defaultGemvShape(dtype, m, n, 1 << 30);
          if (g.slices < full.slices) {
            assert.ok(2 * g.cols * g.slices * rows * 16 > budget, what);
          } else assert.deepEqual(g, full, what);
        }
      }
    }
  }
});

Deno.test("split-K: auto only for grids smaller than the GPU, no empty splits", () => {
  const t256 = SPARSE_GEMM_TILES["256x128"]!;
  const t128 = SPARSE_GEMM_TILES["128x64"]!;
  assert.equal(autoSparseSplitK(2048, 4096, 14336, t256), 1);
  assert.equal(autoSparseSplitK(2048, 4096, 4096, t256), 1); // 256 workgroups fill the GPU
  assert.equal(autoSparseSplitK(128, 2048, 2048, t128), 8); // 32 workgroups → 256
  assert.equal(autoSparseSplitK(128, 512, 2048, t128), 1); // short K: never
  // At least 128 of K (8 slabs) per split.
  for (const k of [1024, 2048, 4096, 14336]) {
    const s = autoSparseSplitK(16, k, 64, t128);
    assert.ok(k / s >= 128, `${k}/${s}`);
  }
  assert.equal(usedSplitK(4096, 8), 8);
  assert.equal(usedSplitK(1120, 32), 24); // 70 slabs, 3 per split: 24 splits hold them all
  assert.equal(usedSplitK(100, 4), 4); // K 100 pads to 128 = 8 slabs, 2 per split
  for (let k = 16; k <= 3000; k += 37) {
    for (const want of [1, 2, 3, 4, 8, 16, 32]) {
      const used = usedSplitK(k, want);
      const slabs = paddedDims(k, 4).kp / 16;
      const per = Math.ceil(slabs / used);
      assert.ok(used <= want && (used - 1) * per < slabs && used * per >= slabs, `${k} ${want}`);
    }
  }
  const code = sparse24GemmWgsl({
    dtype: "f16",
    m: 40,
    k: 2048,
    n: 72,
    tile: t128,
    decode: "pair",
    splitK: 4,
  }).code;
  // Split partials are f32 planes whatever the dtype.
  assert.ok(code.includes("array<vec4<f32>>;") && code.includes("wid.z * 720u"));
  assert.throws(
    () =>
      sparse24GemmWgsl({ dtype: "f32", m: 4, k: 64, n: 8, tile: t128, decode: "pair", splitK: 0 }),
    RangeError,
  );
});

Deno.test({
  name: "sparse24 GEMM split-K matches the f64 reference (ragged K, N; f32 and f16)",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 40, k: 2048, n: 72 }, { m: 33, k: 1100, n: 30 }],
      dtypes: ["f32", "f16"],
      data: { x: "llm-activations", w: "llm-weights", calibRows: 16 },
      kernels: [
        { kernel: "sparse24", tune: { variant: "gemm", splitK: ["auto", "1", "32"] } },
        { kernel: "sparse24", tune: { variant: "gemm", splitK: "4", decode: "expand" } },
        { kernel: "sparse24", tune: { variant: "gemm", splitK: ["auto", "32"], decode: "gather" } },
        {
          kernel: "sparse24",
          gatherMath: "f16x2",
          tune: { variant: "gemm", splitK: "4", decode: "gather" },
          dtypes: ["f16"],
        },
      ],
    });
    const failed = res.results.filter((r) => r.status !== "ok");
    assert.equal(failed.length, 0, JSON.stringify(failed.map((r) => [r.id, r.reason])));
    const splits = new Set<number>();
    for (const r of res.results) {
      const c = r.correctness!;
      assert.ok(c.relError < (r.dtype === "f32" ? 2e-6 : 2e-3), `${r.id} ${c.relError}`);
      splits.add(r.notes.splitK as number);
      if (r.tune!.splitK === "32") {
        assert.equal(r.notes.splitK, usedSplitK(r.shape.k, 32), r.id);
      }
    }
    assert.ok(splits.has(1) && splits.has(4) && [...splits].some((s) => s > 4), [...splits].join());
  },
});
