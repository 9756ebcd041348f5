import assert from "node:assert/strict";
import type { KernelDescriptor } from "../harness/kernel.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { faulty } from "./fixtures/faulty_kernel.ts";
import { GPU_TEST, runInline } from "./helpers.ts";

Deno.test({
  name: "work is asked again once prepared, and that answer is the one reported",
  ...GPU_TEST,
  async fn() {
    const calls: boolean[] = [];
    const counting: KernelDescriptor<Float32Array> = {
      ...faulty,
      name: "counting",
      work(shape, params, dtype, prepared) {
        calls.push(prepared !== undefined);
        const w = faulty.work(shape, params, dtype);
        // Pretend the preparation revealed the real cost (e.g. an encoder's nonzeros).
        const overhead = prepared ? prepared.length : 0;
        return {
          ...w,
          flops: { ...w.flops, overhead, total: w.flops.core + overhead },
          paramsStored: prepared ? prepared.length : 0,
        };
      },
    };
    const res = await runInline(
      { shapes: [{ m: 3, k: 4, n: 5 }], kernels: [{ kernel: "counting" }] },
      [...builtinKernels, counting],
    );
    const r = res.results[0]!;
    assert.equal(r.status, "ok", r.reason ?? "");
    assert.deepEqual(calls, [false, true]);
    assert.equal(r.flops.overhead, 20);
    assert.equal(r.flops.total, 2 * 3 * 4 * 5 + 20);
    assert.equal(r.paramsStored, 20);
    assert.ok(
      Math.abs(r.throughput!.executedTflops - r.flops.total / (r.time!.median * 1e-3) / 1e12) <
        1e-12,
    );
  },
});
