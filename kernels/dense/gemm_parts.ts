/**
 * Pieces of the tiled GEMM shader shared by every family that reuses the dense design (dense,
 * int4): the transposed store of an X slab into workgroup memory, the register-blocked multiply
 * of a slab and the prefetching K loop around them. Each returns WGSL lines; callers declare `As`/`Bs`, the `la_<l>` staging
 * registers and the `acc_<row>_<j>` accumulators.
 *
 * @module
 */

import type { GemmTile } from "./gemm_wgsl.ts";

/**
 * Stores the staged X registers `la_0 … la_{loads-1}` (vec4 along K of one row each) into `As`,
 * transposed to [k][m] with vec4 lanes over m. Loads past the slab (`aVecs`) are skipped.
 *
 * @example
 * ```ts
 * const lines = storeATransposed({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 256, "  ");
 * console.assert(lines.some((l) => l.includes("As[slot")));
 * ```
 */
export function storeATransposed(tile: GemmTile, threads: number, indent: string): string[] {
  const { bm, bk } = tile;
  const aVecs = (bm * bk) / 4;
  const loads = Math.ceil(aVecs / threads);
  const out: string[] = [];
  for (let l = 0; l < loads; l++) {
    const guarded = (l + 1) * threads > aVecs;
    out.push(
      `${indent}${guarded ? `if (lid + ${l * threads}u < ${aVecs}u) ` : ""}{`,
      `${indent}  let e = lid + ${l * threads}u;`,
      `${indent}  let row = e / ${bk / 4}u;`,
      `${indent}  let kq = e % ${bk / 4}u;`,
      `${indent}  let slot = kq * ${bm}u + row / 4u;`,
      `${indent}  let lane = row % 4u;`,
    );
    for (let c = 0; c < 4; c++) {
      out.push(`${indent}  As[slot + ${(c * bm) / 4}u][lane] = la_${l}[${c}];`);
    }
    out.push(`${indent}}`);
  }
  return out;
}

/**
 * The register-blocked product of one BK-deep slab: for each k, TM/4 vec4 of `As` (rows
 * `ty + i·TY`) times TN/4 vec4 of `Bs` (columns `tx + j·TX`) into `acc_<row>_<j>`, fully
 * unrolled (no loop-indexed arrays: Deno's WGSL is bounds-checked).
 *
 * @example
 * ```ts
 * const lines = registerBlockFma({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, "  ");
 * console.assert(lines.filter((l) => l.includes("fma(")).length === 16 * 4);
 * ```
 */
export function registerBlockFma(tile: GemmTile, indent: string): string[] {
  const { bm, bn, bk, tm, tn } = tile;
  const TX = bn / tn;
  const TY = bm / tm;
  const out: string[] = [];
  for (let kk = 0; kk < bk; kk++) {
    out.push(`${indent}{`);
    for (let i = 0; i < tm / 4; i++) {
      out.push(`${indent}  let a${i} = As[${(kk * bm) / 4}u + ty + ${i * TY}u];`);
    }
    for (let j = 0; j < tn / 4; j++) {
      out.push(`${indent}  let b${j} = Bs[${(kk * bn) / 4}u + tx + ${j * TX}u];`);
    }
    for (let i = 0; i < tm / 4; i++) {
      for (let r = 0; r < 4; r++) {
        const row = i * 4 + r;
        for (let j = 0; j < tn / 4; j++) {
          out.push(
            `${indent}  acc_${row}_${j} = fma(vec4<f32>(a${i}[${r}]), b${j}, acc_${row}_${j});`,
          );
        }
      }
    }
    out.push(`${indent}}`);
  }
  return out;
}

/**
 * The K loop of the tiled GEMM: the first slab is loaded and stored, then each step prefetches
 * the next slab into registers (`loadSlab`) while the current one is multiplied, and stores it
 * (`storeSlab`) between two barriers. `k0` is the first K of the slab being loaded:
 * `kStart + t·BK`.
 *
 * @example
 * ```ts
 * const lines = slabLoop({ bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 }, 4, "0u", () => [], () => []);
 * console.assert(lines.includes("  for (var t = 0u; t < numSlabs; t++) {"));
 * ```
 */
export function slabLoop(
  tile: GemmTile,
  numSlabs: number,
  kStart: string,
  loadSlab: (indent: string) => string[],
  storeSlab: (indent: string) => string[],
): string[] {
  const next = kStart === "0u" ? `(t + 1u) * ${tile.bk}u` : `${kStart} + (t + 1u) * ${tile.bk}u`;
  return [
    `  let numSlabs = ${numSlabs}u;`,
    "  {",
    `    let k0 = ${kStart};`,
    ...loadSlab("    "),
    "  }",
    ...storeSlab("  "),
    "  workgroupBarrier();",
    "  for (var t = 0u; t < numSlabs; t++) {",
    `    let k0 = ${next};`,
    "    let more = t + 1u < numSlabs;",
    "    if (more) {",
    ...loadSlab("      "),
    "    }",
    ...registerBlockFma(tile, "    "),
    "    workgroupBarrier();",
    "    if (more) {",
    ...storeSlab("      "),
    "    }",
    "    workgroupBarrier();",
    "  }",
  ];
}
