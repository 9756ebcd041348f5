/**
 * Errors of the gate's input: a file that is missing, malformed or of the wrong shape, or two
 * runs that cannot be compared.
 *
 * @module
 */

/**
 * Bad gate input (exit code 2): names the file and the field, and says what is allowed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new GateInputError("base.json", "results[2].id", "must be a string; got 7");
 * assert.equal(e.message, "base.json: results[2].id: must be a string; got 7");
 * ```
 */
export class GateInputError extends TypeError {
  /** The file (or a placeholder such as "<config>" for in-code input). */
  readonly file: string;
  /** Path of the offending field, such as `results[3].time.samples`; empty for the whole file. */
  readonly field: string;
  /** What is wrong with the field, without the file and field. */
  readonly detail: string;
  /** Creates the error. */
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field ? `${field}: ` : ""}${message}`);
    this.name = "GateInputError";
    this.file = file;
    this.field = field;
    this.detail = message;
  }
}

/**
 * The two runs come from different adapters (exit code 2 unless the mismatch is allowed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new DeviceMismatchError("adapter.device: baseline \"0\" vs current \"1\"");
 * assert.ok(e.message.includes("--allow-device-mismatch"));
 * ```
 */
export class DeviceMismatchError extends TypeError {
  /** Creates the error from a description of the differences. */
  constructor(differences: string) {
    super(
      `the runs come from different adapters (${differences}); times are not comparable ` +
        `across devices. Pass --allow-device-mismatch to compare them anyway.`,
    );
    this.name = "DeviceMismatchError";
  }
}

/** Quotes a value for an error message, shortened when long. */
export function quoteForError(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
