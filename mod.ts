/**
 * tilebench: a Deno + WebGPU harness that measures what MatMul alternatives (Strassen-Tile,
 * 2:4 sparsity, INT4 weight-only quantization, INT8 W8A8 with outliers, ternary weights and
 * Monarch matrices) buy in FLOPs and time and cost in accuracy, against a dense baseline, on
 * reproducible seeded shapes.
 *
 * Use it from code: define a suite, run it, get typed results. This root module holds what that
 * takes (the results types, the kernel contract, suites, the runner, reports, the gate, the
 * results store and the built-in kernels); the subpaths hold the rest:
 *
 * - `@tilebench/tilebench/harness`: every part of the harness (analysis, data, GPU, measurement…)
 * - `@tilebench/tilebench/kernels`: the kernel families
 * - `@tilebench/tilebench/report`: report.html and summary.md rendering, the browser helpers
 * - `@tilebench/tilebench/gate`: the regression gate
 * - `@tilebench/tilebench/history`: results store, exporters, shard merging, the static site
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels, defineSuite, expandCases, validateSuite } from "./mod.ts";
 *
 * const suite = validateSuite(defineSuite({
 *   name: "mine",
 *   seed: 7,
 *   shapes: [{ m: 256, k: 512, n: 256 }],
 *   dtypes: ["f32"],
 *   kernels: [{ kernel: "dense" }, { kernel: "int4", method: ["rtn", "awq"] }],
 * }), "<suite>", builtinKernels);
 * // checked and expanded before any GPU work; `runSuite({ suite, registry: builtinKernels })`
 * // then runs each case on the GPU (see the README)
 * assert.deepEqual(expandCases(suite, builtinKernels).map((c) => c.id), [
 *   "dense/f32/256x512x256",
 *   "int4/f32/256x512x256",
 *   "int4(method=awq)/f32/256x512x256",
 * ]);
 * ```
 *
 * @module
 */

export * from "./harness/types.ts";
export * from "./harness/kernel.ts";
export { defineSuite, listBuiltinSuites, loadSuite } from "./harness/suite/load.ts";
export { validateSuite } from "./harness/suite/validate.ts";
export { type Case, caseId, expandCases } from "./harness/suite/expand.ts";
export {
  type KernelEntry,
  type Suite,
  SuiteError,
  type SuiteInput,
} from "./harness/suite/schema.ts";
export { selectShard, type Shard } from "./harness/shard.ts";
export { type RunOptions, runSuite } from "./harness/run/runner.ts";
export type { SentinelProbe } from "./harness/measure/sentinel.ts";
export { type PeerName, PEERS } from "./harness/run/peers.ts";
export { type HtmlOptions, renderHtml } from "./harness/report/html.ts";
export { renderSummaryMarkdown } from "./harness/report/markdown.ts";
export { writeReports } from "./harness/report/write.ts";
export { loadResultsFile } from "./harness/report/load.ts";
export { type GateOptions, gateRuns } from "./harness/gate/gate.ts";
export type { CaseVerdict, GateReport, Verdict } from "./harness/gate/verdict.ts";
export { openStore, Store } from "./harness/history/store.ts";
export { type ExportFormat, exportRun } from "./harness/history/export.ts";
export { mergeRuns } from "./harness/history/merge.ts";
export {
  builtinKernels,
  dense,
  int4,
  int8,
  monarch,
  sparse24,
  stl,
  ternary,
} from "./kernels/mod.ts";
export type {
  RecordOptions,
  RecordOutcome,
  StoredRun,
  StoreQuery,
  TrendPoint,
} from "./harness/history/store.ts";
export { EXPORT_FORMATS } from "./harness/history/export.ts";
export type { MergeOutcome, NamedRun } from "./harness/history/merge.ts";
export type { ReportOptions } from "./harness/report/model.ts";
export type { SummaryOptions } from "./harness/report/markdown.ts";
export type { MetricCheck, RunRef } from "./harness/gate/verdict.ts";
export type { AdapterChoice } from "./harness/gpu/adapter.ts";
export type { AdapterRequirement } from "./harness/gpu/environment.ts";
