/**
 * tilebench: a Deno + WebGPU harness that measures what MatMul alternatives (Strassen-Tile,
 * 2:4 sparsity, INT4 weight-only quantization) buy in FLOPs and time and cost in accuracy,
 * against a dense baseline, on reproducible seeded shapes.
 *
 * Use it from code: define a suite, run it, get typed results.
 *
 * @example
 * ```ts ignore
 * import { builtinKernels, defineSuite, runSuite, validateSuite } from "./mod.ts";
 *
 * const suite = validateSuite(defineSuite({
 *   name: "mine",
 *   seed: 7,
 *   shapes: [{ m: 256, k: 512, n: 256 }],
 *   dtypes: ["f32"],
 *   kernels: [{ kernel: "dense" }],
 * }), "<suite>", builtinKernels);
 * const results = await runSuite({ suite, registry: builtinKernels, outDir: null });
 * for (const r of results.results) console.log(r.id, r.status, r.time?.median);
 * ```
 *
 * @module
 */

export * from "./harness/types.ts";
export * from "./harness/kernel.ts";
export * from "./harness/cli_args.ts";
export * from "./harness/analyze/mod.ts";
export * from "./harness/schema/mod.ts";
export * from "./harness/data/mod.ts";
export * from "./harness/gpu/mod.ts";
export * from "./harness/measure/mod.ts";
export * from "./harness/suite/mod.ts";
export * from "./harness/run/mod.ts";
export * from "./harness/report/mod.ts";
export * from "./harness/gate/mod.ts";
export * from "./kernels/mod.ts";
