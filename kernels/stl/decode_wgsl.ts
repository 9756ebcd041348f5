/**
 * WGSL generator of the decoder: vec(Y_ij) = Σ_ρ γ_ρ · P_ρ[i, j].
 *
 * One thread per t×t output tile: it reads the r channel products of its tile (coalesced across
 * threads: consecutive tiles are consecutive in every plane), evaluates the t² sparse
 * combinations generated from γ in f32, and stores the tile — vec2/vec4 row stores when N is
 * divisible by t, guarded scalar stores otherwise. Rows and columns of the padding are never
 * written.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Encoder, gammaRow } from "./encoder.ts";
import type { PlaneGeometry } from "./geometry.ts";
import { linearCombo } from "./linear_combo.ts";
import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";

/** Threads per decode workgroup (along the tile columns). */
export const DECODE_THREADS = 64;

/**
 * Everything that changes the decode shader.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planeGeometry } from "./geometry.ts";
 * import { strassenEncoder } from "./strassen.ts";
 * const geometry = planeGeometry({ m: 8, k: 8, n: 8 }, 2);
 * const o: DecodeOptions = { dtype: "f32", m: 8, n: 8, geometry, encoder: strassenEncoder() };
 * const { code, opsPerTile } = decodeWgsl(o);
 * assert.match(code, /@compute/);
 * assert.equal(opsPerTile, 8); // Strassen's decoder: 8 additions per 2×2 Y tile
 * ```
 */
export interface DecodeOptions {
  dtype: DType;
  m: number;
  n: number;
  geometry: PlaneGeometry;
  encoder: Encoder;
}

/**
 * The decode shader and the arithmetic operations it executes per tile. Bindings: 0 = P (r
 * planes of Mt×Nt), 1 = Y (M×N). Dispatch {@link decodeDispatch}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strassenEncoder } from "./strassen.ts";
 * import { planeGeometry } from "./geometry.ts";
 * const { code, opsPerTile } = decodeWgsl({
 *   dtype: "f32", m: 4, n: 6, geometry: planeGeometry({ m: 4, k: 2, n: 6 }, 2),
 *   encoder: strassenEncoder(),
 * });
 * assert.ok(code.includes("@compute") && opsPerTile === 8);
 * ```
 */
export function decodeWgsl(o: DecodeOptions): WgslCode & { opsPerTile: number } {
  const { dtype: T, m, n, geometry: g, encoder: e } = o;
  const t = g.t;
  if (e.t !== t) throw new RangeError(`encoder tile ${e.t} does not match geometry tile ${t}`);
  const vec = n % t === 0;
  const plane = g.mt * g.nt;
  const L: string[] = [];
  L.push(
    ...computeMain(DECODE_THREADS),
    `  let jt = wid.x * ${DECODE_THREADS}u + lid;`,
    "  let i = wid.y;",
    `  if (jt >= ${g.nt}u || i >= ${g.mt}u) { return; }`,
    `  let base = i * ${g.nt}u + jt;`,
  );
  const terms: string[] = [];
  for (let rho = 0; rho < e.r; rho++) {
    L.push(`  let p${rho} = f32(P[base + ${rho * plane}u]);`);
    terms.push(`p${rho}`);
  }
  let ops = 0;
  for (let a = 0; a < t; a++) {
    const vals: string[] = [];
    for (let b = 0; b < t; b++) {
      const c = linearCombo(gammaRow(e, a * t + b), terms);
      ops += c.ops;
      L.push(`  let y${a}_${b} = ${c.expr};`);
      vals.push(`y${a}_${b}`);
    }
    L.push(`  let row${a} = i * ${t}u + ${a}u;`);
    if (vec) {
      L.push(
        `  if (row${a} < ${m}u) { Y[row${a} * ${n / t}u + jt] = vec${t}<${T}>(vec${t}<f32>(${
          vals.join(", ")
        })); }`,
      );
    } else {
      L.push(`  if (row${a} < ${m}u) {`);
      for (let b = 0; b < t; b++) {
        L.push(
          `    if (jt * ${t}u + ${b}u < ${n}u) { Y[row${a} * ${n}u + jt * ${t}u + ${b}u] = ${T}(${
            vals[b]
          }); }`,
        );
      }
      L.push("  }");
    }
  }
  L.push("}");
  const bindings = [
    { name: "P", elem: T },
    { name: "Y", elem: vec ? `vec${t}<${T}>` : T, write: true },
  ];
  return {
    ...wgslCode(bindings, L, {
      f16: T === "f16",
      header: `// tilebench stl decode Y ${m}x${n} t=${t} r=${e.r} ${T} vec=${vec}`,
    }),
    opsPerTile: ops,
  };
}

/**
 * Workgroup counts of the decode pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(decodeDispatch({ t: 2, mt: 3, kt: 1, nt: 65, pad: { m: 0, k: 0, n: 0 } })[0] === 2);
 * ```
 */
export function decodeDispatch(g: PlaneGeometry): [number, number, number] {
  return [Math.ceil(g.nt / DECODE_THREADS), g.mt, 1];
}
