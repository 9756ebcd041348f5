/**
 * Reading results files for the history commands: plain `results.json` or gzip-compressed
 * `.json.gz` (the compact form kept under `data/`), checked by the report's validator.
 *
 * @module
 */

import { gunzipSync, gzipSync } from "node:zlib";
import { ReportInputError, validateResults } from "../report/load.ts";
import { jsonSyntaxProblem, type RunResults } from "../types.ts";

/**
 * Reads and validates a results file (`.json` or `.json.gz`); problems are a
 * `ReportInputError` naming the file (and the field).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const run = readResults("baselines/smoke-llvmpipe.json"); // .json, or .json.gz
 * assert.equal(run.meta.suite, "smoke");
 * ```
 */
export function readResults(path: string): RunResults {
  let text: string;
  try {
    const bytes = Deno.readFileSync(path);
    text = path.endsWith(".gz")
      ? new TextDecoder().decode(gunzipSync(bytes))
      : new TextDecoder().decode(bytes);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "file not found"
      : e instanceof Deno.errors.IsADirectory
      ? "is a directory, not a file"
      : `cannot read: ${(e as Error).message}`;
    throw new ReportInputError(path, "", why);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(path, "", jsonSyntaxProblem(e, text));
  }
  return validateResults(value, path);
}

/**
 * Writes `value` as JSON to `path`, gzip-compressed when the name ends in `.gz`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const path = `${Deno.makeTempDirSync()}/x.json.gz`;
 * const results = readResults("baselines/smoke-llvmpipe.json");
 * writeJson(path, results); // gzip-compressed because of the name
 * assert.deepEqual(readResults(path), results);
 * ```
 */
export function writeJson(path: string, value: unknown): void {
  const text = JSON.stringify(value) + "\n";
  if (path.endsWith(".gz")) {
    Deno.writeFileSync(path, gzipSync(new TextEncoder().encode(text), { level: 9 }));
  } else Deno.writeTextFileSync(path, text);
}
