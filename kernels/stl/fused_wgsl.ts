/**
 * WGSL generator of the fused STL kernel: r-channel GEMM with the decoder in its epilogue.
 *
 * A workgroup owns a BM×BN block of tile positions (i, j) — a (t·BM)×(t·BN) block of Y — and
 * walks the r channels one after another. For channel ρ it runs a register-blocked GEMM over
 * the Kt tile columns (BK-deep slabs of x̂_ρ and ŵ_ρ staged through workgroup memory with the
 * next slab prefetched into registers, as in the dense GEMM), then adds γ_ρ ⊗ P_ρ into t²
 * output accumulators per position, held in generated, fully unrolled `vec4<f32>` registers.
 * The channel products P never leave registers, and there is no decode pass: after the last
 * channel each thread writes its t×t output tiles straight to Y (vec2/vec4 row stores when N is
 * divisible by t), skipping the padding.
 *
 * The epilogue is a `switch` over the channel with γ_ρ's nonzeros baked in (±1 become
 * additions/subtractions) when γ is sparse, so decoders such as Strassen's execute fewer
 * operations; a dense γ (cp-als, random) is read from a uniform table (binding 3,
 * {@link gammaTableData}) instead, which keeps the shader one epilogue long.
 *
 * The price is registers: t²·TM·TN accumulators per thread, so per-thread position blocks are
 * smaller than the dense GEMM's 8×8 (t = 4: 2×4 positions = 128 accumulators).
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Encoder, gammaColumn } from "./encoder.ts";
import type { PlaneGeometry } from "./geometry.ts";
import {
  type Binding,
  loadSlabRegs,
  prefetchLoop,
  type SlabTile,
  storeSlabRegs,
  storeSlabTransposed,
  tileEntry,
  type WgslCode,
  wgslCode,
  wSlab,
  xSlab,
} from "../wgsl/mod.ts";
import { accumulateOps, wgslFloat } from "./linear_combo.ts";

/**
 * Block geometry in tile positions: BM×BN positions per workgroup, BK-deep slabs, TM×TN
 * positions per thread (TN a multiple of 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const f: FusedTile = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
 * assert.deepEqual(f, FUSED_TILES["64x64/4x4"]);
 * ```
 */
export type FusedTile = SlabTile;

