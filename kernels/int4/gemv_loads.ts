/**
 * How the int4 GEMV reads X and the group scales and zeros: one load per value the shader uses
 * (the default), or `wideLoads`: one load for the scales (and one for the zeros) of all columns
 * a thread owns, and one 16-byte load of the 8 values of X that a packed row multiplies.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";

/**
 * The binding element types of X, the scale table S and the zero table Z.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t = gemvInputTypes({ dtype: "f16", scaleDtype: "f16", cpt: 4, wideLoads: true });
 * assert.ok(t.x === "mat2x4<f16>" && t.s === "vec2<u32>");
 * ```
 */
export function gemvInputTypes(
  o: { dtype: DType; scaleDtype: DType; cpt: 1 | 2 | 4; wideLoads: boolean },
): { x: string; s: string } {
  const x = o.wideLoads ? `mat2x4<${o.dtype}>` : `vec4<${o.dtype}>`;
  if (!o.wideLoads || o.cpt === 1) return { x, s: o.scaleDtype === "f16" ? "u32" : "f32" };
  // cpt halves fill cpt/2 u32 words; cpt f32 fill a vector.
  if (o.scaleDtype === "f16") return { x, s: o.cpt === 4 ? "vec2<u32>" : "u32" };
  return { x, s: `vec${o.cpt}<f32>` };
}

/**
 * WGSL of the functions `ldSv(e)` and `ldZv(e)`: the scales (zeros) of the `cpt` columns from
 * entry `e` (a multiple of `cpt`) as one f32 vector, read with one load. (One column a thread
 * keeps `scaleZeroLoaders`: its single load is already one.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const l = wideScaleZeroLoaders("f16", 4);
 * assert.ok(l[1] === "  let v = S[e >> 2u];");
 * ```
 */
export function wideScaleZeroLoaders(scaleDtype: DType, cpt: 2 | 4): string[] {
  const out: string[] = [];
  for (const [fn, arr] of [["S", "S"], ["Z", "Z"]]) {
    out.push(`fn ld${fn}v(e: u32) -> vec${cpt}<f32> {`);
    if (scaleDtype === "f32") out.push(`  return ${arr}[e >> ${cpt === 4 ? 2 : 1}u];`);
    else if (cpt === 2) out.push(`  return unpack2x16float(${arr}[e >> 1u]);`);
    else {
      out.push(
        `  let v = ${arr}[e >> 2u];`,
        "  return vec4<f32>(unpack2x16float(v.x), unpack2x16float(v.y));",
      );
    }
    out.push("}");
  }
  return out;
}

/**
 * The two `vec4` halves (k = 8r … 8r+3 and 8r+4 … 8r+7) of X's packed row `pr` (a WGSL u32
 * expression counting packed rows over all M rows: `mi · kPadded/8 + r`), and with `wideLoads`
 * the declaration that loads both at once (`xm`, to be emitted first in the same scope).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(xRowHalves(false, "r").a === "X[(r) * 2u]");
 * assert.ok(xRowHalves(true, "r").decl === "let xm = X[r];");
 * ```
 */
export function xRowHalves(
  wideLoads: boolean,
  pr: string,
): { decl: string | null; a: string; b: string } {
  if (wideLoads) return { decl: `let xm = X[${pr}];`, a: "xm[0]", b: "xm[1]" };
  return { decl: null, a: `X[(${pr}) * 2u]`, b: `X[(${pr}) * 2u + 1u]` };
}

/**
 * X's packed row held in registers one step ahead (`xAhead`): the registers named from `name`
 * (`vars`, declared by `decls`), the statements loading packed row `pr` into them, and the two
 * `vec4` halves they hold (as `xRowHalves` gives them from memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = xAheadRegs(false, "f16", "xq0_1");
 * assert.ok(r.load("kn + 1u")[0] === "xq0_1a = X[(kn + 1u) * 2u];" && r.a === "xq0_1a");
 * ```
 */
export function xAheadRegs(
  wideLoads: boolean,
  t: DType,
  name: string,
): { vars: string[]; decls: string[]; load: (pr: string) => string[]; a: string; b: string } {
  if (wideLoads) {
    return {
      vars: [name],
      decls: [`var ${name} = mat2x4<${t}>();`],
      load: (pr) => [`${name} = X[${pr}];`],
      a: `${name}[0]`,
      b: `${name}[1]`,
    };
  }
  return {
    vars: [`${name}a`, `${name}b`],
    decls: [`var ${name}a = vec4<${t}>();`, `var ${name}b = vec4<${t}>();`],
    load: (pr) => [`${name}a = X[(${pr}) * 2u];`, `${name}b = X[(${pr}) * 2u + 1u];`],
    a: `${name}a`,
    b: `${name}b`,
  };
}
