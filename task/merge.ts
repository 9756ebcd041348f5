/**
 * `task merge`: the results of several processes that each ran part of one task suite (`--seeds`,
 * `--only`, task/select.ts) combined into one run: every variant's per-seed values put together
 * in the suite's seed order and their mean, spread, loss curve and kernel-path summary computed
 * again over all seeds.
 *
 * Refused, with a one-line error naming the file and field: results of different suites (name or
 * fingerprint), datasets, training backends, schema versions or kernel dtypes; two files holding
 * the same (variant, seed) or selecting it; and one variant whose model or operator differs
 * between files. A (variant, seed) the suite expects and no file holds, not even as a failure or
 * a skip, becomes a failure of the merged run ("no result"), so a shard that was killed or crashed
 * shows in the report.
 *
 * Latency measured inside shards is dropped: shards that share a GPU cannot time it fairly. The
 * merged run is timed afterwards by `task latency` (task/latency_pass.ts).
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { seedStats } from "./seed_stats.ts";
import { variantIds } from "./select.ts";
import type { TaskSuite } from "./suite.ts";
import type {
  LossSummary,
  SeedStats,
  TaskFailure,
  TaskResults,
  TaskShardInfo,
  TaskVariantResult,
} from "./types.ts";
import type { KernelPathResult } from "./kernel_path.ts";

/**
 * Variant fields the merge copies (the same in every file), takes from the first seed's model
 * (`flops`, `params`: INT8's outlier path depends on the trained weights) or recomputes over all
 * seeds.
 */
const MERGED_FIELDS = [
  "id",
  "model",
  "config",
  "experiment",
  "variant",
  "operator",
  "metric",
  "seeds",
  "value",
  "loss",
  "trainMs",
  "flops",
  "params",
  "exports",
];

/** A refused merge: names the file and field. */
export class TaskMergeError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TaskMergeError";
  }
}

/** One input of {@link mergeTaskResults}: a results file and its parsed content. */
export interface MergeInput {
  /** Path of the results.json (exports are relative to its folder). */
  file: string;
  results: TaskResults;
}

/** Options of {@link mergeTaskResults}. */
export interface MergeOptions {
  /** Folder the merged results.json is written to (export paths are made relative to it). */
  outDir: string;
  /** The suite file, parsed, with its fingerprint: checked, and it says what is expected. */
  suite?: { suite: TaskSuite; hash: string; file: string };
}

/** One (variant, seed) of one input. */
interface SeedEntry {
  seed: number;
  file: string;
  value: number;
  before?: number;
  cpuTop1?: number;
  kernelTop1?: number;
  trainMs: number;
  exportPath: string;
  logitsRelError?: number;
}

function key(id: string, seed: number): string {
  return `${id}\u0000${seed}`;
}

function seedsOf(r: TaskResults, v: TaskVariantResult, file: string, i: number): number[] {
  const seeds = v.seeds ??
    (v.value.values.length === r.seeds.length ? r.seeds : undefined);
  if (!seeds || seeds.length !== v.value.values.length) {
    throw new TaskMergeError(
      `${file}: variants[${i}].seeds: missing or not one per value (cannot tell which seed each value is)`,
    );
  }
  return seeds;
}

function statsIn(s: SeedStats | undefined, at: number): number | undefined {
  return s?.values[at];
}

/**
 * The loss summary of several parts of one variant (each the mean curve of its seeds), weighted
 * by their seed counts: the curve and its first and last points are exact (means of means of the
 * same windows); `min` is the smallest point of the merged curve.
 */
function lossSummaryMerge(parts: { loss: LossSummary; weight: number }[]): LossSummary {
  const ref = parts[0]!.loss;
  const n = parts.reduce((a, p) => a + p.weight, 0);
  const mean = (f: (l: LossSummary) => number) =>
    parts.reduce((a, p) => a + f(p.loss) * p.weight, 0) / n;
  const len = Math.min(...parts.map((p) => p.loss.curve.length));
  const curve = Array.from({ length: len }, (_, i) => mean((l) => l.curve[i]!));
  if (parts.length === 1) return ref;
  return {
    first: mean((l) => l.first),
    last: mean((l) => l.last),
    min: Math.min(...curve),
    every: ref.every,
    steps: ref.steps,
    curve,
  };
}

