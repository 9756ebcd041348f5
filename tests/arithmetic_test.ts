import assert from "node:assert/strict";
import type { KernelDescriptor } from "../harness/kernel.ts";
import type { DType, Params, Shape } from "../harness/types.ts";
import { builtinKernels } from "../kernels/mod.ts";

/** The arithmetic a kernel declares for a case, as the runner resolves and models it. */
function arithmeticOf(name: string, params: Params, shape: Shape, dtype: DType, tune: Params = {}) {
  const k = builtinKernels.find((d) => d.name === name) as KernelDescriptor;
  const config = k.resolve(params, shape, dtype, tune);
  return k.work(shape, config, dtype, undefined).arithmetic ?? "f32";
}

Deno.test("kernels declare the arithmetic of their products: packed halves only where they run", () => {
  const big = { m: 2048, k: 1024, n: 1024 };
  const one = { m: 1, k: 1024, n: 1024 };
  // f16 storage alone is f32 arithmetic.
  assert.equal(arithmeticOf("dense", {}, big, "f16"), "f32");
  assert.equal(arithmeticOf("dense", { math: "f16x2" }, big, "f16"), "f16x2");
  assert.equal(arithmeticOf("dense", { math: "f16x2" }, one, "f16"), "f16x2");
  assert.equal(arithmeticOf("int4", {}, big, "f16"), "f16x2");
  assert.equal(arithmeticOf("int4", {}, big, "f32"), "f32");
  assert.equal(arithmeticOf("int4", { gemmMath: "f32" }, big, "f16"), "f32");
  assert.equal(arithmeticOf("int4", {}, one, "f16"), "f16x2"); // the GEMV's auto at M ≤ 3
  assert.equal(arithmeticOf("int4", {}, { m: 8, k: 1024, n: 1024 }, "f16"), "f32");
  assert.equal(arithmeticOf("stl", { tile: 2, rank: 7 }, big, "f16"), "f32");
  assert.equal(arithmeticOf("stl", { tile: 2, rank: 7, math: "f16x2" }, big, "f16"), "f16x2");
  assert.equal(arithmeticOf("sparse24", {}, big, "f16"), "f16x2"); // the gather GEMM in halves
  assert.equal(arithmeticOf("sparse24", {}, big, "f32"), "f32");
  assert.equal(arithmeticOf("sparse24", {}, one, "f16"), "f32"); // the GEMV
  assert.equal(arithmeticOf("ternary", { method: "fma" }, one, "f16"), "f16x2");
  assert.equal(arithmeticOf("ternary", { method: "fma" }, one, "f32"), "f32");
  assert.equal(arithmeticOf("int8", {}, big, "f16"), "f32");
});
