/**
 * The ternary kernels' tuning candidates: workgroup geometry (columns × K slices) and, for the
 * lookup-table kernel at small M, the 4-row table index. The tuner (docs/tuning.md) times them.
 * The add/subtract GEMV's candidates are the neighbours of its shape-chosen geometry.
 *
 * @module
 */

import type { DType, Params, Shape } from "../../harness/types.ts";
import type { TernaryConfig } from "./mod.ts";
import { ADDSUB_MAX_MB } from "./gemv_addsub.ts";
import { otherInt8Tiles } from "../int8/params.ts";

/**
 * Candidates beside the shipped default: for the add/subtract and multiply-add GEMVs, columns or K
 * slices doubled or halved, for the fma GEMV with f16 X the other arithmetic (f32 where the
 * default is packed-half, at M = 1, else f16x2 and f16x2 at half the slices), for dp4a X
 * quantised the other way (`quantX`), and for the add/subtract GEMV at 16 < M ≤ 32 the tiled GEMM; for the lookup-table kernel (32 columns, auto slices, g = 2) other
 * geometries and g = 4; for the GEMMs, the weight-streaming kernel at M ≤ 64, and for dp4a's the
 * int8 GEMM's other tiles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveTernary } from "./mod.ts";
 * const shape = { m: 1, k: 4096, n: 4096 };
 * const c = ternaryTuneCandidates(shape, "f16", resolveTernary({ method: "lut" }, {}, shape));
 * assert.ok(c.some((t) => t.lutG === 4));
 * assert.ok(c.every((t) => t.lutG === undefined || t.lutG === 4));
 * const a = ternaryTuneCandidates(shape, "f16", resolveTernary({}, {}, shape));
 * assert.deepEqual(a[0], { cols: "32", slices: "128" });
 * const f = resolveTernary({ method: "fma" }, {}, shape, "f16");
 * assert.equal(f.math, "f16x2"); // the default at M = 1
 * assert.ok(ternaryTuneCandidates(shape, "f16", f).some((t) => t.math === "f32"));
 * assert.ok(!ternaryTuneCandidates(shape, "f32", f).some((t) => t.math === "f16x2"));
 * const d = resolveTernary({ method: "dp4a" }, {}, shape, "f16");
 * assert.equal(d.quantX, "inline"); // 8 KiB of reduction, 4 of codes, 4 of row folds
 * assert.ok(ternaryTuneCandidates(shape, "f16", d).some((t) => t.quantX === "pass"));
 * ```
 */
export function ternaryTuneCandidates(
  shape: Shape,
  dtype: DType,
  config: TernaryConfig,
): Params[] {
  if (config.variant === "gemm") {
    // dp4a: the int8 GEMM's other tiles
    const tiles = config.method === "dp4a" ? otherInt8Tiles(config.tile) : [];
    return [...tiles, ...(shape.m <= 64 ? [{ variant: "gemv" }] : [])];
  }
  if (config.method !== "lut") {
    const { cols, slices } = config;
    const threads = (c: number, s: number) => Math.max(1, c / config.cpt) * s;
    const fits = (c: number, s: number) =>
      c >= 16 && c <= 256 && s >= 1 && s <= 128 && threads(c, s) <= 1024;
    const around = [[cols * 2, slices], [cols / 2, slices], [cols, slices * 2], [cols, slices / 2]]
      .filter(([c, s]) => fits(c!, s!))
      // dp4a keeps its X quantisation: a neighbour changes the geometry only
      .map(([c, s]) => ({
        cols: String(c),
        slices: String(s),
        ...(config.method === "dp4a" ? { quantX: config.quantX } : {}),
      }));
    // the other arithmetic of the fma GEMV with f16 X (packed-half by default at M = 1; there
    // half the slices is already among the neighbours)
    const half: Params[] = [];
    if (config.method === "fma" && dtype === "f16") {
      half.push({ math: config.math === "f16x2" ? "f32" : "f16x2" });
      if (config.math !== "f16x2" && fits(cols, slices / 2)) {
        half.push({ math: "f16x2", slices: String(slices / 2) });
      }
    }
    // dp4a: X quantised the other way (inline or by the activation pass)
    if (config.method === "dp4a") {
      half.push({ quantX: config.quantX === "inline" ? "pass" : "inline" });
    }
    // the tiled GEMM against the add/subtract GEMV's two row blocks, where the rule picks the GEMV
    const gemm: Params[] = config.method === "addsub" && shape.m > ADDSUB_MAX_MB
      ? [{ variant: "gemm" }]
      : [];
    return [...around, ...half, ...gemm];
  }
  const out: Params[] = [
    { slices: "8" },
    { slices: "32" },
    { cols: "64", slices: "8" },
    { cols: "64", slices: "16" },
    { cols: "128", slices: "4" },
    // one table build shared by 256 columns
    { cols: "256", slices: "4" },
  ];
  if (config.method === "lut" && shape.m <= 2) out.push({ lutG: 4 }, { lutG: 4, slices: "8" });
  return out;
}
