/**
 * Runs a task suite: per seed (outermost, so a time limit leaves whole seeds of every model) and
 * model, trains the dense model and every scratch variant from
 * the same seeded initialisation with the same budget, then converts the trained dense model into
 * every `convert` variant, scores it, fine-tunes it for the same budget and scores it again.
 * Every trained variant is exported (a ModelExport file) and scored on the test split by tfjs
 * with its dataset's metric (task/task_data.ts: MNIST top-1, Brown validation perplexity);
 * `results.json` is rewritten after every (variant, seed), so a failure or an interruption never
 * loses finished work, and a failing (variant, seed) is recorded and the run goes on.
 *
 * @module
 */

import { join } from "node:path";
import { convertModel, randomExport } from "./convert.ts";
import type { ModelExport } from "./export.ts";
import { exportToJson } from "./export_file.ts";
import { modelCounts } from "./model/accounting.ts";
import { loadTaskData } from "./task_data.ts";
import { operatorLabel, type OperatorSpec } from "./operators.ts";
import { suiteHash, type TaskSelection, variantIds } from "./select.ts";
import type { TaskModel, TaskSuite } from "./suite.ts";
import { buildTfModel } from "./train/model.ts";
import { tf } from "./train/tf.ts";
import { type Budget, trainModel, type TrainRun } from "./train/train.ts";
import { seedStats } from "./seed_stats.ts";
import {
  type LossSummary,
  TASK_SCHEMA_VERSION,
  type TaskResults,
  type TaskVariantResult,
} from "./types.ts";

/** Added to a run's seed for its fine-tunes' own random stream (batch order, augmentation). */
const FINETUNE_SEED_OFFSET = 7919;

/**
 * The mean loss curve of several runs of the same length, merged to at most `points` points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = lossSummary([{ steps: 4, losses: [2, 1], lossEvery: 2, ms: 1 }, { steps: 4, losses: [4, 1], lossEvery: 2, ms: 1 }]);
 * assert.deepEqual(l.curve, [3, 1]);
 * assert.equal(l.first, 3);
 * ```
 */
export function lossSummary(runs: TrainRun[], points = 50): LossSummary {
  const len = Math.min(...runs.map((r) => r.losses.length));
  const mean = Array.from(
    { length: len },
    (_, i) => runs.reduce((a, r) => a + r.losses[i]!, 0) / runs.length,
  );
  const merge = Math.max(1, Math.ceil(len / points));
  const curve: number[] = [];
  for (let i = 0; i < len; i += merge) {
    const w = mean.slice(i, i + merge);
    curve.push(w.reduce((a, b) => a + b, 0) / w.length);
  }
  return {
    first: mean[0] ?? NaN,
    last: mean.at(-1) ?? NaN,
    min: Math.min(...mean),
    every: runs[0]!.lossEvery * merge,
    steps: runs[0]!.steps,
    curve,
  };
}

/** One (variant, seed) outcome. */
interface SeedRecord {
  seed: number;
  /** The metric after training (top-1 or perplexity). */
  value: number;
  before?: number;
  /** The metric through the CPU forward. */
  cpu?: number;
  run: TrainRun;
  exportPath: string;
  exported: ModelExport;
}

/**
 * Options of {@link runTask}.
 *
 * @example
 * ```ts ignore
 * const o: RunTaskOptions = { outDir: "out", backend: "wasm", log: console.log };
 * ```
 */
export interface RunTaskOptions {
  outDir: string;
  backend: string;
  log: (line: string) => void;
  /** performance.now() after which no new (variant, seed) starts; they are listed as skipped. */
  deadline?: number;
  /** Sees every trained variant's export (e.g. to score it through the kernels). */
  onExport?: (variant: TaskVariantResult, seed: number, m: ModelExport) => Promise<void> | void;
  /** The seeds and variants to run (task/select.ts); default: the whole suite. */
  selection?: TaskSelection;
  /**
   * The trained dense model of (model, seed), for fine-tune variants whose dense model this run
   * does not train (`--dense-from`, task/dense_from.ts); with `source`, the run it came from.
   */
  denseFrom?: {
    source: string;
    load: (model: string, seed: number) => Promise<ModelExport>;
  };
}

