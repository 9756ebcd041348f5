/**
 * What the stages of a case share: the run's environment, the case, its result as it fills in,
 * the stage running (named in a failure's reason) and the case's work model.
 *
 * @module
 */

import type { GpuContext } from "../../gpu/adapter.ts";
import type { PipelineCache } from "../../gpu/pipeline_cache.ts";
import type { KernelPlan, WorkModel } from "../../kernel.ts";
import type { SentinelLog, SentinelOptions, SentinelProbe } from "../../measure/sentinel.ts";
import type { Workload } from "../../measure/workload.ts";
import type { Case } from "../../suite/expand.ts";
import type { Suite } from "../../suite/schema.ts";
import type { CaseResult, Peaks } from "../../types.ts";
import type { DataCache } from "../data_cache.ts";
import type { TuneCache } from "../../tune/cache.ts";

/** The run's tuning state: the mode, the cache (shared by every case) and where it is saved. */
export interface TuningEnv {
  /** `cached`: use cached choices; `full`: time the candidates of every case and cache them. */
  mode: "cached" | "full";
  /** The choices, loaded at the start of the run and updated by `full`. */
  cache: TuneCache;
  /** The adapter-and-tool key of this run (see `adapterToolKey`). */
  adapterKey: string;
  /** The cache file; null: not saved. */
  file: string | null;
}

/** State shared by the cases of a run. */
export interface CaseEnv {
  /** The run's adapter and device. */
  gpu: GpuContext;
  /** The run's pipeline cache. */
  pipelines: PipelineCache;
  /** The suite being run. */
  suite: Suite;
  /** The device's measured peaks; null when not measured. */
  peaks: Peaks | null;
  /** The L2 flush run between samples when `l2` is `cold`; undefined when warm. */
  flush: Workload | undefined;
  /** Inputs of the current shape (generated once per shape). */
  data: DataCache;
  /** Offline preparations, keyed by kernel, prepare key, shape and dtype. */
  prepared: Map<string, { value: unknown; ms: number }>;
  /** Measured tuning (docs/tuning.md); absent: off. */
  tuning?: TuningEnv;
  /** The measurement sentinel timed around each case; absent: none. */
  sentinel?: { probe: SentinelProbe; log: SentinelLog; options: SentinelOptions };
}

/** One case on its way through the stages. */
export interface CaseContext {
  /** The run's shared state. */
  readonly env: CaseEnv;
  /** The case; the tune stage replaces its `tune` and `config` with the tuner's choice. */
  c: Case;
  /** The result, filled in stage by stage; `skipped` with no reason until a stage decides. */
  readonly result: CaseResult;
  /** The stage running, named in the reason when the case fails. */
  stage: string;
  /** FLOPs and bytes: from the shape first, from the preparation once prepared. */
  work: WorkModel;
  /** The case's plan once made; destroyed when the case ends. */
  plan: KernelPlan | null;
}

/** Copies a work model's counts into the result. */
export function recordWork(ctx: CaseContext, work: WorkModel): void {
  ctx.work = work;
  ctx.result.flops = work.flops;
  ctx.result.bytes = work.bytes;
  ctx.result.paramsStored = work.paramsStored;
  ctx.result.storedBytes = work.storedBytes;
}

/** A fresh context for case `c`: an empty (skipped, no reason) result and no work yet. */
export function newCaseContext(env: CaseEnv, c: Case): CaseContext {
  const { suite } = env;
  const { m, k, n } = c.shape;
  const flops = { total: 0, core: 0, overhead: 0 };
  return {
    env,
    c,
    stage: "admit",
    work: { flops, bytes: 0, paramsStored: 0, storedBytes: 0 },
    plan: null,
    result: {
      id: c.id,
      suite: suite.name,
      kernel: c.kernel.name,
      family: c.kernel.family,
      params: c.params,
      tune: c.tune,
      shape: c.shape,
      dtype: c.dtype,
      seed: suite.seed,
      status: "skipped",
      reason: null,
      flops,
      flopsDense: 2 * m * k * n,
      bytes: 0,
      paramsStored: 0,
      storedBytes: 0,
      time: null,
      throughput: null,
      batch: null,
      speedupVsDense: null,
      denseId: null,
      correctness: null,
      approximation: null,
      roofline: null,
      setup: null,
      notes: {},
    },
  };
}
