/**
 * `deno task lm-kernels [--config vocab=96,ctx=128,dim=128,depth=4,heads=4,mlp=512]
 * [--ops dense,stl24,stl49,sparse24,int4,int8,ternary,monarch] [--models A.json,B.json]
 * [--prompt-len 64] [--tokens 64] [--dtype f32|f16] [--quick] [--out FILE]`: the
 * LM's prefill and KV-cached greedy decode through the WGSL kernels for every variant on one
 * adapter, in one process: each variant checked (linears against their f64 references, logits
 * against lmForwardCpu, decode against prefill) and then timed (task/gpu/lm_evaluate.ts), dense
 * first.
 *
 * Without `--models` the variants are one seeded random dense model converted to each operator
 * (`stl24`: STL t 4, r 24, random α/γ; `stl49`: t 4, r 49, the exact Strassen² encoders;
 * `sparse24`: 2:4 magnitude; `int4`: INT4 RTN, group 32; `int8`, `ternary` (absmean) and
 * `monarch` (4 blocks) with their task defaults): the kernels' work does not depend on
 * the trained values, so these give the speeds; the trained models' perplexity comes from the
 * LM experiment. `--models` takes exported LM files instead (their first dense one is the
 * baseline). The prompt is a fixed English sentence (repeated to `--prompt-len` characters)
 * when the vocabulary is the 96-character tokenizer's. Writes FILE (JSON) when `--out` is
 * given (each variant's result with its model FLOPs per token, task/model/accounting.ts);
 * prints a table. `--quick` measures with few samples (a smoke run). Exit 2 on a bad argument, 1
 * when a variant failed its checks.
 *
 * @module
 */

import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { acquireGpu, releaseGpu } from "../harness/gpu/adapter.ts";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import type { MeasureOptions } from "../harness/measure/options.ts";
import { TASK_MEASURE } from "./task_measure.ts";
import { convertModel, randomExport } from "./convert.ts";
import { decode, encode, VOCAB } from "./data/chars.ts";
import type { ModelExport } from "./export.ts";
import { parseExportJson } from "./export_file.ts";
import { lmOnKernels } from "./gpu/lm_evaluate.ts";
import { configProblem, DEFAULT_CONFIGS, type LmConfig } from "./model/arch.ts";
import { lmConfigOf } from "./model/lm_forward_cpu.ts";
import { modelCounts } from "./model/accounting.ts";
import { type OperatorSpec, parseOperator } from "./operators.ts";
import type { LmKernelResult, ModelCount } from "./types.ts";

const USAGE = "usage: deno task lm-kernels [--config vocab=96,ctx=128,dim=128,depth=4,heads=4," +
  "mlp=512]\n  [--ops dense,stl24,stl49,sparse24,int4,int8,ternary,monarch] [--models A.json,...]" +
  "\n  [--prompt-len 64] [--tokens 64] [--dtype f32|f16] [--quick] [--out FILE]";

/** The operators `--ops` names. */
export const LM_BENCH_OPS: Record<string, OperatorSpec> = {
  dense: { op: "dense" },
  stl24: { op: "stl", t: 4, r: 24, init: "random" },
  stl49: { op: "stl", t: 4, r: 49, init: "strassen2" },
  sparse24: { op: "sparse24", mask: "magnitude" },
  int4: { op: "int4", group: 32, method: "rtn" },
  int8: parseOperator({ op: "int8" }, "int8"),
  ternary: parseOperator({ op: "ternary", method: "absmean" }, "ternary"),
  monarch: { op: "monarch", blocks: 4 },
};

/**
 * Parses `--config`: `field=value` pairs over the default LM configuration. Throws a one-line
 * RangeError naming the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(parseLmConfig("ctx=64,dim=32").dim, 32);
 * assert.equal(parseLmConfig("").ctx, 128);
 * assert.throws(() => parseLmConfig("heads=3"), /--config: heads: must divide dim 128/);
 * assert.throws(() => parseLmConfig("width=3"), /--config: unknown field width/);
 * ```
 */
