/**
 * Validation of user-written suites, before any GPU work.
 *
 * @module
 */

import {
  DISTRIBUTION_PARAMS,
  type DistributionName,
  DISTRIBUTIONS,
  type DistributionSpec,
} from "../data/distributions.ts";
import { checkParamValue, type KernelDescriptor, type ParamSpec } from "../kernel.ts";
import { DEFAULT_MEASURE, type MeasureOptions } from "../measure/options.ts";
import { type DType, DTYPES, type ParamValue, type Shape } from "../types.ts";
import { escapeControl } from "../cli_args.ts";
import { DEFAULT_MAX_CASES, type KernelEntry, type Suite, SuiteError } from "./schema.ts";
import {
  CALIB_ROWS,
  DIST_PARAM_FIELDS,
  MAX_DIM,
  MEASURE_FIELDS,
  NAME_PATTERN,
  suiteFields,
} from "./format.ts";
import type { Schema } from "../schema/schema.ts";
import { validateScopedRules } from "../rules/config.ts";
import { GateInputError } from "../rules/errors.ts";

/** A suite's top-level fields, as the suite description lists them. */
const SUITE_FIELDS = suiteFields();

/** Default multiply-add budget of one CPU reference before rows are sampled. */
export const DEFAULT_REFERENCE_BUDGET = 2 ** 27;

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "nothing";
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Ctx {
  constructor(readonly file: string) {}
  fail(field: string, message: string): never {
    throw new SuiteError(this.file, field, message);
  }
  obj(v: unknown, field: string): Obj {
    if (!isObj(v)) this.fail(field, `must be an object, got ${show(v)}`);
    return v;
  }
  noUnknown(o: Obj, allowed: readonly string[], field: string): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) {
        this.fail(
          field ? `${field}.${key}` : key,
          `unknown field; allowed: ${allowed.filter((a) => a !== "$schema").join(", ")}`,
        );
      }
    }
  }
  int(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== "number" || !Number.isInteger(v)) {
      this.fail(field, `must be an integer, got ${show(v)}`);
    }
    if (v < min || v > max) this.fail(field, `must be in [${min}, ${max}], got ${v}`);
    return v;
  }
  num(v: unknown, field: string, min: number, max: number, exclusiveMin = false): number {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      this.fail(field, `must be a number, got ${show(v)}`);
    }
    if ((exclusiveMin ? v <= min : v < min) || v > max) {
      this.fail(field, `must be in ${exclusiveMin ? "(" : "["}${min}, ${max}], got ${v}`);
    }
    return v;
  }
  str(v: unknown, field: string): string {
    if (typeof v !== "string" || v.length === 0) {
      this.fail(field, `must be a non-empty string, got ${show(v)}`);
    }
    this.printable(v, field);
    return v;
  }
  /** Rejects control characters: names and labels reach terminals, CI logs and reports. */
  printable(v: unknown, field: string): void {
    if (typeof v === "string" && escapeControl(v) !== v) {
      this.fail(field, `must not contain control characters, got ${show(escapeControl(v))}`);
    }
  }
  arr(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v) || v.length === 0) {
      this.fail(field, `must be a non-empty array, got ${show(v)}`);
    }
    return v;
  }
  /** Checks a number or enum field against its description in the format tables. */
  by(schema: Schema, v: unknown, field: string): number | string {
    if (schema.type === "string" && schema.enum) return this.oneOf(v, schema.enum, field);
    if (schema.type !== "number") throw new TypeError(`no check for a ${schema.type} field`);
    if (schema.integer) return this.int(v, field, schema.min ?? 0, schema.max);
    return this.num(v, field, schema.min ?? -Infinity, schema.max ?? Infinity, schema.exclusiveMin);
  }
  oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
    if (typeof v !== "string" || !allowed.includes(v as T)) {
      this.fail(
        field,
        `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; got ${show(v)}`,
      );
    }
    return v as T;
  }
}

/** Longest shape label: labels are part of case ids, shown in every report and log line. */
const MAX_LABEL = 200;

function validateShape(c: Ctx, v: unknown, field: string): Shape {
  const o = c.obj(v, field);
  c.noUnknown(o, ["m", "k", "n", "label"], field);
  const shape: Shape = {
    m: c.int(o.m, `${field}.m`, 1, MAX_DIM),
    k: c.int(o.k, `${field}.k`, 1, MAX_DIM),
    n: c.int(o.n, `${field}.n`, 1, MAX_DIM),
  };
  if (o.label !== undefined) shape.label = c.str(o.label, `${field}.label`);
  if (shape.label !== undefined && shape.label.length > MAX_LABEL) {
    c.fail(`${field}.label`, `must be at most ${MAX_LABEL} characters (it is part of case ids)`);
  }
  return shape;
}

