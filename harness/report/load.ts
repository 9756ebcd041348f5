/**
 * Reading saved `results.json` (and gate verdict) files for re-rendering, with errors that name
 * the file and the field.
 *
 * @module
 */

import { type RunResults, SCHEMA_VERSION } from "../types.ts";
import type { VerdictInput } from "./compare.ts";

/**
 * A results or verdicts file that cannot be used: the message is `FILE: FIELD: problem`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReportInputError } from "./load.ts";
 * const e = new ReportInputError("r.json", "results[2].status", 'must be ok, failed or skipped; got "fine"');
 * assert.equal(e.message, 'r.json: results[2].status: must be ok, failed or skipped; got "fine"');
 * ```
 */
export class ReportInputError extends TypeError {
  /** The file. */
  readonly file: string;
  /** The offending field's path, or "" for the whole file. */
  readonly field: string;
  /** Creates the error. */
  constructor(file: string, field: string, problem: string) {
    super(field ? `${file}: ${field}: ${problem}` : `${file}: ${problem}`);
    this.name = "ReportInputError";
    this.file = file;
    this.field = field;
  }
}

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

class Checker {
  constructor(readonly file: string) {}
  fail(field: string, problem: string): never {
    throw new ReportInputError(this.file, field, problem);
  }
  obj(v: unknown, field: string): Obj {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.fail(field, `must be an object, got ${show(v)}`);
    }
    return v as Obj;
  }
  str(o: Obj, key: string, field: string): string {
    if (typeof o[key] !== "string") {
      this.fail(`${field}.${key}`, `must be a string, got ${show(o[key])}`);
    }
    return o[key] as string;
  }
  num(o: Obj, key: string, field: string, nullable = false): void {
    const v = o[key];
    if (nullable && v === null) return;
    if (typeof v !== "number") {
      this.fail(`${field}.${key}`, `must be a number${nullable ? " or null" : ""}, got ${show(v)}`);
    }
  }
}

/**
 * Checks that `value` is a results document this version can render (the fields the reports
 * read), and returns it typed. `file` names the source in errors.
 *
 * @example
 * ```ts ignore
 * const results = validateResults(JSON.parse(text), "reports/x/results.json");
 * ```
 */
