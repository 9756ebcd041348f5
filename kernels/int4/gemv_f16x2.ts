/**
 * The packed-half inner loop of the int4 GEMV (`math: "f16x2"`): dequantisation and products in
 * `vec2<f16>` pairs, two weights per instruction, partial sums carried into f32.
 *
 * A packed word holds k = 8r … 8r+7 in nibbles 0 … 7; nibble i sits in the low half-word for
 * i < 4 and in the high one for i ≥ 4. Masking with `0x000F000F << 4j` and OR-ing the exponent of
 * 1024 (`0x6400` in each half) makes the pair `(k_j, k_{j+4})` the halves `1024 + q·16^j`
 * (mantissa bits 0–9 hold it for j = 0, 1; nibbles 2 and 3 are brought down by one shift by 8).
 * The word is read as halves with `vec2<f16>(unpack2x16float(w))` — exact, and what naga
 * accepts: its WGSL front end rejects the spec's `bitcast<vec2<f16>>(u32)`
 * (gfx-rs/wgpu#8896); whether the driver folds the f16→f32→f16 round trip away shows in the
 * timing, not here.
 * Then one subtract of `1024 + zero` (j even) or one FMA `t·(1/16) − (64 + zero)` (j odd) gives
 * `q − zero` in both halves exactly, and one FMA multiplies the pair with X's `(x_j, x_{j+4})`.
 * Per word and column: 1 shift, 4 mask-ors, 4 subtracts and 4 FMAs for 8 weights, against 8
 * mask-ors, 8 subtracts and 8 FMAs in f32 (`gemv_f32.ts`). The walk, loads and reduction around
 * it are `gemv_walk.ts`.
 *
 * Precision: X is rounded to f16 (it is f16 already for f16 activations); the integer offsets
 * `q − zero` are exact; products and sums are rounded to f16 over short chains only:
 * - prescale (M ≤ 3): a pair accumulator sums one step (`unroll` packed rows, ≤ 16 products a
 *   half) of `(q − zero)·x` and is added, times the group's f32 scale, to the f32 accumulator
 *   (no overflow below |x| ≈ 270 with unroll 4; the rest of the sum is f32); a walk within one
 *   group adds it unscaled and multiplies the f32 sum by the scale once, after the walk;
 * - dequantise (M > 3): `w' = (q − zero)·scale` is rounded to f16 once per pair and the pair
 *   accumulators sum one group segment of `w'·x` before they are added into f32.
 *
 * X pairs come from the thread's own loads of X (repacked, and converted for f32 activations or
 * AWQ), or with `stageX` from the f16 pairs the workgroup staged once in workgroup memory.
 *
 * @module
 */

import { heldConstants, vecLanes, type WgslCode } from "../wgsl/mod.ts";
import { exponentHeld, type Int4GemvOptions } from "./gemv_options.ts";
import { xRowHalves } from "./gemv_loads.ts";
import { columnsF32, type GemvArithmetic, gemvWalkWgsl, type WalkInfo } from "./gemv_walk.ts";

/**
 * Declarations (`decl` = "var ") or updates (`decl` = "") of the per-group pair constants, from
 * the f32 `sc` (scales) and `nzc` (zeros) vectors over the thread's columns: `za<j>` = 1024 +
 * zero, `zb<j>` = −(64 + zero), and for per-weight dequantisation `sh<j>` = the scale as f16.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { cpt: 1, prescale: true } as Parameters<typeof f16x2GroupConstants>[0];
 * assert.ok(f16x2GroupConstants(o, "", "var ")[0] === "var za0 = vec2<f16>(f16(1024.0 + nzc));");
 * ```
 */
export function f16x2GroupConstants(
  o: Pick<Int4GemvOptions, "cpt" | "prescale">,
  ind: string,
  decl: string,
): string[] {
  const out: string[] = [];
  vecLanes(o.cpt).forEach((c, j) => {
    out.push(
      `${ind}${decl}za${j} = vec2<f16>(f16(1024.0 + nzc${c}));`,
      `${ind}${decl}zb${j} = vec2<f16>(f16(-64.0 - nzc${c}));`,
    );
    if (!o.prescale) out.push(`${ind}${decl}sh${j} = vec2<f16>(f16(sc${c}));`);
  });
  return out;
}

