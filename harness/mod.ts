/**
 * The whole harness: types, the kernel contract, data, analysis, GPU helpers, measurement,
 * suites, the runner, reports, the gate and the history. Most users want the curated root
 * module instead; this subpath is for tools built on tilebench's parts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./mod.ts";
 * assert.equal(median([3, 1, 2]), 2);
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./kernel.ts";
export * from "./cli_args.ts";
export * from "./analyze/mod.ts";
export * from "./schema/mod.ts";
export * from "./data/mod.ts";
export * from "./gpu/mod.ts";
export * from "./measure/mod.ts";
export * from "./suite/mod.ts";
export * from "./tune/mod.ts";
export * from "./run/mod.ts";
export * from "./report/mod.ts";
export * from "./gate/mod.ts";
export * from "./history/mod.ts";
