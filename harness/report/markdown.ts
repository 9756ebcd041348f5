/**
 * `summary.md`: a compact markdown report for CI step summaries and PR comments — regressions
 * first, then failures, then the best case per shape, then every case (capped) in a fold.
 *
 * @module
 */

import { escapeControl } from "../cli_args.ts";
import { comparePeers, QUANTISED_FAMILIES } from "../analyze/peers.ts";
import type { RunResults } from "../types.ts";
import { fmtNum, fmtPct, suspectTimesNote } from "./format.ts";
import { buildModel, type ModelCase, type ReportOptions } from "./model.ts";
import {
  anchorList,
  batchOrder,
  batchOrderNote,
  slowBatchNote,
  unorderedBatchNote,
} from "./header.ts";

/**
 * Escapes text for markdown (table cells included): markdown punctuation and `<`/`>` get a
 * backslash, newlines become spaces, so labels render as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mdCell } from "./markdown.ts";
 * assert.equal(mdCell("a|b"), "a\\|b");
 * ```
 */
export function mdCell(text: string): string {
  return escapeControl(
    String(text).replace(/[\\|`*_<>[\]#~]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, " "),
  );
}

/**
 * Options of {@link renderSummaryMarkdown}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current } = baselinePair();
 * const opts: SummaryOptions = { baseline, maxRows: 5 };
 * assert.match(renderSummaryMarkdown(current, opts), /Regressions vs baseline/);
 * ```
 */
export interface SummaryOptions extends ReportOptions {
  /** Most cases listed in the "all cases" fold (default 200). */
  maxRows?: number;
}

const STATUS_ORDER: Record<string, number> = { failed: 0, ok: 1, skipped: 2 };

function statusText(c: ModelCase): string {
  return c.reason ? `${c.status}: ${mdCell(c.reason)}` : c.status;
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

/** How many times the fastest WebGPU peer a case should be; the summary counts the cases at it. */
export const PEER_TARGET = 1.5;

/**
 * Renders the run as markdown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const md = renderSummaryMarkdown(syntheticResults());
 * assert.match(md, /## Best per shape/);
 * assert.match(md, /<details>/);
 * ```
 */
export function renderSummaryMarkdown(results: RunResults, options: SummaryOptions = {}): string {
  const { meta, totals } = results;
  const model = buildModel(results, options);
  const cases = model.cases;
  const maxRows = options.maxRows ?? 200;
  const a = meta.adapter;
  const lines: string[] = [
    `# tilebench: ${mdCell(meta.suite)}`,
    "",
    `${mdCell(a.description || a.vendor || "(unnamed adapter)")}${
      a.isFallbackAdapter ? " (fallback)" : ""
    } · ${mdCell(meta.startedAt)} · tilebench ${mdCell(meta.tool.version)}${
      meta.tool.commit ? ` (${meta.tool.commit.slice(0, 7)}${meta.tool.dirty ? "+dirty" : ""})` : ""
    } · ${totals.ok} ok, ${totals.failed} failed, ${totals.skipped} skipped${
      meta.complete ? "" : ` · **INCOMPLETE** (${totals.pending} pending)`
    }`,
  ];
  if (a.backend?.guess === "gl") {
    lines.push(
      "",
      `> **OpenGL fallback**: WebGPU ran on OpenGL, not Vulkan (${
        mdCell(a.backend.evidence)
      }); features such as shader-f16 may be missing and times are not comparable with Vulkan runs.`,
    );
  }
  if (meta.shard) lines.push("", `Shard ${meta.shard.index}/${meta.shard.count} of the suite.`);
  if (meta.shards?.length) {
    lines.push("", "Merged shards:", "");
    for (const s of meta.shards) {
      const name = s.adapter.description || s.adapter.vendor || "(unnamed adapter)";
      lines.push(
        `- ${mdCell(s.shard ?? s.file)}: ${s.cases.length} case(s) on ${mdCell(name)}${
          s.hostname ? ` at ${mdCell(s.hostname)}` : ""
        }${s.complete ? "" : " (incomplete)"}`,
      );
    }
  }
  if (meta.peaks) {
    const p = meta.peaks;
    lines.push(
      "",
      `Measured peaks: ${fmtNum(p.fmaTflops)} TFLOP/s f32 FMA${
        p.fmaF16Tflops ? `, ${fmtNum(p.fmaF16Tflops)} f16` : ""
      }, ${fmtNum(p.copyGbps)} GB/s copy${p.copyVariant ? ` (${p.copyVariant})` : ""}.`,
    );
  }

  const order = batchOrderNote(batchOrder(results));
  if (order) lines.push("", order);
  const unordered = unorderedBatchNote(results);
  if (unordered) lines.push("", unordered);
  const slow = slowBatchNote(results);
  if (slow) lines.push("", `> **${mdCell(slow)}**`);
  const suspect = suspectTimesNote(results.results);
  if (suspect) lines.push("", `> **${mdCell(suspect)}**`);

  const anchors = anchorList(meta.anchors);
  if (anchors.length > 0) {
    lines.push(
      "",
      `<details><summary>Anchors on the same machine (${anchors.length})</summary>`,
      "",
      ...table(
        ["anchor", "shape", "dtype", "median ms", "TFLOP/s · GB/s", "note"],
        anchors.map((x) => [
          mdCell(`${x.anchor}${x.library ? ` (${x.library})` : ""}`),
          x.m !== null ? `${x.m}×${x.k}×${x.n}` : "",
          mdCell(x.dtype ?? ""),
          fmtNum(x.medianMs),
          fmtNum(x.tflops ?? x.gbps),
          mdCell(x.note),
        ]),
      ),
      "",
      "</details>",
    );
  }

  const vsPeers = comparePeers(results.results, meta.anchors);
  if (vsPeers.length > 0) {
    const ahead = vsPeers.filter((r) => r.ratio >= PEER_TARGET).length;
    lines.push(
      "",
      `<details><summary>Against the fastest WebGPU peer: ${ahead} of ${vsPeers.length} case(s) at ≥ ${PEER_TARGET}×</summary>`,
      "",
      `Each case beside the fastest correct peer on its shape timed by GPU timestamps (peers multiply in f32): on both sides one execution between the timestamps of its pass. A peer of 4-bit weights (MatMulNBits) stands only beside the ${
        [...QUANTISED_FAMILIES].join(" and ")
      } cases.`,
      "",
      ...table(
        ["case", "ms", "fastest peer", "peer ms", "× peer"],
        vsPeers.map((r) => [
          mdCell(r.id),
          fmtNum(r.ms),
          mdCell(r.peer),
          fmtNum(r.peerMs),
          fmtNum(r.ratio),
        ]),
      ),
      "",
      "</details>",
    );
  }

  const b = model.baseline;
  if (b) {
    const regressions = cases.filter((c) => c.regression);
    const compared = cases.filter((c) => c.change !== "new").length;
    const kind = b.hasVerdicts ? "gate verdicts" : "medians only, no gate verdicts";
    lines.push("", `## Regressions vs baseline (${regressions.length})`, "");
    if (b.adapterMismatch) lines.push(`⚠️ ${mdCell(b.adapterMismatch)}.`, "");
    if (regressions.length) {
      lines.push(
        ...table(
          ["case", b.hasVerdicts ? "verdict" : "change", "base ms", "ms", "Δ time", "reason"],
          regressions.map((c) => [
            mdCell(c.id),
            mdCell(b.hasVerdicts ? c.verdict ?? "" : c.change ?? ""),
            fmtNum(c.baseMs),
            fmtNum(c.ms),
            fmtPct(c.delta),
            mdCell(c.verdictReason ?? c.reason ?? ""),
          ]),
        ),
      );
    } else {
      lines.push(`No regressions (${compared} case(s) compared; ${kind}).`);
    }
    const counts = Object.entries(b.counts).map(([k, n]) => `${mdCell(k)}: ${n}`).join(", ");
    if (counts) lines.push("", `Changes (${kind}): ${counts}.`);
  }

  const failed = cases.filter((c) => c.status === "failed");
  if (failed.length) {
    lines.push("", `## Failed (${failed.length})`, "");
    lines.push(
      ...table(["case", "reason"], failed.map((c) => [mdCell(c.id), mdCell(c.reason ?? "")])),
    );
  }

  const budget = model.accuracyBudget;
  lines.push(
    "",
    "## Best per shape",
    "",
    `The fastest case that is correct and within the accuracy budget (approximation error ≤ ${
      fmtNum(budget, 2)
    }; \`deno task report --accuracy-budget E\` changes it).`,
    "",
  );
  const bestRows: string[][] = [];
  for (const g of model.groups) {
    const dense = g.cases.map((i) => cases[i]!).filter((c) => c.ms !== null && c.family === "dense")
      .reduce<ModelCase | null>((x, y) => (x === null || y.ms! < x.ms! ? y : x), null);
    const over = g.fastestOverBudget !== null ? cases[g.fastestOverBudget]! : null;
    const overText = over
      ? `faster but over budget: ${mdCell(over.id)} (${fmtNum(over.speedup)}×, error ${
        fmtNum(over.approx, 2)
      })`
      : "";
    if (g.best === null) {
      bestRows.push([
        mdCell(g.title),
        fmtNum(dense?.ms),
        g.cases.some((i) => cases[i]!.ms !== null) ? "none within budget" : "no ok case",
        "–",
        "–",
        "–",
        "–",
        overText,
      ]);
      continue;
    }
    const best = cases[g.best]!;
    bestRows.push([
      mdCell(g.title),
      fmtNum(dense?.ms),
      mdCell(best.id),
      fmtNum(best.ms),
      fmtNum(best.speedup),
      fmtNum(best.eff),
      fmtNum(best.approx, 2),
      overText,
    ]);
  }
  lines.push(
    ...table(
      [
        "shape",
        "dense ms",
        "fastest within budget",
        "ms",
        "× dense",
        "eff. TFLOP/s",
        "approx. rel. err",
        "note",
      ],
      bestRows,
    ),
  );
  const fp = model.fastP;
  if (fp.length && fp[0]!.total > 0) {
    lines.push(
      "",
      `fast_p: share of the ${fp[0]!.total} non-dense case(s) that are correct, within the ` +
        `budget and at least p× dense (back-to-back speedup where a case has one):`,
      "",
      ...table(
        fp.map((f) => `p = ${f.p}`),
        [fp.map((f) => `${fmtNum(f.share * 100, 3)}% (${f.count})`)],
      ),
    );
  }

  const skipped = cases.filter((c) => c.status === "skipped");
  if (skipped.length) {
    const reasons = new Map<string, number>();
    for (const c of skipped) reasons.set(c.reason ?? "", (reasons.get(c.reason ?? "") ?? 0) + 1);
    const top = [...reasons].sort((x, y) => y[1] - x[1]);
    lines.push(
      "",
      `Skipped ${skipped.length}: ${
        top.slice(0, 5).map(([r, n]) => `${mdCell(r || "(no reason)")} (${n})`).join("; ")
      }${top.length > 5 ? `; and ${top.length - 5} other reason(s)` : ""}.`,
    );
  }

  const sorted = cases.map((c, i) => ({ c, i })).sort((x, y) =>
    Number(y.c.regression) - Number(x.c.regression) ||
    STATUS_ORDER[x.c.status]! - STATUS_ORDER[y.c.status]! || x.i - y.i
  ).map(({ c }) => c);
  const header = ["case", "status", "median ms", "noise", "eff. TFLOP/s", "× dense"];
  header.push("approx. rel. err");
  if (b) header.push("Δ time", b.hasVerdicts ? "verdict" : "change");
  const rows = sorted.slice(0, maxRows).map((c) => {
    const r = [
      mdCell(c.id),
      statusText(c),
      fmtNum(c.ms),
      fmtPct(c.noise, false),
      fmtNum(c.eff),
      fmtNum(c.speedup),
      fmtNum(c.approx, 2),
    ];
    if (b) r.push(fmtPct(c.delta), mdCell((b.hasVerdicts ? c.verdict : c.change) ?? ""));
    return r;
  });
  lines.push("", `<details><summary>All ${cases.length} cases</summary>`, "");
  lines.push(...table(header, rows));
  if (sorted.length > maxRows) {
    lines.push("", `… and ${sorted.length - maxRows} more in results.json / report.html.`);
  }
  lines.push("", "</details>");
  return lines.join("\n") + "\n";
}
