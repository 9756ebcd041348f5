/**
 * `report.html` of a task run: accuracy (the LM: perplexity) against measured speedup (the LM:
 * decode at batch 1) per model and latency batch with the Pareto front, loss curves per variant, and the table of summary.md. One page, Chart.js
 * and the drawing script inlined.
 *
 * @module
 */

import app from "./task_app.js" with { type: "text" };
import { chartJsBundle } from "./chartjs.ts";
import { escapeHtml, inlineScript, jsonForScript } from "./escape.ts";
import {
  latencyBatches,
  lowerIsBetter,
  speedupAt,
  taskAccuracy,
  taskPareto,
  type TaskResultsView,
} from "./task_model.ts";
import { renderTaskSummary } from "./task_markdown.ts";

/** What the page's script draws. */
export interface TaskChartData {
  scatter: {
    model: string;
    batch: number;
    /** The y axis: "top-1 (%)" or "perplexity"; the x axis: "speedup" or "decode speedup". */
    metric: string;
    speed: string;
    source: string;
    points: { variant: string; experiment: string; speedup: number; top1: number; std: number }[];
    front: { variant: string; speedup: number; top1: number }[];
  }[];
  loss: {
    model: string;
    experiment: string;
    series: { variant: string; every: number; curve: number[] }[];
  }[];
}

/**
 * The charts' data: one scatter per (model, latency batch), one loss chart per (model,
 * experiment).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const d = taskChartData({ kind: "task", schemaVersion: 1, suite: "s", backend: "cpu", seeds: [1],
 *   dataset: { name: "mnist", train: 1, test: 1 }, startedAt: "", variants: [], failures: [] });
 * assert.deepEqual(d, { scatter: [], loss: [] });
 * ```
 */
export function taskChartData(r: TaskResultsView): TaskChartData {
  const models = [...new Set(r.variants.map((v) => v.model))];
  const out: TaskChartData = { scatter: [], loss: [] };
  for (const model of models) {
    const vs = r.variants.filter((v) => v.model === model);
    for (const batch of latencyBatches(r)) {
      const timed = vs.filter((v) => speedupAt(v, batch) !== null);
      if (timed.length === 0) continue;
      const point = (v: typeof timed[number]) => ({
        variant: `${v.variant} (${v.experiment})`,
        experiment: v.experiment,
        speedup: speedupAt(v, batch)!,
        top1: taskAccuracy(v).top1.mean,
        std: taskAccuracy(v).top1.std,
      });
      const front = taskPareto(r, model, batch).map((id) => point(vs.find((v) => v.id === id)!));
      const ppl = timed.some(lowerIsBetter);
      out.scatter.push({
        model,
        batch,
        metric: ppl ? "perplexity" : "top-1 (%)",
        speed: ppl ? "decode speedup" : "speedup",
        source: timed.every((v) => v.kernelTop1) ? "through the kernels" : "library",
        points: timed.map(point),
        front: front.sort((a, b) => a.speedup - b.speedup),
      });
    }
    for (const experiment of new Set(vs.map((v) => v.experiment))) {
      out.loss.push({
        model,
        experiment,
        series: vs.filter((v) => v.experiment === experiment && v.loss.curve.length > 0).map((
          v,
        ) => ({
          variant: v.variant,
          every: v.loss.every,
          curve: v.loss.curve,
        })),
      });
    }
  }
  return out;
}

/** Markdown table rows to HTML (only what renderTaskSummary writes: headings, tables, lists). */
function markdownToHtml(md: string): string {
  const out: string[] = [];
  let table: string[][] | null = null;
  const flush = () => {
    if (!table) return;
    const [head, , ...rows] = table;
    out.push(
      "<table><thead><tr>" + head!.map((c) => `<th>${escapeHtml(c)}</th>`).join("") +
        "</tr></thead><tbody>" +
        rows.map((r) => "<tr>" + r.map((c) => `<td>${escapeHtml(c)}</td>`).join("") + "</tr>")
          .join("") +
        "</tbody></table>",
    );
    table = null;
  };
  for (const line of md.split("\n")) {
    if (line.startsWith("|")) {
      (table ??= []).push(line.slice(1, -1).split("|").map((c) => c.trim()));
      continue;
    }
    flush();
    if (line.startsWith("### ")) out.push(`<h3>${escapeHtml(line.slice(4))}</h3>`);
    else if (line.startsWith("## ")) out.push(`<h2>${escapeHtml(line.slice(3))}</h2>`);
    else if (line.startsWith("- ")) out.push(`<p class="failure">${escapeHtml(line.slice(2))}</p>`);
    else if (line.trim()) out.push(`<p>${escapeHtml(line)}</p>`);
  }
  flush();
  return out.join("\n");
}

const STYLE = `
body { margin: 0 auto; max-width: 1400px; padding: 0 24px 40px; color: #1d2329;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
#task-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
.chart { border: 1px solid #d9dee3; border-radius: 6px; padding: 8px 12px; }
.chart h3 { margin: 0 0 8px; font-size: 14px; }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { border: 1px solid #d9dee3; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f6f8fa; }
.failure { color: #cf222e; }
footer { color: #5f6b76; margin-top: 24px; }
`;

/**
 * The page. `chartJsText` replaces the installed Chart.js bundle (null: no charts, the page says
 * so); by default a missing bundle throws chartjs.ts's ChartJsMissingError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typicalTaskRun } from "../../tests/fixtures/task_runs.ts";
 * const html = renderTaskHtml(typicalTaskRun(), null); // null: no Chart.js, a page without charts
 * assert.match(html, /^<!DOCTYPE html>/i);
 * assert.ok(html.includes("stl t4 r24"));
 * ```
 */
export function renderTaskHtml(r: TaskResultsView, chartJsText?: string | null): string {
  let chart: string | null;
  if (chartJsText !== undefined) chart = chartJsText;
  else chart = chartJsBundle().text;
  const title = `tilebench task · ${r.suite} · ${r.startedAt}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tilebench">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div id="task-charts"></div>
${markdownToHtml(renderTaskSummary(r))}
<footer>Generated by tilebench on ${escapeHtml(new Date().toISOString())} from a task results.json.
${
    chart === null
      ? "Chart.js was not available: no charts."
      : "Charts by Chart.js (MIT licence), inlined."
  }</footer>
<script id="task-data" type="application/json">${jsonForScript(taskChartData(r))}</script>
<script>${chart === null ? "/* no Chart.js */" : inlineScript(chart)}</script>
<script>${inlineScript(app)}</script>
</body>
</html>
`;
}
