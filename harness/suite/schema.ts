/**
 * The suite format: types of a validated suite and the errors bad suites raise.
 *
 * @module
 */

import type { DistributionSpec } from "../data/distributions.ts";
import type { MeasureOptions } from "../measure/options.ts";
import type { DType, ParamValue, Shape } from "../types.ts";

/**
 * One entry of a suite's `kernels` list: the kernel name, optional dtype restriction, public
 * parameters and tuning knobs (`tune`). A parameter or knob given as an array expands into one
 * case per value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * import { expandCases } from "./expand.ts";
 * import { validateSuite } from "./validate.ts";
 * const e: KernelEntry = { kernel: "int4", group: 128, tune: { gemvSlices: ["32", "64"] } };
 * const suite = { name: "x", seed: 1, shapes: [{ m: 1, k: 256, n: 64 }], kernels: [e] };
 * // an array expands into one case per value
 * assert.equal(expandCases(validateSuite(suite, "x.json", builtinKernels), builtinKernels).length, 2);
 * ```
 */
export interface KernelEntry {
  /** The kernel's name. */
  kernel: string;
  /** Restrict this entry to some of the suite's dtypes. */
  dtypes?: DType[];
  /** Tuning knobs (launch and shader-generation choices), checked against the kernel's `tune`. */
  tune?: Record<string, ParamValue | ParamValue[]>;
  /** A parameter value, or a list of values to sweep. */
  [param: string]:
    | ParamValue
    | ParamValue[]
    | DType[]
    | Record<string, ParamValue | ParamValue[]>
    | undefined;
}

/**
 * A suite as written by users (JSON file or the default export of a TS module).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * import { validateSuite } from "./validate.ts";
 * const s: SuiteInput = {
 *   name: "tiny", seed: 1, shapes: [{ m: 8, k: 16, n: 8 }], dtypes: ["f32"],
 *   kernels: [{ kernel: "dense" }],
 * };
 * assert.equal(validateSuite(s, "tiny.json", builtinKernels).name, "tiny");
 * ```
 */
export interface SuiteInput {
  /** Suite name. */
  name: string;
  /** What the suite measures. */
  description?: string;
  /** Seed of every input. */
  seed: number;
  /** Shapes to run. */
  shapes?: Shape[];
  /** Shapes as the product of M, K and N values. */
  axes?: { m: number[]; k: number[]; n: number[] };
  /** Element types to run (default f32). */
  dtypes?: DType[];
  /** Input distributions of X and W. */
  data?: {
    x?: DistributionSpec | DistributionSpec["dist"];
    w?: DistributionSpec | DistributionSpec["dist"];
    calibRows?: number;
  };
  /** Kernel entries; a list value is a sweep. */
  kernels: KernelEntry[];
  /** Measurement settings. */
  measure?: Partial<MeasureOptions>;
  /** Reference settings. */
  accuracy?: { referenceBudget?: number };
  /** Gate thresholds for this suite (see the gate's config format). */
  gate?: Record<string, unknown>;
}

/**
 * A validated suite with defaults filled in.
 */
export interface Suite {
  /** Suite name. */
  name: string;
  /** What the suite measures. */
  description: string;
  /** Seed of every input. */
  seed: number;
  /** Shapes to run. */
  shapes: Shape[];
  /** Element types to run. */
  dtypes: DType[];
  /** Input distributions and calibration rows. */
  data: { x: DistributionSpec; w: DistributionSpec; calibRows: number };
  /** Kernel entries. */
  kernels: KernelEntry[];
  /** Measurement settings. */
  measure: MeasureOptions;
  /** Multiply-adds a CPU reference may spend per case before rows are sampled. */
  referenceBudget: number;
  /** The suite's gate rules (may be empty). */
  gate: Record<string, unknown>;
  /** File the suite came from, or null for a suite built in code. */
  source: string | null;
  /** Directory of the suite file, for parameters that name files; null for in-code suites. */
  baseDir: string | null;
}

/**
 * A malformed suite: names the file and the field, and says what is allowed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = new SuiteError("suites/x.json", "kernels[0].tile", "must be one of 2, 4; got 3");
 * assert.equal(e.message, "suites/x.json: kernels[0].tile: must be one of 2, 4; got 3");
 * ```
 */
export class SuiteError extends TypeError {
  /** The file (or "<suite>" for an in-code suite). */
  readonly file: string;
  /** Path of the offending field, such as `kernels[1].rank`. */
  readonly field: string;
  /** Creates the error. */
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field ? `${field}: ` : ""}${message}`);
    this.name = "SuiteError";
    this.file = file;
    this.field = field;
  }
}

/** Default cap on the cases a suite may expand to (`--max-cases` raises it). */
export const DEFAULT_MAX_CASES = 10_000;
