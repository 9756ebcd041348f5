/**
 * What an STL case executes, moves and stores.
 *
 * @module
 */

import { dtypeBytes } from "../../harness/gpu/buffers.ts";
import type { WorkModel } from "../../harness/kernel.ts";
import type { DType, Shape } from "../../harness/types.ts";
import { alphaRow, type Encoder, gammaRow } from "./encoder.ts";
import { planeGeometry } from "./geometry.ts";
import { comboOps } from "./linear_combo.ts";
import type { StlParams } from "./params.ts";

/**
 * Operations per tile of the encode pass and of the decode pass,
 * counted exactly as the generated WGSL executes them. Without an encoder (not built yet: a
 * random or file encoder before `prepare`) every coefficient is assumed nonzero and general.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * const o = overheadOpsPerTile(strassenEncoder(), 2, 7);
 * assert.ok(o.encode === 5 && o.decode === 8);
 * ```
 */
export function overheadOpsPerTile(
  encoder: Encoder | null,
  t: number,
  r: number,
): { encode: number; decode: number } {
  const tt = t * t;
  if (!encoder) {
    return { encode: r * (2 * tt - 1), decode: tt * (2 * r - 1) };
  }
  let encode = 0;
  for (let rho = 0; rho < r; rho++) encode += comboOps(alphaRow(encoder, rho));
  let decode = 0;
  for (let ent = 0; ent < tt; ent++) decode += comboOps(gammaRow(encoder, ent));
  return { encode, decode };
}

/**
 * FLOPs, minimum traffic and storage of an STL case:
 * core = 2·⌈M/t⌉⌈K/t⌉⌈N/t⌉·r; overhead = encode (per X tile) + decode (per Y tile) operations;
 * bytes = X + stored Ŵ + Y once each; paramsStored = r·⌈K/t⌉⌈N/t⌉ (K·N·r/t² with padding).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * import { stlParams } from "./params.ts";
 * const p = stlParams({ tile: 2, rank: 7 });
 * const w = stlWork({ m: 4, k: 4, n: 4 }, p, "f32", strassenEncoder());
 * assert.ok(w.flops.core === 2 * 2 * 2 * 2 * 7 && w.paramsStored === 28);
 * ```
 */
export function stlWork(
  shape: Shape,
  p: StlParams,
  dtype: DType,
  encoder: Encoder | null,
): WorkModel {
  const g = planeGeometry(shape, p.t);
  const core = 2 * g.mt * g.kt * g.nt * p.r;
  const ops = overheadOpsPerTile(encoder, p.t, p.r);
  const overhead = g.mt * g.kt * ops.encode + g.mt * g.nt * ops.decode;
  const stored = p.r * g.kt * g.nt;
  const b = dtypeBytes(dtype);
  return {
    flops: { total: core + overhead, core, overhead },
    bytes: (shape.m * shape.k + stored + shape.m * shape.n) * b,
    paramsStored: stored,
    storedBytes: stored * b,
  };
}
