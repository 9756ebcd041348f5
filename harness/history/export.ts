/**
 * Exporters: a run's cases as CSV, as Bencher Metric Format (BMF) JSON, or as
 * github-action-benchmark's `customSmallerIsBetter` JSON, for other tools to chart.
 *
 * @module
 */

import type { CaseResult, RunResults } from "../types.ts";

/** The export formats. */
export const EXPORT_FORMATS = ["csv", "bmf", "gab"] as const;

/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = typeof EXPORT_FORMATS[number];

/** The CSV columns, in order. Times in ms. */
export const CSV_COLUMNS = [
  "id",
  "suite",
  "kernel",
  "family",
  "dtype",
  "m",
  "k",
  "n",
  "status",
  "median_ms",
  "ci_lo_ms",
  "ci_hi_ms",
  "p10_ms",
  "p90_ms",
  "noise",
  "samples",
  "batch_median_ms",
  "speedup_vs_dense",
  "effective_tflops",
  "rel_error",
  "correct",
  "reason",
  "commit",
  "adapter",
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A run as CSV (RFC 4180: comma-separated, double-quoted where needed, CRLF line ends), one row
 * per case under a header of {@link CSV_COLUMNS}; empty cells for what a case lacks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const csv = toCsv({ meta: { tool: { commit: null }, adapter: { description: "gpu" } }, results: [] } as never);
 * assert.equal(csv, CSV_COLUMNS.join(",") + "\r\n");
 * ```
 */
export function toCsv(run: RunResults): string {
  const rows = [CSV_COLUMNS.join(",")];
  for (const r of run.results) {
    const t = r.time;
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: r.id,
      suite: r.suite,
      kernel: r.kernel,
      family: r.family,
      dtype: r.dtype,
      m: r.shape.m,
      k: r.shape.k,
      n: r.shape.n,
      status: r.status,
      median_ms: t?.median,
      ci_lo_ms: t?.ci?.lo,
      ci_hi_ms: t?.ci?.hi,
      p10_ms: t?.p10,
      p90_ms: t?.p90,
      noise: t?.noise,
      samples: t?.n,
      batch_median_ms: r.batch?.median,
      speedup_vs_dense: r.batch?.speedupVsDense ?? r.speedupVsDense,
      effective_tflops: r.batch?.effectiveTflops ?? r.throughput?.effectiveTflops,
      rel_error: r.approximation?.relError,
      correct: r.correctness ? r.correctness.passed : null,
      reason: r.reason,
      commit: run.meta.tool?.commit,
      adapter: run.meta.adapter?.description,
    };
    rows.push(CSV_COLUMNS.map((c) => csvCell(row[c])).join(","));
  }
  return rows.join("\r\n") + "\r\n";
}

/** A BMF metric: a value with optional bounds. */
export interface BmfMetric {
  /** The figure. */
  value: number;
  /** Its lower bound. */
  lower_value?: number;
  /** Its upper bound. */
  upper_value?: number;
}

const MS_TO_NS = 1e6;

function timed(r: CaseResult): boolean {
  return r.status === "ok" && r.time !== null;
}

/**
 * A run in Bencher Metric Format: `{ caseId: { measure: { value, lower_value, upper_value } } }`.
 * Measures: `latency` (Bencher's built-in, nanoseconds: the isolated median with its 95% CI),
 * `batch-latency` (ns, back to back) when the case has one, and `relative-error` when the kernel
 * approximates. Only ok cases.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(toBmf({ results: [] } as never), {});
 * ```
 */
export function toBmf(run: RunResults): Record<string, Record<string, BmfMetric>> {
  const out: Record<string, Record<string, BmfMetric>> = {};
  for (const r of run.results) {
    if (!timed(r)) continue;
    const t = r.time!;
    const m: Record<string, BmfMetric> = {
      latency: {
        value: t.median * MS_TO_NS,
        lower_value: t.ci.lo * MS_TO_NS,
        upper_value: t.ci.hi * MS_TO_NS,
      },
    };
    if (r.batch) {
      m["batch-latency"] = {
        value: r.batch.median * MS_TO_NS,
        lower_value: r.batch.p10 * MS_TO_NS,
        upper_value: r.batch.p90 * MS_TO_NS,
      };
    }
    const err = r.approximation?.relError;
    if (typeof err === "number" && Number.isFinite(err) && err > 0) {
      m["relative-error"] = { value: err };
    }
    out[r.id] = m;
  }
  return out;
}

/** One entry of github-action-benchmark's `customSmallerIsBetter` input. */
export interface GabEntry {
  /** The benchmark name (the case id). */
  name: string;
  /** The unit of `value`. */
  unit: string;
  /** The figure. */
  value: number;
  /** The uncertainty, e.g. `± 0.3`. */
  range?: string;
  /** Free text shown with the figure. */
  extra?: string;
}

/**
 * A run as github-action-benchmark `customSmallerIsBetter` entries: per ok case its isolated
 * median in µs (range: ± half the 95% CI), and `<id> (batch)` for its back-to-back median.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(toGab({ results: [] } as never), []);
 * ```
 */
export function toGab(run: RunResults): GabEntry[] {
  const out: GabEntry[] = [];
  const us = (ms: number) => Number((ms * 1000).toPrecision(6));
  for (const r of run.results) {
    if (!timed(r)) continue;
    const t = r.time!;
    const speed = r.speedupVsDense !== null ? `${r.speedupVsDense.toFixed(3)}x dense; ` : "";
    out.push({
      name: r.id,
      unit: "us",
      value: us(t.median),
      range: `± ${us((t.ci.hi - t.ci.lo) / 2)}`,
      extra: `${speed}n=${t.n}; ${t.method}, ${t.l2} L2`,
    });
    if (r.batch) {
      out.push({
        name: `${r.id} (batch)`,
        unit: "us",
        value: us(r.batch.median),
        range: `± ${us((r.batch.p90 - r.batch.p10) / 2)}`,
        extra: `${r.batch.dispatchesPerSample} dispatches a sample, ${r.batch.copies} copies`,
      });
    }
  }
  return out;
}

/**
 * A run in `format`, as the text to write.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(exportRun({ results: [] } as never, "gab"), "[]\n");
 * ```
 */
export function exportRun(run: RunResults, format: ExportFormat): string {
  switch (format) {
    case "csv":
      return toCsv(run);
    case "bmf":
      return JSON.stringify(toBmf(run), null, 1) + "\n";
    case "gab":
      return JSON.stringify(toGab(run), null, 1) + "\n";
  }
}
