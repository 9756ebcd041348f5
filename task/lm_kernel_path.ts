/**
 * The LM's kernel path in a task run: every trained LM export through the WGSL kernels
 * (task/gpu/lm_evaluate.ts `lmOnKernels`): its linears checked against their f64 references,
 * its prefill logits against lmForwardCpu, decode through the KV cache against the prefill, the
 * greedy continuation of a fixed prompt, the perplexity of validation windows through the
 * kernels, and (when timing) prefill and decode tokens/s against the dense model of the same
 * architecture. The result goes into the variant's `lmKernel` record (task/types.ts).
 *
 * In a run, {@link createLmKernelPath} gives the runner's `onExport` hook (each seed's export
 * checked and scored; only the first seed's timed). After a sharded run, {@link timeLmRun} does
 * the timed pass over the merged results alone on the GPU (`task latency`).
 *
 * @module
 */

import { join } from "node:path";
import type { MeasureOptions } from "../harness/measure/options.ts";
import { TASK_MEASURE } from "./task_measure.ts";
import { loadBrown } from "./data/brown.ts";
import { type KernelPathSession, openKernelEnv } from "./kernel_cli.ts";
import { decode, encode, VOCAB } from "./data/chars.ts";
import type { ModelExport } from "./export.ts";
import { parseExportJson } from "./export_file.ts";
import type { GpuEnv } from "./gpu/linear.ts";
import { lmOnKernels } from "./gpu/lm_evaluate.ts";
import { lmConfigOf } from "./model/lm_forward_cpu.ts";
import type { LmKernelRecord, LmKernelResult, TaskResults, TaskVariantResult } from "./types.ts";

/** The fixed prompt's text (its first ctx/2 characters are used). */
export const LM_PROMPT = "The jury said that the city";

/**
 * The prompt ids of an LM: the first ⌊ctx/2⌋ characters of {@link LM_PROMPT} through the
 * tokenizer (task/data/chars.ts) when the vocabulary is its size, else ids i mod vocab.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decode } from "./data/chars.ts";
 * assert.equal(decode(lmPromptIds({ vocab: 96, ctx: 16 })), "The jury");
 * ```
 */
export function lmPromptIds(c: { vocab: number; ctx: number }): Int32Array {
  const len = Math.min(LM_PROMPT.length, Math.floor(c.ctx / 2));
  if (c.vocab !== VOCAB) return Int32Array.from({ length: len }, (_, i) => i % c.vocab);
  return encode(LM_PROMPT.slice(0, len));
}

/** Options of the LM kernel path. */
export interface LmKernelPathOptions {
  env: GpuEnv;
  /** Validation ids: the first `windows` windows of each model's ctx are scored. */
  validation: Int32Array;
  windows: number;
  /** Windows also checked against lmForwardCpu (default 2). */
  checkWindows?: number;
  /** How to time; null: checks, generation and perplexity only. */
  measure: MeasureOptions | null;
  device: string;
  log?: (line: string) => void;
}

function textOf(ids: number[], vocab: number): string {
  return vocab === VOCAB ? decode(ids) : ids.join(" ");
}

async function runOne(
  o: LmKernelPathOptions,
  model: ModelExport,
  measure: MeasureOptions | null,
  dense: LmKernelResult | null,
): Promise<LmKernelResult> {
  const c = lmConfigOf(model);
  const prompt = lmPromptIds(c);
  const windows = Math.max(1, Math.min(o.windows, Math.floor(o.validation.length / c.ctx)));
  return await lmOnKernels(o.env, model, {
    prompt,
    tokens: c.ctx - prompt.length,
    sequences: o.validation.subarray(0, windows * c.ctx),
    len: c.ctx,
    checkSequences: o.checkWindows ?? 2,
    measure,
    dense,
    device: o.device,
  });
}

function record(
  r: LmKernelResult,
  seed: number,
  vocab: number,
  perplexities: number[],
): LmKernelRecord {
  return {
    ...r,
    seed,
    promptText: textOf(r.promptIds, vocab),
    generatedText: textOf(r.generatedIds, vocab),
    kernelPerplexities: perplexities,
  };
}

function isDense(v: { experiment: string; operator: { op: string } }): boolean {
  return v.experiment === "scratch" && v.operator.op === "dense";
}

function line(v: TaskVariantResult, r: LmKernelResult): string {
  const speed = r.decodeTokensPerS === null
    ? ""
    : `, decode ${r.decodeTokensPerS.toFixed(0)} tok/s` +
      (r.decodeSpeedupVsDense === null ? "" : ` (${r.decodeSpeedupVsDense.toFixed(2)}× dense)`) +
      `, prefill ${r.prefillTokensPerS!.toFixed(0)} tok/s`;
  return `  kernels ${v.id}: perplexity ${r.kernelPerplexity?.toFixed(3) ?? "-"}, logits ` +
    `${r.logitsMaxRelErr.toExponential(1)} off lmForwardCpu${speed}`;
}

