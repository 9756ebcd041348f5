/**
 * Expansion of a validated suite into cases: shapes × dtypes × kernel entries × param values.
 *
 * @module
 */

import { type KernelDescriptor, ParamError, type ParamSpec, SkipCase } from "../kernel.ts";
import { type DType, matchesFilter, type Params, type ParamValue, type Shape } from "../types.ts";

export { matchesFilter };
import { DEFAULT_MAX_CASES, type Suite, SuiteError } from "./schema.ts";

export { DEFAULT_MAX_CASES };

/**
 * One case to run.
 */
export interface Case {
  /** Stable identity: kernel, non-default params and tuning knobs, dtype, shape and label. */
  id: string;
  /** The kernel that runs it. */
  kernel: KernelDescriptor;
  /** All public parameters, defaults included. */
  params: Params;
  /** All tuning knobs, defaults included. */
  tune: Params;
  /** True when the suite entry sets any tuning knob: an explicit `tune` wins over the tuner. */
  tuneGiven?: boolean;
  /** The kernel's configuration, resolved once from `params` and `tune` for this shape. */
  config: unknown;
  /** The product's shape. */
  shape: Shape;
  /** Element type. */
  dtype: DType;
  /** Reason the case cannot run, known before GPU work (e.g. a variant's shape limit). */
  skip: string | null;
}

/**
 * The identity string of a case. Only parameters and tuning knobs that differ from their
 * defaults appear, both in one sorted list (a knob's name never repeats a parameter's), so adding
 * a parameter to a kernel, or moving one between `params` and `tune`, keeps existing ids stable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const id = caseId("stl", { tile: 4, rank: 24 }, "f32", { m: 8, k: 8, n: 8, label: "a" });
 * assert.equal(id, "stl(rank=24,tile=4)/f32/8x8x8@a");
 * ```
 */
export function caseId(kernel: string, shown: Params, dtype: DType, shape: Shape): string {
  const keys = Object.keys(shown).sort();
  const p = keys.length ? `(${keys.map((k) => `${k}=${shown[k]}`).join(",")})` : "";
  return `${kernel}${p}/${dtype}/${shape.m}x${shape.k}x${shape.n}${
    shape.label ? `@${shape.label}` : ""
  }`;
}

/**
 * How many cases a suite expands to at most, counted without expanding: shapes × (for each
 * kernel entry, its dtypes × the product of its parameter lists' lengths).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Suite } from "./schema.ts";
 * const suite = {
 *   shapes: [{ m: 1, k: 2, n: 3 }, { m: 4, k: 5, n: 6 }],
 *   dtypes: ["f32", "f16"],
 *   kernels: [{ kernel: "dense" }, { kernel: "stl", rank: [7, 8, 9], tune: { x: [1, 2] } }],
 * } as unknown as Suite;
 * assert.equal(countCases(suite), 2 * (2 * 1 + 2 * 3 * 2));
 * ```
 */
export function countCases(suite: Suite): number {
  let perShape = 0;
  const len = (v: unknown) => (Array.isArray(v) ? v.length : 1);
  for (const entry of suite.kernels) {
    const dtypes = suite.dtypes.filter((d) => !entry.dtypes || entry.dtypes.includes(d)).length;
    let combos = 1;
    for (const [key, v] of Object.entries(entry)) {
      if (key === "kernel" || key === "dtypes" || key === "tune" || v === undefined) continue;
      combos *= len(v);
    }
    for (const v of Object.values(entry.tune ?? {})) if (v !== undefined) combos *= len(v);
    perShape += dtypes * combos;
  }
  return suite.shapes.length * perShape;
}

function cartesian(entries: [string, ParamValue[]][]): Params[] {
  let out: Params[] = [{}];
  for (const [key, values] of entries) {
    const next: Params[] = [];
    for (const partial of out) for (const v of values) next.push({ ...partial, [key]: v });
    out = next;
  }
  return out;
}

/**
 * Expands a suite into cases, grouped by weight shape (K, N), then shape, then dtype, with the
 * baseline kernels first in each group (so speedups can be filled in as the run goes). Runs every kernel's `check`, so
 * parameter errors surface here, before any GPU work. `filter` keeps cases whose id contains it
 * (case-insensitive); `a|b` keeps cases whose id contains `a` or `b`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * import { validateSuite } from "./validate.ts";
 * const suite = validateSuite({
 *   name: "x", seed: 1, shapes: [{ m: 1, k: 64, n: 64 }, { m: 64, k: 64, n: 64 }],
 *   dtypes: ["f32"], kernels: [{ kernel: "dense", tune: { variant: ["gemm", "gemv"] } }],
 * }, "x.json", builtinKernels);
 * // 2 shapes × 2 variants; the filter keeps ids containing any of its "|"-separated parts
 * assert.equal(expandCases(suite, builtinKernels).length, 4);
 * assert.deepEqual(expandCases(suite, builtinKernels, "gemv)/f32/1x").map((c) => c.id), [
 *   "dense(variant=gemv)/f32/1x64x64",
 * ]);
 * ```
 */
