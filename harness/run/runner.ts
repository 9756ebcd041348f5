/**
 * The runner: a validated suite in, results out (and on disk, incrementally).
 *
 * @module
 */

import { join } from "node:path";
import { assignSpeedups } from "../analyze/speedup.ts";
import { type AdapterRequirement, BackendRefusedError, glWarning } from "../gpu/environment.ts";
import { escapeControl } from "../cli_args.ts";
import { acquireGpu, type AdapterChoice, type GpuContext, releaseGpu } from "../gpu/adapter.ts";
import { measurePeaks } from "../measure/peaks.ts";
import { PipelineCache } from "../gpu/pipeline_cache.ts";
import type { KernelDescriptor } from "../kernel.ts";
import { coldFlushBytes } from "../measure/cold.ts";
import { readGpuClocks } from "../measure/clocks.ts";
import { createFlushWorkload } from "../measure/flush.ts";
import {
  createGpuSentinel,
  DEFAULT_SENTINEL,
  SentinelLog,
  type SentinelProbe,
} from "../measure/sentinel.ts";
import type { Workload } from "../measure/workload.ts";
import { ResultsWriter, writeReports } from "../report/write.ts";
import { type Case, expandCases } from "../suite/expand.ts";
import type { Suite } from "../suite/schema.ts";
import { selectShard, type Shard } from "../shard.ts";
import { type CaseResult, type RunResults, type RunTotals, SCHEMA_VERSION } from "../types.ts";
import { type CaseEnv, DataCache, runCase } from "./case.ts";
import { buildMeta } from "./meta.ts";
import { type PeerName, peerShapes } from "./peers.ts";
import { runPeers } from "./peer_run.ts";
import type { TuningEnv } from "./stages/context.ts";
import {
  adapterToolKey,
  emptyTuneCache,
  loadTuneCache,
  saveTuneCache,
  type TuneCache,
} from "../tune/cache.ts";
import { Progress } from "./progress.ts";
import type { SignalGuard } from "./signals.ts";

/**
 * Options of {@link runSuite}.
 *
 * @example
 * ```ts ignore
 * const opts: RunOptions = { suite, registry: builtinKernels, outDir: "reports/mine" };
 * ```
 */
export interface RunOptions {
  /** The validated suite to run. */
  suite: Suite;
  /** The kernels its entries name. */
  registry: readonly KernelDescriptor[];
  /** Keep only cases whose id contains this text (case-insensitive). */
  filter?: string | null;
  /** Adapter to ask for when `gpu` is not given. */
  adapter?: AdapterChoice;
  /** An already acquired device (reused, not destroyed). */
  gpu?: GpuContext;
  /** Directory for results.json, summary.md and report.html; null writes nothing. */
  outDir?: string | null;
  /** Measure device peaks first (default true). */
  peaks?: boolean;
  /** Suppress progress output. */
  quiet?: boolean;
  /** Called after each case with the case and the results so far. */
  onResult?: (result: CaseResult, results: RunResults) => void;
  /** Stop after the current case when aborted; the results so far are returned and written. */
  signal?: AbortSignal;
  /** Run only this shard of the suite's cases (see `selectShard`); null: all. */
  shard?: Shard | null;
  /**
   * The command line's signal handlers (installed before this call): the runner hands them what
   * to save, the results so far, from the moment the output folder exists.
   */
  signals?: SignalGuard;
  /**
   * Called once all cases ran (not after an interruption): the ids it returns are measured once
   * more, the new figures recorded as `time.confirm` (the gate's confirmation).
   */
  confirm?: (results: RunResults) => string[];
  /** The cases, already expanded from `suite` (with `filter`); expanded here when absent. */
  cases?: Case[];
  /** Write every shader compiled into this directory as `<label>.<hash>.wgsl`; null: none. */
  dumpWgslDir?: string | null;
  /** `vulkan`: refuse the GL fallback; `any`: accept it; `warn` (default): accept it with a
   * warning. */
  requireAdapter?: AdapterRequirement;
  /**
   * Time the measurement sentinel around each case: `true` (default) the built-in reference
   * workload, a probe of your own instead of it (its readings are the run's reference, and its
   * `settle` primes the clocks), or `false` for none.
   */
  sentinel?: boolean | SentinelProbe;
  /**
   * Measured tuning (docs/tuning.md): `off` (default here; the bench's default is `cached`) runs
   * the shipped defaults; `cached` uses the cache file's choices; `full` times every kernel's
   * candidates and writes the file. `cache`: an already loaded cache (else `file` is read).
   */
  tune?: { mode: "off" | "cached" | "full"; file: string | null; cache?: TuneCache };
  /**
   * WebGPU peers to run after the cases on the same device (`tfjs`: `tf.matMul`), recorded in
   * `meta.anchors` as `webgpu-peer` entries; a peer that fails is recorded, never fatal.
   */
  peers?: readonly PeerName[];
}

