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
 * - `int8` (`outliers`, `threshold`, `smooth`): LLM.int8() / W8A8 after training: per-column
 *   int8 weight scales (absmax/127), per-token activation scales computed at run time;
 *   `llm-int8` leaves the feature dimensions whose calibration |x| exceeds `threshold` (6.0)
 *   out of the int8 product and adds them in floating point; `smooth` α migrates activation
 *   range into the weights (SmoothQuant). Fine-tuning trains shadow weights through fake
 *   quantisers of W and X (straight-through); the outlier set and smoothing stay fixed.
 * - `ternary` (`group`, `method`): BitNet b1.58 absmean weights {−1, 0, +1} × a scale per
 *   column (`group` 0) or per group of K rows; activations stay in the dtype (kernels/ternary is
 *   weight-only). `absmean` converts a trained model; `qat` trains from scratch; both train
 *   latent weights through the absmean quantiser with a straight-through gradient.
 * - `monarch` (`blocks`): M = P·L·Pᵀ·R with b blocks as kernels/monarch defines it; the factors
 *   R (K×b) and L (b×N) are trainable, initialised by the block-wise rank-1 projection of the
 *   dense layer (the dense init from scratch, the trained layer when converting).
 *
 * @module
 */

import { type MaskName, MASKS } from "../kernels/sparse24/masks.ts";
import { STL_MAX_RANK, STL_TILES } from "../kernels/stl/params.ts";

/** Operator names. */
export const OPERATORS = [
  "dense",
  "stl",
  "sparse24",
  "int4",
  "int8",
  "ternary",
  "monarch",
] as const;
/** STL initialisations. */
export const STL_INITS = ["strassen", "strassen2", "cp-als", "random"] as const;
/** INT4 methods. */
export const INT4_METHODS = ["rtn", "awq", "qat"] as const;
/** INT8 outlier handling. */
export const INT8_OUTLIERS = ["none", "llm-int8"] as const;
/** Ternary methods: `absmean` converts a trained model, `qat` trains from scratch. */
export const TERNARY_METHODS = ["absmean", "qat"] as const;
/** Ternary scale groups (kernels/ternary's `group`; 0 = one scale per column). */
export const TERNARY_GROUPS = [0, 32, 64, 128, 256] as const;

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
  | { op: "int4"; group: number; method: typeof INT4_METHODS[number] }
  | {
    op: "int8";
    outliers: typeof INT8_OUTLIERS[number];
    threshold: number;
    smooth: number;
  }
  | { op: "ternary"; group: number; method: typeof TERNARY_METHODS[number] }
  | { op: "monarch"; blocks: number };

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
    case "int8":
      return `int8${o.outliers === "llm-int8" ? ` llm-int8 t${o.threshold}` : ""}${
        o.smooth > 0 ? ` smooth${o.smooth}` : ""
      }`;
    case "ternary":
      return `ternary${o.group ? ` g${o.group}` : ""} ${o.method}`;
    case "monarch":
      return `monarch b${o.blocks}`;
  }
}

