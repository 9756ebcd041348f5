/**
 * An LM export scored and timed through the WGSL kernels (task/gpu/lm_forward.ts): the checks
 * first (every linear against its family's f64 reference, the prefill logits against
 * lmForwardCpu at every position, decode through the KV cache against the prefill), then the
 * greedy generation of a fixed prompt, the kernel perplexity of validation sequences, and the
 * speeds timed by the measurement layer (harness/measure: warm-up until settled, repeated
 * samples, median with its confidence interval):
 *
 * - prefill: one pass over the prompt's L tokens from position 0; tokens/s = L / median;
 * - decode: N decode steps from position L in one compute pass (N = the generated tokens,
 *   each step at batch 1 attending over the cache so far); tokens/s = N / median;
 * - outside the linears: the same decode loop with only the linears' dispatches (each
 *   family's kernels, STL's row padding included) and with only the other dispatches;
 *   share = 1 − linears-only / whole loop (not clipped: within the timing noise it can be a
 *   little below 0 when the small kernels cost next to nothing);
 * - generation wall clock: the prompt's prefill and N − 1 decode steps recorded into one command
 *   buffer, submitted, the ids read back (CPU encoding included).
 *
 * With GPU timestamps, a sample is the GPU time of one compute pass holding the whole loop (the
 * gaps between its dispatches included); CPU encoding is outside it.
 *
 * @module
 */

import { compareOutputs } from "../../harness/analyze/error_metrics.ts";
import { measureSubmitted } from "../../harness/measure/measure.ts";
import type { MeasureOptions } from "../../harness/measure/options.ts";
import type { Workload } from "../../harness/measure/workload.ts";
import type { DType, SentinelFigures, TimeSummary } from "../../harness/types.ts";
import type { ModelExport } from "../export.ts";
import { crossEntropy, lmForwardCpu } from "../model/lm_forward_cpu.ts";
import type { LmKernelResult, LmTiming } from "../types.ts";
import type { GpuEnv, LinearCheck } from "./linear.ts";
import { measureGuarded } from "./guarded.ts";
import { buildLmGpu, type LmGpu, type LmGpuOptions } from "./lm_forward.ts";

/** Prefill logits vs lmForwardCpu: relative error bound per storage dtype. */
export const LM_LOGITS_TOLERANCE: Record<DType, number> = { f32: 1e-4, f16: 3e-2 };
/** Decode-step logits vs the prefill's at the same position, per storage dtype. */
export const LM_CACHE_TOLERANCE: Record<DType, number> = { f32: 1e-5, f16: 1e-2 };
/**
 * The logits and KV-cache bound (at least) for a model whose linears quantise their activations
 * (int8): where a layer's input, computed in f32 by the kernels and in f64 by lmForwardCpu (or by
 * the prefill's GEMMs and the decode step's GEMVs), lands on either side of a rounding half, one
 * activation code differs by one step (1/127 of the row's largest value) and the difference
 * carries on through the later layers. Each layer's kernel
 * output is still held to its f64 reference on the kernel's own input, and the perplexities of
 * both paths must still agree.
 */
export const LM_QUANT_LOGITS_TOLERANCE = 2e-3;

/**
 * The KV-cache bound (at least) of such a model. The cache check compares one position's logits at
 * a time (the logits check, a whole sequence at once), so one activation code that lands on the
 * other side of a rounding half in the decode step's GEMV and the prefill's GEMM is not diluted by
 * the other positions: one such flip put a position of the seeded random model of
 * `deno task lm-kernels --quick` (int8, f32) 3.3e-3 off. A wrong cache is off by orders more.
 */
export const LM_QUANT_CACHE_TOLERANCE = 1e-2;

/**
 * The logits and KV-cache bounds of a model: the storage dtype's, widened to
 * {@link LM_QUANT_LOGITS_TOLERANCE} and {@link LM_QUANT_CACHE_TOLERANCE} when a linear quantises
 * its activations (int8).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const model = { arch: "lm", config: {}, tensors: {}, layers: [] };
 * assert.deepEqual(lmTolerances(model, "f32"), { logits: 1e-4, cache: 1e-5 });
 * const int8 = { ...model, layers: [{ name: "fc", k: 1, n: 1, op: "int8" as const }] };
 * assert.deepEqual(lmTolerances(int8, "f32"), { logits: 2e-3, cache: 1e-2 });
 * ```
 */
export function lmTolerances(model: ModelExport, dtype: DType): { logits: number; cache: number } {
  const quant = model.layers.some((l) => l.op === "int8");
  return {
    logits: Math.max(LM_LOGITS_TOLERANCE[dtype], quant ? LM_QUANT_LOGITS_TOLERANCE : 0),
    cache: Math.max(LM_CACHE_TOLERANCE[dtype], quant ? LM_QUANT_CACHE_TOLERANCE : 0),
  };
}