function validateDist(
  c: Ctx,
  v: unknown,
  field: string,
  fallback: DistributionName,
): DistributionSpec {
  if (v === undefined) return { dist: fallback };
  if (typeof v === "string") return { dist: c.oneOf(v, DISTRIBUTIONS, field) };
  const o = c.obj(v, field);
  const dist = c.oneOf(o.dist, DISTRIBUTIONS, `${field}.dist`);
  c.noUnknown(o, ["dist", ...DISTRIBUTION_PARAMS[dist]], field);
  const spec: DistributionSpec = { dist };
  for (const [key, schema] of Object.entries(DIST_PARAM_FIELDS)) {
    if (o[key] === undefined) continue;
    (spec as unknown as Record<string, unknown>)[key] = c.by(schema, o[key], `${field}.${key}`);
  }
  return spec;
}

function validateMeasure(c: Ctx, v: unknown): MeasureOptions {
  const m: MeasureOptions = { ...DEFAULT_MEASURE };
  if (v === undefined) return m;
  const o = c.obj(v, "measure");
  c.noUnknown(o, Object.keys(DEFAULT_MEASURE), "measure");
  for (const [key, schema] of Object.entries(MEASURE_FIELDS)) {
    if (o[key] === undefined) continue;
    (m as unknown as Record<string, unknown>)[key] = c.by(schema, o[key], `measure.${key}`);
  }
  if (m.maxSamples < m.minSamples) {
    c.fail(
      "measure.maxSamples",
      `must be ≥ measure.minSamples (${m.minSamples}), got ${m.maxSamples}`,
    );
  }
  return m;
}

/** One value, or a non-empty array of values (one case each), checked against `spec`. */
function values(c: Ctx, spec: ParamSpec, value: unknown, field: string): ParamValue | ParamValue[] {
  if (Array.isArray(value)) {
    if (value.length === 0) c.fail(field, "must not be an empty array");
    return value.map((item, i) =>
      checkParamValue(spec, item, (msg) => c.fail(`${field}[${i}]`, msg))
    );
  }
  return checkParamValue(spec, value, (msg) => c.fail(field, msg));
}

function validateKernelEntry(
  c: Ctx,
  v: unknown,
  field: string,
  registry: readonly KernelDescriptor[],
  dtypes: DType[],
): KernelEntry {
  const o = c.obj(v, field);
  const name = o.kernel;
  const names = registry.map((k) => k.name);
  if (typeof name !== "string" || !names.includes(name)) {
    c.fail(
      `${field}.kernel`,
      `must be one of ${names.map((n) => JSON.stringify(n)).join(", ")}; got ${show(name)}`,
    );
  }
  const desc = registry.find((k) => k.name === name)!;
  const entry: KernelEntry = { kernel: name };
  for (const [key, value] of Object.entries(o)) {
    if (key === "kernel") continue;
    if (key === "dtypes") {
      const list = c.arr(value, `${field}.dtypes`).map((d, i) =>
        c.oneOf(d, DTYPES, `${field}.dtypes[${i}]`)
      );
      for (const d of list) {
        if (!dtypes.includes(d)) {
          c.fail(
            `${field}.dtypes`,
            `${JSON.stringify(d)} is not among the suite's dtypes (${dtypes.join(", ")})`,
          );
        }
      }
      entry.dtypes = list;
      continue;
    }
    if (key === "tune") {
      const t = c.obj(value, `${field}.tune`);
      const specs = desc.tune ?? {};
      const tune: Record<string, ParamValue | ParamValue[]> = {};
      for (const [knob, knobValue] of Object.entries(t)) {
        const spec = specs[knob];
        if (!spec) {
          const known = Object.keys(specs);
          c.fail(
            `${field}.tune.${knob}`,
            `unknown tuning knob of kernel "${desc.name}"; allowed: ${
              known.length ? known.join(", ") : "none"
            }`,
          );
        }
        tune[knob] = values(c, spec, knobValue, `${field}.tune.${knob}`);
      }
      entry.tune = tune;
      continue;
    }
    const spec = desc.params[key];
    if (!spec) {
      const allowed = ["kernel", "dtypes", "tune", ...Object.keys(desc.params)];
      const where = desc.tune?.[key] ? ` (a tuning knob: write it in "tune")` : "";
      c.fail(
        `${field}.${key}`,
        `unknown parameter of kernel "${name}"${where}; allowed: ${allowed.join(", ")}`,
      );
    }
    entry[key] = values(c, spec, value, `${field}.${key}`);
  }
  for (const [key, spec] of Object.entries(desc.params)) {
    if (spec.default === undefined && entry[key] === undefined) {
      c.fail(`${field}.${key}`, `required parameter of kernel "${name}" is missing (${spec.doc})`);
    }
  }
  return entry;
}

