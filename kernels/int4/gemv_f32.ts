/**
 * The int4 GEMV in f32 arithmetic (`math: "f32"`): one weight an instruction, f32 throughout.
 *
 * Dequantisation without integer→float conversions (slow on NVIDIA): a nibble masked in place
 * and OR-ed into the mantissa of 2^23 is the float 2^23 + q·2^p, so one subtract of the group
 * constant `2^23 + zero·2^p` gives `(q − zero)·2^p` exactly. Nibbles 0–4 are masked in place
 * (p = 0, 4, 8, 12, 16), nibbles 5–7 after one shift by 12 (p = 8, 12, 16). Then either
 * - `prescale` (M ≤ 3): X is multiplied by 2^−p per position (8 products per row, shared by the
 *   `cpt` columns), the thread accumulates Σ x·(q − zero) per group and applies the scale once
 *   per group: per weight a mask, a subtract and an FMA; or
 * - dequantise (M > 3): `w' = (t − c)·(scale·2^−p)` per weight, then M FMAs with plain X; with
 *   `lean`, `w' = fma(t − 2^23, scale·2^−p, −zero·scale)` (the same three operations, four fewer
 *   group constants held) and the step's positions in two halves of 4, each used by every row
 *   before the next is decoded (four fewer decoded vec4s held).
 * AWQ's 1/s is fused: X is multiplied by a per-k table (1/s, times 2^−p when prescaling).
 * Two accumulator sets (`accs`) chain even and odd packed rows separately.
 *
 * The walk, loads and reduction around it are `gemv_walk.ts`.
 *
 * @module
 */

import { heldConstants, type WgslCode } from "../wgsl/mod.ts";
import { type GemvArithmetic, gemvWalkWgsl, type WalkInfo } from "./gemv_walk.ts";
import { exponentHeld, type Int4GemvOptions, NIBBLE_POW } from "./gemv_options.ts";

/**
 * The exponent the decode ORs the masked nibbles into (2^23), held in a register where the build
 * sets `hold` (`holdsExponent`: M = 1), so each mask and OR is one instruction
 * (`kernels/wgsl/held.ts`). On an H100 that made
 * the M = 1 GEMV 1.01–1.08× faster on eight decode shapes, but the dequantising walk at M = 16
 * 0.67–1.03× (docs/kernels/int4.md), so that one keeps the literal.
 */
const F32_EXPONENT = heldConstants("fexp", [0x4b000000]);

/** Exact 2^−p literals for the prescale. */
const POW2_NEG: Record<number, string> = {
  0: "1.0",
  4: "0.0625",
  8: "0.00390625",
  12: "0.000244140625",
  16: "0.0000152587890625",
};

/**
 * The f32 arithmetic's pieces of the walk (see {@link GemvArithmetic}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * const o = chooseGemv("f32", 1, 64, 8, 8, "f32", false);
 * const a = f32Arithmetic(o, { oneGroup: true, xAt: () => ({ a: "a", b: "b" }), FV: "vec4<f32>" });
 * assert.equal(a.accDecls(0)[0], "  var acc0 = vec4<f32>(0.0);");
 * ```
 */
