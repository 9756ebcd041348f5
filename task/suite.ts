/**
 * The `task` declaration of a suite file (tasks/*.json), validated with one-line errors that name
 * the file and field.
 *
 * ```json
 * {
 *   "name": "mnist-ci",
 *   "description": "...",
 *   "task": {
 *     "dataset": "mnist",
 *     "seeds": [1],
 *     "trainSamples": 2000,
 *     "calibSamples": 64,
 *     "models": [{
 *       "model": "mlp",
 *       "config": { "hidden": 64, "depth": 2 },
 *       "train": { "epochs": 2, "batch": 64, "lr": 0.002 },
 *       "finetune": { "epochs": 0.5, "batch": 64, "lr": 0.0005 },
 *       "scratch": [{ "op": "stl", "t": 4, "r": 24, "init": "cp-als" }],
 *       "convert": [{ "op": "int4", "group": 16, "method": "rtn" }]
 *     }]
 *   }
 * }
 * ```
 *
 * The `brown` dataset (task/data/brown.ts) takes the `lm` model and budgets in `steps`;
 * `trainSamples` counts training tokens (a prefix of the training text), `testSamples` the
 * validation windows of `ctx` tokens scored and `calibSamples` the training windows that
 * calibrate Wanda and AWQ. `mnist` takes `mlp` and `vit`, counts in digits.
 *
 * Every model trains a dense model from scratch first (the `dense` scratch variant and the source
 * of every conversion); `scratch` lists the other operators trained from the same initialisation,
 * budget and seeds; `convert` lists the conversions of the trained dense model, each scored
 * before and after fine-tuning for the `finetune` budget (a dense control fine-tunes too).
 *
 * @module
 */

import type { Budget } from "./train/train.ts";
import {
  operatorExperimentProblem,
  operatorLabel,
  operatorLayerProblem,
  type OperatorSpec,
  parseOperator,
} from "./operators.ts";
import {
  configProblem,
  DEFAULT_CONFIGS,
  linearSpecs,
  type ModelConfig,
  type ModelName,
  MODELS,
} from "./model/arch.ts";
import { MNIST_TOTAL, TRAIN_SIZE } from "./data/mnist.ts";

/** Datasets a task can use. */
export const DATASETS = ["mnist", "brown"] as const;
/** A dataset name. */
export type DatasetName = typeof DATASETS[number];

/** The models each dataset takes. */
const DATASET_MODELS: Record<DatasetName, readonly ModelName[]> = {
  mnist: ["mlp", "vit"],
  brown: ["lm"],
};

/** Most training tokens a brown task can ask for (more than the training text holds). */
const BROWN_MAX_TOKENS = 6_000_000;

/**
 * One model of a task.
 *
 * @example
 * ```ts ignore
 * const m: TaskModel = task.models[0]!;
 * ```
 */
export interface TaskModel {
  model: ModelName;
  config: ModelConfig;
  train: Budget;
  finetune: Budget;
  /** Scratch variants, dense first. */
  scratch: OperatorSpec[];
  /** Conversions of the trained dense model (fine-tuned), dense control first. */
  convert: OperatorSpec[];
}

/**
 * A validated task.
 *
 * @example
 * ```ts ignore
 * const t = parseTaskSuite(text, "tasks/mnist-ci.json");
 * ```
 */
export interface TaskSuite {
  name: string;
  description: string;
  dataset: DatasetName;
  seeds: number[];
  /** Training digits used (≤ 8,000; the first of the fixed split); brown: training tokens. */
  trainSamples: number;
  /** Test digits scored (≤ 2,000); brown: validation windows of ctx tokens. */
  testSamples: number;
  /** Training digits (brown: windows) whose layer inputs calibrate Wanda and AWQ. */
  calibSamples: number;
  /** Also score each export through the CPU forward (forward_cpu.ts). */
  cpuCheck: boolean;
  models: TaskModel[];
}

/** A bad task declaration: the message names the file and field. */
export class TaskSuiteError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "TaskSuiteError";
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(o: Obj, allowed: string[], where: string, file: string) {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      throw new TaskSuiteError(
        `${file}: ${where}${k}: unknown field; known: ${allowed.join(", ")}`,
      );
    }
  }
}

