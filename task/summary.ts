/**
 * The task section of a summary: one Markdown table per model and experiment (top-1 mean ± std
 * over seeds, before fine-tuning where there is one, FLOPs of the linears against dense, loss).
 *
 * @module
 */

import type { TaskResults, TaskVariantResult } from "./types.ts";

function pm(s: { mean: number; std: number; values: number[] }): string {
  return s.values.length > 1 ? `${s.mean.toFixed(2)} ± ${s.std.toFixed(2)}` : s.mean.toFixed(2);
}

/**
 * Markdown tables of the task results.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const md = taskSummary({ schemaVersion: 1, kind: "task", suite: "s", backend: "cpu", seeds: [1],
 *   dataset: { name: "mnist", train: 8000, test: 2000, splitSeed: 1 }, startedAt: "", variants: [], failures: [], skipped: [] });
 * assert.match(md, /# Task accuracy: s/);
 * ```
 */
export function taskSummary(r: TaskResults): string {
  const lines = [
    `# Task accuracy: ${r.suite}`,
    "",
    `MNIST, ${r.dataset.train} training / ${r.dataset.test} test digits, seeds ${
      r.seeds.join(", ")
    }, ` +
    `tfjs backend ${r.backend}. Top-1 in % (mean ± std over seeds).`,
    "",
  ];
  const groups = new Map<string, TaskVariantResult[]>();
  for (const v of r.variants) {
    const k = `${v.model} ${v.experiment}`;
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  for (const [k, vs] of groups) {
    const dense = vs.find((v) => v.operator.op === "dense");
    const ft = vs[0]!.experiment === "finetune";
    lines.push(`## ${k}`, "");
    lines.push(
      `| variant | top-1 |${
        ft ? " before fine-tune |" : ""
      } linear FLOPs vs dense | params | final loss | seeds |`,
    );
    lines.push(`|---|---|${ft ? "---|" : ""}---|---|---|---|`);
    for (const v of vs) {
      const x = (a: number | undefined, b: number) =>
        a !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : "–";
      lines.push(
        `| ${v.variant} | ${pm(v.value)} |${ft ? ` ${v.before ? pm(v.before) : "–"} |` : ""} ` +
          `${x(dense?.flops.linearsCore, v.flops.linearsCore)} | ${
            x(dense?.flops.linears, v.flops.linears)
          } | ${v.params.total} | ` +
          `${v.loss.last.toFixed(4)} | ${v.value.values.length} |`,
      );
    }
    lines.push("");
  }
  if (r.skipped.length > 0) {
    lines.push("## Skipped (time limit)", "");
    for (const f of r.skipped) lines.push(`- ${f.id} seed ${f.seed}`);
    lines.push("");
  }
  if (r.failures.length > 0) {
    lines.push("## Failures", "");
    for (const f of r.failures) lines.push(`- ${f.id} seed ${f.seed}: ${f.error}`);
    lines.push("");
  }
  return lines.join("\n");
}
