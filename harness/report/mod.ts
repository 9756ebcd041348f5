/**
 * Reports: results.json is the source; summary.md and report.html are rendered from it, alone or
 * against a baseline run (with the gate's verdicts when given).
 *
 * @module
 */

export * from "./escape.ts";
export * from "./format.ts";
export * from "./pareto.ts";
export * from "./families.ts";
export * from "./compare.ts";
export * from "./model.ts";
export * from "./header.ts";
export * from "./chartjs.ts";
export * from "./markdown.ts";
export * from "./html.ts";
export * from "./budget.ts";
export * from "./overview.ts";
export * from "./load.ts";
export * from "./browser.ts";
export * from "./cli.ts";
export * from "./write.ts";
export {
  isTaskResults,
  type TaskLatencyView,
  type TaskLmKernelView,
  TaskResultsError,
  type TaskResultsView,
  type TaskSeedStats,
  type TaskVariantView,
  validateTaskResults,
} from "./task_model.ts";
