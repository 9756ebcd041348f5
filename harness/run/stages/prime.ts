/**
 * The clock primer of a case's measurements: the sentinel's workload, run back to back before a
 * measurement so that a GPU that lowered its clocks while the CPU prepared the case raises them
 * again (docs/measuring.md).
 *
 * @module
 */

import { PRIME_MS } from "../../measure/sentinel.ts";
import type { CaseEnv } from "./context.ts";

/**
 * A function that keeps the device busy with the sentinel's workload for `PRIME_MS`, or undefined
 * where nothing is primed: without the sentinel, or on a software adapter (no clocks to raise).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const settled: number[] = [];
 * const probe = { time: () => Promise.resolve(1), settle: (ms: number) => (settled.push(ms), Promise.resolve(1)) };
 * const env = (fallback: boolean, sentinel = true) => ({
 *   gpu: { info: { isFallbackAdapter: fallback } },
 *   sentinel: sentinel ? { probe } : undefined,
 * }) as never;
 * await clockPrimer(env(false))!();
 * assert.deepEqual(settled, [200]);
 * assert.equal(clockPrimer(env(true)), undefined);
 * assert.equal(clockPrimer(env(false, false)), undefined);
 * ```
 */
export function clockPrimer(env: CaseEnv): (() => Promise<unknown>) | undefined {
  const probe = env.sentinel?.probe;
  if (!probe?.settle || env.gpu.info.isFallbackAdapter) return undefined;
  return () => probe.settle!(PRIME_MS);
}