/** Counts statuses; `pending` is what has not run yet. */
export function countTotals(results: CaseResult[], cases: number): RunTotals {
  const t: RunTotals = { cases, ok: 0, failed: 0, skipped: 0, pending: 0 };
  for (const r of results) t[r.status]++;
  t.pending = cases - results.length;
  return t;
}

/**
 * Runs a suite. Cases are expanded (and checked) before any GPU work; each case is isolated: a
 * failure or skip is recorded and the run goes on; a lost device is re-acquired.
 *
 * @example
 * ```ts ignore
 * import { builtinKernels, loadSuite, runSuite } from "./mod.ts";
 * const suite = await loadSuite("smoke", builtinKernels);
 * const results = await runSuite({ suite, registry: builtinKernels, outDir: null });
 * console.log(results.totals);
 * ```
 */
export async function runSuite(opts: RunOptions): Promise<RunResults> {
  const { suite, registry } = opts;
  const filter = opts.filter ?? null;
  const expanded: Case[] = opts.cases ?? expandCases(suite, registry, filter);
  const cases = opts.shard ? selectShard(expanded, opts.shard) : expanded;
  const progress = new Progress(cases.length, opts.quiet ?? false);
  let gpu = opts.gpu ?? await acquireGpu(opts.adapter ?? "high-performance");
  const ownGpu = opts.gpu === undefined;
  const backend = gpu.info.backend;
  if (backend?.guess === "gl" && opts.requireAdapter === "vulkan") {
    if (ownGpu) await releaseGpu(gpu);
    throw new BackendRefusedError(backend.evidence);
  }
  progress.note(
    `tilebench: suite "${suite.name}", ${cases.length} case(s) on ${
      escapeControl(gpu.info.description || gpu.info.vendor)
    }` +
      `${gpu.info.isFallbackAdapter ? " (software/fallback adapter)" : ""}` +
      `${
        backend && backend.guess !== "other"
          ? `, ${backend.guess === "gl" ? "OpenGL" : "Vulkan"}`
          : ""
      }`,
  );
  const gl = backend && opts.requireAdapter !== "any" ? glWarning(backend) : null;
  if (gl) progress.note(`warning: ${gl}`);

  let peaks = null;
  if (opts.peaks ?? true) {
    try {
      peaks = await measurePeaks(
        gpu,
        gpu.info.isFallbackAdapter,
        suite.measure.method,
        suite.measure,
      );
      progress.note(
        `peaks: ${peaks.fmaTflops.toFixed(2)} TFLOP/s f32 FMA` +
          `${peaks.fmaF16Tflops ? `, ${peaks.fmaF16Tflops.toFixed(2)} f16` : ""}, ${
            peaks.copyGbps.toFixed(0)
          } GB/s copy`,
      );
    } catch (e) {
      progress.note(`peaks: not measured (${(e as Error).message})`);
    }
  }

  const results: RunResults = {
    schemaVersion: SCHEMA_VERSION,
    meta: {
      ...buildMeta(gpu, suite, filter, peaks),
      ...(opts.shard ? { shard: { ...opts.shard } } : {}),
    },
    totals: countTotals([], cases.length),
    results: [],
  };
  const tuneMode = opts.tune?.mode ?? "off";
  let tuning: TuningEnv | undefined;
  if (tuneMode !== "off") {
    const file = opts.tune?.file ?? null;
    const adapterKey = adapterToolKey(results.meta.adapter, results.meta.tool);
    const cache = opts.tune?.cache ?? (file ? await loadTuneCache(file) : emptyTuneCache());
    tuning = { mode: tuneMode, cache, adapterKey, file };
    results.meta.tune = { mode: tuneMode, file, adapterKey };
  } else results.meta.tune = { mode: "off", file: null, adapterKey: null };
  const outDir = opts.outDir ?? null;
  let writer: ResultsWriter | null = null;
  if (outDir) {
    Deno.mkdirSync(outDir, { recursive: true });
    writer = new ResultsWriter(join(outDir, "results.json"));
    writer.flush(results);
  }
  const isBaseline = (r: CaseResult) =>
    registry.find((k) => k.name === r.kernel)?.baseline === true;

  const signals = opts.signals ?? null;
  if (signals && writer && outDir) {
    const w = writer;
    const dir = outDir;
    signals.setSaver(() => {
      results.meta.interrupted = true;
      results.meta.complete = false;
      results.totals = countTotals(results.results, cases.length);
      try {
        writeReports(dir, results);
      } catch {
        w.flush(results); // the report could not be rendered: keep the results at least
      }
      return `${results.results.length} finished case(s) saved in ${w.path}`;
    });
  }

  const flushes: { destroy(): void }[] = [];
  const sentinelLog = new SentinelLog();
  const clocksStart = await readGpuClocks();
  if (clocksStart) results.meta.gpuClocks = { start: clocksStart, end: null };
  const newEnv = async (g: GpuContext): Promise<CaseEnv> => {
    let flush: Workload | undefined;
    if (suite.measure.l2 === "cold") {
      const f = await createFlushWorkload(
        g.device,
        coldFlushBytes(g.info.isFallbackAdapter, suite.measure),
      );
      flushes.push(f);
      flush = f;
    }
    let sentinel: CaseEnv["sentinel"];
    if (opts.sentinel !== false) {
      let probe: SentinelProbe;
      if (typeof opts.sentinel === "object") probe = opts.sentinel;
      else {
        const own = await createGpuSentinel(g, suite.measure.method);
        flushes.push(own);
        probe = own;
      }
      // Readings before the first case: the run's reference speed.
      for (let i = 0; i < 3; i++) sentinelLog.add(await probe.time());
      sentinel = { probe, log: sentinelLog, options: DEFAULT_SENTINEL };
    }
    return {
      gpu: g,
      sentinel,
      pipelines: new PipelineCache(g.device, { dumpDir: opts.dumpWgslDir ?? null }),
      suite,
      peaks,
      flush,
      data: new DataCache(),
      prepared: new Map(),
      tuning,
    };
  };
  let env = await newEnv(gpu);

  try {
    for (let i = 0; i < cases.length; i++) {
      if (opts.signal?.aborted) {
        results.meta.interrupted = true;
        break;
      }
      const c = cases[i]!;
      progress.start(i, c.id);
      const r = await runCase(env, c);
      results.results.push(r);
      assignSpeedups(results.results, isBaseline);
      results.totals = countTotals(results.results, cases.length);
      progress.done(i, r);
      writer?.update(results);
      if (tuning?.mode === "full" && tuning.file && r.tuneSource === "tuned") {
        await saveTuneCache(tuning.file, tuning.cache);
      }
      opts.onResult?.(r, results);
      if (gpu.isLost()) {
        progress.note(`device lost (${await gpu.lost}); acquiring a new one`);
        gpu = await acquireGpu(gpu.choice);
        env = await newEnv(gpu);
      }
    }
    const again = !results.meta.interrupted && opts.confirm ? opts.confirm(results) : [];
    // Re-measured cases run the choices just made, not a new tuning pass.
    if (tuning?.mode === "full") env.tuning = tuning = { ...tuning, mode: "cached" };
    if (again.length > 0) {
      progress.note(`re-measuring ${again.length} case(s) the gate found slower`);
    }
    for (const id of again) {
      if (opts.signal?.aborted) break;
      const c = cases.find((x) => x.id === id);
      const first = results.results.find((r) => r.id === id);
      if (!c || !first?.time) continue;
      const r = await runCase(env, c);
      if (r.status === "ok" && r.time) {
        first.time.confirm = { median: r.time.median, samples: r.time.samples };
        if (r.time.sentinel) first.time.confirm.sentinel = r.time.sentinel;
      }
      writer?.update(results);
    }
    const peerList = opts.peers ?? [];
    if (peerList.length > 0 && !results.meta.interrupted && !gpu.isLost()) {
      const shapes = peerShapes(cases);
      const nbitsShapes = peerShapes(cases.filter((c) => c.kernel.family === "int4"));
      progress.note(`webgpu peers ${peerList.join(", ")} on ${shapes.length} f32 shape(s)`);
      const data = env.data;
      await runPeers({
        gpu,
        suite,
        peers: peerList,
        shapes,
        nbitsShapes,
        inputs: (shape) => data.matrices(shape, suite),
        onAnchor: (entry) => {
          results.meta.anchors = [...(results.meta.anchors ?? []), entry];
          writer?.update(results);
        },
        note: (text) => progress.note(text),
        aborted: () => opts.signal?.aborted ?? false,
      });
      if (opts.signal?.aborted) results.meta.interrupted = true;
    }
  } finally {
    // Flush buffers (256 MiB by default) must not outlive the run on a caller's device.
    for (const f of flushes) f.destroy();
  }
  progress.end();
  if (results.meta.gpuClocks) results.meta.gpuClocks.end = await readGpuClocks();
  results.meta.finishedAt = new Date().toISOString();
  results.meta.complete = !results.meta.interrupted && results.results.length === cases.length;
  results.totals = countTotals(results.results, cases.length);
  if (outDir) {
    writeReports(outDir, results);
    signals?.setSaver(() => `the run had finished; its files in ${outDir} are complete`);
  }
  if (ownGpu) await releaseGpu(gpu);
  return results;
}
