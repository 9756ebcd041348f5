/**
 * The suite format in the schema description language: the tables `validateSuite` reads its
 * ranges from (measurement options, distribution parameters, names) and, with the kernel
 * registry's parameter specs, the JSON Schema of suite files (`deno task schema`).
 *
 * @module
 */

import { DISTRIBUTION_PARAMS, DISTRIBUTIONS } from "../data/distributions.ts";
import type { KernelDescriptor, ParamSpec } from "../kernel.ts";
import type { MeasureOptions } from "../measure/options.ts";
import { SCOPED_RULES_SCHEMA } from "../rules/schema.ts";
import { s, type Schema } from "../schema/schema.ts";
import { DTYPES } from "../types.ts";

/** Largest dimension accepted in a suite (2^24). */
export const MAX_DIM = 1 << 24;

/** What a suite name may hold. */
export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

/** The measurement options a suite may set, in the order they are checked, with their ranges. */
export const MEASURE_FIELDS: Readonly<Record<keyof MeasureOptions, Schema>> = {
  minSamples: s.int({ min: 1, max: 100000 }),
  maxSamples: s.int({ min: 1, max: 100000, doc: "At least minSamples." }),
  maxTimeMs: s.num({ min: 0, max: 3.6e6 }),
  maxNoise: s.num({ min: 0, exclusiveMin: true, max: 1 }),
  warmupMs: s.num({ min: 0, max: 6e5 }),
  l2: s.str({ enum: ["warm", "cold"] }),
  flushBytes: s.int({ min: 1024, max: 2 ** 34 }),
  batchBelowMs: s.num({ min: 0, max: 1e4 }),
  method: s.str({ enum: ["auto", "gpu-timestamp", "wall"] }),
};

/** Parameters of the data distributions, with their ranges. */
export const DIST_PARAM_FIELDS: Readonly<Record<string, Schema>> = {
  std: s.num({ min: 0, exclusiveMin: true, max: 1e6 }),
  range: s.num({ min: 0, exclusiveMin: true, max: 1e6 }),
  outlierFraction: s.num({ min: 0, max: 1 }),
  outlierScale: s.num({ min: 0, exclusiveMin: true, max: 1e6 }),
};

/** Rows of calibration data: an integer in [1, 65536]. */
export const CALIB_ROWS: Schema = s.int({ min: 1, max: 1 << 16 });

/**
 * A kernel parameter's spec as a description (a value of its type and range).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toJsonSchema } from "../schema/schema.ts";
 * assert.deepEqual(toJsonSchema(paramSchema({ type: "int", min: 1, doc: "rank" })), {
 *   type: "integer", description: "rank", minimum: 1,
 * });
 * ```
 */
export function paramSchema(spec: ParamSpec): Schema {
  const doc = spec.doc;
  switch (spec.type) {
    case "enum":
      return s.str({ enum: spec.values, doc });
    case "int":
      if (spec.values) return { type: "anyOf", of: spec.values.map((v) => s.lit(v)), doc };
      return s.int({
        doc,
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.max !== undefined ? { max: spec.max } : {}),
      });
    case "number":
      return s.num({
        doc,
        ...(spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.max !== undefined ? { max: spec.max } : {}),
      });
    case "bool":
      return s.bool(doc);
    case "string":
      return s.str({ minLength: 1, doc });
  }
}

/** A value of `spec`, or a non-empty list of them (one case per value). */
function valueOrList(spec: ParamSpec): Schema {
  const one = paramSchema(spec);
  return s.anyOf(one, s.arr(one, { minItems: 1, doc: "One case per value." }));
}