export function f32Arithmetic(o: Int4GemvOptions, walk: WalkInfo): GemvArithmetic {
  const { m, cpt, unroll, prescale, accs, awq } = o;
  const lean = o.lean && !prescale;
  const held = exponentHeld(o);
  const { FV, xAt } = walk;
  const QV = cpt === 1 ? "u32" : `vec${cpt}<u32>`;
  const fs = (e: string) => `${FV}(${e})`;
  const qs = (e: string) => `${QV}(${e})`;
  // Row u of a step chains into set u % accs (two sets halve the dependent FMA chains).
  const target = (mi: number, u: number) =>
    `${prescale ? "p" : "acc"}${mi}${u % accs === 1 ? "b" : ""}`;
  const preA = `vec4<f32>(${[0, 4, 8, 12].map((p) => POW2_NEG[p]).join(", ")})`;
  const preB = `vec4<f32>(${[16, 8, 12, 16].map((p) => POW2_NEG[p]).join(", ")})`;
  return {
    f16: false,
    ...(held
      ? {
        prologue: {
          decls: [F32_EXPONENT.decl],
          lines: [F32_EXPONENT.store("  "), "  workgroupBarrier();", ...F32_EXPONENT.reads("  ")],
        },
      }
      : {}),
    accDecls: (r) => [
      `  var acc${r} = ${fs("0.0")};`,
      ...(accs === 2 && !prescale ? [`  var acc${r}b = ${fs("0.0")};`] : []),
    ],
    groupConstants(ind, decl) {
      // lean: zero·scale once, the scales per position; else the offsets c_p beside them
      const out = lean ? [`${ind}${decl}zs = nzc * sc;`] : [];
      for (const p of [0, 4, 8, 12, 16]) {
        if (!lean) {
          out.push(`${ind}${decl}c${p} = fma(nzc, ${fs(`${2 ** p}.0`)}, ${fs("8388608.0")});`);
        }
        if (!prescale) out.push(`${ind}${decl}s${p} = sc * ${fs(POW2_NEG[p]!)};`);
      }
      return out;
    },
    walkDecls() {
      const out: string[] = [];
      for (let mi = 0; prescale && mi < m; mi++) {
        out.push(`      var p${mi} = ${fs("0.0")};`);
        if (accs === 2) out.push(`      var p${mi}b = ${fs("0.0")};`);
      }
      return out;
    },
    step() {
      const out: string[] = [];
      const comp = ["x", "y", "z", "w"];
      // The decoded weight of nibble position i of word `w<u>` (`h` holds the word >> 12).
      const decode = (u: number, i: number) => {
        const src = i < 5 ? `w${u}` : "h";
        const shift = i < 5 ? 4 * i : 4 * (i - 3);
        const p = NIBBLE_POW[i]!;
        const bits = `bitcast<${FV}>((${src} & ${qs(`0x${(0xf << shift).toString(16)}u`)}) | ${
          qs(held ? F32_EXPONENT.at(0x4b000000) : "0x4b000000u")
        })`;
        if (lean) return `fma(${bits} - ${fs("8388608.0")}, s${p}, -zs)`;
        const t = `${bits} - c${p}`;
        return prescale ? t : `(${t}) * s${p}`;
      };
      // X's values at positions `half`·4 … +3 of row mi (a: 0–3, b: 4–7).
      const xHalf = (mi: number, u: number, half: 0 | 1) => {
        const xr = xAt(mi, u, `kr + ${u}u`);
        const x = `vec4<f32>(${half === 0 ? xr.a : xr.b})`;
        if (awq) return `${x} * XS[(kr + ${u}u) * 2u${half === 0 ? "" : " + 1u"}]`;
        if (prescale) return `${x} * ${half === 0 ? preA : preB}`;
        return x;
      };
      // The products of positions `from` … `from + 3` (or all 8) for every row of M.
      const products = (u: number, halves: (0 | 1)[]) => {
        for (let mi = 0; mi < m; mi++) {
          out.push("          {");
          for (const half of halves) {
            out.push(`            let x${"ab"[half]} = ${xHalf(mi, u, half)};`);
          }
          for (const half of halves) {
            for (let j = 0; j < 4; j++) {
              const i = half * 4 + j;
              out.push(
                `            ${target(mi, u)} = fma(${fs(`x${"ab"[half]}.${comp[j]}`)}, t${i}, ${
                  target(mi, u)
                });`,
              );
            }
          }
          out.push("          }");
        }
      };
      for (let u = 0; u < unroll; u++) {
        out.push("        {");
        if (lean) {
          // Positions 0–3, used by every row, then 4–7: four decoded vec4s live at a time.
          for (let i = 0; i < 4; i++) out.push(`          let t${i} = ${decode(u, i)};`);
          products(u, [0]);
          out.push(`          let h = w${u} >> ${qs("12u")};`);
          for (let i = 4; i < 8; i++) out.push(`          let t${i} = ${decode(u, i)};`);
          products(u, [1]);
        } else {
          out.push(`          let h = w${u} >> ${qs("12u")};`);
          for (let i = 0; i < 8; i++) out.push(`          let t${i} = ${decode(u, i)};`);
          products(u, [0, 1]);
        }
        out.push("        }");
      }
      return out;
    },
    segmentEnd() {
      const out: string[] = [];
      for (let mi = 0; prescale && mi < m; mi++) {
        const p = accs === 2 ? `(p${mi} + p${mi}b)` : `p${mi}`;
        out.push(
          `          acc${mi} = fma(sc, ${p}, acc${mi});`,
          `          p${mi} = ${fs("0.0")};`,
        );
        if (accs === 2) out.push(`          p${mi}b = ${fs("0.0")};`);
      }
      return out;
    },
    oneGroupEnd: () => [],
    finish() {
      const out: string[] = [];
      for (let r = 0; accs === 2 && !prescale && r < m; r++) {
        out.push(`  acc${r} = acc${r} + acc${r}b;`);
      }
      return out;
    },
    stageX: null,
  };
}

/**
 * The int4 GEMV shader in f32 arithmetic. Bindings as `int4GemvWgsl`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * const { code } = gemvF32Wgsl(chooseGemv("f32", 1, 104, 53, 8, "f32", false));
 * assert.ok(code.includes("bitcast<f32>") && !code.includes("enable f16"));
 * ```
 */
export function gemvF32Wgsl(o: Int4GemvOptions): WgslCode {
  if (o.math !== "f32") throw new RangeError(`gemvF32Wgsl needs math f32, got ${o.math}`);
  return gemvWalkWgsl(o, (walk) => f32Arithmetic(o, walk));
}