export function parseLmConfig(text: string): LmConfig {
  const c = { ...DEFAULT_CONFIGS.lm } as LmConfig;
  const fields = ["vocab", "ctx", "dim", "depth", "heads", "mlp"] as const;
  for (const part of text.split(",").map((s) => s.trim()).filter((s) => s)) {
    const [k, v] = part.split("=");
    if (!(fields as readonly string[]).includes(k!)) {
      throw new RangeError(`--config: unknown field ${k}; known: ${fields.join(", ")}`);
    }
    c[k as typeof fields[number]] = Number(v);
  }
  const p = configProblem(c);
  if (p) throw new RangeError(`--config: ${p}`);
  return c;
}

/**
 * Parses `--ops`: names of {@link LM_BENCH_OPS}, comma-separated; dense always runs first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLmOps("int4,stl24"), ["dense", "int4", "stl24"]);
 * assert.throws(() => parseLmOps("int2"), /--ops: must be names among dense, stl24/);
 * ```
 */
export function parseLmOps(text: string): string[] {
  const names = text.split(",").map((s) => s.trim()).filter((s) => s);
  const bad = names.find((n) => !(n in LM_BENCH_OPS));
  if (bad !== undefined || names.length === 0) {
    throw new RangeError(
      `--ops: must be names among ${Object.keys(LM_BENCH_OPS).join(", ")}; got ${
        JSON.stringify(text)
      }`,
    );
  }
  return ["dense", ...new Set(names.filter((n) => n !== "dense"))];
}

/**
 * The fixed prompt of `len` ids: an English sentence, repeated, through the 96-character
 * tokenizer when `vocab` is its size; ids `i mod vocab` otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(lmPrompt(4, 96).length, 4);
 * assert.deepEqual([...lmPrompt(3, 2)], [0, 1, 0]);
 * ```
 */
export function lmPrompt(len: number, vocab: number): Int32Array {
  if (vocab !== VOCAB) return Int32Array.from({ length: len }, (_, i) => i % vocab);
  const s = "The jury further said in term-end presentments that the City Executive Committee " +
    "had over-all charge of the election. ";
  return encode(s.repeat(Math.ceil(len / s.length)).slice(0, len));
}

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

