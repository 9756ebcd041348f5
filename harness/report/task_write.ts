/**
 * Writes a task run's `report.html` and `summary.md`.
 *
 * @module
 */

import { writeTextAtomic } from "./write.ts";
import { join } from "node:path";
import { chartJsBundle, ChartJsMissingError } from "./chartjs.ts";
import { renderTaskHtml } from "./task_html.ts";
import { renderTaskSummary } from "./task_markdown.ts";
import type { TaskResultsView } from "./task_model.ts";

/**
 * Writes summary.md and report.html of `results` into `outDir`; returns 0. Without an installed
 * Chart.js (a machine without the npm packages) the page is written without charts, as the
 * benchmark's own report is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const dir = Deno.makeTempDirSync();
 * assert.equal(writeTaskReport(typicalTaskRun(), dir, true), 0);
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["report.html", "summary.md"]);
 * ```
 */
export function writeTaskReport(results: TaskResultsView, outDir: string, quiet: boolean): number {
  Deno.mkdirSync(outDir, { recursive: true });
  const html = join(outDir, "report.html");
  const md = join(outDir, "summary.md");
  writeTextAtomic(md, renderTaskSummary(results));
  let chart: string | null;
  try {
    chart = chartJsBundle().text;
  } catch (e) {
    if (!(e instanceof ChartJsMissingError)) throw e;
    chart = null;
  }
  writeTextAtomic(html, renderTaskHtml(results, chart));
  if (!quiet) console.error(`report: ${html}\nsummary: ${md}`);
  return 0;
}