export function validateResults(value: unknown, file: string): RunResults {
  const c = new Checker(file);
  const root = c.obj(value, "(top level)");
  if (root.schemaVersion !== SCHEMA_VERSION) {
    c.fail("schemaVersion", `must be ${SCHEMA_VERSION}, got ${show(root.schemaVersion)}`);
  }
  const meta = c.obj(root.meta, "meta");
  c.str(meta, "suite", "meta");
  c.str(meta, "startedAt", "meta");
  c.str(c.obj(meta.tool, "meta.tool"), "version", "meta.tool");
  const adapter = c.obj(meta.adapter, "meta.adapter");
  for (const k of ["vendor", "architecture", "device", "description"]) {
    c.str(adapter, k, "meta.adapter");
  }
  if (meta.peaks !== null && meta.peaks !== undefined) {
    const p = c.obj(meta.peaks, "meta.peaks");
    c.num(p, "fmaTflops", "meta.peaks");
    c.num(p, "copyGbps", "meta.peaks");
    c.num(p, "fmaF16Tflops", "meta.peaks", true);
  }
  if (meta.features !== undefined && !Array.isArray(meta.features)) {
    c.fail("meta.features", `must be a list of strings, got ${show(meta.features)}`);
  }
  const totals = c.obj(root.totals, "totals");
  for (const k of ["cases", "ok", "failed", "skipped", "pending"]) c.num(totals, k, "totals");
  if (!Array.isArray(root.results)) c.fail("results", `must be a list, got ${show(root.results)}`);
  const ids = new Set<string>();
  (root.results as unknown[]).forEach((item, i) => {
    const f = `results[${i}]`;
    const r = c.obj(item, f);
    const id = c.str(r, "id", f);
    if (ids.has(id)) c.fail(`${f}.id`, `duplicates an earlier case id ${show(id)}`);
    ids.add(id);
    c.str(r, "kernel", f);
    c.str(r, "family", f);
    c.str(r, "dtype", f);
    if (!["ok", "failed", "skipped"].includes(r.status as string)) {
      c.fail(`${f}.status`, `must be ok, failed or skipped; got ${show(r.status)}`);
    }
    if (r.reason !== null && typeof r.reason !== "string") {
      c.fail(`${f}.reason`, `must be a string or null, got ${show(r.reason)}`);
    }
    const shape = c.obj(r.shape, `${f}.shape`);
    for (const k of ["m", "k", "n"]) c.num(shape, k, `${f}.shape`);
    if (shape.label !== undefined && shape.label !== null && typeof shape.label !== "string") {
      c.fail(`${f}.shape.label`, `must be a string, got ${show(shape.label)}`);
    }
    if (r.params !== undefined) c.obj(r.params, `${f}.params`);
    if (r.tune !== undefined) c.obj(r.tune, `${f}.tune`);
    const flops = c.obj(r.flops, `${f}.flops`);
    c.num(flops, "total", `${f}.flops`);
    c.num(r, "flopsDense", f);
    c.num(r, "bytes", f);
    c.num(r, "storedBytes", f);
    if (r.time !== null) {
      const t = c.obj(r.time, `${f}.time`);
      for (const k of ["median", "noise", "n"]) c.num(t, k, `${f}.time`);
      const ci = c.obj(t.ci, `${f}.time.ci`);
      c.num(ci, "lo", `${f}.time.ci`);
      c.num(ci, "hi", `${f}.time.ci`);
    } else if (r.status === "ok") {
      c.fail(`${f}.time`, "must be an object for an ok case, got null");
    }
    if (r.throughput !== null) {
      const t = c.obj(r.throughput, `${f}.throughput`);
      for (const k of ["effectiveTflops", "executedTflops", "gbps"]) c.num(t, k, `${f}.throughput`);
    }
    c.num(r, "speedupVsDense", f, true);
    if (r.correctness !== null) {
      const k = c.obj(r.correctness, `${f}.correctness`);
      if (typeof k.passed !== "boolean") {
        c.fail(`${f}.correctness.passed`, `must be true or false, got ${show(k.passed)}`);
      }
      c.num(k, "relError", `${f}.correctness`, true);
      c.num(k, "tolerance", `${f}.correctness`);
    }
    if (r.approximation !== null) {
      c.num(c.obj(r.approximation, `${f}.approximation`), "relError", `${f}.approximation`, true);
    }
    if (r.roofline !== null && r.roofline !== undefined) c.obj(r.roofline, `${f}.roofline`);
  });
  return value as RunResults;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new ReportInputError(path, "", `cannot read the file (${why})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(path, "", `not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Reads and validates a `results.json`.
 *
 * @example
 * ```ts ignore
 * const results = loadResultsFile("reports/smoke-20250101-000000/results.json");
 * ```
 */
export function loadResultsFile(path: string): RunResults {
  return validateResults(readJson(path), path);
}

/**
 * Checks a verdicts document: a list of `{ id, verdict, reason? }`, or an object holding such a
 * list under `verdicts` or `cases` (the gate's JSON verdict file).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateVerdicts } from "./load.ts";
 * const v = validateVerdicts({ verdicts: [{ id: "a", verdict: "same" }] }, "v.json");
 * assert.equal(v[0]!.verdict, "same");
 * ```
 */
export function validateVerdicts(value: unknown, file: string): VerdictInput[] {
  const c = new Checker(file);
  let list: unknown = value;
  let base = "";
  if (!Array.isArray(value)) {
    const o = c.obj(value, "(top level)");
    base = Array.isArray(o.verdicts) ? "verdicts" : Array.isArray(o.cases) ? "cases" : "";
    if (!base) {
      c.fail(
        "verdicts",
        `must be a list of {id, verdict} (or the file itself a list), got ${show(o.verdicts)}`,
      );
    }
    list = o[base];
  }
  return (list as unknown[]).map((item, i) => {
    const f = base ? `${base}[${i}]` : `[${i}]`;
    const o = c.obj(item, f);
    if (typeof o.id !== "string") c.fail(`${f}.id`, `must be a string, got ${show(o.id)}`);
    if (typeof o.verdict !== "string") {
      c.fail(`${f}.verdict`, `must be a string, got ${show(o.verdict)}`);
    }
    if (o.reason !== undefined && o.reason !== null && typeof o.reason !== "string") {
      c.fail(`${f}.reason`, `must be a string, got ${show(o.reason)}`);
    }
    return o as unknown as VerdictInput; // extra fields are kept as they are
  });
}

/**
 * Reads and validates a verdicts file (see {@link validateVerdicts}).
 *
 * @example
 * ```ts ignore
 * const verdicts = loadVerdictsFile("gate.json");
 * ```
 */
export function loadVerdictsFile(path: string): VerdictInput[] {
  return validateVerdicts(readJson(path), path);
}
