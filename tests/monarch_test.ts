import assert from "node:assert/strict";
import { matmulRowsF64 } from "../harness/data/matmul_f64.ts";
import {
  monarch,
  monarchDense,
  monarchDims,
  monarchReference,
  monarchWork,
  projectMonarch,
} from "../kernels/monarch/mod.ts";
import { GPU_TEST, runInline } from "./helpers.ts";

function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return new Float32Array(count).map(() => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

Deno.test("monarch layout: M[i·p + t, v·b + l] = R[i·p + t, l]·L[i, v·b + l], worked by hand", () => {
  // b = 2, K = 4 (p = 2), N = 4 (s = 2).
  const d = monarchDims(2, 4, 4);
  const r = [1, 2, 3, 4, 5, 6, 7, 8]; // K×b
  const l = [1, 10, 100, 1000, 2, 20, 200, 2000]; // b×N
  const m = monarchDense(d, r, l);
  // Row 0 (block 0): R[0,0]=1 for even columns, R[0,1]=2 for odd; L row 0.
  assert.deepEqual(Array.from(m.slice(0, 4)), [1, 20, 100, 2000]);
  // Row 3 (block 1): R[3,0]=7, R[3,1]=8; L row 1.
  assert.deepEqual(Array.from(m.slice(12, 16)), [14, 160, 1400, 16000]);
  // The two-stage reference equals X·M for odd shapes and short last blocks.
  for (const [b, k, n] of [[3, 10, 7], [4, 9, 13], [1, 5, 3], [5, 5, 5]]) {
    const dd = monarchDims(b!, k!, n!);
    const rr = values(k! * b!, k! + 1);
    const ll = values(b! * n!, n! + 2);
    const x = values(2 * k!, 3);
    const dense = monarchDense(dd, rr, ll);
    const want = matmulRowsF64(x, new Float32Array(dense), 2, k!, n!, [0, 1]);
    // f32: H rounded to f32 between the stages, so agreement to f32 precision.
    const got = monarchReference(x, dd, rr, ll, "f32", [0, 1]);
    for (let i = 0; i < want.length; i++) {
      assert.ok(Math.abs(got[i]! - want[i]!) < 1e-5, `b=${b} k=${k} n=${n} i=${i}`);
    }
  }
});

Deno.test("monarch projection: exact on Monarch matrices, best rank-1 per block otherwise", () => {
  const d = monarchDims(4, 37, 22);
  const m = monarchDense(d, values(37 * 4, 5), values(4 * 22, 6));
  const exact = projectMonarch(new Float32Array(m), d, 1);
  assert.ok(exact.relError < 1e-6, `${exact.relError}`);
  const back = monarchDense(d, exact.r, exact.l);
  for (let i = 0; i < m.length; i++) assert.ok(Math.abs(back[i]! - m[i]!) < 1e-4);
  // A random W loses most of its energy; the reported error matches the dense difference.
  const w = values(37 * 22, 9);
  const proj = projectMonarch(w, d, 1);
  const approx = monarchDense(d, proj.r, proj.l);
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    num += (w[i]! - approx[i]!) ** 2;
    den += w[i]! ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(num / den) - proj.relError) < 1e-4);
  assert.ok(proj.relError > 0.3 && proj.relError < 1, `${proj.relError}`);
  // More blocks keep more of W (b = K = N is exact: every block 1×1).
  const small = monarchDims(6, 6, 6);
  assert.ok(projectMonarch(values(36, 4), small, 2).relError < 1e-6);
  // Deterministic for a seed.
  assert.deepEqual(projectMonarch(w, d, 1).r, proj.r);
});

Deno.test("monarch work: FLOPs of the two passes, stored parameters", () => {
  const c = monarch.resolve({ blocks: 16 }, { m: 2048, k: 4096, n: 4096 }, "f16");
  const w = monarch.work({ m: 2048, k: 4096, n: 4096 }, c, "f16");
  assert.equal(w.flops.core, 2 * 2048 * 16 * (4096 + 4096));
  // Stage 1's slice tree: 128 threads (the default from b = 16 at M ≥ 128) = 16 units × 8 slices,
  // 7 adds per H entry.
  assert.equal(c.workgroup, 128);
  assert.equal(w.flops.overhead, 2048 * 256 * 7);
  // At M = 1 the default is 256 threads (16 units × 16 slices), whatever b.
  const decode = monarch.resolve({ blocks: 16 }, { m: 1, k: 4096, n: 4096 }, "f16");
  assert.equal(decode.workgroup, 256);
  assert.equal(monarch.work({ m: 1, k: 4096, n: 4096 }, decode, "f16").flops.overhead, 256 * 15);
  assert.equal(w.paramsStored, 16 * 8192);
  assert.equal(w.storedBytes, 2 * 16 * 8192);
  assert.equal(monarchWork({ m: 1, k: 8, n: 4 }, 2, "f32").bytes, (8 + 16 + 8 + 8 + 4) * 4);
  assert.throws(() => monarch.resolve({ blocks: 0 }, { m: 1, k: 8, n: 8 }, "f32"), /blocks/);
  assert.throws(() => monarch.resolve({ projection: "qr" }, { m: 1, k: 8, n: 8 }, "f32"), /svd/);
});

Deno.test({
  name: "monarch GPU output matches the f64 two-stage reference on odd shapes, f32 and f16",
  ...GPU_TEST,
  async fn() {
    const res = await runInline({
      shapes: [{ m: 1, k: 100, n: 53 }, { m: 37, k: 64, n: 96 }, { m: 5, k: 130, n: 33 }],
      dtypes: ["f32", "f16"],
      kernels: [
        { kernel: "monarch", blocks: [4, 16] },
        { kernel: "monarch", blocks: 3, tune: { workgroup: "64" } },
        { kernel: "monarch", blocks: 33, tune: { workgroup: "256" } },
      ],
    });
    assert.equal(res.results.length, 3 * 2 * 4);
    for (const r of res.results) {
      assert.equal(r.status, "ok", `${r.id}: ${r.reason}`);
      assert.equal(r.correctness!.nonFinite, 0);
      assert.ok(
        r.correctness!.relError < (r.dtype === "f32" ? 2e-6 : 2e-3),
        `${r.id}: ${r.correctness!.relError}`,
      );
      const e = r.notes.projectionRelError as number;
      // Exact only when every block pair is a single column (b ≥ N); otherwise a loss below 1.
      const exact = (r.params.blocks as number) >= r.shape.n;
      assert.ok(exact ? e < 1e-6 : e > 0 && e < 1, `${r.id}: projection error ${e}`);
    }
  },
});
