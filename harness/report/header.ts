/** An anchor entry (see anchors/torch_anchor.py) as the header and the summary show it. */
export interface AnchorRow {
  /** The anchor's name (e.g. `torch.matmul`). */
  anchor: string;
  /** The library it ran, when given. */
  library: string | null;
  /** M of the shape it ran, when given. */
  m: number | null;
  /** K of the shape it ran, when given. */
  k: number | null;
  /** N of the shape it ran, when given. */
  n: number | null;
  /** Its dtype, when given. */
  dtype: string | null;
  /** Its median time in ms, when given. */
  medianMs: number | null;
  /** Its throughput in TFLOP/s (`tflops`, else `tflopsEffective`), when given. */
  tflops: number | null;
  /** Its bandwidth in GB/s, when given. */
  gbps: number | null;
  /** A line shown beside it: its error, a WebGPU peer's clock, the ratio to torch dense or the back-to-back time and how it was timed; empty when none applies. */
  note: string;
}

/**
 * Reads `meta.anchors` defensively (it is written by an external script): keeps entries with an
 * `anchor` name and numeric fields where present.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(anchorList([{ anchor: "torch.matmul", m: 1, k: 2, n: 3, medianMs: 0.1 }]).length, 1);
 * assert.equal(anchorList("junk").length, 0);
 * const peer = anchorList([{ anchor: "tf.matMul", kind: "webgpu-peer", method: "wall", medianMs: 1 }]);
 * assert.match(peer[0]!.note, /^WebGPU peer on the same adapter, wall clock/);
 * const tiny = { anchor: "tinygemm", medianMs: 0.02, batchMedianMs: 0.01 };
 * assert.match(anchorList([tiny])[0]!.note, /back to back: .* a host loop/);
 * const graph = anchorList([{ ...tiny, batchMethod: "cuda-graph" }]);
 * assert.match(graph[0]!.note, /replayed from a CUDA graph$/);
 * ```
 */
export function anchorList(value: unknown): AnchorRow[] {
  if (!Array.isArray(value)) return [];
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return value
    .filter((a): a is Record<string, unknown> =>
      typeof a === "object" && a !== null && typeof a.anchor === "string"
    )
    .map((a) => ({
      anchor: a.anchor as string,
      library: str(a.library),
      m: num(a.m),
      k: num(a.k),
      n: num(a.n),
      dtype: str(a.dtype),
      medianMs: num(a.medianMs),
      tflops: num(a.tflops) ?? num(a.tflopsEffective),
      gbps: num(a.gbps),
      note: str(a.error) ??
        (a.kind === "webgpu-peer"
          ? `WebGPU peer on the same adapter, ${
            str(a.method) === "gpu-timestamp"
              ? "its library's GPU timestamps, calls back to back"
              : "wall clock of submitted work"
          }${num(a.relError) !== null ? `, rel. error ${fmtNum(num(a.relError))}` : ""}`
          : num(a.speedupVsTorchDense) !== null
          ? `× torch dense fp16: ${fmtNum(num(a.speedupVsTorchDense))}`
          : num(a.batchMedianMs) !== null
          ? `back to back: ${fmtNum(num(a.batchMedianMs))} ms${
            num(a.batchGbps) !== null ? ` (${fmtNum(num(a.batchGbps))} GB/s)` : ""
          }${
            str(a.batchMethod) === "cuda-graph"
              ? ", replayed from a CUDA graph"
              : ", a host loop (on short kernels the host's launch rate)"
          }`
          : ""),
    }));
}

/**
 * The read stream by size (`meta.peaks.stream`), what the back-to-back "% stream" figures are
 * relative to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = streamText([
 *   { bytes: 1 << 18, gbps: 310 },
 *   { bytes: 1 << 28, gbps: 4012 },
 * ]);
 * assert.equal(t, "GB/s reading 256 KiB: 310 · 256 MiB: 4010 (back to back, as short cases are timed)");
 * ```
 */