function intArg(name: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= min)) fail(`--${name}: must be an integer ≥ ${min}, got ${v}`);
  return n;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        config: { type: "string", default: "" },
        ops: { type: "string", default: "dense,stl24,stl49,sparse24,int4,int8,ternary,monarch" },
        models: { type: "string" },
        "prompt-len": { type: "string", default: "64" },
        tokens: { type: "string", default: "64" },
        dtype: { type: "string", default: "f32" },
        quick: { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.dtype !== "f32" && values.dtype !== "f16") {
    fail(`--dtype: must be f32 or f16, got ${values.dtype}`);
  }
  const dtype = values.dtype;
  const promptLen = intArg("prompt-len", values["prompt-len"], 1);
  const tokens = intArg("tokens", values.tokens, 1);
  const variants: { label: string; model: ModelExport }[] = [];
  try {
    if (values.models) {
      for (const f of values.models.split(",").map((s) => s.trim()).filter((s) => s)) {
        let m: ModelExport;
        try {
          m = parseExportJson(await Deno.readTextFile(f));
          lmConfigOf(m);
        } catch (e) {
          throw new Error(`--models: ${f}: ${(e as Error).message}`);
        }
        const dense = m.layers.every((l) => l.op === "dense");
        const entry = { label: f, model: m };
        if (dense && !variants.some((v) => v.model.layers.every((l) => l.op === "dense"))) {
          variants.unshift(entry);
        } else variants.push(entry);
      }
    } else {
      const c = parseLmConfig(values.config!);
      const dense = randomExport(c, 1);
      for (const name of parseLmOps(values.ops!)) {
        let model: ModelExport;
        try {
          model = convertModel(dense, LM_BENCH_OPS[name]!, new Map());
        } catch (e) {
          throw new Error(`--ops ${name}: ${(e as Error).message}`);
        }
        variants.push({ label: name, model });
      }
    }
  } catch (e) {
    fail((e as Error).message.split("\n")[0]!);
  }
  const c = lmConfigOf(variants[0]!.model);
  if (promptLen + tokens > c.ctx) {
    fail(`--prompt-len ${promptLen} + --tokens ${tokens} must fit the context (ctx ${c.ctx})`);
  }
  if (values.out) {
    // before any GPU work: a folder that cannot be made or a file that cannot be written
    let isDir = false;
    try {
      isDir = Deno.statSync(values.out).isDirectory;
    } catch { /* not there yet */ }
    if (isDir) fail(`--out ${values.out} is a folder; give a file for the JSON`);
    try {
      Deno.mkdirSync(dirname(values.out), { recursive: true });
      Deno.writeTextFileSync(`${values.out}.tmp`, "");
      Deno.removeSync(`${values.out}.tmp`);
    } catch (e) {
      fail(`--out ${values.out}: cannot write there (${(e as Error).message})`);
    }
  }
  const measure: MeasureOptions = values.quick
    ? { ...TASK_MEASURE, minSamples: 3, maxSamples: 10, maxTimeMs: 50, warmupMs: 10 }
    : TASK_MEASURE;
  const gpu = await acquireGpu("high-performance");
  const env = {
    device: gpu.device,
    features: gpu.features,
    pipelines: new PipelineCache(gpu.device),
  };
  // The description names the GPU; vendor and device are PCI ids on some drivers.
  const device = gpu.info.description ||
    [gpu.info.vendor, gpu.info.architecture, gpu.info.device].filter((s) => s).join(" ");
  console.log(`lm kernels on ${device}: ${JSON.stringify(c)}, ${dtype}`);
  const prompt = lmPrompt(promptLen, c.vocab);
  const results: { label: string; flops: ModelCount; result: LmKernelResult }[] = [];
  let denseFlops: number | null = null;
  const failures: { label: string; error: string }[] = [];
  // --out is rewritten after every variant, so an interrupted run keeps what it measured
  const save = (complete: boolean) => {
    if (!values.out) return;
    const out = {
      kind: "lm-kernels",
      device,
      config: c,
      dtype,
      promptLen,
      tokens,
      complete,
      results,
      failures,
    };
    const tmp = `${values.out}.tmp`;
    Deno.writeTextFileSync(tmp, JSON.stringify(out, null, 2) + "\n");
    Deno.renameSync(tmp, values.out);
  };
  let dense: LmKernelResult | null = null;
  for (const v of variants) {
    try {
      const r = await lmOnKernels(env, v.model, {
        prompt,
        tokens,
        dtype,
        measure,
        dense,
        device,
      });
      const flops = modelCounts(v.model).flops;
      if (dense === null && v.model.layers.every((l) => l.op === "dense")) {
        dense = r;
        denseFlops = flops.total;
      }
      results.push({ label: v.label, flops, result: r });
      const x = (s: number | null) => (s === null ? "" : ` (${s.toFixed(2)}× dense)`);
      console.log(
        `${v.label}: decode ${r.decodeTokensPerS!.toFixed(0)} tok/s${x(r.decodeSpeedupVsDense)}` +
          `, prefill ${r.prefillTokensPerS!.toFixed(0)} tok/s${x(r.prefillSpeedupVsDense)}` +
          `, outside linears ${(100 * r.outsideLinearsShare!).toFixed(0)}%` +
          `, ${(flops.total / 1e6).toPrecision(3)} MFLOP/token` +
          (denseFlops === null ? "" : ` (${(flops.total / denseFlops).toFixed(2)}× dense)`) +
          `, ${r.dispatchesPerToken} dispatches/token, decode noise ±${
            (100 * r.decode!.noise).toFixed(1)
          }%, logits err ${r.logitsMaxRelErr.toExponential(1)}`,
      );
      if (c.vocab === VOCAB) {
        console.log(`  ${JSON.stringify(decode(r.promptIds) + "|" + decode(r.generatedIds))}`);
      }
    } catch (e) {
      const error = (e as Error).message.split("\n")[0]!;
      failures.push({ label: v.label, error });
      console.error(`${v.label}: FAILED: ${error}`);
    }
    save(false);
  }
  if (values.out) {
    save(true);
    console.log(`wrote ${values.out}`);
  }
  await releaseGpu(gpu);
  if (failures.length > 0) Deno.exit(1);
}

if (import.meta.main) await main();
