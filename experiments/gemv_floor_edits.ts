/**
 * The edits of `gemv_floor.ts`: each rewrites the WGSL of the int4 GEMV to take one part of its
 * work away (a diagnostic only: the edited kernels compute wrong results on purpose). An edit that
 * no longer matches the generator's code would leave the kernel as it was and the probe would time
 * the default under another name, so tests/gemv_floor_test.ts checks that each changes the code it
 * is used on. The decode's exponent is a literal or, where the kernel holds it in a register
 * (`kernels/wgsl/held.ts`), `hexp0`; the patterns take either.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(noX("let xa = X[(kr) * 2u];"), "let xa = vec4<f16>(f16((kr) * 2u));");
 * ```
 *
 * @module
 */

/** Words made in registers from their index instead of loaded (the arithmetic alone). */
export const noQ = (code: string) =>
  code.replace(
    /Q\[([^\]]+)\]/g,
    "(vec4<u32>($1) * vec4<u32>(0x9E3779B9u, 0x85EBCA6Bu, 0xC2B2AE35u, 0x27D4EB2Fu))",
  );
/** X made in registers instead of loaded. */
export const noX = (code: string) => code.replace(/X\[([^\]]+)\]/g, "vec4<f16>(f16($1))");
/** X made in registers instead of loaded, as f32 (either X type: the shader converts to f32). */
export const noX32 = (code: string) => code.replace(/X\[([^\]]+)\]/g, "vec4<f32>(f32($1))");
/** Every weight of a step the same dequantised value (the masks, subtracts and products left out). */
export const noDequant = (code: string) =>
  code.replace(
    /let t(\d) = \(bitcast[^;]+;/g,
    "let t$1 = bitcast<vec4<f32>>(w0 | vec4<u32>(0x4b000000u));",
  );

/** The u32 → f16 pair reinterpretation (`unpack2x16float`, then to f16) as a select instead. */
export const noCvt = (code: string) =>
  code.replace(
    /vec2<f16>\(unpack2x16float\(([^;]+?(?:0x64006400u|hexp0))\)\)/g,
    "select(vec2<f16>(1.0h, 2.0h), vec2<f16>(3.0h, 5.0h), ($1) == 0x64016400u)",
  );
/** The f16 pairs made without the words (loop-invariant): what is left without dequantising. */
export const noUnpack = (code: string) =>
  code.replace(
    /vec2<f16>\(unpack2x16float\(([^;]+?(?:0x64006400u|hexp0))\)\)/g,
    "vec2<f16>(f16(lid), 3.0h)",
  );
/** The nibble masks left out (the whole word reinterpreted). */
export const noMask = (code: string) =>
  code.replace(
    /unpack2x16float\(\(([\w.]+) & 0x[0-9A-F]+u\) \| (?:0x64006400u|hexp0)\)/g,
    "unpack2x16float($1)",
  );
/** The offsets left out (`q − zero` taken as the raw pair). */
export const noOffset = (code: string) =>
  code.replace(/(vec2<f16>\(unpack2x16float\([^;]+?(?:0x64006400u|hexp0)\)\)) - za\d/g, "$1")
    .replace(
      /fma\((vec2<f16>\(unpack2x16float\([^;]+?(?:0x64006400u|hexp0)\)\)), vec2<f16>\(0\.0625h\), zb\d\)/g,
      "$1",
    );
/** The products with X left out (the pair offsets summed instead). */
export const noProducts = (code: string) =>
  code.replace(/(h0_\d) = fma\((t\d_\d), x\d, h0_\d\);/g, "$1 = $1 + $2;");

/** The pair sums' carry into f32 every step left out (carried once, at the end of the walk). */
export const noCarry = (code: string) =>
  code.replace(/let (f0_\d_0) = vec2<f32>\((h0_\d)\);\n\s*h0_\d = vec2<f16>\(\);/g, "")
    .replace(/acc0 = (fma\(sc, [^;]+|acc0 \+ vec4<f32>\(f0[^;]+);/, "")
    .replace(
      /(\n\s*)break;/,
      "$1acc0 = vec4<f32>(vec2<f32>(h0_0).x, vec2<f32>(h0_1).x, vec2<f32>(h0_2).x, " +
        "vec2<f32>(h0_3).y);$1break;",
    );

/** The products of every row with X left out (M > 1: accumulators `h<row>_<col>`). */
export const noProductsRows = (code: string) =>
  code.replace(/(h\d+_\d) = fma\((t\d_\d), x\d, \1\);/g, "$1 = $1 + $2;");
/**
 * X's first half used as every pair, without pairing `(x_j, x_{j+4})`: the permutes left out, and
 * with them the second half's load.
 */
export const noPairing = (code: string) =>
  code.replace(/let x(\d) = vec2<f16>\(xa\.\w, xb\.\w\);/g, "let x$1 = xa.xy;");
/** Each weight pair's offset and scale left out (the masked pair taken as the weight). */
export const noScaleOffset = (code: string) =>
  code.replace(
    /let (t\d_\d) = \(?(?:fma\()?(vec2<f16>\(unpack2x16float\([^;]+?(?:0x64006400u|hexp0)\)\))[^;]*;/g,
    "let $1 = $2;",
  );