/**
 * The half-pair exponent the decode ORs the masked nibbles into (1024.0 in each half), held in a
 * register where the build sets `hold` (`holdsExponent`: M = 1 with X staged; the staging's
 * barrier fills it).
 */
const HALF_EXPONENT = heldConstants("hexp", [0x64006400]);

/** Name of the pair accumulator of row `mi`, column `j`, accumulator set of packed row `u`. */
function pairAcc(o: Pick<Int4GemvOptions, "accs">, mi: number, j: number, u: number): string {
  return `h${mi}_${j}${u % o.accs === 1 ? "b" : ""}`;
}

/**
 * Declarations of the zeroed pair accumulators (one per row of M, column and accumulator set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { m: 1, cpt: 1, accs: 1 } as Parameters<typeof f16x2AccDecls>[0];
 * assert.ok(f16x2AccDecls(o, "")[0] === "var h0_0 = vec2<f16>();");
 * ```
 */
export function f16x2AccDecls(o: Pick<Int4GemvOptions, "m" | "cpt" | "accs">, ind: string) {
  const out: string[] = [];
  for (let mi = 0; mi < o.m; mi++) {
    for (let j = 0; j < o.cpt; j++) {
      for (let u = 0; u < o.accs; u++) out.push(`${ind}var ${pairAcc(o, mi, j, u)} = vec2<f16>();`);
    }
  }
  return out;
}

/**
 * The products of one packed row: `w` is the word (vector over the thread's columns) of packed
 * row `row` (a WGSL u32 expression), `u` its place in the step (for the accumulator set);
 * `xAt(mi)` gives X's halves for row `mi` of M (loaded from X by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = {
 *   dtype: "f32", m: 1, kPadded: 8, cpt: 1, accs: 1, prescale: true, awq: false,
 * } as Parameters<typeof f16x2Row>[0];
 * assert.ok(f16x2Row(o, "w0", "kr", 0, "").some((l) => l.includes("0x64006400u")));
 * ```
 */
export function f16x2Row(
  o: Pick<
    Int4GemvOptions,
    "dtype" | "m" | "kPadded" | "cpt" | "accs" | "prescale" | "awq" | "stageX" | "hold" | "math"
  >,
  w: string,
  row: string,
  u: number,
  ind: string,
  xAt: (mi: number) => { a: string; b: string } = (mi) =>
    xRowHalves(`${mi * (o.kPadded / 8)}u + ${row}`),
): string[] {
  const out: string[] = [`${ind}{`];
  const QV = o.cpt === 1 ? "u32" : `vec${o.cpt}<u32>`;
  out.push(`${ind}  let hi = ${w} >> ${QV}(8u);`);
  const masks = ["0x000F000Fu", "0x00F000F0u"];
  // With X staged, the exponent is held in a register (`HALF_EXPONENT`): mask and OR in one
  // instruction.
  const magic = exponentHeld(o) ? HALF_EXPONENT.at(0x64006400) : "0x64006400u";
  vecLanes(o.cpt).forEach((c, j) => {
    for (let i = 0; i < 4; i++) {
      const src = i < 2 ? `${w}${c}` : `hi${c}`;
      const pair = `vec2<f16>(unpack2x16float((${src} & ${masks[i % 2]}) | ${magic}))`;
      // Nibble pairs (i, i+4): offsets q − zero, exact.
      const t = i % 2 === 0 ? `${pair} - za${j}` : `fma(${pair}, vec2<f16>(0.0625h), zb${j})`;
      out.push(`${ind}  let t${i}_${j} = ${o.prescale ? t : `(${t}) * sh${j}`};`);
    }
  });
  for (let mi = 0; mi < o.m; mi++) {
    const xi = `${mi * (o.kPadded / 4)}u + ${row} * 2u`;
    if (o.stageX) {
      // Pairs staged in workgroup memory: halves of the two vec4<f16>, no repacking.
      out.push(
        `${ind}  {`,
        `${ind}    let xa = xs[${xi}];`,
        `${ind}    let xb = xs[${xi} + 1u];`,
        `${ind}    let x0 = xa.xy;`,
        `${ind}    let x1 = xa.zw;`,
        `${ind}    let x2 = xb.xy;`,
        `${ind}    let x3 = xb.zw;`,
      );
    } else {
      const xr = xAt(mi);
      const xa = xLoad(o, xr.a, `${row} * 2u`);
      const xb = xLoad(o, xr.b, `${row} * 2u + 1u`);
      out.push(`${ind}  {`);
      out.push(`${ind}    let xa = ${xa};`, `${ind}    let xb = ${xb};`);
      const f32x = loadsXAsF32(o);
      const comp = ["x", "y", "z", "w"];
      for (let i = 0; i < 4; i++) {
        const pair = `vec2<${f32x ? "f32" : "f16"}>(xa.${comp[i]}, xb.${comp[i]})`;
        out.push(`${ind}    let x${i} = ${f32x ? `vec2<f16>(${pair})` : pair};`);
      }
    }
    for (let j = 0; j < o.cpt; j++) {
      const h = pairAcc(o, mi, j, u);
      for (let i = 0; i < 4; i++) out.push(`${ind}    ${h} = fma(t${i}_${j}, x${i}, ${h});`);
    }
    out.push(`${ind}  }`);
  }
  out.push(`${ind}}`);
  return out;
}

