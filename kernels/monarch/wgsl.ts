/**
 * The Monarch shaders: two batched block GEMM passes, the permutations folded into their index
 * arithmetic (no permutation pass).
 *
 * - Stage 1 (`R`): H[m, i, l] = Σ_t X[m, i·p + t]·R[i·p + t, l] for every row m, input block i
 *   and unit l: M·b² dot products of length p, one workgroup per (m, i) splitting the block's
 *   inputs into slices summed by a tree in workgroup memory, f32 accumulation, H stored in the
 *   dtype.
 * - Stage 2 (`L`): Y[m, v·b + l] = Σ_i H[m, i, l]·L[i, v·b + l]: M·N dot products of length b,
 *   one output per thread.
 *   Reading H[m, i, l] for output block l is the transpose permutation; writing column v·b + l
 *   is the inverse one.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { computeMain, wgslCode, type WgslShader } from "../wgsl/mod.ts";
import type { MonarchDims } from "./layout.ts";

/** What both passes are generated from. */
export interface MonarchWgslOptions {
  dtype: DType;
  m: number;
  dims: MonarchDims;
  /** Threads per workgroup (stage 2: one output each; stage 1: b·S ≤ threads, at least b). */
  threads: number;
  /** Device limit on workgroups per grid dimension (the grid folds into x·y beyond it). */
  maxPerDim: number;
}

/** One pass: its shader and workgroup counts. */
export interface MonarchPass {
  shader: WgslShader;
  groups: [number, number, number];
}

/**
 * A 2-D grid covering `total` outputs with `threads` per workgroup and at most `maxPerDim`
 * workgroups per dimension.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(monarchGrid(1000, 64, 65535), [16, 1, 1]);
 * assert.deepEqual(monarchGrid(64 * 70000, 64, 65535), [65535, 2, 1]);
 * ```
 */
export function monarchGrid(
  total: number,
  threads: number,
  maxPerDim: number,
): [number, number, number] {
  const groups = Math.max(1, Math.ceil(total / threads));
  const gx = Math.min(groups, maxPerDim);
  return [gx, Math.ceil(groups / gx), 1];
}

function prelude(o: MonarchWgslOptions, total: number, gx: number): string[] {
  const { m, dims } = o;
  return [
    `const M: u32 = ${m}u;`,
    `const K: u32 = ${dims.k}u;`,
    `const N: u32 = ${dims.n}u;`,
    `const B: u32 = ${dims.b}u;`,
    `const P: u32 = ${dims.p}u;`,
    `const TOTAL: u32 = ${total}u;`,
    `const GX: u32 = ${gx}u;`,
    `const THREADS: u32 = ${o.threads}u;`,
  ];
}

/**
 * Slices of K a stage-1 workgroup splits its block into: the largest power of two S with
 * b·S ≤ `threads` (at least 1). The workgroup has b·S threads: thread (slice, l) sums every S-th
 * input of the block for unit l, and a tree over the S slices adds the partials.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stage1Slices(4, 64), 16);
 * assert.equal(stage1Slices(3, 64), 16);
 * assert.equal(stage1Slices(128, 64), 1);
 * ```
 */
export function stage1Slices(b: number, threads: number): number {
  let s = 1;
  while (b * s * 2 <= threads) s *= 2;
  return s;
}

/**
 * Stage 1: X (M×K) times the block-diagonal R into H (M×b²), H[m·b² + i·b + l]. One workgroup
 * per (row m, block i), b·S threads ({@link stage1Slices}): adjacent threads read adjacent R
 * entries of one row of the block and share the X value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monarchDims } from "./layout.ts";
 * const s = monarchStage1({ dtype: "f16", m: 3, dims: monarchDims(4, 100, 53), threads: 64, maxPerDim: 65535 });
 * assert.deepEqual(s.shader.bindings, ["X", "R", "H"]);
 * assert.deepEqual(s.groups, [12, 1, 1]); // 3 rows × 4 blocks
 * assert.ok(s.shader.code.includes("@workgroup_size(64)")); // b = 4 units × 16 slices
 * ```
 */
