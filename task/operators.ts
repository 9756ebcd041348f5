/**
 * The operators a task model's linears can take, as a suite declares them, and their
 * validation.
 *
 * - `dense`: y = x·W + b.
 * - `stl` (`t`, `r`, `init`): learned α (r×t²), Ŵ (r planes of K/t × N/t) and γ (t²×r). `init`
 *   picks the encoder that initialises α and γ and encodes Ŵ = β·W from a dense layer (the dense
 *   init from scratch, the trained dense layer when fine-tuning): `strassen` (t = 2, r = 7) and
 *   `strassen2` (t = 4, r = 49) are exact, so the model starts as its dense twin; `cp-als`
 *   fits a rank-r approximation of ⟨t,t,t⟩; `random` is the seeded random encoder.
 * - `sparse24` (`mask`): 2:4 along K by `magnitude` or `wanda` (|W|·‖x_k‖ over calibration
 *   rows from the training set). Fine-tuning keeps the mask and trains the kept weights; from
 *   scratch the mask is recomputed by magnitude every `maskEvery` steps and the pruned weights
 *   receive straight-through gradients.
 * - `int4` (`group`, `method`): `rtn` and `awq` quantise a dense model after training (AWQ's
 *   per-channel scale from calibration rows, no clipping); fine-tuning and `qat` train the
 *   shadow weights through a fake quantiser with a straight-through estimator (RTN of each
 *   group, recomputed every step); the export quantises the final shadow weights.
 *
 * @module
 */

import { type MaskName, MASKS } from "../kernels/sparse24/masks.ts";

/** Operator names. */
export const OPERATORS = ["dense", "stl", "sparse24", "int4"] as const;
/** STL initialisations. */
export const STL_INITS = ["strassen", "strassen2", "cp-als", "random"] as const;
/** INT4 methods. */
export const INT4_METHODS = ["rtn", "awq", "qat"] as const;

/**
 * One operator with its parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: OperatorSpec = { op: "stl", t: 4, r: 24, init: "cp-als" };
 * assert.deepEqual(parseOperator({ op: "stl", t: 4, r: 24, init: "cp-als" }, "x.json"), o);
 * ```
 */
export type OperatorSpec =
  | { op: "dense" }
  | { op: "stl"; t: number; r: number; init: typeof STL_INITS[number] }
  | { op: "sparse24"; mask: MaskName; maskEvery?: number }
  | { op: "int4"; group: number; method: typeof INT4_METHODS[number] };

/**
 * A short label of an operator, e.g. `stl t4 r24 cp-als`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(operatorLabel({ op: "int4", group: 32, method: "awq" }), "int4 g32 awq");
 * ```
 */
export function operatorLabel(o: OperatorSpec): string {
  switch (o.op) {
    case "dense":
      return "dense";
    case "stl":
      return `stl t${o.t} r${o.r} ${o.init}`;
    case "sparse24":
      return `2:4 ${o.mask}`;
    case "int4":
      return `int4 g${o.group} ${o.method}`;
  }
}

/**
 * Validates an operator declaration; throws a one-line RangeError naming `where`.field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => parseOperator({ op: "stl", t: 4, r: 0, init: "cp-als" }, "v"), /v.r: /);
 * assert.equal(parseOperator({ op: "sparse24", mask: "wanda" }, "v").op, "sparse24");
 * ```
 */
export function parseOperator(raw: unknown, where: string): OperatorSpec {
  if (typeof raw !== "object" || raw === null) {
    throw new RangeError(`${where}: must be an object with "op"`);
  }
  const o = raw as Record<string, unknown>;
  const oneOf = (f: string, allowed: readonly string[], dflt?: string): string => {
    const v = o[f] ?? dflt;
    if (typeof v !== "string" || !allowed.includes(v)) {
      throw new RangeError(
        `${where}.${f}: must be one of ${allowed.join(", ")}; got ${JSON.stringify(o[f])}`,
      );
    }
    return v;
  };
  const int = (f: string, min: number, dflt?: number): number => {
    const v = o[f] ?? dflt;
    if (!(typeof v === "number" && Number.isInteger(v) && v >= min)) {
      throw new RangeError(
        `${where}.${f}: must be an integer ≥ ${min}; got ${JSON.stringify(o[f])}`,
      );
    }
    return v;
  };
  const op = oneOf("op", OPERATORS);
  const known: Record<string, string[]> = {
    dense: ["op"],
    stl: ["op", "t", "r", "init"],
    sparse24: ["op", "mask", "maskEvery"],
    int4: ["op", "group", "method"],
  };
  for (const f of Object.keys(o)) {
    if (!known[op]!.includes(f)) {
      throw new RangeError(
        `${where}.${f}: unknown field for op ${op}; known: ${known[op]!.join(", ")}`,
      );
    }
  }
  switch (op) {
    case "dense":
      return { op };
    case "stl": {
      const t = int("t", 1);
      const r = int("r", 1);
      const init = oneOf("init", STL_INITS, "cp-als") as typeof STL_INITS[number];
      if (init === "strassen" && (t !== 2 || r !== 7)) {
        throw new RangeError(`${where}.init: strassen is t 2, r 7; got t ${t}, r ${r}`);
      }
      if (init === "strassen2" && (t !== 4 || r !== 49)) {
        throw new RangeError(`${where}.init: strassen2 is t 4, r 49; got t ${t}, r ${r}`);
      }
      return { op, t, r, init };
    }
    case "sparse24": {
      const mask = oneOf("mask", MASKS, "magnitude") as MaskName;
      return o.maskEvery === undefined
        ? { op, mask }
        : { op, mask, maskEvery: int("maskEvery", 1) };
    }
    default: {
      const group = int("group", 8, 32);
      if (group % 8 !== 0) {
        throw new RangeError(`${where}.group: must be a multiple of 8; got ${group}`);
      }
      const method = oneOf("method", INT4_METHODS, "rtn") as typeof INT4_METHODS[number];
      return { op: "int4", group, method };
    }
  }
}