/** Whether X is read as f32 (f32 activations, or AWQ's f32 1/s table applied on load). */
function loadsXAsF32(o: Pick<Int4GemvOptions, "dtype" | "awq">): boolean {
  return o.dtype === "f32" || o.awq;
}

/** WGSL for the vec4 `x` of X (as f32 when `loadsXAsF32`), times AWQ's `XS[xsAt]`. */
function xLoad(o: Pick<Int4GemvOptions, "dtype" | "awq">, x0: string, xsAt: string): string {
  const x = loadsXAsF32(o) ? `vec4<f32>(${x0})` : x0;
  return o.awq ? `${x} * XS[${xsAt}]` : x;
}

/**
 * The X staging of `stageX`: the workgroup's threads write row r of X (times AWQ's 1/s) as the
 * f16 pairs `(x0, x4, x1, x5)`, `(x2, x6, x3, x7)` of each packed row to the workgroup array
 * `xs`, which `f16x2Row` then reads as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f16", m: 1, kPadded: 64, awq: false } as Parameters<typeof f16x2StageX>[0];
 * assert.ok(f16x2StageX(o, 128)[0] === "  for (var i = lid; i < 8u; i = i + 128u) {");
 * ```
 */
export function f16x2StageX(
  o: Pick<Int4GemvOptions, "dtype" | "m" | "kPadded" | "awq">,
  threads: number,
): string[] {
  const pack = (a: string, b: string, c: string, d: string) =>
    loadsXAsF32(o)
      ? `vec4<f16>(vec4<f32>(${a}, ${b}, ${c}, ${d}))`
      : `vec4<f16>(${a}, ${b}, ${c}, ${d})`;
  const xr = xRowHalves("i");
  return [
    `  for (var i = lid; i < ${o.m * (o.kPadded / 8)}u; i = i + ${threads}u) {`,
    "    let r = i % ROWS;",
    `    let xa = ${xLoad(o, xr.a, "r * 2u")};`,
    `    let xb = ${xLoad(o, xr.b, "r * 2u + 1u")};`,
    `    xs[i * 2u] = ${pack("xa.x", "xb.x", "xa.y", "xb.y")};`,
    `    xs[i * 2u + 1u] = ${pack("xa.z", "xb.z", "xa.w", "xb.w")};`,
    "  }",
  ];
}

/**
 * Adds the pair accumulators into the f32 accumulators `acc<mi>` (times the group's f32 scale
 * `sc` when prescaling and `scaled`; a walk within one group scales once after it) and zeroes
 * them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { m: 1, cpt: 1, accs: 1, prescale: true } as Parameters<typeof f16x2Flush>[0];
 * assert.ok(f16x2Flush(o, "")[0] === "{");
 * ```
 */
