/**
 * The gate rules format (a suite's `gate` object) in the schema description language, for the
 * JSON Schema of suites. `validateScopedRules` (config.ts) is the validator; tests check that the
 * two accept and reject the same rule blocks.
 *
 * @module
 */

import { s, type Schema } from "../schema/schema.ts";
import { METRICS, TIME_TESTS } from "./config.ts";

const time = s.obj(
  {
    enabled: s.bool(),
    threshold: s.anyOf(
      s.num({ min: 0, doc: "A fraction: 0.05 is 5%." }),
      s.str({
        pattern: "^\\s*([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*%?\\s*$",
        doc: 'A percentage: "5%".',
      }),
    ),
    alpha: s.anyOf(
      s.num({ min: 0, exclusiveMin: true, max: 0.5 }),
      s.str({ pattern: "^\\s*\\S+\\s*$", doc: "A number in (0, 0.5] written as a string." }),
    ),
    test: s.str({ enum: TIME_TESTS }),
    resamples: s.int({ min: 100 }),
    seed: s.int(),
  },
  [],
  { additional: false, doc: "When a time difference fails the gate." },
);

const tolerance = s.obj(
  {
    enabled: s.bool(),
    rel: s.num({ min: 0 }),
    abs: s.num({ min: 0 }),
  },
  [],
  { additional: false },
);

const patch: Record<string, Schema> = {
  time,
  accuracy: tolerance,
  correctness: tolerance,
  flops: tolerance,
};
const patchOnly = s.obj(patch, [], { additional: false });

/**
 * A block of gate rules: per-metric thresholds and per-kernel overrides (a suite's `gate`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validate } from "../schema/schema.ts";
 * const fail = (path: string, problem: string): never => {
 *   throw new Error(`${path}: ${problem}`);
 * };
 * validate(SCOPED_RULES_SCHEMA, { time: { threshold: "300%" } }, fail);
 * assert.throws(() => validate(SCOPED_RULES_SCHEMA, { speed: {} }, fail), /speed: unknown field/);
 * ```
 */
export const SCOPED_RULES_SCHEMA: Schema = s.obj(
  {
    ...patch,
    kernels: s.map(patchOnly, "Overrides per kernel name."),
  },
  [],
  {
    additional: false,
    doc: `Regression-gate thresholds per metric (${
      METRICS.join(", ")
    }), with overrides per kernel.`,
  },
);