/** Options of {@link lmOnKernels}. */
export interface LmKernelOptions extends LmGpuOptions {
  /** The fixed prompt (1…ctx − 1 ids). */
  prompt: Int32Array;
  /** Greedy tokens generated after it; also the decode steps timed (clipped to the context). */
  tokens: number;
  /**
   * Validation sequences of `len` ids each, back to back: the first `checkSequences` are checked
   * against lmForwardCpu; all of them give the kernel perplexity. Without them the prompt and
   * its generated continuation are checked and no perplexity is computed.
   */
  sequences?: Int32Array;
  /** Ids a sequence (1…ctx). */
  len?: number;
  /** Sequences checked against the CPU definition (default 2). */
  checkSequences?: number;
  /** How to time; null: checks and generation only. */
  measure: MeasureOptions | null;
  /** The dense model's result (same architecture, same process) for the speedups. */
  dense?: LmKernelResult | null;
  /** The adapter's name, recorded in the result. */
  device?: string;
  /** Seed of the rows sampled by the linear checks (default 1). */
  seed?: number;
}

function timing(t: TimeSummary, sentinel: SentinelFigures | null = null): LmTiming {
  return {
    medianMs: t.median,
    ciMs: [t.ci.lo, t.ci.hi],
    noise: t.noise,
    samples: t.n,
    ...(sentinel ? { sentinel } : {}),
  };
}

/** Dispatches a workload records (counted through a stand-in pass). */
function countDispatches(w: Workload): number {
  let n = 0;
  const pass = {
    setPipeline() {},
    setBindGroup() {},
    dispatchWorkgroups() {
      n++;
    },
    dispatchWorkgroupsIndirect() {
      n++;
    },
  } as unknown as GPUComputePassEncoder;
  w.dispatch(pass);
  return n;
}

/** Checks: linears, logits vs CPU, the KV cache; returns the errors and the perplexities. */
async function check(lm: LmGpu, model: ModelExport, seqs: Int32Array, len: number, o: {
  checkCount: number;
  seed: number;
}) {
  const v = lm.config.vocab;
  const count = Math.floor(seqs.length / len);
  let logitsMax = 0;
  let cacheMax = 0;
  let checks: LinearCheck[] = [];
  const all = new Float32Array(count * len * v);
  const targets = new Int32Array(count * len).fill(-1);
  let cpuCe = 0;
  for (let s = 0; s < count; s++) {
    const ids = seqs.subarray(s * len, (s + 1) * len);
    for (let i = 0; i + 1 < len; i++) targets[s * len + i] = ids[i + 1]!;
    if (s === 0) {
      const r = await lm.prefillChecked(ids, o.seed);
      checks = r.checks;
      all.set(r.logits, 0);
    } else all.set(await lm.prefill(ids), s * len * v);
    const logits = all.subarray(s * len * v, (s + 1) * len * v);
    if (s < o.checkCount) {
      const cpu = lmForwardCpu(model, ids, 1, len);
      logitsMax = Math.max(logitsMax, compareOutputs(logits, cpu).relError);
      if (len > 1) cpuCe += crossEntropy(cpu, targets.subarray(s * len, (s + 1) * len), v);
    }
    if (s === 0 && len > 1) {
      const half = Math.max(1, Math.floor(len / 2));
      await lm.prefill(ids.subarray(0, half));
      for (let i = half; i < len; i++) {
        const step = await lm.decodeStep(ids[i]!);
        const ref = logits.subarray(i * v, (i + 1) * v);
        cacheMax = Math.max(cacheMax, compareOutputs(step, ref).relError);
      }
    }
  }
  const checkedCount = Math.min(o.checkCount, count);
  return {
    checks,
    logitsMax,
    cacheMax,
    kernelPpl: len > 1 ? Math.exp(crossEntropy(all, targets, v)) : null,
    cpuPpl: len > 1 && checkedCount > 0 ? Math.exp(cpuCe / checkedCount) : null,
  };
}

/**
 * Checks, generates with and times an LM export through the kernels (see the module doc).
 * Throws a one-line error when a linear's kernel output, the logits or the KV cache is off its
 * tolerance: no speed is reported for a wrong computation.
 *
 * @example
 * ```ts ignore
 * const dense = await lmOnKernels(env, denseModel, { prompt, tokens: 64, measure: DEFAULT_MEASURE });
 * const int4 = await lmOnKernels(env, int4Model, { prompt, tokens: 64, measure: DEFAULT_MEASURE, dense });
 * console.log(int4.decodeSpeedupVsDense, int4.outsideLinearsShare);
 * ```
 */
