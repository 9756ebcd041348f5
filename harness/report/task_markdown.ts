/**
 * The task section of `summary.md`: per model and experiment, each variant's top-1 (library and
 * through the kernels), before fine-tuning, FLOPs against dense, measured speedup at each latency
 * batch, parameters and final loss, with the Pareto front marked. A language-model run (metric
 * `perplexity`) shows validation perplexity instead, its decode speedup at batch 1, decode and
 * prefill tokens/s, the share of decode time outside the linears, and the text each variant
 * generates from the fixed prompt.
 *
 * @module
 */

import {
  denseOf,
  latencyBatches,
  lowerIsBetter,
  speedupAt,
  taskPareto,
  type TaskResultsView,
  type TaskSeedStats,
  type TaskVariantView,
} from "./task_model.ts";

function pm(s: TaskSeedStats | undefined, digits = 2): string {
  if (!s) return "–";
  return s.values.length > 1
    ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`
    : s.mean.toFixed(digits);
}

function num(v: number | null | undefined, digits = 0): string {
  return v == null ? "–" : v.toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : "–";
}

function params(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : `${n}`;
}

/**
 * Markdown of a task run (see the module doc). `±` is the sample standard deviation over seeds;
 * speedups are the dense model's median forward time over the variant's, same run and device.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const md = renderTaskSummary({ kind: "task", schemaVersion: 1, suite: "s", backend: "cpu", seeds: [1],
 *   dataset: { name: "mnist", train: 8000, test: 2000 }, startedAt: "", variants: [], failures: [] });
 * assert.match(md, /## Task accuracy: s/);
 * assert.match(md, /Incomplete run/); // no finishedAt
 * ```
 */
export function renderTaskSummary(r: TaskResultsView): string {
  const batches = latencyBatches(r);
  const lm = r.variants.some(lowerIsBetter);
  const lines = [
    `## Task accuracy: ${r.suite}`,
    "",
    lm
      ? `${r.dataset.name.toUpperCase()} text${
        r.dataset.source ? ` (${r.dataset.source})` : ""
      }, ` +
        `${r.dataset.train} training tokens, ${r.dataset.test} validation windows, seeds ` +
        `${r.seeds.join(", ")}, training backend ${r.backend}. Validation perplexity, lower is ` +
        `better (mean ± std over seeds). "kernels" is the perplexity of the same weights and ` +
        `windows through the WGSL kernels that are timed; "core FLOPs" and "model FLOPs" are ` +
        `dense's FLOPs per token over the variant's (×N fewer; below 1: more); "decode ×dense" is ` +
        `the measured KV-cached greedy decode speed at batch 1 over the dense model's; "outside ` +
        `linears" the share of decode time in the other kernels.` +
        (batches.length ? " ★: on the Pareto front of perplexity against decode speed." : "") +
        (r.latencyPass
          ? ` Timed after training, alone on ${r.latencyPass.device} (${r.latencyPass.method}), ` +
            (r.latencyPass.seedRule === "first"
              ? "each variant's model of its first seed."
              : `each variant's model of seed ${r.latencyPass.seedRule}.`)
          : "")
      : `${r.dataset.name.toUpperCase()}, ${r.dataset.train} training / ${r.dataset.test} test ` +
        `samples, seeds ${r.seeds.join(", ")}, training backend ${r.backend}. Top-1 in % ` +
        `(mean ± std over seeds). "kernels" is top-1 of the same weights through the WGSL kernels ` +
        `that are timed; "core FLOPs" is dense's linear products over the variant's (all linears, ` +
        `the dense ones included), "model FLOPs" the same for everything a forward pass executes ` +
        `(encode/decode, dequantisation, norms, attention); speedup is the dense model's measured ` +
        `forward time over the variant's, same run.` +
        (batches.length ? " ★: on the Pareto front of accuracy against speedup." : "") +
        (r.latencyPass
          ? ` Latency was timed after training, alone on ${r.latencyPass.device} (${r.latencyPass.method}), ` +
            (r.latencyPass.seedRule === "first"
              ? "each variant's model of its first seed."
              : `each variant's model of seed ${r.latencyPass.seedRule}.`)
          : ""),
    "",
  ];
  if (!r.finishedAt || r.skipped?.length) {
    lines.push(
      `> **Incomplete run**: ${
        r.finishedAt
          ? `${r.skipped!.length} (variant, seed) pair(s) were left unstarted at the time limit`
          : "it did not finish (interrupted); the variants below are what it completed"
      }.`,
      "",
    );
  }
  const groups = new Map<string, TaskVariantView[]>();
  for (const v of r.variants) {
    const k = `${v.model} · ${v.experiment}`;
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  const front = new Map<number, Set<string>>();
  for (const b of batches) {
    const ids = new Set<string>();
    for (const m of new Set(r.variants.map((v) => v.model))) {
      for (const id of taskPareto(r, m, b)) ids.add(id);
    }
    front.set(b, ids);
  }
  for (const [k, vs] of groups) {
    let flagged = false;
    const ft = vs.some((v) => v.before);
    const ppl = vs.some(lowerIsBetter);
    const digits = ppl ? 3 : 2;
    lines.push(`### ${k}`, "");
    const head = [
      "variant",
      ppl ? "perplexity" : "top-1",
      ...(ft ? ["before"] : []),
      "kernels",
      "core FLOPs",
      "model FLOPs",
    ];
    for (const b of batches) head.push(ppl && b === 1 ? "decode ×dense" : `speedup b${b}`);
    if (ppl) head.push("decode tok/s", "prefill tok/s", "outside linears");
    head.push("params", "final loss");
    lines.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
    for (const v of vs) {
      const d = denseOf(r, v);
      const gap = v.kernel?.maxTop1Gap;
      const k = v.lmKernel;
      const row = [
        v.variant,
        pm(v.value, digits),
        ...(ft ? [pm(v.before, digits)] : []),
        v.kernelTop1
          ? `${pm(v.kernelTop1)}${gap != null ? ` (Δ ≤ ${gap.toFixed(2)})` : ""}`
          : k?.kernelPerplexity != null
          ? k.kernelPerplexities.length === v.value.values.length
            ? k.kernelPerplexities.map((p) => p.toFixed(digits)).join(", ")
            : `${k.kernelPerplexity.toFixed(digits)} (seed ${k.seed})`
          : "–",
        ratio(d?.flops.linearsCore, v.flops.linearsCore),
        ratio(d?.flops.total, v.flops.total),
      ];
      const suspect = (...ts: ({ sentinel?: { flagged: boolean } } | null | undefined)[]) => {
        if (!ts.some((t) => t?.sentinel?.flagged)) return "";
        flagged = true;
        return " ⚠";
      };
      for (const b of batches) {
        const s = speedupAt(v, b);
        // A speedup is suspect when the variant's or the dense model's timing is.
        const at = (x: typeof v | null | undefined) =>
          x?.kernel?.latency.find((l) => l.batch === b);
        const mark = ppl && b === 1
          ? suspect(k?.decode, d?.lmKernel?.decode)
          : suspect(at(v), at(d));
        row.push(
          s === null ? "–" : `${s.toFixed(2)}×${front.get(b)!.has(v.id) ? " ★" : ""}${mark}`,
        );
      }
      if (ppl) {
        const share = k?.outsideLinearsShare;
        row.push(
          `${num(k?.decodeTokensPerS)}${suspect(k?.decode)}`,
          `${num(k?.prefillTokensPerS)}${suspect(k?.prefill)}`,
          share == null ? "–" : `${(100 * share).toFixed(0)}%`,
        );
      }
      row.push(params(v.params.total), v.loss.last.toFixed(4));
      lines.push(`| ${row.join(" | ")} |`);
    }
    lines.push("");
    if (flagged) {
      lines.push(
        // 30%: the sentinel's default threshold (harness/measure/sentinel.ts, below this layer).
        "⚠ The sentinel (a reference workload timed before and after) stayed more than 30% off " +
          "the pass's reference on every attempt: the GPU ran at another speed, the figure is suspect.",
        "",
      );
    }
  }
  const texts = r.variants.filter((v) => v.lmKernel);
  if (texts.length > 0) {
    const k0 = texts[0]!.lmKernel!;
    lines.push(
      "### Generated text",
      "",
      `Greedy continuation of the prompt ${JSON.stringify(k0.promptText)} through the kernels ` +
        `(seed ${k0.seed}'s model):`,
      "",
    );
    for (const v of texts) {
      lines.push(`${v.id}: ${JSON.stringify(v.lmKernel!.generatedText)}`, "");
    }
  }
  if (r.skipped && r.skipped.length > 0) {
    lines.push("### Skipped (time limit)", "");
    for (const f of r.skipped) lines.push(`- ${f.id} seed ${f.seed}`);
    lines.push("");
  }
  if (r.shards && r.shards.length > 0) {
    lines.push(`### Merged from ${r.shards.length} runs`, "");
    for (const sh of r.shards) {
      lines.push(
        `- ${sh.file}: seeds ${sh.seeds.join(", ")}, ${
          sh.only ? sh.only.join(", ") : "all variants"
        }` +
          `, ${sh.variants} results${sh.finishedAt ? "" : ", did not finish"}`,
      );
    }
    lines.push("");
  }
  if (r.failures.length > 0) {
    lines.push("### Failures", "");
    for (const f of r.failures) lines.push(`- ${f.id} seed ${f.seed}: ${f.error}`);
    lines.push("");
  }
  return lines.join("\n");
}
