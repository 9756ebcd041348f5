/**
 * The regression gate: compare a run with a baseline, one verdict per case, pass or fail; task
 * runs (trained models' accuracy) are gated per variant (`gateTaskRuns`).
 *
 * @module
 */

export * from "../rules/mod.ts";
export * from "./input.ts";
export * from "./compare_time.ts";
export * from "./compare_case.ts";
export * from "./verdict.ts";
export * from "./gate.ts";
export * from "./markdown.ts";
export * from "./cli.ts";
export * from "./task_gate.ts";
