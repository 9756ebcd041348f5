/**
 * A generated shader as the kernels hand it around: its WGSL text, the label it is compiled
 * under, and its bindings declared once — the list gives both the `@group(0) @binding(i)`
 * declarations of the text and the order of the bind group's entries in the plan (by name, see
 * `plan.ts`), so the two cannot disagree.
 *
 * @module
 */

/**
 * One binding of group 0: a storage array (read-only unless `write`) or a uniform.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b: Binding = { name: "X", elem: "vec4<f32>" };
 * assert.equal(bindingLines([b])[0], "@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;");
 * ```
 */
export type Binding =
  | { name: string; elem: string; write?: boolean; uniform?: undefined }
  | { name: string; uniform: string };

/**
 * What a generator returns: the WGSL text and its group-0 binding names by index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = wgslCode([{ name: "Y", elem: "f32", write: true }], ["fn main() {}"]);
 * assert.deepEqual(s.bindings, ["Y"]);
 * ```
 */
export interface WgslCode {
  /** The WGSL source. */
  code: string;
  /** Binding names in binding order: entry i of the bind group binds `bindings[i]`. */
  bindings: readonly string[];
}

/**
 * A shader of a case's plan: generated code and the label it is compiled under (also the name of
 * its dump file, see `wgslDumpName`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: WgslShader = { label: "copy", ...wgslCode([], ["fn main() {}"]) };
 * assert.equal(s.code, "fn main() {}");
 * ```
 */
export interface WgslShader extends WgslCode {
  /** Pipeline label. */
  label: string;
}

/**
 * The declarations of `list`, binding i = `list[i]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = bindingLines([
 *   { name: "P", elem: "f32" },
 *   { name: "Y", elem: "vec2<u32>", write: true },
 *   { name: "G", uniform: "array<vec4<f32>, 2>" },
 * ]);
 * assert.deepEqual(lines, [
 *   "@group(0) @binding(0) var<storage, read> P: array<f32>;",
 *   "@group(0) @binding(1) var<storage, read_write> Y: array<vec2<u32>>;",
 *   "@group(0) @binding(2) var<uniform> G: array<vec4<f32>, 2>;",
 * ]);
 * ```
 */
export function bindingLines(list: readonly Binding[]): string[] {
  return list.map((b, i) =>
    b.uniform !== undefined
      ? `@group(0) @binding(${i}) var<uniform> ${b.name}: ${b.uniform};`
      : `@group(0) @binding(${i}) var<storage, ${
        b.write ? "read_write" : "read"
      }> ${b.name}: array<${b.elem}>;`
  );
}

/**
 * The f16 preamble: `enable f16;` when the shader uses f16 types, else nothing. It must come
 * first in the module.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(enableF16(true), ["enable f16;"]);
 * assert.deepEqual(enableF16(false), []);
 * ```
 */
export function enableF16(needed: boolean): string[] {
  return needed ? ["enable f16;"] : [];
}

/**
 * The entry point's first two lines: `@compute @workgroup_size(threads)` and `fn main(…) {`
 * taking the workgroup id `wid` and the local invocation index `lid`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(computeMain(64)[0], "@compute @workgroup_size(64)");
 * ```
 */
export function computeMain(threads: number): string[] {
  return [
    `@compute @workgroup_size(${threads})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
  ];
}

/**
 * Component accessors of the lanes of a `width`-wide vector (`.x`, `.y`, …), or one empty
 * accessor for a scalar (`width` 1): the per-column lanes of a GEMV thread's vector of columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(vecLanes(2), [".x", ".y"]);
 * assert.deepEqual(vecLanes(1), [""]);
 * ```
 */
export function vecLanes(width: number): string[] {
  return width === 1 ? [""] : ["x", "y", "z", "w"].slice(0, width).map((c) => `.${c}`);
}

/**
 * Assembles a shader: the f16 preamble when `f16`, the `header` comment line, the binding
 * declarations, then `body` (constants, workgroup variables, functions and the entry point).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = wgslCode([{ name: "Y", elem: "f16", write: true }], ["fn main() {}"], {
 *   f16: true,
 *   header: "// test",
 * });
 * assert.deepEqual(s.code.split("\n").slice(0, 2), ["enable f16;", "// test"]);
 * ```
 */
export function wgslCode(
  bindings: readonly Binding[],
  body: readonly string[],
  options: { f16?: boolean; header?: string } = {},
): WgslCode {
  const lines = [
    ...enableF16(options.f16 ?? false),
    ...(options.header === undefined ? [] : [options.header]),
    ...bindingLines(bindings),
    ...body,
  ];
  return { code: lines.join("\n"), bindings: bindings.map((b) => b.name) };
}
