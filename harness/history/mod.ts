/**
 * Results across runs: the SQLite results store, exporters (CSV, Bencher, github-action-benchmark),
 * merging shard results, history baselines for the gate, and the static site.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openStore } from "./mod.ts";
 * const dir = Deno.makeTempDirSync();
 * const store = openStore(`${dir}/history.db`);
 * assert.equal(store.runs({}).length, 0);
 * store.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./store.ts";
export * from "./export.ts";
export * from "./merge.ts";
export * from "./baseline.ts";
export * from "./site.ts";
export * from "./trend_svg.ts";
export * from "./files.ts";
export { detectBranch } from "./branch.ts";
export type * from "../types.ts";