function slug(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").toLowerCase();
}

async function writeAtomic(path: string, text: string) {
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/**
 * Runs a validated task suite, writing `results.json` and `models/*.json` under `outDir`.
 *
 * @example
 * ```ts ignore
 * const results = await runTask(suite, { outDir: "out", backend: "wasm", log: console.log });
 * ```
 */
export async function runTask(suite: TaskSuite, o: RunTaskOptions): Promise<TaskResults> {
  const data = await loadTaskData(suite);
  await Deno.mkdir(join(o.outDir, "models"), { recursive: true });
  const selection = o.selection ??
    { seeds: suite.seeds, only: null, variants: variantIds(suite) };
  const chosen = new Set(selection.variants);
  const results: TaskResults = {
    schemaVersion: TASK_SCHEMA_VERSION,
    kind: "task",
    suite: suite.name,
    suiteHash: suiteHash(suite),
    dataset: data.dataset,
    backend: o.backend,
    seeds: selection.seeds,
    startedAt: new Date().toISOString(),
    variants: [],
    failures: [],
    skipped: [],
  };
  if (o.selection) results.selection = o.selection;
  if (o.denseFrom) results.denseFrom = o.denseFrom.source;
  const records = new Map<string, SeedRecord[]>();
  const save = () =>
    writeAtomic(join(o.outDir, "results.json"), JSON.stringify(results, null, 2) + "\n");

  const record = async (
    tm: TaskModel,
    experiment: "scratch" | "finetune",
    op: OperatorSpec,
    rec: SeedRecord,
  ) => {
    const label = operatorLabel(op);
    const id = `${tm.model}/${experiment}/${label}`;
    const list = records.get(id) ?? [];
    list.push(rec);
    records.set(id, list);
    // The first seed's model: its counts are the ones the latency pass times and the merge keeps.
    const counts = modelCounts(list[0]!.exported);
    const v: TaskVariantResult = {
      id,
      model: tm.model,
      config: rec.exported.config,
      experiment,
      variant: label,
      operator: op,
      metric: data.metric,
      seeds: list.map((r) => r.seed),
      value: seedStats(list.map((r) => r.value)),
      loss: lossSummary(list.map((r) => r.run)),
      trainMs: seedStats(list.map((r) => r.run.ms)),
      flops: counts.flops,
      params: counts.params,
      exports: list.map((r) => r.exportPath),
    };
    if (experiment === "finetune") v.before = seedStats(list.map((r) => r.before!));
    if (list.every((r) => r.cpu !== undefined)) {
      const cpu = seedStats(list.map((r) => r.cpu!));
      if (data.metric === "top1") v.cpuTop1 = cpu;
      else v.cpuValue = cpu;
    }
    const at = results.variants.findIndex((x) => x.id === id);
    if (at >= 0) results.variants[at] = { ...results.variants[at], ...v };
    else results.variants.push(v);
    const stored = results.variants.find((x) => x.id === id)!;
    if (o.onExport) await o.onExport(stored, rec.seed, rec.exported);
    await save();
  };

  const finish = async (
    tm: TaskModel,
    experiment: "scratch" | "finetune",
    op: OperatorSpec,
    seed: number,
    exported: ModelExport,
    run: TrainRun,
    before?: number,
  ) => {
    const label = operatorLabel(op);
    const file = `models/${tm.model}-${experiment}-${slug(label)}-s${seed}.json`;
    await Deno.writeTextFile(join(o.outDir, file), exportToJson(exported));
    const rec: SeedRecord = {
      seed,
      value: await data.score(exported),
      run,
      exportPath: file,
      exported,
    };
    if (before !== undefined) rec.before = before;
    if (suite.cpuCheck) {
      rec.cpu = data.cpuScore(exported);
    }
    o.log(
      `${tm.model} ${experiment} ${label} seed ${seed}: ${data.format(rec.value)}` +
        (before !== undefined ? ` (before fine-tune ${data.format(before)})` : "") +
        ` in ${(run.ms / 1000).toFixed(1)} s`,
    );
    await record(tm, experiment, op, rec);
  };

  const guarded = async (id: string, seed: number, f: () => Promise<void>) => {
    if (o.deadline !== undefined && performance.now() > o.deadline) {
      results.skipped.push({ id, seed });
      await save();
      return;
    }
    try {
      await f();
    } catch (e) {
      const error = (e as Error).message.split("\n")[0]!;
      o.log(`FAILED ${id} seed ${seed}: ${error}`);
      results.failures.push({ id, seed, error });
      await save();
    }
  };

  /**
   * Fine-tunes a converted model of the run's `seed`: 2:4 masks stay fixed, INT4 trains through its
   * quantiser.
   */
  const fineTune = async (
    tm: TaskModel,
    init: ModelExport,
    budget: Budget,
    seed: number,
    id: string,
  ) => {
    const model = buildTfModel(init, { trainable: true, mask: "fixed", maskEvery: 1 });
    try {
      // the fine-tune's own random stream, apart from the pretraining's; logged as the run's seed
      const run = await trainModel(
        model,
        data.trainSet(tm),
        budget,
        seed + FINETUNE_SEED_OFFSET,
        (l) => o.log(`  ${id} s${seed} ${l}`),
      );
      return { run, exported: await model.toExport() };
    } finally {
      model.dispose();
    }
  };

  await save();
  for (const seed of selection.seeds) {
    for (const tm of suite.models) {
      const init = randomExport(tm.config, seed);
      // Held in an object: the closures below assign it.
      const trainedDense: { model: ModelExport | null } = { model: null };
      for (const op of tm.scratch) {
        const id = `${tm.model}/scratch/${operatorLabel(op)}`;
        if (!chosen.has(id)) continue;
        await guarded(id, seed, async () => {
          const start = convertModel(init, op, new Map());
          const model = buildTfModel(start, {
            trainable: true,
            mask: op.op === "sparse24" ? "ste" : "fixed",
            maskEvery: op.op === "sparse24" ? (op.maskEvery ?? 50) : 1,
          });
          let run: TrainRun;
          let exported: ModelExport;
          try {
            run = await trainModel(
              model,
              data.trainSet(tm),
              tm.train,
              seed,
              (l) => o.log(`  ${id} s${seed} ${l}`),
            );
            exported = await model.toExport();
          } finally {
            model.dispose();
          }
          if (op.op === "dense") trainedDense.model = exported;
          await finish(tm, "scratch", op, seed, exported, run);
        });
      }
      const converts = tm.convert.filter((op) =>
        chosen.has(`${tm.model}/finetune/${operatorLabel(op)}`)
      );
      if (converts.length === 0) continue;
      let missing = `no trained dense ${tm.model} to convert (seed ${seed})`;
      if (!chosen.has(`${tm.model}/scratch/dense`) && o.denseFrom) {
        try {
          trainedDense.model = await o.denseFrom.load(tm.model, seed);
        } catch (e) {
          missing = `--dense-from: ${(e as Error).message.split("\n")[0]}`;
        }
      }
      const trained = trainedDense.model;
      if (!trained) {
        // Conversions need the trained dense model; its own failure (or skip) is recorded.
        for (const op of converts) {
          const id = `${tm.model}/finetune/${operatorLabel(op)}`;
          await guarded(id, seed, () => {
            throw new Error(missing);
          });
        }
        continue;
      }
      const calib = data.calibration(trained);
      for (const op of converts) {
        const id = `${tm.model}/finetune/${operatorLabel(op)}`;
        await guarded(id, seed, async () => {
          const converted = convertModel(trained, op, calib);
          const before = await data.score(converted);
          const { run, exported } = await fineTune(tm, converted, tm.finetune, seed, id);
          await finish(tm, "finetune", op, seed, exported, run, before);
        });
      }
    }
  }
  results.finishedAt = new Date().toISOString();
  await save();
  o.log(`tf memory: ${tf.memory().numTensors} tensors`);
  return results;
}
