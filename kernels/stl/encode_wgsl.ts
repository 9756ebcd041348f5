/**
 * WGSL generator of the X encoder: x̂_ρ[i, k] = α_ρ · vec(X_ik) for every channel ρ.
 *
 * One thread per t×t tile of X: it loads the tile (vec2/vec4 row loads when K is divisible by
 * t, guarded scalar loads otherwise; rows and columns beyond M and K read as zero — the
 * padding), evaluates the r sparse combinations generated from α (zeros skipped, ±1 as
 * additions) in f32 and stores one value per channel plane. Planes are r × Mt × Kt, row-major,
 * back to back, in the storage dtype.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { alphaRow, type Encoder } from "./encoder.ts";
import type { PlaneGeometry } from "./geometry.ts";
import { linearCombo } from "./linear_combo.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/** Threads per encode workgroup (along the tile columns). */
export const ENCODE_THREADS = 64;

const LANES = ["x", "y", "z", "w"];

/**
 * Everything that changes the encode shader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planeGeometry } from "./geometry.ts";
 * import { strassenEncoder } from "./strassen.ts";
 * const geometry = planeGeometry({ m: 8, k: 8, n: 8 }, 2);
 * const o: EncodeOptions = { dtype: "f32", m: 8, k: 8, geometry, encoder: strassenEncoder() };
 * const { code, opsPerTile } = encodeWgsl(o);
 * assert.match(code, /@compute/);
 * assert.equal(opsPerTile, 5); // Strassen's encoder: 5 additions per 2×2 X tile
 * ```
 */
export interface EncodeOptions {
  dtype: DType;
  m: number;
  k: number;
  geometry: PlaneGeometry;
  encoder: Encoder;
}

/**
 * The encode shader and the arithmetic operations it executes per tile. Bindings: 0 = X (M×K),
 * 1 = X̂ (r planes of Mt×Kt). Dispatch {@link encodeDispatch}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * import { planeGeometry } from "./geometry.ts";
 * const g = planeGeometry({ m: 4, k: 6, n: 2 }, 2);
 * const { code, opsPerTile } = encodeWgsl({
 *   dtype: "f32", m: 4, k: 6, geometry: g, encoder: strassenEncoder(),
 * });
 * assert.ok(code.includes("@compute") && opsPerTile === 5);
 * ```
 */
export function encodeWgsl(o: EncodeOptions): WgslCode & { opsPerTile: number } {
  const { dtype: T, m, k, geometry: g, encoder: e } = o;
  const t = g.t;
  if (e.t !== t) throw new RangeError(`encoder tile ${e.t} does not match geometry tile ${t}`);
  const vec = k % t === 0;
  const L: string[] = [];
  L.push(
    ...computeMain(ENCODE_THREADS),
    `  let kt = wid.x * ${ENCODE_THREADS}u + lid;`,
    "  let i = wid.y;",
    `  if (kt >= ${g.kt}u || i >= ${g.mt}u) { return; }`,
  );
  const terms: string[] = [];
  for (let a = 0; a < t; a++) {
    L.push(`  let row${a} = i * ${t}u + ${a}u;`);
    if (vec) {
      L.push(
        `  var v${a} = vec${t}<f32>(0.0);`,
        `  if (row${a} < ${m}u) { v${a} = vec${t}<f32>(X[row${a} * ${k / t}u + kt]); }`,
      );
      for (let b = 0; b < t; b++) terms.push(`v${a}.${LANES[b]}`);
    } else {
      for (let b = 0; b < t; b++) {
        L.push(
          `  var v${a}_${b} = 0.0;`,
          `  if (row${a} < ${m}u && kt * ${t}u + ${b}u < ${k}u) { v${a}_${b} = f32(X[row${a} * ${k}u + kt * ${t}u + ${b}u]); }`,
        );
        terms.push(`v${a}_${b}`);
      }
    }
  }
  const plane = g.mt * g.kt;
  L.push(`  let base = i * ${g.kt}u + kt;`);
  let ops = 0;
  for (let rho = 0; rho < e.r; rho++) {
    const c = linearCombo(alphaRow(e, rho), terms);
    ops += c.ops;
    L.push(`  Xh[base + ${rho * plane}u] = ${T}(${c.expr});`);
  }
  L.push("}");
  const bindings = [
    { name: "X", elem: vec ? `vec${t}<${T}>` : T },
    { name: "Xh", elem: T, write: true },
  ];
  return {
    ...wgslCode(bindings, L, {
      f16: T === "f16",
      header: `// tilebench stl encode X ${m}x${k} t=${t} r=${e.r} ${T} vec=${vec}`,
    }),
    opsPerTile: ops,
  };
}

/**
 * Workgroup counts of the encode pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(encodeDispatch({ t: 2, mt: 3, kt: 100, nt: 1, pad: { m: 0, k: 0, n: 0 } })[0] === 2);
 * ```
 */
export function encodeDispatch(g: PlaneGeometry): [number, number, number] {
  return [Math.ceil(g.kt / ENCODE_THREADS), g.mt, 1];
}