export async function lmOnKernels(
  env: GpuEnv,
  model: ModelExport,
  opts: LmKernelOptions,
): Promise<LmKernelResult> {
  const dtype = opts.dtype ?? "f32";
  const lm = await buildLmGpu(env, model, opts);
  try {
    const c = lm.config;
    const { prompt } = opts;
    if (prompt.length >= c.ctx) {
      throw new RangeError(`prompt: must hold 1…${c.ctx - 1} ids (ctx − 1), got ${prompt.length}`);
    }
    // Greedy generation of the fixed prompt (prompt ids are validated here).
    const gen = await lm.generate(prompt, opts.tokens);
    let seqs: Int32Array;
    let len: number;
    if (opts.sequences) {
      len = opts.len ?? 0;
      if (!(Number.isInteger(len) && len >= 1 && len <= c.ctx)) {
        throw new RangeError(`len: must be an integer in 1…${c.ctx} (ctx), got ${opts.len}`);
      }
      if (opts.sequences.length < len) {
        throw new RangeError(`sequences: ${opts.sequences.length} ids hold no sequence of ${len}`);
      }
      seqs = opts.sequences;
    } else {
      seqs = Int32Array.from([...prompt, ...gen.ids]);
      len = seqs.length;
    }
    const ck = await check(lm, model, seqs, len, {
      checkCount: opts.checkSequences ?? 2,
      seed: opts.seed ?? 1,
    });
    const bad = ck.checks.find((x) => !x.ok);
    if (bad) {
      throw new Error(
        `lm kernels: layer ${bad.layer} (${bad.op}) output is off its f64 reference by ` +
          `${bad.relError.toExponential(2)} > ${bad.tolerance.toExponential(1)}`,
      );
    }
    const tol = lmTolerances(model, dtype);
    const logitsTol = tol.logits;
    if (!(ck.logitsMax <= logitsTol)) {
      throw new Error(
        `lm kernels: logits are off lmForwardCpu by ${
          ck.logitsMax.toExponential(2)
        } > ${logitsTol}`,
      );
    }
    const cacheTol = tol.cache;
    if (!(ck.cacheMax <= cacheTol)) {
      throw new Error(
        `lm kernels: decode-step logits are off the prefill's by ${
          ck.cacheMax.toExponential(2)
        } > ${cacheTol} (KV cache)`,
      );
    }
    const worst = ck.checks.reduce<LinearCheck | null>(
      (w, x) => (w === null || x.relError / x.tolerance > w.relError / w.tolerance ? x : w),
      null,
    );
    const steps = Math.min(opts.tokens, c.ctx - prompt.length);
    const result: LmKernelResult = {
      device: opts.device ?? "unknown",
      dtype,
      method: "not timed",
      logitsMaxRelErr: ck.logitsMax,
      logitsTolerance: logitsTol,
      checked: true,
      worstCheck: worst &&
        { layer: worst.layer, op: worst.op, relError: worst.relError, tolerance: worst.tolerance },
      cacheMaxRelErr: ck.cacheMax,
      cacheConsistent: true,
      kernelPerplexity: ck.kernelPpl,
      cpuPerplexity: ck.cpuPpl,
      promptIds: [...prompt],
      generatedIds: [...gen.ids],
      stoppedAtCtx: gen.stoppedAtCtx,
      decodeSteps: steps,
      dispatchesPerToken: countDispatches({
        label: "",
        dispatch: (p) => {
          for (const s of lm.decode.steps) s.dispatch(p);
        },
      }),
      prefillTokensPerS: null,
      decodeTokensPerS: null,
      outsideLinearsShare: null,
      prefillSpeedupVsDense: null,
      decodeSpeedupVsDense: null,
      prefill: null,
      decode: null,
      decodeLinears: null,
      decodeOther: null,
      generateWall: null,
    };
    if (!opts.measure || steps < 1) return result;
    const m = opts.measure;
    const target = { device: env.device, features: env.features };
    // Every timing between sentinel readings, re-measured when the GPU's speed moved (so decode
    // and its linears and other kernels, whose ratio is the share outside the linears, are each
    // held to the same reference).
    await lm.generate(prompt, steps); // the cache and ids hold the prompt's state again
    const guardedPrefill = await measureGuarded(target, await lm.prefillWorkload(prompt.length), m);
    const prefill = guardedPrefill.time;
    const guardedDecode = await measureGuarded(
      target,
      await lm.decodeWorkload(prompt.length, steps),
      m,
    );
    const decode = guardedDecode.time;
    const linears = (await measureGuarded(
      target,
      await lm.decodeWorkload(prompt.length, steps, "linear"),
      m,
    )).time;
    const wall = await measureSubmitted(
      `lm generate ${steps}`,
      async () => void await lm.generate(prompt, steps),
      m,
    );
    // Last: with the linears left out, the small kernels run on stale values.
    const other = (await measureGuarded(
      target,
      await lm.decodeWorkload(prompt.length, steps, "other"),
      m,
    )).time;
    result.method = decode.method;
    result.prefill = timing(prefill, guardedPrefill.sentinel);
    result.decode = timing(decode, guardedDecode.sentinel);
    result.decodeLinears = timing(linears);
    result.decodeOther = timing(other);
    result.generateWall = timing(wall);
    result.prefillTokensPerS = (1000 * prompt.length) / prefill.median;
    result.decodeTokensPerS = (1000 * steps) / decode.median;
    result.outsideLinearsShare = 1 - linears.median / decode.median;
    const d = opts.dense;
    if (d?.prefillTokensPerS && d.decodeTokensPerS) {
      result.prefillSpeedupVsDense = result.prefillTokensPerS / d.prefillTokensPerS;
      result.decodeSpeedupVsDense = result.decodeTokensPerS / d.decodeTokensPerS;
    }
    return result;
  } finally {
    lm.destroy();
  }
}