export function f16x2Flush(
  o: Pick<Int4GemvOptions, "m" | "cpt" | "accs" | "prescale">,
  ind: string,
  scaled = o.prescale,
): string[] {
  const FV = columnsF32(o.cpt);
  const out: string[] = [`${ind}{`];
  for (let mi = 0; mi < o.m; mi++) {
    const sums: string[] = [];
    for (let j = 0; j < o.cpt; j++) {
      const parts: string[] = [];
      for (let u = 0; u < o.accs; u++) {
        const h = pairAcc(o, mi, j, u);
        out.push(`${ind}  let f${mi}_${j}_${u} = vec2<f32>(${h});`, `${ind}  ${h} = vec2<f16>();`);
        parts.push(`f${mi}_${j}_${u}.x + f${mi}_${j}_${u}.y`);
      }
      sums.push(parts.join(" + "));
    }
    const v = o.cpt === 1 ? sums[0]! : `${FV}(${sums.join(", ")})`;
    out.push(
      scaled
        ? `${ind}  acc${mi} = fma(sc, ${v}, acc${mi});`
        : `${ind}  acc${mi} = acc${mi} + ${v};`,
    );
  }
  out.push(`${ind}}`);
  return out;
}

/**
 * The f16x2 arithmetic's pieces of the walk (see {@link GemvArithmetic}): pair constants and
 * accumulators, `f16x2Row` per packed row, the carries into f32 (every step when prescaling,
 * else every group segment; a one-group prescale walk scales its f32 sums once at the end), and
 * the X staging of `stageX`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * const o = chooseGemv("f16", 1, 64, 8, 8, "f16", false, { math: "f16x2" });
 * const a = f16x2Arithmetic(o, { oneGroup: true, xAt: () => ({ a: "a", b: "b" }), FV: "vec4<f32>" });
 * assert.ok(a.f16 && a.stageX !== null);
 * ```
 */
export function f16x2Arithmetic(o: Int4GemvOptions, walk: WalkInfo): GemvArithmetic {
  const { m, unroll, prescale } = o;
  const fs = (e: string) => `${walk.FV}(${e})`;
  return {
    f16: true,
    accDecls: (r) => [`  var acc${r} = ${fs("0.0")};`],
    groupConstants: (ind, decl) => f16x2GroupConstants(o, ind, decl),
    walkDecls: () => f16x2AccDecls(o, "      "),
    step() {
      const out: string[] = [];
      for (let u = 0; u < unroll; u++) {
        const row = `(kr + ${u}u)`;
        out.push(...f16x2Row(o, `w${u}`, row, u, "        ", (mi) => walk.xAt(mi, u, row)));
      }
      // Prescaled pair sums are carried into f32 every step, per-weight ones every group
      // segment. Within one group the carries are unscaled and the scale is applied once, after
      // the walk.
      if (prescale) out.push(...f16x2Flush(o, "        ", !walk.oneGroup));
      return out;
    },
    segmentEnd: () => (prescale ? [] : f16x2Flush(o, "          ")),
    oneGroupEnd() {
      const out: string[] = [];
      for (let mi = 0; prescale && mi < m; mi++) out.push(`          acc${mi} = acc${mi} * sc;`);
      return out;
    },
    finish: () => [],
    stageX: (threads) =>
      exponentHeld(o)
        ? {
          decls: [HALF_EXPONENT.decl],
          stage: [...f16x2StageX(o, threads), HALF_EXPONENT.store("  ")],
          after: HALF_EXPONENT.reads("  "),
        }
        : { decls: [], stage: f16x2StageX(o, threads), after: [] },
  };
}

/**
 * The int4 GEMV shader in packed-half arithmetic. Bindings as `int4GemvWgsl`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * const { code } = gemvF16x2Wgsl(chooseGemv("f32", 1, 104, 56, 8, "f32", false, { math: "f16x2" }));
 * assert.ok(code.startsWith("enable f16;") && code.includes("0x64006400u"));
 * ```
 */
export function gemvF16x2Wgsl(o: Int4GemvOptions): WgslCode {
  if (o.math !== "f16x2") throw new RangeError(`gemvF16x2Wgsl needs math f16x2, got ${o.math}`);
  return gemvWalkWgsl(o, (walk) => f16x2Arithmetic(o, walk));
}
