/**
 * Trend charts as inline SVG (no script, no dependency): a case's medians across runs with the
 * confidence band of each median, and small sparklines for index pages.
 *
 * @module
 */

import { escapeHtml as e } from "../report/escape.ts";

/** One run's figure for a chart. */
export interface ChartPoint {
  /** Tooltip text. */
  label: string;
  /** Where a click on the point goes; null: nowhere. */
  href: string | null;
  /** Isolated median and its CI, in ms; null when the case did not run ok. */
  median: number | null;
  /** Lower end of the median's CI (ms). */
  lo: number | null;
  /** Upper end of the median's CI (ms). */
  hi: number | null;
  /** Back-to-back median (ms), when there is one. */
  batch: number | null;
}

function fmtTime(ms: number): string {
  if (ms >= 1) return `${Number(ms.toPrecision(3))} ms`;
  return `${Number((ms * 1000).toPrecision(3))} µs`;
}

/**
 * An SVG chart of `points` in run order: the CI band (the noise band), the isolated medians
 * (line and points, linked), and the back-to-back medians as a dashed line and hollow points
 * when present.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const svg = trendSvg([
 *   { label: "a", href: "a.html", median: 1, lo: 0.9, hi: 1.1, batch: null },
 *   { label: "b", href: null, median: 1.2, lo: 1.1, hi: 1.3, batch: null },
 * ]);
 * assert.match(svg, /^<svg/);
 * assert.match(svg, /<a href="a.html">/);
 * assert.doesNotMatch(svg, /batch-point/);
 * // one run's back-to-back median is drawn although there is no line to draw
 * const one = trendSvg([{ label: "a", href: null, median: 1, lo: 0.9, hi: 1.1, batch: 0.6 }]);
 * assert.equal(one.match(/class="batch-point"/g)?.length, 1);
 * assert.match(one, /a: back to back 600 µs/);
 * ```
 */
export function trendSvg(points: readonly ChartPoint[], width = 760, height = 240): string {
  const pad = { l: 70, r: 16, t: 12, b: 28 };
  const vals = points.flatMap((p) => [p.median, p.lo, p.hi, p.batch]).filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  if (vals.length === 0) return `<p class="muted">No timed runs.</p>`;
  let lo = Math.min(...vals), hi = Math.max(...vals);
  const margin = (hi - lo) * 0.08 || hi * 0.05 || 1;
  lo = Math.max(0, lo - margin);
  hi += margin;
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const x = (i: number) => pad.l + (points.length === 1 ? w / 2 : (i * w) / (points.length - 1));
  const y = (v: number) => pad.t + h - ((v - lo) / (hi - lo)) * h;
  const out: string[] = [
    `<svg class="trend" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-label="median time per run">`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    out.push(
      `<line class="grid" x1="${pad.l}" x2="${width - pad.r}" y1="${y(v).toFixed(1)}" y2="${
        y(v).toFixed(1)
      }"/><text class="axis" x="${pad.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${
        e(fmtTime(v))
      }</text>`,
    );
  }
  // The noise band: each run's CI of the median, joined into one polygon where runs are adjacent.
  const segments: number[][] = [];
  let cur: number[] = [];
  points.forEach((p, i) => {
    if (p.lo !== null && p.hi !== null) cur.push(i);
    else if (cur.length) (segments.push(cur), cur = []);
  });
  if (cur.length) segments.push(cur);
  for (const seg of segments) {
    const top = seg.map((i) => `${x(i).toFixed(1)},${y(points[i]!.hi!).toFixed(1)}`);
    const bottom = seg.slice().reverse().map((i) =>
      `${x(i).toFixed(1)},${y(points[i]!.lo!).toFixed(1)}`
    );
    if (seg.length === 1) {
      const i = seg[0]!;
      out.push(
        `<rect class="band" x="${(x(i) - 4).toFixed(1)}" y="${y(points[i]!.hi!).toFixed(1)}" ` +
          `width="8" height="${Math.max(1, y(points[i]!.lo!) - y(points[i]!.hi!)).toFixed(1)}"/>`,
      );
    } else out.push(`<polygon class="band" points="${[...top, ...bottom].join(" ")}"/>`);
  }
  const line = (key: "median" | "batch", cls: string) => {
    const pts = points.map((p, i) =>
      p[key] === null ? null : `${x(i).toFixed(1)},${y(p[key]!).toFixed(1)}`
    )
      .filter((s): s is string => s !== null);
    if (pts.length > 1) out.push(`<polyline class="${cls}" points="${pts.join(" ")}"/>`);
  };
  line("median", "median");
  line("batch", "batch");
  // Back-to-back medians as hollow points too: a line needs two runs, and one run's figure counts.
  points.forEach((p, i) => {
    if (p.batch === null || !Number.isFinite(p.batch)) return;
    out.push(
      `<circle class="batch-point" cx="${x(i).toFixed(1)}" cy="${y(p.batch).toFixed(1)}" r="3">` +
        `<title>${e(`${p.label}: back to back ${fmtTime(p.batch)}`)}</title></circle>`,
    );
  });
  points.forEach((p, i) => {
    if (p.median === null) {
      out.push(
        `<text class="axis fail" x="${x(i).toFixed(1)}" y="${
          pad.t + h - 4
        }" text-anchor="middle">×</text>`,
      );
      return;
    }
    const tip = `${p.label}: ${fmtTime(p.median)}${
      p.lo !== null && p.hi !== null ? ` (95% CI ${fmtTime(p.lo)}–${fmtTime(p.hi)})` : ""
    }${p.batch !== null ? `, back to back ${fmtTime(p.batch)}` : ""}`;
    const dot =
      `<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(p.median).toFixed(1)}" r="4">` +
      `<title>${e(tip)}</title></circle>`;
    out.push(p.href ? `<a href="${e(p.href)}">${dot}</a>` : dot);
  });
  out.push(
    `<text class="axis" x="${pad.l}" y="${height - 8}">oldest</text>` +
      `<text class="axis" x="${width - pad.r}" y="${height - 8}" text-anchor="end">newest</text>`,
    "</svg>",
  );
  return out.join("");
}

/**
 * A 120×24 sparkline of `values` (nulls skipped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(sparkSvg([1, 2, 3]), /<polyline/);
 * assert.equal(sparkSvg([]), "");
 * ```
 */
export function sparkSvg(values: readonly (number | null)[], width = 120, height = 24): string {
  const xs = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } =>
    p.v !== null && Number.isFinite(p.v)
  );
  if (xs.length === 0) return "";
  const lo = Math.min(...xs.map((p) => p.v)), hi = Math.max(...xs.map((p) => p.v));
  const px = (i: number) =>
    values.length === 1 ? width / 2 : (i * (width - 4)) / (values.length - 1) + 2;
  const py = (v: number) =>
    hi > lo ? height - 3 - ((v - lo) / (hi - lo)) * (height - 6) : height / 2;
  const pts = xs.map((p) => `${px(p.i).toFixed(1)},${py(p.v).toFixed(1)}`).join(" ");
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `aria-hidden="true"><polyline points="${pts}"/></svg>`;
}