function kernelEntry(k: KernelDescriptor): Schema {
  const params: Record<string, Schema> = {};
  for (const [name, spec] of Object.entries(k.params)) params[name] = valueOrList(spec);
  const tune: Record<string, Schema> = {};
  for (const [name, spec] of Object.entries(k.tune ?? {})) tune[name] = valueOrList(spec);
  const required = Object.entries(k.params).filter(([, p]) => p.default === undefined)
    .map(([n]) => n);
  return s.obj(
    {
      kernel: s.lit(k.name),
      dtypes: s.arr(s.str({ enum: DTYPES }), { minItems: 1, doc: "Among the suite's dtypes." }),
      tune: s.obj(tune, [], { additional: false, doc: "Launch and shader-generation knobs." }),
      ...params,
    },
    ["kernel", ...required],
    { additional: false, doc: k.summary },
  );
}

const dist: Schema = s.anyOf(
  s.str({ enum: DISTRIBUTIONS }),
  ...DISTRIBUTIONS.map((d) =>
    s.obj(
      {
        dist: s.lit(d),
        ...Object.fromEntries(DISTRIBUTION_PARAMS[d].map((p) => [p, DIST_PARAM_FIELDS[p]!])),
      },
      ["dist"],
      { additional: false },
    )
  ),
);

const dim = s.int({ min: 1, max: MAX_DIM });

/**
 * The description of a suite file for the kernels of `registry`. Cross-field rules stay with
 * `validateSuite`: "shapes" or "axes" (one of them), `maxSamples` ≥ `minSamples`, an entry's
 * `dtypes` among the suite's, and each kernel's own `check`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validate } from "../schema/schema.ts";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * const schema = suiteSchema(builtinKernels);
 * const fail = (path: string, problem: string): never => {
 *   throw new Error(`${path}: ${problem}`);
 * };
 * const suite = { name: "x", seed: 1, shapes: [{ m: 1, k: 8, n: 8 }], kernels: [{ kernel: "dense" }] };
 * validate(schema, suite, fail);
 * assert.throws(() => validate(schema, { ...suite, size: 3 }, fail), /^Error: size: unknown field/);
 * assert.throws(() => validate(schema, { ...suite, kernels: [] }, fail), /kernels: must be a non-empty/);
 * ```
 */
export function suiteSchema(registry: readonly KernelDescriptor[]): Schema {
  return s.obj(
    {
      $schema: s.str({ doc: "Where this schema lives, for editors." }),
      name: s.str({ minLength: 1, pattern: NAME_PATTERN }),
      description: s.str({ minLength: 1 }),
      seed: s.int({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      shapes: s.arr(
        s.obj({ m: dim, k: dim, n: dim, label: s.str({ minLength: 1 }) }, ["m", "k", "n"], {
          additional: false,
        }),
        { minItems: 1, doc: 'Shapes X (M×K) · W (K×N); give "shapes" or "axes".' },
      ),
      axes: s.obj(
        {
          m: s.arr(dim, { minItems: 1 }),
          k: s.arr(dim, { minItems: 1 }),
          n: s.arr(dim, { minItems: 1 }),
        },
        ["m", "k", "n"],
        { additional: false, doc: "Every combination of these M, K and N." },
      ),
      dtypes: s.arr(s.str({ enum: DTYPES }), { minItems: 1 }),
      data: s.obj({ x: dist, w: dist, calibRows: CALIB_ROWS }, [], { additional: false }),
      kernels: s.arr(s.anyOf(...registry.map(kernelEntry)), { minItems: 1 }),
      measure: s.obj(MEASURE_FIELDS, [], { additional: false }),
      accuracy: s.obj({ referenceBudget: s.int({ min: 1 }) }, [], { additional: false }),
      gate: SCOPED_RULES_SCHEMA,
    },
    ["name", "seed", "kernels"],
    { additional: false, doc: "A tilebench suite." },
  );
}

/**
 * The top-level fields of a suite, in the order the description lists them (`$schema` first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(suiteFields().slice(0, 4), ["$schema", "name", "description", "seed"]);
 * ```
 */
export function suiteFields(): string[] {
  const schema = suiteSchema([]);
  return schema.type === "object" ? Object.keys(schema.properties) : [];
}
