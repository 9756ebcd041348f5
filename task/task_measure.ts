/**
 * How the task paths time a model through the kernels (`task latency`, the kernel paths of a
 * run): the measurement core's defaults with a 300 ms warm-up, as the llm suites use, so that a
 * GPU whose clock idles between cases ramps up before samples count (docs/measuring.md).
 *
 * @module
 */

import { DEFAULT_MEASURE, type MeasureOptions } from "../harness/measure/options.ts";

/**
 * The measurement options of the task paths' latency figures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(TASK_MEASURE.warmupMs, 300);
 * assert.equal(TASK_MEASURE.maxNoise, 0.01);
 * ```
 */
export const TASK_MEASURE: MeasureOptions = { ...DEFAULT_MEASURE, warmupMs: 300 };