/**
 * Validates a parsed suite and fills defaults. `file` names the source in error messages.
 * Throws {@link SuiteError} naming the file, the field and what is allowed. A parameter whose
 * allowed values depend on the shape (an INT4 `group` must divide K) is checked for each shape
 * when the cases are expanded (`expandCases`), with the same kind of error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * const text = Deno.readTextFileSync(new URL("../../suites/smoke.json", import.meta.url));
 * const suite = validateSuite(JSON.parse(text), "suites/smoke.json", builtinKernels);
 * assert.equal(suite.name, "smoke");
 * assert.throws(
 *   () => validateSuite({ ...JSON.parse(text), seed: "x" }, "suites/smoke.json", builtinKernels),
 *   /^SuiteError: suites\/smoke\.json: seed: /,
 * );
 * ```
 */
export function validateSuite(
  input: unknown,
  file: string,
  registry: readonly KernelDescriptor[],
  maxShapes: number = DEFAULT_MAX_CASES,
): Suite {
  const c = new Ctx(file);
  const o = c.obj(input, "");
  c.noUnknown(o, SUITE_FIELDS, "");
  const name = c.str(o.name, "name");
  if (!new RegExp(NAME_PATTERN).test(name)) {
    c.fail("name", `must use letters, digits, '.', '_' or '-', got ${show(name)}`);
  }
  const description = o.description === undefined ? "" : c.str(o.description, "description");
  const seed = c.int(o.seed, "seed", 0, Number.MAX_SAFE_INTEGER);

  let shapes: Shape[] = [];
  if (o.shapes !== undefined && o.axes !== undefined) {
    c.fail("shapes", 'give either "shapes" or "axes", not both');
  }
  if (o.shapes !== undefined) {
    const list = c.arr(o.shapes, "shapes");
    if (list.length > maxShapes) {
      c.fail("shapes", `lists ${list.length} shapes, over the limit of ${maxShapes} cases`);
    }
    shapes = list.map((s, i) => validateShape(c, s, `shapes[${i}]`));
  } else if (o.axes !== undefined) {
    const a = c.obj(o.axes, "axes");
    c.noUnknown(a, ["m", "k", "n"], "axes");
    const dims = (["m", "k", "n"] as const).map((d) =>
      c.arr(a[d], `axes.${d}`).map((v, i) => c.int(v, `axes.${d}[${i}]`, 1, MAX_DIM))
    );
    const product = dims[0]!.length * dims[1]!.length * dims[2]!.length;
    if (product > maxShapes) {
      c.fail(
        "axes",
        `makes ${product} shapes (${dims.map((d) => d.length).join(" × ")}), over the limit of ` +
          `${maxShapes} cases; raise it with --max-cases N`,
      );
    }
    shapes = [];
    for (const m of dims[0]!) {
      for (const k of dims[1]!) for (const n of dims[2]!) shapes.push({ m, k, n });
    }
  } else {
    c.fail(
      "shapes",
      'a suite needs "shapes" (a list of {m, k, n, label?}) or "axes" ({m, k, n} lists)',
    );
  }

  const dtypes = o.dtypes === undefined
    ? (["f32"] as DType[])
    : c.arr(o.dtypes, "dtypes").map((d, i) => c.oneOf(d, DTYPES, `dtypes[${i}]`));

  const d = o.data === undefined ? {} : c.obj(o.data, "data");
  c.noUnknown(d, ["x", "w", "calibRows"], "data");
  const data = {
    x: validateDist(c, d.x, "data.x", "gaussian"),
    w: validateDist(c, d.w, "data.w", "gaussian"),
    calibRows: d.calibRows === undefined
      ? 128
      : c.by(CALIB_ROWS, d.calibRows, "data.calibRows") as number,
  };

  const kernels = c.arr(o.kernels, "kernels").map((k, i) => {
    // Parameter values become part of case ids, shown everywhere.
    const walk = (v: unknown, field: string): void => {
      if (typeof v === "string") c.printable(v, field);
      else if (Array.isArray(v)) v.forEach((x, j) => walk(x, `${field}[${j}]`));
      else if (typeof v === "object" && v !== null) {
        for (const [key, x] of Object.entries(v)) walk(x, `${field}.${key}`);
      }
    };
    walk(k, `kernels[${i}]`);
    return validateKernelEntry(c, k, `kernels[${i}]`, registry, dtypes);
  });
  const measure = validateMeasure(c, o.measure);
  let referenceBudget = DEFAULT_REFERENCE_BUDGET;
  if (o.accuracy !== undefined) {
    const a = c.obj(o.accuracy, "accuracy");
    c.noUnknown(a, ["referenceBudget"], "accuracy");
    if (a.referenceBudget !== undefined) {
      referenceBudget = c.int(a.referenceBudget, "accuracy.referenceBudget", 1);
    }
  }
  const gate = o.gate === undefined ? {} : c.obj(o.gate, "gate");
  try {
    validateScopedRules(gate, file, "gate");
  } catch (e) {
    if (e instanceof GateInputError) throw new SuiteError(file, e.field, e.detail);
    throw e;
  }
  return {
    name,
    description,
    seed,
    shapes,
    dtypes,
    data,
    kernels,
    measure,
    referenceBudget,
    gate,
    source: file === "<suite>" ? null : file,
    baseDir: null,
  };
}
