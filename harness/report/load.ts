/**
 * Reading saved `results.json` (and gate verdict) files for re-rendering, with errors that name
 * the file and the field.
 *
 * @module
 */

import { validateResultsDocument } from "../schema/results.ts";
import { jsonSyntaxProblem, type RunResults } from "../types.ts";
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
}

/**
 * Checks that `value` is a results document this version can render (the format of
 * `harness/schema/results.ts`, shared with the gate), and returns it typed. `file` names the
 * source in errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => validateResults([], "x.json"), /x\.json: \(top level\): must be an object/);
 * ```
 */
export function validateResults(value: unknown, file: string): RunResults {
  return validateResultsDocument(value, (field, problem) => {
    throw new ReportInputError(file, field, problem);
  });
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
    throw new ReportInputError(path, "", jsonSyntaxProblem(e, text));
  }
}

/**
 * Reads and validates a `results.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const results = loadResultsFile("baselines/smoke-llvmpipe.json");
 * assert.equal(results.meta.suite, "smoke");
 * assert.throws(() => loadResultsFile("no/such/results.json"), /no\/such\/results\.json/);
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
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * Deno.writeTextFileSync(`${dir}/gate.json`, JSON.stringify({ cases: [{ id: "a", verdict: "slower" }] }));
 * const verdicts = loadVerdictsFile(`${dir}/gate.json`);
 * assert.deepEqual(verdicts.map((v) => [v.id, v.verdict]), [["a", "slower"]]);
 * ```
 */
export function loadVerdictsFile(path: string): VerdictInput[] {
  return validateVerdicts(readJson(path), path);
}
