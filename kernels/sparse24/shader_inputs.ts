/**
 * What the three 2:4 shaders (GEMV, warp-column GEMM, gather GEMM) share: their bindings — X,
 * the compressed values, the metadata, Y — and the shape constants.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import type { Binding } from "../wgsl/mod.ts";
import { paddedDims } from "./format.ts";

/**
 * The bindings of a 2:4 shader: 0 = X (M×K, vec4 when K % 4 = 0), 1 = values V ((kp/2)×np as
 * vec4s), 2 = metadata `Meta` ((kp/32)×np as vec4<u32>), 3 = Y with element type `y`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = sparse24Bindings("f16", 102, "f16");
 * assert.deepEqual(b.map((x) => x.name), ["X", "V", "Meta", "Y"]);
 * assert.deepEqual(b[0], { name: "X", elem: "f16" }); // K = 102: scalar X loads
 * ```
 */
export function sparse24Bindings(dtype: DType, k: number, y: string): Binding[] {
  return [
    { name: "X", elem: k % 4 === 0 ? `vec4<${dtype}>` : dtype },
    { name: "V", elem: `vec4<${dtype}>` },
    { name: "Meta", elem: "vec4<u32>" },
    { name: "Y", elem: y, write: true },
  ];
}

/**
 * The shape constants of a 2:4 shader: `M`, `K`, `N` and `NP4` (stored columns / 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sparse24Consts(1, 64, 10)[3], "const NP4 = 3u;");
 * ```
 */
export function sparse24Consts(m: number, k: number, n: number): string[] {
  return [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `const NP4 = ${paddedDims(k, n).np / 4}u;`,
  ];
}