/**
 * The runner's hook for LM exports (see the module doc). Throws (the runner records the
 * failure) when the kernels' output is off its checks.
 *
 * @example
 * ```ts ignore
 * const kp = createLmKernelPath({ env, validation, windows: 8, measure: null, device });
 * await runTask(suite, { outDir, backend, log, onExport: kp.onExport });
 * ```
 */
export function createLmKernelPath(o: LmKernelPathOptions): {
  onExport(variant: TaskVariantResult, seed: number, model: ModelExport): Promise<void>;
} {
  const dense = new Map<string, LmKernelResult>();
  const log = o.log ?? (() => {});
  return {
    async onExport(variant, seed, model) {
      const c = lmConfigOf(model);
      const first = variant.lmKernel === undefined;
      const r = await runOne(
        o,
        model,
        first ? o.measure : null,
        dense.get(variant.model) ?? null,
      );
      if (first && isDense(variant)) dense.set(variant.model, r);
      const ppl = [...(variant.lmKernel?.kernelPerplexities ?? []), r.kernelPerplexity ?? NaN];
      variant.lmKernel = first
        ? record(r, seed, c.vocab, ppl)
        : { ...variant.lmKernel!, kernelPerplexities: ppl };
      log(line(variant, r));
    },
  };
}

/**
 * Times every LM variant of a finished run through the kernels, one seed's export each (its
 * first, or `seed`), its model's dense scratch variant first; fills each variant's `lmKernel`
 * (the kernel perplexity of that seed only) and the run's `latencyPass` (batch 1: decode). A variant that fails gets a failure
 * (`lm kernels: …`) and the pass goes on.
 *
 * @example
 * ```ts ignore
 * await timeLmRun(results, "reports/brown", { env, validation, windows: 64, measure: TASK_MEASURE, device });
 * ```
 */
export async function timeLmRun(
  results: TaskResults,
  dir: string,
  o: LmKernelPathOptions & { seed?: number; onTimed?: () => Promise<void> },
): Promise<void> {
  const log = o.log ?? (() => {});
  results.latencyPass = {
    device: o.device,
    method: "not timed",
    batches: [1],
    seedRule: o.seed ?? "first",
    at: new Date().toISOString(),
  };
  const models = [...new Set(results.variants.map((v) => v.model))];
  for (const name of models) {
    const vs = results.variants.filter((v) => v.model === name);
    const d = vs.find(isDense);
    const ordered = d ? [d, ...vs.filter((v) => v !== d)] : vs;
    let dense: LmKernelResult | null = null;
    for (const v of ordered) {
      const seed = o.seed ?? v.seeds[0];
      const at = seed === undefined ? -1 : v.seeds.indexOf(seed);
      if (at < 0) {
        log(`lm kernels ${v.id}: no export of seed ${o.seed}; not run`);
        continue;
      }
      try {
        const model = parseExportJson(await Deno.readTextFile(join(dir, v.exports[at]!)));
        const r = await runOne(o, model, o.measure, dense);
        if (v === d) dense = r;
        results.latencyPass.method = r.method;
        v.lmKernel = record(r, seed!, lmConfigOf(model).vocab, [r.kernelPerplexity ?? NaN]);
        log(line(v, r));
        await o.onTimed?.();
      } catch (e) {
        const error = `lm kernels: ${(e as Error).message.split("\n")[0]}`;
        log(`FAILED ${v.id} seed ${seed}: ${error}`);
        results.failures.push({ id: v.id, seed: seed!, error });
      }
    }
  }
}

/**
 * Opens the GPU and starts the LM kernel path of a brown task run: the first `windows`
 * validation windows scored through the kernels, timed when `timed`.
 *
 * @example
 * ```ts ignore
 * const kp = await startLmKernelPath(suite.testSamples, true, console.log);
 * ```
 */
export async function startLmKernelPath(
  windows: number,
  timed: boolean,
  log: (line: string) => void,
): Promise<KernelPathSession> {
  const { validation } = await loadBrown();
  const { env, adapter, release } = await openKernelEnv();
  const kp = createLmKernelPath({
    env,
    validation,
    windows,
    measure: timed ? TASK_MEASURE : null,
    device: adapter,
    log,
  });
  return {
    onExport: kp.onExport as KernelPathSession["onExport"],
    adapter,
    release,
  };
}
