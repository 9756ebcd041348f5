/**
 * User-supplied encoders (e.g. trained elsewhere) as JSON files, validated with errors that name
 * the file, the field and the expected shape.
 *
 * Format (t = tile, r = rank; `tile`, `rank` and `description` are optional, and `tile`/`rank`
 * must match the kernel's params when given):
 *
 * ```json
 * {
 *   "tile": 2, "rank": 7, "description": "Strassen",
 *   "alpha": [[1, 0, 0, 1], …],            // r rows of t² numbers: X tile → channel
 *   "beta":  [[1, 0, 0, 1], …],            // r rows of t² numbers: W tile → channel
 *   "gamma": [[1, 0, 0, 1, -1, 0, 1], …]   // t² rows of r numbers: channels → Y tile entry
 * }
 * ```
 *
 * Tiles are flattened row-major: entry (a, b) of a t×t tile is index a·t + b. Coefficients are
 * rounded to f32 on load.
 *
 * @module
 */

import { jsonSyntaxProblem } from "../../harness/types.ts";
import { type Encoder, roundEncoderToF32 } from "./encoder.ts";

/**
 * A malformed or unreadable encoder file. The message names the file and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new EncoderFileError("enc.json", "alpha", "must be an array of 7 rows, got 6");
 * assert.equal(e.message, 'encoder file "enc.json": alpha: must be an array of 7 rows, got 6');
 * ```
 */
export class EncoderFileError extends Error {
  /** The offending field ("" for the whole file). */
  readonly field: string;
  /** Creates the error for `field` of `file`. */
  constructor(file: string, field: string, message: string) {
    super(`encoder file ${JSON.stringify(file)}: ${field ? `${field}: ` : ""}${message}`);
    this.name = "EncoderFileError";
    this.field = field;
  }
}

const FIELDS = ["tile", "rank", "description", "alpha", "beta", "gamma", "$schema"];

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Parses and validates an encoder document for tile `t` and rank `r`. `file` names the source
 * in errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = parseEncoderJson(
 *   JSON.stringify({ alpha: [[1]], beta: [[1]], gamma: [[1]] }), 1, 1, "unit.json",
 * );
 * assert.ok(e.source === "file" && e.gamma[0] === 1);
 * ```
 */
export function parseEncoderJson(text: string, t: number, r: number, file: string): Encoder {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EncoderFileError(file, "", jsonSyntaxProblem(e, text));
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new EncoderFileError(file, "", `must be a JSON object, got ${show(doc)}`);
  }
  const o = doc as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!FIELDS.includes(key)) {
      throw new EncoderFileError(
        file,
        key,
        `unknown field; allowed: ${FIELDS.filter((f) => f !== "$schema").join(", ")}`,
      );
    }
  }
  if (o.tile !== undefined && o.tile !== t) {
    throw new EncoderFileError(file, "tile", `is ${show(o.tile)} but the kernel's tile is ${t}`);
  }
  if (o.rank !== undefined && o.rank !== r) {
    throw new EncoderFileError(file, "rank", `is ${show(o.rank)} but the kernel's rank is ${r}`);
  }
  const tt = t * t;
  const matrix = (field: string, rows: number, cols: number, what: string): Float64Array => {
    const v = o[field];
    const shape = `${rows} rows of ${cols} numbers (${what})`;
    if (!Array.isArray(v)) {
      throw new EncoderFileError(file, field, `must be an array of ${shape}, got ${show(v)}`);
    }
    if (v.length !== rows) {
      throw new EncoderFileError(file, field, `must have ${shape}, got ${v.length} rows`);
    }
    const out = new Float64Array(rows * cols);
    v.forEach((row, i) => {
      if (!Array.isArray(row)) {
        throw new EncoderFileError(
          file,
          `${field}[${i}]`,
          `must be an array of ${cols} numbers, got ${show(row)}`,
        );
      }
      if (row.length !== cols) {
        throw new EncoderFileError(
          file,
          `${field}[${i}]`,
          `must have ${cols} numbers (${what}), got ${row.length}`,
        );
      }
      row.forEach((x, j) => {
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new EncoderFileError(
            file,
            `${field}[${i}][${j}]`,
            `must be a finite number, got ${show(x)}`,
          );
        }
        out[i * cols + j] = x;
      });
    });
    return out;
  };
  const alpha = matrix("alpha", r, tt, `rank × tile², tile ${t}, rank ${r}`);
  const beta = matrix("beta", r, tt, `rank × tile², tile ${t}, rank ${r}`);
  const gamma = matrix("gamma", tt, r, `tile² × rank, tile ${t}, rank ${r}`);
  return roundEncoderToF32({ t, r, source: "file", alpha, beta, gamma });
}

/**
 * Reads and validates an encoder file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * const path = `${Deno.makeTempDirSync()}/strassen.json`;
 * Deno.writeTextFileSync(path, encoderToJson(strassenEncoder()));
 * const enc = await loadEncoderFile(path, 2, 7);
 * assert.deepEqual(Array.from(enc.gamma), Array.from(strassenEncoder().gamma));
 * await assert.rejects(() => loadEncoderFile(path, 2, 6), /rank/);
 * ```
 */
export async function loadEncoderFile(path: string, t: number, r: number): Promise<Encoder> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new EncoderFileError(path, "", `cannot be read: ${(e as Error).message}`);
  }
  return parseEncoderJson(text, t, r, path);
}

/**
 * Serialises an encoder in the file format (e.g. to keep a cp-als fit or hand one to another
 * tool).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * const back = parseEncoderJson(encoderToJson(strassenEncoder()), 2, 7, "<memory>");
 * assert.equal(back.gamma[4], -1);
 * ```
 */
export function encoderToJson(e: Encoder, description?: string): string {
  const tt = e.t * e.t;
  const rows = (a: Float64Array, n: number, cols: number) =>
    Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * cols, i * cols + cols)));
  return JSON.stringify({
    tile: e.t,
    rank: e.r,
    ...(description ? { description } : {}),
    alpha: rows(e.alpha, e.r, tt),
    beta: rows(e.beta, e.r, tt),
    gamma: rows(e.gamma, tt, e.r),
  });
}
