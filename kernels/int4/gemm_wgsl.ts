/**
 * WGSL generator for the int4 GEMM: the dense register-blocked GEMM (see
 * `kernels/dense/gemm_wgsl.ts`: BM×BN workgroup tile, BK = 16 slabs through workgroup memory,
 * next slab prefetched into registers, generated unrolled `vec4<f32>` accumulators) with the W
 * slab read as packed words and dequantised into workgroup memory: each loaded u32 (8 codes
 * along K of one column) with its group's scale and zero becomes 8 f32 weights, `(q − zero)·scale`,
 * via the 2^23 mantissa trick (no integer→float conversion). The inner loop is the dense one.
 * AWQ's 1/s is fused into the X slab load (one vec4 product per loaded vec4).
 *
 * X is read as vec4 with K padded to a multiple of 8 (the plan uploads X with zero columns when
 * K is not), Y as vec4 when N % 4 = 0; every load and store is guarded.
 *
 * With `splitK` > 1 workgroup z takes one K range (as in the dense GEMM) and writes an f32
 * partial plane; the shared split-K reduce pass (`kernels/wgsl/split_k.ts`) sums the planes
 * into Y. That is what fills the GPU at small M, where a 16-row tile leaves only N/64
 * workgroups.
 *
 * @module
 */

import { type GemmTile, splitKChunk, validateTile } from "../dense/gemm_wgsl.ts";
import { HALF_GEMM_CARRY } from "../dense/gemm_half.ts";
import { pairArrays, pairPartials, pairSlot, registerBlockFmaPairs } from "../dense/gemm_pairs.ts";
import {
  aSlabSlots,
  loadSlabRegs,
  slabLoop,
  storeATransposed,
  storeTileBlock,
  tileEntry,
  type WgslCode,
  wgslCode,
  xSlab,
} from "../wgsl/mod.ts";
import { int4Bindings, type Int4ShaderInputs, scaleZeroLoaders } from "./shader_inputs.ts";

/**
 * Everything that changes the generated int4 GEMM text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o: Int4GemmOptions = {
 *   dtype: "f32", m: 64, kPadded: 128, n: 96, group: 32, scaleDtype: "f16", awq: false,
 *   tile: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
 * };
 * assert.match(int4GemmWgsl(o).code, /unpack2x16float/); // f16 scales read as u32 pairs
 * assert.deepEqual(int4GemmDispatch(o), [2, 1, 1]);
 * ```
 */
export interface Int4GemmOptions extends Int4ShaderInputs {
  /** The GEMM workgroup tile. */
  tile: GemmTile;
  /**
   * Split K over this many workgroups (default 1): the shader then writes `splitK` f32 partial
   * planes to binding 4 and a split-K reduce pass sums them into Y.
   */
  splitK?: number;
  /**
   * Packed-half arithmetic (`gemmMath: f16x2`): X and the dequantised weights staged as f16 pairs
   * (the dense GEMM's pairs staging, `kernels/dense/gemm_pairs.ts`), `vec2<f16>` products into
   * half partials carried into the f32 accumulators every `halfCarry` rows of K.
   */
  half?: boolean;
  /** Rows of K a half partial sums before its f32 carry (with `half`; 1…BK, default 8). */
  halfCarry?: number;
}

/**
 * Floating-point work the GEMM executes beyond 2·M·K·N: every row block of workgroups
 * dequantises all of W (a subtract and a product per weight, one add per word for the zero
 * constant), and AWQ multiplies X by 1/s once per column block.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f = gemmOverheadFlops({
 *   dtype: "f32", m: 128, kPadded: 64, n: 128, group: 32, scaleDtype: "f32", awq: false,
 *   tile: { bm: 128, bn: 128, bk: 16, tm: 8, tn: 8 },
 * });
 * assert.ok(f === 2 * 64 * 128 + 8 * 128);
 * ```
 */