export function expandCases(
  suite: Suite,
  registry: readonly KernelDescriptor[],
  filter?: string | null,
  maxCases: number = DEFAULT_MAX_CASES,
): Case[] {
  const file = suite.source ?? "<suite>";
  const total = countCases(suite);
  if (total > maxCases) {
    throw new SuiteError(
      file,
      "",
      `expands to ${total} cases (${suite.shapes.length} shapes × dtypes × kernel entries × ` +
        `parameter values), over the limit of ${maxCases}; split the suite, or raise the limit ` +
        "with --max-cases N",
    );
  }
  const cases: Case[] = [];
  /** Where each case id came from: entry index and shape position, for duplicate errors. */
  const seen = new Map<string, { index: number; shape: number }>();
  const entries = suite.kernels.map((entry, index) => ({
    entry,
    index,
    desc: registry.find((k) => k.name === entry.kernel)!,
  }));
  entries.sort((a, b) =>
    Number(Boolean(b.desc.baseline)) - Number(Boolean(a.desc.baseline)) || a.index - b.index
  );
  // Shapes that share weights (same K and N) run together, so inputs and offline preparations
  // are generated once per weight shape; otherwise the suite's order is kept.
  const firstSeen = new Map<string, number>();
  suite.shapes.forEach((s, i) => {
    if (!firstSeen.has(`${s.k}x${s.n}`)) firstSeen.set(`${s.k}x${s.n}`, i);
  });
  const ordered = suite.shapes
    .map((s, i) => ({ s, i, g: firstSeen.get(`${s.k}x${s.n}`)! }))
    .sort((a, b) => a.g - b.g || a.i - b.i);
  for (const { s: shape, i: shapeIndex } of ordered) {
    for (const dtype of suite.dtypes) {
      for (const { entry, index, desc } of entries) {
        if (entry.dtypes && !entry.dtypes.includes(dtype)) continue;
        const varying: [string, ParamValue[]][] = [];
        const list = (v: unknown) => Array.isArray(v) ? (v as ParamValue[]) : [v as ParamValue];
        for (const [key, v] of Object.entries(entry)) {
          if (key === "kernel" || key === "dtypes" || key === "tune" || v === undefined) continue;
          varying.push([key, list(v)]);
        }
        for (const [key, v] of Object.entries(entry.tune ?? {})) {
          if (v !== undefined) varying.push([`tune.${key}`, list(v)]);
        }
        for (const combo of cartesian(varying)) {
          const shown: Params = {};
          const pick = (specs: Record<string, ParamSpec>, prefix: string): Params => {
            const out: Params = {};
            for (const [key, spec] of Object.entries(specs)) {
              const given = combo[prefix + key];
              const v = given ?? spec.default;
              if (v === undefined) continue;
              out[key] = v;
              if (given !== undefined && given !== spec.default) shown[key] = v;
            }
            return out;
          };
          const params = pick(desc.params, "");
          const tune = pick(desc.tune ?? {}, "tune.");
          let skip: string | null = null;
          let config: unknown = null;
          try {
            config = desc.resolve(params, shape, dtype, tune);
            desc.check?.(config, shape, dtype);
          } catch (e) {
            if (e instanceof SkipCase) skip = e.message;
            else if (e instanceof ParamError) {
              const path = desc.tune?.[e.field] ? `tune.${e.field}` : e.field;
              throw new SuiteError(
                file,
                `kernels[${index}].${path}`,
                `${
                  e.message.slice(e.field.length + 2)
                } (shape ${shape.m}x${shape.k}x${shape.n}, ${dtype})`,
              );
            } else if (e instanceof RangeError || e instanceof TypeError) {
              throw new SuiteError(file, `kernels[${index}]`, e.message);
            } else throw e;
          }
          const id = caseId(desc.name, shown, dtype, shape);
          const first = seen.get(id);
          if (first) {
            throw new SuiteError(
              file,
              first.index === index ? "shapes" : `kernels[${index}]`,
              first.index === index
                ? `shapes[${first.shape}] and shapes[${shapeIndex}] are the same shape, so ` +
                  `case ${JSON.stringify(id)} would run twice; remove one`
                : `case ${JSON.stringify(id)} is also made by kernels[${first.index}] (same ` +
                  "kernel, parameters, dtype and shape); remove one of the two entries",
            );
          }
          seen.set(id, { index, shape: shapeIndex });
          if (!matchesFilter(id, filter)) continue;
          const tuneGiven = Object.values(entry.tune ?? {}).some((v) => v !== undefined);
          cases.push({ id, kernel: desc, params, tune, tuneGiven, config, shape, dtype, skip });
        }
      }
    }
  }
  return cases;
}