export function streamText(points: readonly { bytes: number; gbps: number }[]): string {
  const size = (b: number) =>
    b >= 1 << 20 ? `${fmtNum(b / (1 << 20))} MiB` : `${fmtNum(b / 1024)} KiB`;
  return `GB/s reading ${
    points.map((p) => `${size(p.bytes)}: ${fmtNum(p.gbps)}`).join(" · ")
  } (back to back, as short cases are timed)`;
}

/**
 * What the roofline bandwidth percentages are relative to: the harness's best copy variant, every
 * variant's figure, and a same-machine copy anchor (torch `copy_`) beside it when one was merged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = { copyGbps: 4000, copyVariant: "vec4x4", copyVariants: { vec4x1: 3600, vec4x4: 4000 } };
 * const anchor = { anchor: "torch copy_ (device to device)", gbps: 4200 } as AnchorRow;
 * const t = copyDenominatorText(p, [anchor])!;
 * assert.match(t, /of 4000 GB\/s \(vec4x4\)/);
 * assert.match(t, /torch copy_ \(device to device\) 4200 GB\/s: 5% above/);
 * ```
 */
export function copyDenominatorText(
  p: { copyGbps: number; copyVariant?: string; copyVariants?: Record<string, number> },
  anchors: AnchorRow[],
): string | null {
  if (!(p.copyGbps > 0)) return null;
  const variants = Object.entries(p.copyVariants ?? {})
    .map(([k, v]) => `${k} ${Math.round(v)}`).join(", ");
  let text = `of ${Math.round(p.copyGbps)} GB/s${p.copyVariant ? ` (${p.copyVariant})` : ""}` +
    (variants ? `, the best of the copy variants (${variants} GB/s)` : "");
  for (const a of anchors) {
    if (!/copy/i.test(a.anchor) || a.gbps === null) continue;
    const pct = Math.round(100 * (a.gbps / p.copyGbps - 1));
    text += `; anchor ${a.anchor} ${Math.round(a.gbps)} GB/s: ${Math.abs(pct)}% ${
      pct >= 0 ? "above" : "below"
    } the harness's copy`;
  }
  return text;
}

/**
 * The report's header: run identity, device, features, limits and measured peaks, rendered
 * server-side with every value escaped.
 *
 * @module
 */

import type { RunResults } from "../types.ts";
import { escapeHtml as e } from "./escape.ts";
import { BATCH_OVER_RATIO, batchSuspect } from "../analyze/transient.ts";
import { unorderedBatch } from "../analyze/batch_order.ts";
import { fmtNum, suspectTimesNote } from "./format.ts";

function duration(start: string, end: string | null): string {
  if (!end) return "";
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return "";
  return ms < 120_000 ? ` (${(ms / 1000).toFixed(1)} s)` : ` (${(ms / 60_000).toFixed(1)} min)`;
}

/**
 * What a run's back-to-back (`batch`) figures mean: null when it has none; `chained` when every
 * execution waited for the previous one's output; `serial` when some come from tilebench before
 * `chained`, which ordered only output writes; `overlapping` when some come from tilebench before
 * `batch.order` existed, when executions on different buffer copies could overlap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = { results: [{ batch: { order: "chained" } }, { batch: null }] };
 * assert.equal(batchOrder(r as never), "chained");
 * const old = { results: [{ batch: { order: "chained" } }, { batch: { order: "serial" } }] };
 * assert.equal(batchOrder(old as never), "serial");
 * ```
 */
export function batchOrder(results: RunResults): "chained" | "serial" | "overlapping" | null {
  const batches = results.results.map((r) => r.batch).filter((b) => b);
  if (batches.length === 0) return null;
  if (batches.every((b) => b!.order === "chained")) return "chained";
  return batches.every((b) => b!.order === "chained" || b!.order === "serial")
    ? "serial"
    : "overlapping";
}

/**
 * One sentence on back-to-back figures of the given `batchOrder`, for the report header and
 * summary (null when the run has none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(batchOrderNote(null), null);
 * assert.match(batchOrderNote("chained")!, /previous execution's output/);
 * ```
 */