function parseBudget(raw: unknown, where: string, file: string): Budget {
  if (!isObj(raw)) {
    throw new TaskSuiteError(`${file}: ${where}: missing (an object with epochs, batch, lr)`);
  }
  checkKeys(
    raw,
    ["epochs", "steps", "batch", "lr", "warmup", "weightDecay", "shift"],
    `${where}.`,
    file,
  );
  if (raw.epochs === undefined && raw.steps === undefined) {
    throw new TaskSuiteError(`${file}: ${where}.epochs: missing (give epochs or steps)`);
  }
  const pos = (f: string, int: boolean, dflt?: number): number => {
    const v = raw[f] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0 && (!int || Number.isInteger(v)))) {
      throw new TaskSuiteError(
        `${file}: ${where}.${f}: must be ${int ? "an integer" : "a number"} > 0; got ${
          JSON.stringify(raw[f])
        }`,
      );
    }
    return v;
  };
  const b: Budget = {
    epochs: raw.epochs === undefined ? 1 : pos("epochs", false),
    batch: pos("batch", true),
    lr: pos("lr", false),
  };
  if (raw.steps !== undefined) b.steps = pos("steps", true);
  if (raw.warmup !== undefined) {
    const w = raw.warmup;
    if (!(typeof w === "number" && w >= 0 && w < 1)) {
      throw new TaskSuiteError(
        `${file}: ${where}.warmup: must be in [0, 1); got ${JSON.stringify(w)}`,
      );
    }
    b.warmup = w;
  }
  if (raw.weightDecay !== undefined) {
    const w = raw.weightDecay;
    if (!(typeof w === "number" && w >= 0)) {
      throw new TaskSuiteError(
        `${file}: ${where}.weightDecay: must be ≥ 0; got ${JSON.stringify(w)}`,
      );
    }
    b.weightDecay = w;
  }
  if (raw.shift !== undefined) {
    const v = raw.shift;
    if (!(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 8)) {
      throw new TaskSuiteError(
        `${file}: ${where}.shift: must be an integer in [0, 8]; got ${JSON.stringify(v)}`,
      );
    }
    b.shift = v as number;
  }
  return b;
}

/** Why an operator cannot run on a model's operator layers, or null. */
function operatorProblem(o: OperatorSpec, c: ModelConfig): string | null {
  for (const l of linearSpecs(c).filter((s) => s.operator)) {
    const p = operatorLayerProblem(o, l.name, l.k, l.n);
    if (p) return p;
  }
  return null;
}

function parseVariants(
  raw: unknown,
  where: string,
  file: string,
  c: ModelConfig,
  experiment: "scratch" | "convert",
): OperatorSpec[] {
  raw ??= [];
  if (!Array.isArray(raw)) {
    throw new TaskSuiteError(`${file}: ${where}: must be an array of operators`);
  }
  const out: OperatorSpec[] = [];
  const seen = new Set<string>();
  raw.forEach((v, i) => {
    const w = `${where}[${i}]`;
    let o: OperatorSpec;
    try {
      o = parseOperator(v, w);
    } catch (e) {
      throw new TaskSuiteError(`${file}: ${(e as Error).message}`);
    }
    const p = operatorProblem(o, c);
    if (p) throw new TaskSuiteError(`${file}: ${w}.${p}`);
    const e = operatorExperimentProblem(o, experiment);
    if (e) throw new TaskSuiteError(`${file}: ${w}.${e}`);
    const label = operatorLabel(o);
    if (seen.has(label)) throw new TaskSuiteError(`${file}: ${w}: duplicate variant ${label}`);
    seen.add(label);
    if (o.op !== "dense") out.push(o);
  });
  return [{ op: "dense" }, ...out];
}

function parseModel(raw: unknown, i: number, file: string, dataset: DatasetName): TaskModel {
  const where = `task.models[${i}]`;
  if (!isObj(raw)) throw new TaskSuiteError(`${file}: ${where}: must be an object`);
  checkKeys(raw, ["model", "config", "train", "finetune", "scratch", "convert"], `${where}.`, file);
  const name = raw.model;
  if (typeof name !== "string" || !(MODELS as readonly string[]).includes(name)) {
    throw new TaskSuiteError(
      `${file}: ${where}.model: must be one of ${MODELS.join(", ")}; got ${JSON.stringify(name)}`,
    );
  }
  const model = name as ModelName;
  if (!DATASET_MODELS[dataset].includes(model)) {
    throw new TaskSuiteError(
      `${file}: ${where}.model: dataset ${dataset} takes ${
        DATASET_MODELS[dataset].join(", ")
      }; got ${JSON.stringify(name)}`,
    );
  }
  const base = DEFAULT_CONFIGS[model];
  const over = raw.config ?? {};
  if (!isObj(over)) throw new TaskSuiteError(`${file}: ${where}.config: must be an object`);
  checkKeys(over, Object.keys(base).filter((k) => k !== "arch"), `${where}.config.`, file);
  const config = { ...base, ...over } as ModelConfig;
  const p = configProblem(config);
  if (p) throw new TaskSuiteError(`${file}: ${where}.config.${p}`);
  return {
    model,
    config,
    train: parseBudget(raw.train, `${where}.train`, file),
    finetune: parseBudget(raw.finetune, `${where}.finetune`, file),
    scratch: parseVariants(raw.scratch, `${where}.scratch`, file, config, "scratch"),
    convert: parseVariants(raw.convert, `${where}.convert`, file, config, "convert"),
  };
}

