/**
 * Writes a task run's `report.html` and `summary.md`.
 *
 * @module
 */

import { writeTextAtomic } from "./write.ts";
import { join } from "node:path";
import { renderTaskHtml } from "./task_html.ts";
import { renderTaskSummary } from "./task_markdown.ts";
import type { TaskResultsView } from "./task_model.ts";

/**
 * Writes report.html and summary.md of `results` into `outDir`; returns 0.
 *
 * @example
 * ```ts ignore
 * writeTaskReport(results, "out", false);
 * ```
 */
export function writeTaskReport(results: TaskResultsView, outDir: string, quiet: boolean): number {
  Deno.mkdirSync(outDir, { recursive: true });
  const html = join(outDir, "report.html");
  const md = join(outDir, "summary.md");
  writeTextAtomic(html, renderTaskHtml(results));
  writeTextAtomic(md, renderTaskSummary(results));
  if (!quiet) console.error(`report: ${html}\nsummary: ${md}`);
  return 0;
}