export function batchOrderNote(
  order: "chained" | "serial" | "overlapping" | null,
): string | null {
  if (order === null) return null;
  if (order === "chained") {
    return "Back-to-back (batch) figures: each execution after the previous execution's output.";
  }
  return order === "serial"
    ? "Back-to-back (batch) figures: output writes in order, each after the previous execution's."
    : "Back-to-back (batch) figures from tilebench before batch.order: executions on different " +
      "buffer copies could overlap, by an amount that differed between cases, so they compare " +
      "only loosely.";
}

/**
 * One sentence on back-to-back figures, from tilebench before `batch.order: "chained"`, of plans of
 * several dispatches timed over rotating copies (`unorderedBatch`), whose earlier dispatches were
 * not ordered after the previous execution; null when the run has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = (executionDispatches: number, order = "serial") => ({
 *   batch: { copies: 8, executionDispatches, order },
 * });
 * assert.match(unorderedBatchNote({ results: [b(2), b(1)] } as never) ?? "", /^1 case ran /);
 * assert.match(unorderedBatchNote({ results: [b(2), b(3)] } as never) ?? "", /^2 cases ran /);
 * assert.equal(unorderedBatchNote({ results: [b(2, "chained")] } as never), null);
 * assert.equal(unorderedBatchNote({ results: [b(1), { batch: null }] } as never), null);
 * ```
 */
export function unorderedBatchNote(results: RunResults): string | null {
  const n = results.results.filter(unorderedBatch).length;
  if (n === 0) return null;
  const who = n === 1 ? "1 case ran" : `${n} cases ran`;
  return `${who} several dispatches an execution over rotating buffer copies with only their ` +
    "output writes ordered (tilebench before batch.order chained), so their back-to-back figures " +
    "(and fast_p and the best per shape where they read them) may be too fast (docs/measuring.md).";
}

/**
 * One sentence on cases whose back-to-back median stayed above `BATCH_OVER_RATIO` × their isolated
 * median after the second batch the runner times for them (`batch.recheck`): a kernel is not slower
 * back to back than alone on a device that kept its speed, so those figures (and the back-to-back
 * speedups read from them) are likely too slow; null when the run has none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = (id: string, iso: number, b2b: number) => ({
 *   id, status: "ok", time: { median: iso }, batch: { median: b2b },
 * });
 * const note = slowBatchNote({ results: [c("a", 0.0154, 0.0212), c("b", 0.015, 0.0097)] } as never);
 * assert.match(note ?? "", /^1 case stayed slower back to back .*: a \(×1\.38 of isolated\)/);
 * assert.doesNotMatch(note ?? "", /second batch/); // results from before the runner's recheck
 * const timedTwice = { ...c("a", 0.0154, 0.0212), batch: { median: 0.0212, recheck: {} } };
 * assert.match(slowBatchNote({ results: [timedTwice] } as never) ?? "", /after a second batch/);
 * assert.equal(slowBatchNote({ results: [c("b", 0.015, 0.0097)] } as never), null);
 * ```
 */
export function slowBatchNote(results: RunResults): string | null {
  const slow = results.results.flatMap((r) => {
    const ratio = r.status === "ok" && r.time && r.batch
      ? batchSuspect(r.time.median, r.batch.median)
      : null;
    return ratio === null ? [] : [{ id: r.id, ratio, twice: r.batch?.recheck !== undefined }];
  });
  if (slow.length === 0) return null;
  const list = slow.slice(0, 10).map((s) => `${s.id} (×${fmtNum(s.ratio)} of isolated)`).join(
    ", ",
  );
  const who = slow.length === 1 ? "1 case stayed" : `${slow.length} cases stayed`;
  const twice = slow.every((s) => s.twice) ? " after a second batch" : "";
  return `${who} slower back to back than isolated (over ${BATCH_OVER_RATIO}×)${twice}, ` +
    `so their back-to-back figures are likely too slow (docs/measuring.md): ${list}` +
    `${slow.length > 10 ? ", …" : ""}. Re-run them.`;
}

