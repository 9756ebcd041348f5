/**
 * `report.html`: a self-contained page of the run (first version: header and table).
 *
 * @module
 */

import type { RunResults } from "../types.ts";

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * console.assert(escapeHtml("<b>") === "&lt;b&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return Number(v.toPrecision(digits)).toString();
}

/**
 * Renders the run as one HTML page with no external resources.
 *
 * @example
 * ```ts ignore
 * Deno.writeTextFileSync("report.html", renderHtml(results));
 * ```
 */
export function renderHtml(results: RunResults): string {
  const { meta } = results;
  const rows = results.results.map((r) =>
    `<tr><td>${escapeHtml(r.id)}</td><td>${escapeHtml(r.status)}</td><td>${
      escapeHtml(r.reason ?? "")
    }</td>` +
    `<td>${fmt(r.time?.median)}</td><td>${
      r.time ? (r.time.noise * 100).toFixed(1) + "%" : "–"
    }</td>` +
    `<td>${fmt(r.throughput?.effectiveTflops)}</td><td>${fmt(r.speedupVsDense)}</td>` +
    `<td>${fmt(r.approximation?.relError, 2)}</td></tr>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tilebench: ${escapeHtml(meta.suite)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>
</head><body>
<h1>tilebench: ${escapeHtml(meta.suite)}</h1>
<p>${escapeHtml(meta.adapter.description || meta.adapter.vendor)} · ${
    escapeHtml(meta.startedAt)
  } · tilebench ${escapeHtml(meta.tool.version)}</p>
<table><thead><tr><th>case</th><th>status</th><th>reason</th><th>median ms</th><th>noise</th><th>eff. TFLOP/s</th><th>× dense</th><th>approx. rel. err</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
