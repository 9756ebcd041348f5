/**
 * Checks that a parsed `results.json` is one the gate can read, with errors that name the file
 * and the field. The format is described once, in `harness/schema/results.ts`, shared with the
 * reports.
 *
 * @module
 */

import { validateResultsDocument } from "../schema/results.ts";
import type { RunResults } from "../types.ts";
import { GateInputError } from "../rules/errors.ts";

/**
 * Validates parsed `results.json` content for the gate (see `RESULTS_SCHEMA`): `schemaVersion`,
 * `meta`, `totals` and every result's identity, status, FLOPs, time samples and error metrics.
 * Error metrics may be `null` (JSON has no Infinity). Returns the same object, typed; a problem
 * is a {@link GateInputError} naming the file and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(
 *   () => validateRunResults({ schemaVersion: 99 }, "old.json"),
 *   /old\.json: schemaVersion: must be 1 /,
 * );
 * ```
 */
export function validateRunResults(raw: unknown, file: string): RunResults {
  return validateResultsDocument(raw, (field, problem) => {
    throw new GateInputError(file, field, problem);
  });
}