function row(name: string, valueHtml: string): string {
  return `<dt>${e(name)}</dt><dd>${valueHtml}</dd>`;
}

function adapterText(r: RunResults): string {
  const a = r.meta.adapter;
  const parts = [a.description, a.vendor, a.architecture, a.device].filter((s) => s);
  return parts.length ? parts.join(" · ") : "(unnamed adapter)";
}

/**
 * Renders the header HTML of `results` (and a line about the baseline, when given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { baselinePair, syntheticResults } from "../../tests/fixtures/report_results.ts";
 * const { baseline, current } = baselinePair();
 * const html = renderHeader(current, baseline);
 * assert.ok(html.includes(current.meta.adapter.description));
 * assert.doesNotMatch(renderHeader(syntheticResults({ adapter: "<b>x</b>" })), /<b>x<\/b>/);
 * ```
 */
export function renderHeader(results: RunResults, baseline: RunResults | null = null): string {
  const { meta, totals } = results;
  const out: string[] = [];
  out.push(`<h1>tilebench · ${e(meta.suite)}</h1>`);
  const chips = [
    `<span class="chip">${totals.cases} cases</span>`,
    `<span class="chip ok">${totals.ok} ok</span>`,
    `<span class="chip failed">${totals.failed} failed</span>`,
    `<span class="chip skipped">${totals.skipped} skipped</span>`,
  ];
  if (totals.pending) chips.push(`<span class="chip">${totals.pending} pending</span>`);
  out.push(`<div class="chips">${chips.join("")}</div>`);
  if (meta.interrupted || !meta.complete) {
    out.push(
      `<p class="warn">${
        meta.interrupted ? "This run was interrupted" : "This run is incomplete"
      }: ${totals.pending} case(s) did not run.</p>`,
    );
  }
  if (meta.adapter.isFallbackAdapter) {
    out.push(
      `<p class="warn">Measured on a fallback (software) adapter: times say nothing about a GPU.</p>`,
    );
  }
  if (meta.adapter.backend?.guess === "gl") {
    out.push(
      `<p class="warn">WebGPU ran on the OpenGL fallback, not Vulkan (${
        e(meta.adapter.backend.evidence)
      }): features such as shader-f16 may be missing and times are not comparable with Vulkan runs.</p>`,
    );
  }
  const suspect = suspectTimesNote(results.results);
  if (suspect) out.push(`<p class="warn">${e(suspect)}</p>`);
  const slow = slowBatchNote(results);
  if (slow) out.push(`<p class="warn">${e(slow)}</p>`);
  const order = batchOrder(results);
  if (order === "overlapping") out.push(`<p class="warn">${e(batchOrderNote(order)!)}</p>`);
  const tool = `${e(meta.tool.name)} ${e(meta.tool.version)}${
    meta.tool.commit
      ? ` (commit ${e(meta.tool.commit.slice(0, 12))}${
        meta.tool.dirty ? ", with uncommitted changes" : ""
      })`
      : ""
  }`;
  const rows = [
    row("suite", `${e(meta.suite)}${meta.suiteFile ? ` — ${e(meta.suiteFile)}` : ""}`),
    row("date", `${e(meta.startedAt)}${e(duration(meta.startedAt, meta.finishedAt))}`),
    row("tool", tool),
    row(
      "runtime",
      `Deno ${e(meta.deno.deno)}, V8 ${e(meta.deno.v8)} · ${e(meta.os.os)}/${e(meta.os.arch)}${
        meta.os.hostname ? ` · ${e(meta.os.hostname)}` : ""
      }`,
    ),
    row(
      "adapter",
      `${e(adapterText(results))}${
        meta.adapter.isFallbackAdapter ? " (fallback)" : ""
      } · power preference ${e(meta.powerPreference)}`,
    ),
    row("seed", e(String(meta.seed))),
  ];
  if (meta.filter) rows.push(row("filter", e(meta.filter)));
  if (meta.shard) rows.push(row("shard", e(`${meta.shard.index}/${meta.shard.count}`)));
  if (meta.shards?.length) {
    rows.push(row(
      "merged shards",
      meta.shards.map((s) => {
        const a = s.adapter;
        const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(" ");
        return e(
          `${s.shard ?? s.file}: ${s.cases.length} case(s) on ${name || "(unnamed adapter)"}` +
            `${s.hostname ? ` at ${s.hostname}` : ""}${s.complete ? "" : " (incomplete)"}`,
        );
      }).join("<br>"),
    ));
  }
  const p = meta.peaks;
  rows.push(
    row(
      "measured peaks",
      p
        ? `${e(fmtNum(p.fmaTflops))} TFLOP/s f32 FMA${
          p.fmaF16Tflops ? ` · ${e(fmtNum(p.fmaF16Tflops))} TFLOP/s f16 FMA` : ""
        } · ${e(fmtNum(p.copyGbps))} GB/s copy${
          p.copyVariant ? ` (${e(p.copyVariant)}, the best copy variant)` : ""
        }${
          typeof p.passOverheadUs === "number"
            ? ` · ${e(fmtNum(p.passOverheadUs))} µs per timed pass`
            : ""
        } (${e(p.method)})`
        : "not measured",
    ),
  );
  const denominator = p ? copyDenominatorText(p, anchorList(meta.anchors)) : null;
  if (denominator) rows.push(row("bandwidth %", e(denominator)));
  const stream = p?.stream?.length ? streamText(p.stream) : null;
  if (stream) rows.push(row("read stream", e(stream)));
  const m = meta.measure ?? {};
  const measureText = Object.entries(m)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
  if (measureText) rows.push(row("measurement", e(measureText)));
  if (order === "chained" || order === "serial") {
    rows.push(row("back to back", e(batchOrderNote(order)!)));
  }
  const unordered = unorderedBatchNote(results);
  if (unordered) rows.push(row("back to back, several dispatches", e(unordered)));
  if (baseline) {
    const b = baseline.meta;
    rows.push(
      row(
        "baseline",
        `${e(b.suite)} · ${e(b.startedAt)} · ${e(b.tool.version)}${
          b.tool.commit ? ` (commit ${e(b.tool.commit.slice(0, 12))})` : ""
        } · ${e(adapterText(baseline))}`,
      ),
    );
  }
  out.push(`<dl class="meta">${rows.join("")}</dl>`);
  const anchors = anchorList(meta.anchors);
  if (anchors.length > 0) {
    out.push(
      `<details><summary>anchors on the same machine (${anchors.length})</summary>` +
        `<table class="kv"><thead><tr><th>anchor</th><th>shape</th><th>dtype</th><th>median ms</th>` +
        `<th>TFLOP/s · GB/s</th><th>note</th></tr></thead><tbody>${
          anchors.map((a) =>
            `<tr><td>${e(a.anchor)}${a.library ? ` (${e(a.library)})` : ""}</td><td>${
              a.m !== null ? `${a.m}×${a.k}×${a.n}` : ""
            }</td><td>${e(a.dtype ?? "")}</td><td>${e(fmtNum(a.medianMs))}</td><td>${
              e(fmtNum(a.tflops ?? a.gbps))
            }</td><td>${e(a.note)}</td></tr>`
          ).join("")
        }</tbody></table></details>`,
    );
  }
  const features = [...(meta.features ?? [])].sort();
  out.push(
    `<details><summary>features (${features.length})</summary><div class="chips">${
      features.map((f) => `<span class="chip">${e(f)}</span>`).join("")
    }</div></details>`,
  );
  const limits = Object.entries(meta.limits ?? {}).sort(([a], [b]) => a.localeCompare(b));
  out.push(
    `<details><summary>limits (${limits.length})</summary><table class="kv"><tbody>${
      limits.map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(String(v))}</td></tr>`).join("")
    }</tbody></table></details>`,
  );
  return out.join("\n");
}
