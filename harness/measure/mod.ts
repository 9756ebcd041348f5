/**
 * Measurement: warm-up, stopping rule, GPU timestamps or wall clock, cold-cache mode.
 *
 * @module
 */

export * from "./workload.ts";
export * from "./options.ts";
export * from "./flush.ts";
export * from "./measure.ts";
export * from "./peaks.ts";
export * from "./stream.ts";
export * from "./cold.ts";
export * from "./batch.ts";
export * from "./sentinel.ts";
export * from "./clocks.ts";
