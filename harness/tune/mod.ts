/**
 * Measured tuning: the cache of choices per adapter, tool version, kernel, dtype and shape class,
 * and the choice of the fastest candidate. The run layer times candidates with the measurement
 * core (`harness/run/stages/tune.ts`).
 *
 * @module
 */

export * from "./cache.ts";
export * from "./choose.ts";
