/**
 * How generated shaders read and write four consecutive values of a storage dtype as a
 * `vec4<f32>`: f32 as `vec4<f32>`, f16 either natively (`vec4<f16>`, needs `enable f16`) or
 * packed (`vec2<u32>` through `unpack2x16float` / `pack2x16float`, no f16 types in the shader).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/** How f16 data is accessed by vec4 loads and stores. */
export type F16Io = "native" | "packed";

/**
 * The WGSL array element type holding four values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(vec4Type("f16", "packed") === "vec2<u32>");
 * ```
 */
export function vec4Type(dtype: DType, io: F16Io): string {
  if (dtype === "f32") return "vec4<f32>";
  return io === "packed" ? "vec2<u32>" : "vec4<f16>";
}

/**
 * A WGSL expression turning the element `expr` (of `vec4Type`) into `vec4<f32>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(loadVec4("X[i]", "f32", "packed") === "vec4<f32>(X[i])");
 * ```
 */
export function loadVec4(expr: string, dtype: DType, io: F16Io): string {
  if (dtype === "f16" && io === "packed") {
    return `unpackHalf4(${expr})`;
  }
  return `vec4<f32>(${expr})`;
}

/**
 * A WGSL expression turning the `vec4<f32>` expression `value` into the element type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(storeVec4("acc", "f16", "native") === "vec4<f16>(acc)");
 * ```
 */
export function storeVec4(value: string, dtype: DType, io: F16Io): string {
  if (dtype === "f16" && io === "packed") return `packHalf4(${value})`;
  return `${vec4Type(dtype, io)}(${value})`;
}

/** Helper functions `loadVec4`/`storeVec4` expressions rely on (empty unless packed f16). */
export function vec4Helpers(dtype: DType, io: F16Io): string[] {
  if (dtype !== "f16" || io !== "packed") return [];
  return [
    "fn unpackHalf4(p: vec2<u32>) -> vec4<f32> {",
    "  return vec4<f32>(unpack2x16float(p.x), unpack2x16float(p.y));",
    "}",
    "fn packHalf4(v: vec4<f32>) -> vec2<u32> {",
    "  return vec2<u32>(pack2x16float(v.xy), pack2x16float(v.zw));",
    "}",
  ];
}
