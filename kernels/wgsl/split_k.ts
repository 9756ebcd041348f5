/**
 * The second pass of a split-K product, shared by every family that splits K (dense GEMM, 2:4
 * GEMMs): the GEMM writes `splitK` f32 partial planes instead of Y, and this shader sums them
 * into Y in the storage dtype.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Binding, type WgslCode, wgslCode, type WgslShader } from "./shader.ts";
import { type F16Io, storeVec4, vec4Helpers, vec4Type } from "./vec4_io.ts";

/**
 * WGSL that sums split-K partial planes (f32, `splitK` per batch entry) into Y in `dtype`.
 * Bindings: 0 = partials `P`, 1 = `Y`. One thread per vec4 (or element); dispatch with
 * `splitKReduceDispatch`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = splitKReduceWgsl({ dtype: "f16", count: 64, batch: 2, splitK: 4, vec: true });
 * assert.ok(r.code.includes("pack2x16float"));
 * assert.deepEqual(r.bindings, ["P", "Y"]);
 * ```
 */
export function splitKReduceWgsl(
  o: { dtype: DType; count: number; batch: number; splitK: number; vec: boolean; f16io?: F16Io },
): WgslCode {
  const io = o.f16io ?? "packed";
  const units = o.vec ? o.count / 4 : o.count;
  if (!Number.isInteger(units)) {
    throw new RangeError(`vec4 reduce needs M·N divisible by 4, got ${o.count}`);
  }
  const T = o.dtype;
  const v = (t: DType) => (o.vec ? vec4Type(t, io) : t);
  const bindings: Binding[] = [
    { name: "P", elem: v("f32") },
    { name: "Y", elem: v(T), write: true },
  ];
  const L = [
    ...vec4Helpers(T, o.vec ? io : "native"),
    "@compute @workgroup_size(256)",
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
    "  let idx = gid.x + gid.y * nwg.x * 256u;",
    `  if (idx >= ${units * o.batch}u) { return; }`,
    `  let b = idx / ${units}u;`,
    `  let i = idx % ${units}u;`,
    `  let base = b * ${o.splitK * units}u + i;`,
    "  var s = P[base];",
  ];
  for (let j = 1; j < o.splitK; j++) L.push(`  s = s + P[base + ${j * units}u];`);
  L.push(`  Y[b * ${units}u + i] = ${o.vec ? storeVec4("s", T, io) : `${T}(s)`};`, "}");
  return wgslCode(bindings, L, {
    f16: T === "f16" && (io === "native" || !o.vec),
    header:
      `// tilebench split-K reduce count=${o.count} batch=${o.batch} splitK=${o.splitK} ${T} vec=${o.vec}`,
  });
}

/**
 * Workgroups (x, y) for `splitKReduceWgsl` over `units` threads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(splitKReduceDispatch(1000, 65535)[0], 4);
 * ```
 */
export function splitKReduceDispatch(units: number, maxPerDim: number): [number, number] {
  const groups = Math.ceil(units / 256);
  const x = Math.min(groups, maxPerDim);
  return [x, Math.ceil(groups / x)];
}

/** The second pass of a split-K GEMM: reduce shader, its workgroups, partial-plane bytes. */
export interface SplitKReducePlan {
  /** The reduce shader. */
  shader: WgslShader;
  /** Its workgroup counts. */
  groups: [number, number];
  /** Bytes of the split-K partial sums (splitK planes of f32) the reduce reads. */
  partialBytes: number;
}

/**
 * What a kernel with split-K > 1 needs for its second pass: the reduce shader (compiled as
 * `${family}:splitk-reduce`), its workgroup counts and the size of the f32 partial planes
 * (`splitK` × M×N). Vec4 when M·N allows it and `vec`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = splitKReducePlan("dense", {
 *   dtype: "f16", m: 16, n: 64, splitK: 4, vec: true, maxPerDim: 65535,
 * });
 * assert.equal(r.partialBytes, 4 * 16 * 64 * 4);
 * assert.equal(r.groups[0], 1);
 * assert.equal(r.shader.label, "dense:splitk-reduce");
 * ```
 */
export function splitKReducePlan(family: string, o: {
  dtype: DType;
  m: number;
  n: number;
  splitK: number;
  vec: boolean;
  f16io?: F16Io;
  maxPerDim: number;
}): SplitKReducePlan {
  const count = o.m * o.n;
  const vec = o.vec && count % 4 === 0;
  return {
    shader: {
      label: `${family}:splitk-reduce`,
      ...splitKReduceWgsl({
        dtype: o.dtype,
        count,
        batch: 1,
        splitK: o.splitK,
        vec,
        f16io: o.f16io,
      }),
    },
    groups: splitKReduceDispatch(vec ? count / 4 : count, o.maxPerDim),
    partialBytes: o.splitK * count * 4,
  };
}