export function gemmOverheadFlops(o: Int4GemmOptions): number {
  const rowBlocks = Math.ceil(o.m / o.tile.bm);
  const colBlocks = Math.ceil(o.n / o.tile.bn);
  const dequant = rowBlocks * (2 * o.kPadded * o.n + (o.kPadded / 8) * o.n);
  return dequant + (o.awq ? o.m * o.kPadded * colBlocks : 0);
}

/**
 * Generates the int4 GEMM shader. Bindings: 0 = X (M×kPadded, vec4 of dtype), 1 = packed words
 * (u32), 2 = scales, 3 = zeros (f32, or f16 pairs read as u32), 4 = Y (M×N), 5 = 1/s (vec4 of
 * f32) when `awq`. Dispatch `int4GemmDispatch(o)` workgroups.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code, bindings } = int4GemmWgsl({
 *   dtype: "f32", m: 37, kPadded: 104, n: 53, group: 8, scaleDtype: "f32", awq: true,
 *   tile: { bm: 32, bn: 64, bk: 16, tm: 4, tn: 4 },
 * });
 * assert.ok(code.includes("@compute"));
 * assert.deepEqual(bindings, ["X", "Q", "S", "Z", "Y", "XS"]);
 * ```
 */
export function int4GemmWgsl(o: Int4GemmOptions): WgslCode {
  const { m, kPadded, n, tile, dtype, group, scaleDtype, awq } = o;
  const splitK = o.splitK ?? 1;
  if (!Number.isInteger(splitK) || splitK < 1) {
    throw new RangeError(`splitK must be an integer ≥ 1, got ${splitK}`);
  }
  validateTile(tile);
  if (tile.bk % 8 !== 0) throw new RangeError(`int4 GEMM needs BK % 8 = 0, got ${tile.bk}`);
  if (kPadded % 8 !== 0 || kPadded % group !== 0 || group % 8 !== 0) {
    throw new RangeError(`bad K/group: kPadded=${kPadded}, group=${group}`);
  }
  const half = o.half ?? false;
  const carry = o.halfCarry ?? HALF_GEMM_CARRY;
  if (half && !(Number.isInteger(carry) && carry >= 1 && carry <= tile.bk)) {
    throw new RangeError(`halfCarry must be an integer 1…BK (${tile.bk}), got ${carry}`);
  }
  const { bm, bn, bk, tm, tn } = tile;
  const TX = bn / tn;
  const TY = bm / tm;
  const threads = TX * TY;
  const T = dtype;
  const vecY = n % 4 === 0;
  const outT = splitK > 1 ? "f32" : T; // partial products stay f32
  const kc = splitK > 1 ? splitKChunk(kPadded, splitK, bk) : Math.ceil(kPadded / bk) * bk;
  const aVecs = (bm * bk) / 4;
  const bVecs = (bk * bn) / 4;
  const bWords = (bk / 8) * bn; // packed words per slab
  const aLoads = Math.ceil(aVecs / threads);
  // Packed halves: a thread loads the words of two neighbouring columns (one W pair a row of K).
  const bUnits = half ? bWords / 2 : bWords;
  const bLoads = Math.ceil(bUnits / threads);
  const S = scaleDtype === "f16" ? "u32" : "f32";
  const bindings = int4Bindings(o, {
    x: `vec4<${T}>`,
    q: "u32",
    s: S,
    y: vecY ? `vec4<${outT}>` : outT,
  });
  const L: string[] = [];
  L.push(
    `const M = ${m}u;`,
    `const KP = ${kPadded}u;`,
    `const N = ${n}u;`,
    `const ROWS = ${kPadded / 8}u;`,
    `const RPG = ${group / 8}u;`,
    `const MAGIC = 0x4b000000u;`,
    ...(half ? pairArrays(tile, 1) : [
      `var<workgroup> As: array<vec4<f32>, ${aSlabSlots(tile)}>;`,
      `var<workgroup> Bs: array<vec4<f32>, ${bVecs}>;`,
    ]),
    "",
  );
  L.push(...scaleZeroLoaders(scaleDtype));
  L.push(
    "",
    ...tileEntry(tile),
  );
  if (splitK > 1) {
    // z = split index: its K range and its partial plane.
    L.push(
      `  let kBase = wid.z * ${kc}u;`,
      `  let yOff = wid.z * ${(m * n) / (vecY ? 4 : 1)}u;`,
    );
  }
  for (let r = 0; r < tm; r++) {
    for (let j = 0; j < tn / 4; j++) L.push(`  var acc_${r}_${j} = vec4<f32>(0.0);`);
  }
  if (half) L.push(...pairPartials(tile));
  for (let l = 0; l < aLoads; l++) L.push(`  var la_${l} = vec4<f32>(0.0);`);
  const [w0, f0] = half ? ["vec2<u32>(0u)", "vec2<f32>(0.0)"] : ["0u", "0.0"];
  for (let l = 0; l < bLoads; l++) {
    L.push(`  var lw_${l} = ${w0};`, `  var ls_${l} = ${f0};`, `  var lz_${l} = ${f0};`);
  }

  // Global → registers for the slab starting at k0.
  const loadSlab = (ind: string): string[] => {
    const out: string[] = [];
    const val = `vec4<f32>(X[gr * ${kPadded / 4}u + gk / 4u])`;
    out.push(...loadSlabRegs(
      threads,
      ind,
      xSlab({
        reg: "la_",
        slots: aVecs,
        perRow: bk / 4,
        rowBound: "M",
        colBound: "KP",
        vec4: awq ? `${val} * XS[gk / 4u]` : val, // X rows are padded to KP (a multiple of 8)
      }),
    ));
    for (let l = 0; l < bLoads; l++) {
      const guard = (l + 1) * threads > bUnits ? `lid + ${l * threads}u < ${bUnits}u && ` : "";
      const cols = half ? bn / 2 : bn;
      out.push(
        `${ind}{`,
        `${ind}  let e = lid + ${l * threads}u;`,
        `${ind}  let kr = k0 / 8u + e / ${cols}u;`,
        `${ind}  let gc = colBase + ${half ? `2u * (e % ${cols}u)` : `e % ${cols}u`};`,
        `${ind}  lw_${l} = ${w0};`,
        `${ind}  ls_${l} = ${f0};`,
        `${ind}  lz_${l} = ${f0};`,
        `${ind}  if (${guard}kr < ROWS && gc < N) {`,
        `${ind}    let ge = (kr / RPG) * N + gc;`,
      );
      const word = (lane: string, d: string) => [
        `${ind}    lw_${l}${lane} = Q[kr * N + gc${d}];`,
        `${ind}    ls_${l}${lane} = ldS(ge${d});`,
        `${ind}    lz_${l}${lane} = ldZ(ge${d});`,
      ];
      if (half) {
        out.push(...word(".x", ""), `${ind}    if (gc + 1u < N) {`);
        out.push(...word(".y", " + 1u").map((line) => `  ${line}`), `${ind}    }`);
      } else {
        out.push(...word("", ""));
      }
      out.push(`${ind}  }`, `${ind}}`);
    }
    return out;
  };
  // Registers → workgroup memory: A transposed to [k][m]; B dequantised to [k][n].
  const storeSlab = (ind: string): string[] => {
    if (half) return storeSlabPairsInt4(ind);
    const out: string[] = [];
    out.push(...storeATransposed(tile, threads, ind));
    for (let l = 0; l < bLoads; l++) {
      const guarded = (l + 1) * threads > bWords;
      out.push(
        `${ind}${guarded ? `if (lid + ${l * threads}u < ${bWords}u) ` : ""}{`,
        `${ind}  let e = lid + ${l * threads}u;`,
        `${ind}  let j = e / ${bn}u;`,
        `${ind}  let cl = e % ${bn}u;`,
        `${ind}  let slot = j * ${(8 * bn) / 4}u + cl / 4u;`,
        `${ind}  let lane = cl % 4u;`,
        `${ind}  let cz = lz_${l} + 8388608.0;`,
      );
      for (let i = 0; i < 8; i++) {
        out.push(
          `${ind}  Bs[slot + ${(i * bn) / 4}u][lane] = (bitcast<f32>(((lw_${l} >> ${
            4 * i
          }u) & 0xfu) | MAGIC) - cz) * ls_${l};`,
        );
      }
      out.push(`${ind}}`);
    }
    return out;
  };
  // The pairs staging (`gemm_pairs.ts`): X as (x, x) pairs; the two columns of a thread's words
  // dequantised together into the W pair of their vec4 column (c) at each of the 8 rows of K.
  const storeSlabPairsInt4 = (ind: string): string[] => {
    const out = storeATransposed(tile, threads, ind, 0, (v) => `vec2<f16>(f16(${v}))`);
    // The first of the word's 8 rows of K; row i is element el + i·TX.
    const slot = pairSlot(tile, `(e / ${bn / 2}u) * 8u`, "c");
    for (let l = 0; l < bLoads; l++) {
      const guarded = (l + 1) * threads > bUnits;
      out.push(
        `${ind}${guarded ? `if (lid + ${l * threads}u < ${bUnits}u) ` : ""}{`,
        `${ind}  let e = lid + ${l * threads}u;`,
        `${ind}  let cl = 2u * (e % ${bn / 2}u);`,
        `${ind}  let c = cl / 4u;`,
        `${ind}  let el = ${slot.el};`,
        `${ind}  let p = ${slot.pair} + (cl % 4u) / 2u;`,
        `${ind}  let cz = lz_${l} + vec2<f32>(8388608.0);`,
      );
      for (let i = 0; i < 8; i++) {
        out.push(
          `${ind}  Bs[el + ${i * TX}u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_${l} >> vec2<u32>(${
            4 * i
          }u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_${l});`,
        );
      }
      out.push(`${ind}}`);
    }
    return out;
  };

  L.push(
    ...slabLoop(
      tile,
      kc / bk,
      splitK > 1 ? "kBase" : "0u",
      loadSlab,
      storeSlab,
      half ? (ind) => registerBlockFmaPairs(tile, ind, undefined, carry) : undefined,
    ),
  );

  // Epilogue: the register block with edge guards.
  L.push(...storeTileBlock(tile, {
    n,
    at: splitK > 1 ? "yOff + " : "",
    vec4: vecY ? (acc) => `vec4<${outT}>(${acc})` : null,
    scalar: (v) => `${outT}(${v})`,
  }));
  L.push("}");
  return wgslCode(bindings, L, {
    f16: dtype === "f16" || half,
    header:
      `// tilebench int4 GEMM ${m}x${kPadded}x${n} ${T} group=${group} scales=${scaleDtype} awq=${awq} tile=${bm}x${bn}x${bk} thread=${tm}x${tn}` +
      (splitK > 1 ? ` splitK=${splitK}` : "") +
      (half ? ` math=f16x2 carry=${carry} stage=pairs` : ""),
  });
}

/**
 * Workgroup counts (x, y, z) of an int4 GEMM.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [x, y] = int4GemmDispatch({
 *   dtype: "f32", m: 100, kPadded: 8, n: 200, group: 8, scaleDtype: "f32", awq: false,
 *   tile: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
 * });
 * assert.ok(x === 4 && y === 2);
 * ```
 */
export function int4GemmDispatch(o: Int4GemmOptions): [number, number, number] {
  return [Math.ceil(o.n / o.tile.bn), Math.ceil(o.m / o.tile.bm), o.splitK ?? 1];
}