/**
 * Parses and validates a task suite (JSON text of `file`); throws {@link TaskSuiteError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const text = JSON.stringify({ name: "x", task: { dataset: "mnist", seeds: [1], models: [
 *   { model: "mlp", train: { epochs: 1, batch: 8, lr: 0.01 }, finetune: { epochs: 1, batch: 8, lr: 0.01 } },
 * ] } });
 * assert.equal(parseTaskSuite(text, "t.json").models[0]!.scratch[0]!.op, "dense");
 * assert.throws(() => parseTaskSuite(text.replace('"mlp"', '"cnn"'), "t.json"), /task.models\[0\].model: must be one of mlp, vit/);
 * ```
 */
export function parseTaskSuite(text: string, file: string): TaskSuite {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TaskSuiteError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) throw new TaskSuiteError(`${file}: must be a JSON object`);
  checkKeys(raw, ["name", "description", "task"], "", file);
  if (typeof raw.name !== "string" || raw.name === "") {
    throw new TaskSuiteError(`${file}: name: must be a non-empty string`);
  }
  const t = raw.task;
  if (!isObj(t)) throw new TaskSuiteError(`${file}: task: missing (this file declares no task)`);
  checkKeys(
    t,
    ["dataset", "seeds", "trainSamples", "testSamples", "calibSamples", "cpuCheck", "models"],
    "task.",
    file,
  );
  if (t.dataset === undefined) {
    throw new TaskSuiteError(
      `${file}: task.dataset: missing; must be one of ${DATASETS.join(", ")}`,
    );
  }
  if (!(DATASETS as readonly unknown[]).includes(t.dataset)) {
    throw new TaskSuiteError(
      `${file}: task.dataset: must be one of ${DATASETS.join(", ")}; got ${
        JSON.stringify(t.dataset)
      }`,
    );
  }
  const seeds = t.seeds ?? [1];
  if (
    !Array.isArray(seeds) || seeds.length === 0 ||
    !seeds.every((s) => Number.isInteger(s) && s >= 0) || new Set(seeds).size !== seeds.length
  ) {
    throw new TaskSuiteError(
      `${file}: task.seeds: must be distinct integers ≥ 0; got ${JSON.stringify(t.seeds)}`,
    );
  }
  const count = (f: string, max: number, dflt: number): number => {
    const v = t[f] ?? dflt;
    if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max)) {
      throw new TaskSuiteError(
        `${file}: task.${f}: must be an integer in [1, ${max}]; got ${JSON.stringify(t[f])}`,
      );
    }
    return v as number;
  };
  if (t.cpuCheck !== undefined && typeof t.cpuCheck !== "boolean") {
    throw new TaskSuiteError(`${file}: task.cpuCheck: must be true or false`);
  }
  if (!Array.isArray(t.models) || t.models.length === 0) {
    throw new TaskSuiteError(`${file}: task.models: must be a non-empty array`);
  }
  const dataset = t.dataset as DatasetName;
  const brown = dataset === "brown";
  return {
    name: raw.name,
    description: typeof raw.description === "string" ? raw.description : "",
    dataset,
    seeds: seeds as number[],
    trainSamples: brown
      ? count("trainSamples", BROWN_MAX_TOKENS, BROWN_MAX_TOKENS)
      : count("trainSamples", TRAIN_SIZE, TRAIN_SIZE),
    testSamples: brown
      ? count("testSamples", 100_000, 256)
      : count("testSamples", MNIST_TOTAL - TRAIN_SIZE, MNIST_TOTAL - TRAIN_SIZE),
    calibSamples: brown ? count("calibSamples", 10_000, 8) : count("calibSamples", TRAIN_SIZE, 128),
    cpuCheck: t.cpuCheck === true,
    models: t.models.map((m, i) => parseModel(m, i, file, dataset)),
  };
}