function worse(
  a: KernelPathResult["worstCheck"],
  b: KernelPathResult["worstCheck"],
): KernelPathResult["worstCheck"] {
  if (!a) return b;
  if (!b) return a;
  return b.relError / b.tolerance > a.relError / a.tolerance ? b : a;
}

/**
 * Merges shard results (see the module doc). Returns the merged results and warnings (one line
 * each); throws {@link TaskMergeError} on a refusal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardRun } from "../tests/fixtures/task_shards.ts";
 * const { results } = mergeTaskResults([
 *   { file: "a/results.json", results: shardRun([1], { top1: 97 }) },
 *   { file: "b/results.json", results: shardRun([2], { top1: 99 }) },
 * ], { outDir: "." });
 * const dense = results.variants.find((v) => v.id === "mlp/scratch/dense")!;
 * assert.deepEqual(dense.value.values, [97, 99]);
 * assert.equal(dense.value.mean, 98);
 * assert.deepEqual(dense.seeds, [1, 2]);
 * assert.throws(() => mergeTaskResults([
 *   { file: "a/results.json", results: shardRun([1], { top1: 97 }) },
 *   { file: "c/results.json", results: { ...shardRun([2], { top1: 99 }), suiteHash: "0000000000000000" } },
 * ], { outDir: "." }), /c\/results.json: suiteHash: "0000000000000000" differs/);
 * ```
 */