/**
 * Validates an operator declaration; throws a one-line RangeError naming `where`.field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => parseOperator({ op: "stl", t: 4, r: 0, init: "cp-als" }, "v"), /v.r: /);
 * assert.throws(() => parseOperator({ op: "stl", t: 4, r: 100 }, "v"), /v.r: must be ≤ 64 at t 4/);
 * assert.throws(() => parseOperator({ op: "stl", t: 3, r: 9 }, "v"), /v.t: must be one of 2, 4/);
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
    int8: ["op", "outliers", "threshold", "smooth"],
    ternary: ["op", "group", "method"],
    monarch: ["op", "blocks"],
  };
  const num = (f: string, min: number, max: number, dflt: number): number => {
    const v = o[f] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v >= min && v <= max)) {
      throw new RangeError(
        `${where}.${f}: must be a number in [${min}, ${max}]; got ${JSON.stringify(o[f])}`,
      );
    }
    return v;
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
      // what the STL kernels the models are scored and timed through can run
      const t = int("t", 1);
      if (!(STL_TILES as readonly number[]).includes(t)) {
        throw new RangeError(`${where}.t: must be one of ${STL_TILES.join(", ")}; got ${t}`);
      }
      const r = int("r", 1);
      const maxRank = Math.min(t ** 3, STL_MAX_RANK);
      if (r > maxRank) {
        throw new RangeError(
          `${where}.r: must be ≤ ${maxRank} at t ${t} (the STL kernels' ranks: 1 … min(t³, ` +
            `${STL_MAX_RANK})); got ${r}`,
        );
      }
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
    case "int8": {
      const outliers = oneOf("outliers", INT8_OUTLIERS, "none") as typeof INT8_OUTLIERS[number];
      return {
        op,
        outliers,
        threshold: num("threshold", 0, 1e6, 6),
        smooth: num("smooth", 0, 1, 0),
      };
    }
    case "ternary": {
      const group = int("group", 0, 0);
      if (!(TERNARY_GROUPS as readonly number[]).includes(group)) {
        throw new RangeError(
          `${where}.group: must be one of ${TERNARY_GROUPS.join(", ")}; got ${group}`,
        );
      }
      const method = oneOf("method", TERNARY_METHODS, "absmean") as typeof TERNARY_METHODS[number];
      return { op, group, method };
    }
    case "monarch":
      return { op, blocks: int("blocks", 1, 4) };
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

/**
 * Why operator `o` cannot run on a K×N operator layer named `layer`, as `field: message`, or
 * null: the shapes each family's kernels and training layers take.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(operatorLayerProblem({ op: "monarch", blocks: 4 }, "fc", 64, 64), null);
 * assert.match(operatorLayerProblem({ op: "int4", group: 32, method: "rtn" }, "fc", 784, 64)!, /^group/);
 * ```
 */
export function operatorLayerProblem(
  o: OperatorSpec,
  layer: string,
  k: number,
  n: number,
): string | null {
  switch (o.op) {
    case "stl":
      return k % o.t !== 0 || n % o.t !== 0
        ? `t: ${o.t} must divide K and N of layer ${layer} (${k}×${n})`
        : null;
    case "int4":
      return k % o.group !== 0 ? `group: ${o.group} must divide K = ${k} of layer ${layer}` : null;
    case "monarch":
      return o.blocks > Math.min(k, n)
        ? `blocks: ${o.blocks} exceeds min(K, N) = ${Math.min(k, n)} of layer ${layer}`
        : null;
    default:
      return null;
  }
}

/**
 * Why operator `o` cannot be declared for an experiment (`scratch`: trained from a seeded
 * initialisation; `convert`: converted from the trained dense model, then fine-tuned), as
 * `field: message`, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(operatorExperimentProblem({ op: "ternary", group: 0, method: "qat" }, "scratch"), null);
 * assert.match(operatorExperimentProblem({ op: "int4", group: 16, method: "rtn" }, "scratch")!, /^method/);
 * ```
 */
export function operatorExperimentProblem(
  o: OperatorSpec,
  experiment: "scratch" | "convert",
): string | null {
  if (experiment === "scratch") {
    if (o.op === "sparse24" && o.mask !== "magnitude") {
      return "mask: from scratch only magnitude (wanda needs a trained model)";
    }
    if (o.op === "int4" && o.method !== "qat") {
      return "method: from scratch only qat (rtn and awq quantise a trained model; list them under convert)";
    }
    if (o.op === "ternary" && o.method !== "qat") {
      return "method: from scratch only qat (absmean quantises a trained model; list it under convert)";
    }
    if (o.op === "int8") {
      return "op: int8 quantises a trained model after training; list it under convert";
    }
    return null;
  }
  if (o.op === "int4" && o.method === "qat") {
    return "method: convert takes rtn or awq (fine-tuning is QAT)";
  }
  if (o.op === "ternary" && o.method === "qat") {
    return "method: convert takes absmean (fine-tuning is QAT)";
  }
  return null;
}