export function monarchStage1(o: MonarchWgslOptions): MonarchPass {
  const { dtype, m, dims } = o;
  const total = m * dims.b;
  const slices = stage1Slices(dims.b, o.threads);
  const size = dims.b * slices;
  const groups = monarchGrid(total, 1, o.maxPerDim);
  const t = dtype;
  const tree: string[] = [];
  for (let stride = slices / 2; stride >= 1; stride /= 2) {
    tree.push(
      `  if (slice < ${stride}u) { part[lid] += part[lid + ${stride * dims.b}u]; }`,
      "  workgroupBarrier();",
    );
  }
  const code = wgslCode(
    [
      { name: "X", elem: t },
      { name: "R", elem: t },
      { name: "H", elem: t, write: true },
    ],
    [
      ...prelude({ ...o, threads: size }, total, groups[0]),
      `const S: u32 = ${slices}u;`,
      `var<workgroup> part: array<f32, ${size}>;`,
      ...computeMain(size),
      "  let g = wid.y * GX + wid.x;",
      "  if (g >= TOTAL) { return; }",
      "  let row = g / B;",
      "  let i = g % B;",
      "  let l = lid % B;",
      "  let slice = lid / B;",
      "  let k1 = min(i * P + P, K);",
      "  var acc = 0.0;",
      "  for (var k = i * P + slice; k < k1; k += S) {",
      "    acc += f32(X[row * K + k]) * f32(R[k * B + l]);",
      "  }",
      "  part[lid] = acc;",
      "  workgroupBarrier();",
      ...tree,
      `  if (slice == 0u) { H[g * B + l] = ${t}(part[lid]); }`,
      "}",
    ],
    {
      f16: dtype === "f16",
      header:
        `// monarch stage 1 (X·R per block): M=${m} K=${dims.k} b=${dims.b} p=${dims.p}, ${slices} K slices`,
    },
  );
  return {
    shader: { label: `monarch-r-${dtype}-${m}x${dims.k}x${dims.n}-b${dims.b}`, ...code },
    groups,
  };
}

/**
 * Stage 2: H (M×b², read transposed per output block) times the block-diagonal L into Y (M×N),
 * output v of block l at column v·b + l.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monarchDims } from "./layout.ts";
 * const s = monarchStage2({ dtype: "f32", m: 3, dims: monarchDims(4, 100, 53), threads: 64, maxPerDim: 65535 });
 * assert.deepEqual(s.shader.bindings, ["H", "L", "Y"]);
 * assert.deepEqual(s.groups, [3, 1, 1]); // 3·53 = 159 outputs
 * ```
 */
export function monarchStage2(o: MonarchWgslOptions): MonarchPass {
  const { dtype, m, dims } = o;
  const total = m * dims.n;
  const groups = monarchGrid(total, o.threads, o.maxPerDim);
  const t = dtype;
  const code = wgslCode(
    [
      { name: "H", elem: t },
      { name: "L", elem: t },
      { name: "Y", elem: t, write: true },
    ],
    [
      ...prelude(o, total, groups[0]),
      ...computeMain(o.threads),
      "  let idx = (wid.y * GX + wid.x) * THREADS + lid;",
      "  if (idx >= TOTAL) { return; }",
      "  let row = idx / N;",
      "  let n = idx % N;",
      "  let l = n % B;",
      "  let h0 = row * B * B + l;",
      "  var acc = 0.0;",
      "  for (var i = 0u; i < B; i++) {",
      "    acc += f32(H[h0 + i * B]) * f32(L[i * N + n]);",
      "  }",
      `  Y[idx] = ${t}(acc);`,
      "}",
    ],
    {
      f16: dtype === "f16",
      header:
        `// monarch stage 2 (·L per block, permutations in the indices): M=${m} N=${dims.n} b=${dims.b}`,
    },
  );
  return {
    shader: { label: `monarch-l-${dtype}-${m}x${dims.k}x${dims.n}-b${dims.b}`, ...code },
    groups,
  };
}
