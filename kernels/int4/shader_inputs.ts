/**
 * What the int4 GEMM and GEMV shaders share: the description of their inputs (activations,
 * packed weights, scales, zeros, AWQ scaling) and the WGSL read of one group's scale or zero.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import type { Binding } from "../wgsl/mod.ts";

/**
 * The product an int4 shader computes and how its inputs are stored (see `format.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p: Int4ShaderInputs = {
 *   dtype: "f32", m: 1, kPadded: 4096, n: 14336, group: 128, scaleDtype: "f16", awq: false,
 * };
 * assert.ok(scaleZeroLoaders(p.scaleDtype).join("\n").includes("unpack2x16float"));
 * ```
 */
export interface Int4ShaderInputs {
  /** Activation and output dtype (accumulation is f32). */
  dtype: DType;
  /** M: rows of X and of the output. */
  m: number;
  /** K padded to a multiple of 8. */
  kPadded: number;
  /** N: columns of W and of the output. */
  n: number;
  /** Weights per scale/zero along K. */
  group: number;
  /** Storage dtype of the scales and zeros. */
  scaleDtype: DType;
  /** Fuse AWQ's per-k input scaling (binding 5). */
  awq: boolean;
}

/**
 * The functions `ldS(e)` and `ldZ(e)`: entry `e` of the scale table `S` and the zero table `Z`
 * as f32. With f16 tables the arrays hold two halves per u32 (`unpack2x16float`, low half first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = scaleZeroLoaders("f16");
 * assert.ok(lines[0] === "fn ldS(e: u32) -> f32 {");
 * assert.ok(lines[1] === "  let v = unpack2x16float(S[e >> 1u]);");
 * ```
 */
export function scaleZeroLoaders(scaleDtype: DType): string[] {
  const out: string[] = [];
  for (const [fn, arr] of [["ldS", "S"], ["ldZ", "Z"]]) {
    out.push(`fn ${fn}(e: u32) -> f32 {`);
    if (scaleDtype === "f16") {
      out.push(
        `  let v = unpack2x16float(${arr}[e >> 1u]);`,
        "  return select(v.x, v.y, (e & 1u) == 1u);",
      );
    } else out.push(`  return ${arr}[e];`);
    out.push("}");
  }
  return out;
}

/**
 * The bindings of both int4 shaders, with their array element types: 0 = X, 1 = packed words Q,
 * 2 = scales S, 3 = zeros Z, 4 = Y, and 5 = AWQ's per-k input scale table XS (vec4 of f32) when
 * `awq`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = int4Bindings({ awq: false }, { x: "vec4<f32>", q: "u32", s: "u32", y: "f32" });
 * assert.deepEqual(b.map((x) => x.name), ["X", "Q", "S", "Z", "Y"]);
 * ```
 */
export function int4Bindings(
  o: { awq: boolean },
  elem: { x: string; q: string; s: string; y: string },
): Binding[] {
  return [
    { name: "X", elem: elem.x },
    { name: "Q", elem: elem.q },
    { name: "S", elem: elem.s },
    { name: "Z", elem: elem.s },
    { name: "Y", elem: elem.y, write: true },
    ...(o.awq ? [{ name: "XS", elem: "vec4<f32>" }] : []),
  ];
}
