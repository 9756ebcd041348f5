/**
 * Pure statistics with no GPU: sample summaries, median confidence intervals, error metrics.
 *
 * @module
 */

export * from "./quantile.ts";
export * from "./median_ci.ts";
export * from "./summary.ts";
export * from "./error_metrics.ts";
export * from "./speedup.ts";
export * from "./normal.ts";
export * from "./mann_whitney.ts";
export * from "./bootstrap.ts";
export * from "./transient.ts";
export * from "./peers.ts";
export * from "./batch_order.ts";
