/**
 * `summary.md`: a compact markdown table for CI step summaries and PR comments.
 *
 * @module
 */

import type { CaseResult, RunResults } from "../types.ts";

/** Escapes text for a markdown table cell. */
export function mdCell(text: string): string {
  return text.replace(/[\\|`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  return Number(v.toPrecision(digits)).toString();
}

function row(r: CaseResult): string {
  const t = r.time;
  return `| ${mdCell(r.id)} | ${r.status}${r.reason ? `: ${mdCell(r.reason)}` : ""} | ${
    fmt(t?.median)
  } | ${t ? `${(t.noise * 100).toFixed(1)}%` : "–"} | ${fmt(r.throughput?.effectiveTflops)} | ${
    fmt(r.speedupVsDense)
  } | ${fmt(r.approximation?.relError, 2)} |`;
}

/**
 * Renders the run as markdown: header, totals, failures first, then every case.
 *
 * @example
 * ```ts ignore
 * Deno.writeTextFileSync("summary.md", renderSummaryMarkdown(results));
 * ```
 */
export function renderSummaryMarkdown(results: RunResults): string {
  const { meta, totals } = results;
  const lines = [
    `# tilebench: ${mdCell(meta.suite)}`,
    "",
    `${
      mdCell(meta.adapter.description || meta.adapter.vendor)
    } · ${meta.startedAt} · tilebench ${meta.tool.version}` +
    ` · ${totals.ok} ok, ${totals.failed} failed, ${totals.skipped} skipped${
      meta.complete ? "" : " · INCOMPLETE"
    }`,
    "",
    "| case | status | median ms | noise | eff. TFLOP/s | × dense | approx. rel. err |",
    "|---|---|---|---|---|---|---|",
  ];
  const order = { failed: 0, ok: 1, skipped: 2 } as const;
  const sorted = [...results.results].sort((a, b) => order[a.status] - order[b.status]);
  for (const r of sorted) lines.push(row(r));
  return lines.join("\n") + "\n";
}