export function mergeTaskResults(
  inputs: MergeInput[],
  o: MergeOptions,
): { results: TaskResults; warnings: string[] } {
  if (inputs.length === 0) throw new TaskMergeError("task merge: no results to merge");
  const warnings: string[] = [];
  const first = inputs[0]!;
  const ref = first.results;
  for (const { file, results: r } of inputs) {
    if (r.kind !== "task") {
      throw new TaskMergeError(`${file}: kind: must be "task" (a task run); got ${r.kind}`);
    }
    const same = (field: string, a: unknown, b: unknown) => {
      if (!isDeepStrictEqual(a, b)) {
        throw new TaskMergeError(
          `${file}: ${field}: ${JSON.stringify(a)} differs from ${first.file}'s ${
            JSON.stringify(b)
          } (not shards of one run)`,
        );
      }
    };
    same("schemaVersion", r.schemaVersion, ref.schemaVersion);
    same("suite", r.suite, ref.suite);
    if (!r.suiteHash) {
      throw new TaskMergeError(
        `${file}: suiteHash: missing (a run without a suite fingerprint cannot be merged)`,
      );
    }
    same("suiteHash", r.suiteHash, ref.suiteHash);
    same("dataset", r.dataset, ref.dataset);
    same("backend", r.backend, ref.backend);
  }
  if (o.suite) {
    if (o.suite.suite.name !== ref.suite || o.suite.hash !== ref.suiteHash) {
      throw new TaskMergeError(
        `${first.file}: suiteHash: ${ref.suite} ${ref.suiteHash} is not ${o.suite.file} (${o.suite.suite.name} ${o.suite.hash}): the suite changed since the shards ran`,
      );
    }
  }
  // The suite's seeds in its order, then any other seed a shard ran (the fingerprint leaves the
  // seeds list out, so a shard may come from the same suite with other seeds), in number order.
  const shardSeeds = [...new Set(inputs.flatMap((i) => i.results.seeds))].sort((a, b) => a - b);
  const suiteSeeds = o.suite?.suite.seeds ?? [];
  const seedOrder = [...suiteSeeds, ...shardSeeds.filter((s) => !suiteSeeds.includes(s))];
  const rank = (s: number) => seedOrder.indexOf(s);

  // Which file selected (and so owns) each (variant, seed).
  const owner = new Map<string, string>();
  for (const { file, results: r } of inputs) {
    const ids = r.selection?.variants ?? (o.suite ? variantIds(o.suite.suite) : null);
    if (!ids) continue;
    for (const s of r.seeds) {
      for (const id of ids) {
        const k = key(id, s);
        const prev = owner.get(k);
        if (prev !== undefined) {
          throw new TaskMergeError(
            `${file}: selection: ${id} seed ${s} is also selected by ${prev} (shards must not overlap)`,
          );
        }
        owner.set(k, file);
      }
    }
  }

  const order: string[] = o.suite ? variantIds(o.suite.suite) : [];
  const base = new Map<string, TaskVariantResult>();
  const entries = new Map<string, SeedEntry[]>();
  const parts = new Map<string, { file: string; v: TaskVariantResult }[]>();
  const seen = new Map<string, string>();
  const shards: TaskShardInfo[] = [];
  let latencyDropped = false;
  for (const { file, results: r } of inputs) {
    const dir = dirname(file);
    let count = 0;
    r.variants.forEach((v, i) => {
      const seeds = seedsOf(r, v, file, i);
      const b = base.get(v.id);
      if (!b) {
        base.set(v.id, v);
        if (!order.includes(v.id)) order.push(v.id);
      } else {
        // flops and params are counted on a seed's model and may differ between seeds (INT8's
        // outlier dimensions are the trained weights' own); the definition may not.
        for (const f of ["model", "experiment", "config", "operator"] as const) {
          if (!isDeepStrictEqual(v[f], b[f])) {
            throw new TaskMergeError(
              `${file}: variants[${i}].${f}: differs from another file's ${v.id} (not shards of one run)`,
            );
          }
        }
        const kb = parts.get(v.id)![0]!;
        if ((v.kernel === undefined) !== (kb.v.kernel === undefined)) {
          throw new TaskMergeError(
            `${file}: variants[${i}].kernel: the kernel path ran for ${v.id} in ${
              v.kernel ? file : kb.file
            } but not in ${
              v.kernel ? kb.file : file
            } (run every shard with or without --no-kernels)`,
          );
        }
        if (v.kernel && kb.v.kernel && v.kernel.dtype !== kb.v.kernel.dtype) {
          throw new TaskMergeError(
            `${file}: variants[${i}].kernel.dtype: ${v.kernel.dtype} differs from ${kb.file}'s ${kb.v.kernel.dtype}`,
          );
        }
      }
      parts.set(v.id, [...(parts.get(v.id) ?? []), { file, v }]);
      if ((v.kernel?.latency.length ?? 0) > 0) latencyDropped = true;
      const list = entries.get(v.id) ?? [];
      seeds.forEach((seed, at) => {
        const k = key(v.id, seed);
        if (seen.has(k)) {
          throw new TaskMergeError(
            `${file}: variants[${i}]: ${v.id} seed ${seed} is also in ${seen.get(k)}`,
          );
        }
        seen.set(k, file);
        count++;
        const e: SeedEntry = {
          seed,
          file,
          value: v.value.values[at]!,
          trainMs: v.trainMs.values[at]!,
          exportPath: relative(o.outDir, join(dir, v.exports[at]!)),
        };
        const before = statsIn(v.before, at);
        if (before !== undefined) e.before = before;
        const cpu = statsIn(v.cpuTop1, at);
        if (cpu !== undefined) e.cpuTop1 = cpu;
        const kt = v.kernel?.top1[at];
        if (kt !== undefined) e.kernelTop1 = kt;
        const le = v.kernel?.logitsRelError[at];
        if (le !== undefined) e.logitsRelError = le;
        list.push(e);
      });
      entries.set(v.id, list);
    });
    shards.push({
      file,
      seeds: r.seeds,
      only: r.selection?.only ?? null,
      variants: count,
      failures: r.failures.length,
      skipped: r.skipped.length,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? null,
    });
    if (!r.finishedAt) warnings.push(`${file}: did not finish (its finished work is merged)`);
  }
  if (latencyDropped) {
    warnings.push(
      "latency measured inside shards is dropped (shards share the GPU): time the merged run with `task latency`",
    );
  }

  const variants: TaskVariantResult[] = [];
  for (const id of order) {
    const b = base.get(id);
    if (!b) continue;
    const list = entries.get(id)!.sort((x, y) => rank(x.seed) - rank(y.seed) || x.seed - y.seed);
    const ps = parts.get(id)!;
    // Counts come from the file that holds the first seed (the model the latency pass times).
    const lead = (ps.find((p) => p.file === list[0]!.file) ?? ps[0]!).v;
    // Fields the merge does not know are kept from the first file that has the variant.
    const known = new Set([...MERGED_FIELDS, "before", "cpuTop1", "kernelTop1", "kernel"]);
    const extra = Object.fromEntries(Object.entries(b).filter(([k]) => !known.has(k)));
    if (ps.length > 1) {
      for (const k of Object.keys(extra)) {
        warnings.push(`${id}: ${k} kept from ${ps[0]!.file} only (task merge cannot combine it)`);
      }
    }
    const v: TaskVariantResult = {
      ...extra,
      id,
      model: b.model,
      config: b.config,
      experiment: b.experiment,
      variant: b.variant,
      operator: b.operator,
      metric: b.metric,
      seeds: list.map((e) => e.seed),
      value: seedStats(list.map((e) => e.value)),
      loss: lossSummaryMerge(ps.map((p) => ({ loss: p.v.loss, weight: p.v.value.values.length }))),
      trainMs: seedStats(list.map((e) => e.trainMs)),
      flops: lead.flops,
      params: lead.params,
      exports: list.map((e) => e.exportPath),
    };
    if (list.every((e) => e.before !== undefined)) v.before = seedStats(list.map((e) => e.before!));
    if (list.every((e) => e.cpuTop1 !== undefined)) {
      v.cpuTop1 = seedStats(list.map((e) => e.cpuTop1!));
    }
    if (b.kernel && list.every((e) => e.kernelTop1 !== undefined)) {
      const k = ps.map((p) => p.v.kernel!);
      const top1 = list.map((e) => e.kernelTop1!);
      v.kernelTop1 = seedStats(top1);
      const devices = [...new Set(k.map((x) => x.device))];
      if (devices.length > 1) {
        warnings.push(`${id}: scored through the kernels on ${devices.join(" and ")}`);
      }
      v.kernel = {
        device: devices.join(" + "),
        dtype: b.kernel.dtype,
        method: "not timed",
        top1,
        maxTop1Gap: Math.max(...list.map((e) => Math.abs(e.kernelTop1! - e.value))),
        logitsRelError: list.map((e) => e.logitsRelError ?? NaN),
        worstCheck: k.reduce<KernelPathResult["worstCheck"]>(
          (w, x) => worse(w, x.worstCheck),
          null,
        ),
        checked: k.every((x) => x.checked),
        latency: [],
      };
    }
    variants.push(v);
  }

  const failures: TaskFailure[] = inputs.flatMap((i) => i.results.failures);
  const skipped = inputs.flatMap((i) => i.results.skipped);
  const accounted = new Set([...seen.keys(), ...failures.map((f) => key(f.id, f.seed))]);
  for (const s of skipped) accounted.add(key(s.id, s.seed));
  // Expected: every (variant, seed) of the suite's seeds, and whatever a shard selected.
  const expected = new Map<string, { id: string; seed: number }>();
  if (o.suite) {
    for (const seed of suiteSeeds) {
      for (const id of variantIds(o.suite.suite)) expected.set(key(id, seed), { id, seed });
    }
  }
  for (const k of owner.keys()) {
    const [id, seed] = k.split("\u0000");
    if (!expected.has(k)) expected.set(k, { id: id!, seed: Number(seed) });
  }
  for (const { id, seed } of expected.values()) {
    if (accounted.has(key(id, seed))) continue;
    const by = owner.get(key(id, seed));
    failures.push({
      id,
      seed,
      error: by
        ? `no result: ${by} selected it but did not finish it (killed or crashed)`
        : "no result: no merged file selected it",
    });
  }
  const seeds = seedOrder.filter((s) => inputs.some((i) => i.results.seeds.includes(s)));
  const started = inputs.map((i) => i.results.startedAt).sort()[0]!;
  const finished = inputs.every((i) => i.results.finishedAt)
    ? inputs.map((i) => i.results.finishedAt!).sort().at(-1)!
    : undefined;
  const results: TaskResults = {
    schemaVersion: ref.schemaVersion,
    kind: "task",
    suite: ref.suite,
    suiteHash: ref.suiteHash!,
    dataset: ref.dataset,
    backend: ref.backend,
    seeds,
    startedAt: started,
    variants,
    failures,
    skipped,
    shards,
  };
  if (finished) results.finishedAt = finished;
  return { results, warnings };
}