/** Named fused tiles (`BMxBN/TMxTN`, in tile positions). */
export const FUSED_TILES: Record<string, FusedTile> = {
  "64x64/4x4": { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  "64x128/4x8": { bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 },
  "32x64/2x4": { bm: 32, bn: 64, bk: 16, tm: 2, tn: 4 },
  "16x64/1x4": { bm: 16, bn: 64, bk: 16, tm: 1, tn: 4 },
};

/**
 * The fused tile `auto` picks: t = 2 → 64x64/4x4 (64 accumulators per thread), t = 4 →
 * 32x64/2x4 (128).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(autoFusedTile(4) === "32x64/2x4");
 * ```
 */
export function autoFusedTile(t: number): string {
  return t === 2 ? "64x64/4x4" : "32x64/2x4";
}

/**
 * Everything that changes the fused shader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planeGeometry } from "./geometry.ts";
 * import { strassenEncoder } from "./strassen.ts";
 * const geometry = planeGeometry({ m: 64, k: 64, n: 64 }, 2);
 * const tile = FUSED_TILES["64x64/4x4"]!;
 * const o: FusedOptions = { dtype: "f32", m: 64, n: 64, geometry, encoder: strassenEncoder(), tile };
 * assert.match(fusedWgsl(o).code, /switch/); // Strassen's sparse γ: a switch over the channel
 * assert.deepEqual(fusedDispatch(geometry, tile), [1, 1, 1]); // 32×32 tile positions, one block
 * ```
 */
export interface FusedOptions {
  dtype: DType;
  m: number;
  n: number;
  geometry: PlaneGeometry;
  encoder: Encoder;
  tile: FusedTile;
}

/**
 * Arithmetic operations of the fused epilogue per tile position (all channels).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * assert.ok(fusedDecodeOpsPerTile(strassenEncoder()) === 12);
 * ```
 */
export function fusedDecodeOpsPerTile(e: Encoder): number {
  if (gammaTableMode(e)) return 2 * e.gamma.length;
  let ops = 0;
  for (const v of e.gamma) ops += accumulateOps(v);
  return ops;
}

/**
 * γ as the fused kernel's uniform table (table mode): channel-major, the t² coefficients of
 * channel ρ at [ρ·t², (ρ+1)·t²), f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomEncoder } from "./random_encoder.ts";
 * assert.ok(gammaTableData(randomEncoder(2, 3, 1)).length === 12);
 * ```
 */
export function gammaTableData(e: Encoder): Float32Array {
  const tt = e.t * e.t;
  const out = new Float32Array(e.r * tt);
  for (let rho = 0; rho < e.r; rho++) {
    gammaColumn(e, rho).forEach((v, ent) => (out[rho * tt + ent] = v));
  }
  return out;
}

/**
 * Whether the fused epilogue reads γ from a uniform table indexed by the channel (γ without
 * zeros: cp-als, random) instead of a `switch` with γ's nonzeros baked in per channel (sparse γ:
 * Strassen). The table keeps the shader small (one epilogue instead of r), and executes one
 * multiply-add per coefficient, ±1 included.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * assert.ok(!gammaTableMode(strassenEncoder()));
 * ```
 */
export function gammaTableMode(e: Encoder): boolean {
  return e.gamma.every((v) => v !== 0);
}

/**
 * Generates the fused shader. Bindings: 0 = X̂ (r planes Mt×Kt), 1 = Ŵ (r planes Kt×Nt),
 * 2 = Y (M×N), and in table mode ({@link gammaTableMode}) 3 = γ (uniform `GAMMA`,
 * {@link gammaTableData}). Dispatch {@link fusedDispatch}.
 *
 * @example
 * ```ts
 * import { strassenEncoder } from "./strassen.ts";
 * import { planeGeometry } from "./geometry.ts";
 * import assert from "node:assert/strict";
 * const { code } = fusedWgsl({
 *   dtype: "f32", m: 10, n: 12, geometry: planeGeometry({ m: 10, k: 8, n: 12 }, 2),
 *   encoder: strassenEncoder(), tile: FUSED_TILES["64x64/4x4"]!,
 * });
 * assert.ok(code.includes("switch ch"));
 * ```
 */
export function fusedWgsl(o: FusedOptions): WgslCode {
  const { dtype: T, m, n, geometry: g, encoder: e, tile } = o;
  const { bm, bn, bk, tm, tn } = tile;
  const t = g.t;
  if (e.t !== t) throw new RangeError(`encoder tile ${e.t} does not match geometry tile ${t}`);
  if (tn % 4 !== 0 || bn % tn !== 0 || bm % tm !== 0 || bk % 4 !== 0) {
    throw new RangeError(`fused tile ${JSON.stringify(tile)} does not divide evenly`);
  }
  const TX = bn / tn;
  const TY = bm / tm;
  const threads = TX * TY;
  const tt = t * t;
  const { mt: MT, kt: KT, nt: NT } = g;
  const vecA = KT % 4 === 0;
  const vecB = NT % 4 === 0;
  const vecOut = n % t === 0;
  if (![1, 2, 4].includes(tm)) throw new RangeError(`fused tile tm must be 1, 2 or 4, got ${tm}`);
  // A is staged k-major with each thread's TM consecutive rows in one vector slot.
  const aElem = tm === 1 ? "f32" : `vec${tm}<f32>`;
  const aRowSlots = bm / tm;
  const aVecs = (bm * bk) / 4;
  const bVecs = (bk * bn) / 4;
  const aLoads = Math.ceil(aVecs / threads);
  const bLoads = Math.ceil(bVecs / threads);
  const bindings: Binding[] = [
    { name: "Xh", elem: vecA ? `vec4<${T}>` : T },
    { name: "Wh", elem: vecB ? `vec4<${T}>` : T },
    { name: "Y", elem: vecOut ? `vec${t}<${T}>` : T, write: true },
  ];
  if (gammaTableMode(e)) {
    bindings.push({ name: "GAMMA", uniform: `array<vec4<f32>, ${(e.r * tt) / 4}>` });
  }
  const L: string[] = [];
  L.push(
    `var<workgroup> As: array<${aElem}, ${(bk * bm) / tm}>;`,
    `var<workgroup> Bs: array<vec4<f32>, ${bVecs}>;`,
    "",
    ...tileEntry(tile),
  );
  const nj = tn / 4;
  for (let ent = 0; ent < tt; ent++) {
    for (let i = 0; i < tm; i++) {
      for (let j = 0; j < nj; j++) L.push(`  var o${ent}_${i}_${j} = vec4<f32>(0.0);`);
    }
  }
  for (let i = 0; i < tm; i++) {
    for (let j = 0; j < nj; j++) L.push(`  var acc${i}_${j} = vec4<f32>(0.0);`);
  }
  for (let l = 0; l < aLoads; l++) L.push(`  var la${l} = vec4<f32>(0.0);`);
  for (let l = 0; l < bLoads; l++) L.push(`  var lb${l} = vec4<f32>(0.0);`);

  const loadSlab = (ind: string): string[] => [
    ...loadSlabRegs(
      threads,
      ind,
      xSlab({
        reg: "la",
        slots: aVecs,
        perRow: bk / 4,
        rowBound: `${MT}u`,
        colBound: `${KT}u`,
        vec4: vecA ? `vec4<f32>(Xh[xOff + gr * ${KT / 4}u + gk / 4u])` : null,
        scalar: (c) => `f32(Xh[xOff + gr * ${KT}u + gk + ${c}u])`,
      }),
    ),
    ...loadSlabRegs(
      threads,
      ind,
      wSlab({
        reg: "lb",
        slots: bVecs,
        perRow: bn / 4,
        rowBound: `${KT}u`,
        colBound: `${NT}u`,
        vec4: vecB ? `vec4<f32>(Wh[wOff + gk * ${NT / 4}u + gc / 4u])` : null,
        scalar: (c) => `f32(Wh[wOff + gk * ${NT}u + gc + ${c}u])`,
      }),
    ),
  ];
  const storeSlab = (ind: string): string[] => [
    ...storeSlabTransposed(threads, ind, {
      reg: "la",
      slots: aVecs,
      perRow: bk / 4,
      lets: [],
      store: (c, v) =>
        tm === 1
          ? `As[(kq * 4u + ${c}u) * ${bm}u + row] = ${v};`
          : `As[(kq * 4u + ${c}u) * ${aRowSlots}u + row / ${tm}u][row % ${tm}u] = ${v};`,
    }),
    ...storeSlabRegs(threads, ind, "lb", bVecs, "Bs"),
  ];
  const compute = (ind: string): string[] => {
    const out: string[] = [];
    for (let kk = 0; kk < bk; kk++) {
      out.push(`${ind}{`);
      out.push(`${ind}  let a = As[${kk * aRowSlots}u + ty];`);
      for (let j = 0; j < nj; j++) {
        out.push(`${ind}  let b${j} = Bs[${(kk * bn) / 4}u + tx + ${j * TX}u];`);
      }
      for (let i = 0; i < tm; i++) {
        for (let j = 0; j < nj; j++) {
          out.push(
            `${ind}  acc${i}_${j} = fma(vec4<f32>(${
              tm === 1 ? "a" : `a[${i}]`
            }), b${j}, acc${i}_${j});`,
          );
        }
      }
      out.push(`${ind}}`);
    }
    return out;
  };

  const numSlabs = Math.ceil(KT / bk);
  L.push(`  for (var ch = 0u; ch < ${e.r}u; ch++) {`);
  L.push(
    `    let xOff = ch * ${(MT * KT) / (vecA ? 4 : 1)}u;`,
    `    let wOff = ch * ${(KT * NT) / (vecB ? 4 : 1)}u;`,
  );
  for (let i = 0; i < tm; i++) {
    for (let j = 0; j < nj; j++) L.push(`    acc${i}_${j} = vec4<f32>(0.0);`);
  }
  L.push(...prefetchLoop({
    ind: "    ",
    firstLets: ["let k0 = 0u;"],
    loop: `for (var s = 0u; s < ${numSlabs}u; s++)`,
    bodyLets: [`let k0 = (s + 1u) * ${bk}u;`],
    more: `s + 1u < ${numSlabs}u`,
    nextLets: [],
    load: loadSlab,
    compute,
    store: storeSlab,
  }));
  // Epilogue: out_e += γ[e, ch] · P_ch.
  const update = (ent: number, coef: string | number, ind: string) => {
    for (let i = 0; i < tm; i++) {
      for (let j = 0; j < nj; j++) {
        const o = `o${ent}_${i}_${j}`;
        const a = `acc${i}_${j}`;
        if (coef === 1) L.push(`${ind}${o} += ${a};`);
        else if (coef === -1) L.push(`${ind}${o} -= ${a};`);
        else {
          const c = typeof coef === "number" ? wgslFloat(coef) : coef;
          L.push(`${ind}${o} = fma(vec4<f32>(${c}), ${a}, ${o});`);
        }
      }
    }
  };
  if (gammaTableMode(e)) {
    // Dense γ: one epilogue reading γ's column from a constant table.
    for (let q = 0; q < tt / 4; q++) L.push(`    let g${q} = GAMMA[ch * ${tt / 4}u + ${q}u];`);
    for (let ent = 0; ent < tt; ent++) update(ent, `g${Math.floor(ent / 4)}[${ent % 4}]`, "    ");
    L.push("  }");
  } else {
    // Sparse γ: a switch over the channel with γ's nonzeros baked in (±1 as add/sub).
    L.push("    switch ch {");
    for (let rho = 0; rho < e.r; rho++) {
      L.push(`      case ${rho}u: {`);
      const col = gammaColumn(e, rho);
      for (let ent = 0; ent < tt; ent++) if (col[ent] !== 0) update(ent, col[ent]!, "        ");
      L.push("      }");
    }
    L.push("      default: {}", "    }", "  }");
  }

  // Store the t×t tiles of every position this thread owns.
  for (let i = 0; i < tm; i++) {
    L.push("  {", `    let pr = rowBase + ty * ${tm}u + ${i}u;`);
    for (let a = 0; a < t; a++) {
      L.push(`    {`, `      let y = pr * ${t}u + ${a}u;`, `      if (y < ${m}u) {`);
      for (let j = 0; j < nj; j++) {
        for (let q = 0; q < 4; q++) {
          const vals = Array.from(
            { length: t },
            (_, b) => `o${a * t + b}_${i}_${j}[${q}]`,
          );
          L.push(`        {`, `          let pc = colBase + (tx + ${j * TX}u) * 4u + ${q}u;`);
          if (vecOut) {
            L.push(
              `          if (pc < ${NT}u) { Y[y * ${n / t}u + pc] = vec${t}<${T}>(vec${t}<f32>(${
                vals.join(", ")
              })); }`,
            );
          } else {
            for (let b = 0; b < t; b++) {
              L.push(
                `          if (pc * ${t}u + ${b}u < ${n}u) { Y[y * ${n}u + pc * ${t}u + ${b}u] = ${T}(${
                  vals[b]
                }); }`,
              );
            }
          }
          L.push("        }");
        }
      }
      L.push("      }", "    }");
    }
    L.push("  }");
  }
  L.push("}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header:
      `// tilebench stl fused ${m}x${n} planes ${MT}x${KT}x${NT} t=${t} r=${e.r} ${T} block=${bm}x${bn}x${bk} thread=${tm}x${tn}`,
  });
}

/**
 * Workgroup counts of the fused kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = { t: 2, mt: 100, kt: 8, nt: 130, pad: { m: 0, k: 0, n: 0 } };
 * const [x, y] = fusedDispatch(g, FUSED_TILES["64x64/4x4"]!);
 * assert.ok(x === 3 && y === 2);
 * ```
 */
export function fusedDispatch(g: PlaneGeometry, tile: FusedTile): [number, number, number] {
  return [Math.ceil(g.nt / tile.bn), Math.ceil(g.mt / tile.bm), 1];
}
