/**
 * WGSL generator of the ternary add/subtract GEMM (by default at M > 32): a 64×64 output tile per workgroup,
 * 256 threads of 4 rows × 4 columns each, K walked one packed word (16 rows) at a time. Per word
 * the workgroup stages X's 64×16 slab (f32, vec4 over 4 rows) and the tile's 64 packed words in
 * workgroup memory; each thread then, per K row, takes its 4 columns' 2-bit codes and adds +x, −x
 * or 0 of its 4 rows (a `vec4` select and add): no multiplies in the inner loop. Scales multiply
 * once per output (per channel) or once per output and scale group.
 *
 * @module
 */

import type { DType } from "../../harness/types.ts";
import { type Binding, computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { ROWS_PER_WORD } from "./format.ts";
import { blockWords } from "./gemv_wgsl.ts";

/** Output rows and columns of a GEMM workgroup tile. */
export const TERNARY_GEMM_TILE = 64;

/** Everything that changes the generated GEMM text. */
export interface TernaryGemmOptions {
  dtype: DType;
  m: number;
  k: number;
  kPadded: number;
  n: number;
  /** 0 (scale per column) or K rows per scale group (a multiple of 16 dividing kPadded). */
  group: number;
}

/**
 * Workgroups of a GEMM case: column tiles in x, row tiles in y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f32" as const, m: 100, k: 64, kPadded: 64, n: 130, group: 0 };
 * assert.deepEqual(ternaryGemmDispatch(o), [3, 2, 1]);
 * ```
 */
export function ternaryGemmDispatch(o: TernaryGemmOptions): [number, number, number] {
  return [Math.ceil(o.n / TERNARY_GEMM_TILE), Math.ceil(o.m / TERNARY_GEMM_TILE), 1];
}

/**
 * Generates the GEMM shader. Bindings: X (M×K, dtype), Q (packed codes), S (scales), Y (M×N).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code } = ternaryGemmWgsl({ dtype: "f32", m: 37, k: 100, kPadded: 112, n: 53, group: 0 });
 * assert.ok(code.includes("@workgroup_size(256)"));
 * assert.ok(!code.includes("fma("));
 * ```
 */
export function ternaryGemmWgsl(o: TernaryGemmOptions): WgslCode {
  const { dtype: T, m, k, kPadded, n, group } = o;
  const B = TERNARY_GEMM_TILE;
  const words = kPadded / ROWS_PER_WORD;
  const bw = blockWords(group);
  const grouped = group !== 0;
  const bindings: Binding[] = [
    { name: "X", elem: T },
    { name: "Q", elem: "u32" },
    { name: "S", elem: T },
    { name: "Y", elem: T, write: true },
  ];
  const L: string[] = [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const N = ${n}u;`,
    `const WORDS = ${words}u;`,
    // As[kk·16 + r/4][r%4]: X of row r, K row kk of the word
    `var<workgroup> As: array<vec4<f32>, ${(16 * B) / 4}>;`,
    `var<workgroup> Ws: array<u32, ${B}>;`,
    "fn pick4(code: u32, x: vec4<f32>) -> vec4<f32> {",
    "  return select(select(vec4<f32>(0.0), x, code == 1u), -x, code == 2u);",
    "}",
    ...computeMain(256),
    "  let tx = lid % 16u;",
    "  let ty = lid / 16u;",
    `  let rowBase = wid.y * ${B}u;`,
    `  let colBase = wid.x * ${B}u;`,
    // the X slab: thread lid loads row lid/4, K rows (lid%4)·4 … +3 of the word
    "  let lr = lid / 4u;",
    "  let lk = (lid % 4u) * 4u;",
    "  let xRow = rowBase + lr;",
  ];
  for (let j = 0; j < 4; j++) {
    L.push(`  var acc${j} = vec4<f32>(0.0);`);
    if (grouped) L.push(`  var t${j} = vec4<f32>(0.0);`);
  }
  L.push("  for (var w = 0u; w < WORDS; w++) {", "    workgroupBarrier();");
  for (let c = 0; c < 4; c++) {
    L.push(
      "    {",
      `      let kk = w * 16u + lk + ${c}u;`,
      "      var v = 0.0;",
      "      if (xRow < M && kk < K) { v = f32(X[xRow * K + kk]); }",
      `      As[(lk + ${c}u) * 16u + lr / 4u][lr % 4u] = v;`,
      "    }",
    );
  }
  L.push(
    `    if (lid < ${B}u) {`,
    "      var q = 0u;",
    "      if (colBase + lid < N) { q = Q[w * N + colBase + lid]; }",
    "      Ws[lid] = q;",
    "    }",
    "    workgroupBarrier();",
  );
  for (let j = 0; j < 4; j++) L.push(`    let q${j} = Ws[tx + ${16 * j}u];`);
  const tgt = (j: number) => (grouped ? `t${j}` : `acc${j}`);
  for (let kk = 0; kk < ROWS_PER_WORD; kk++) {
    L.push(`    let a${kk} = As[${kk * 16}u + ty];`);
    for (let j = 0; j < 4; j++) {
      L.push(`    ${tgt(j)} = ${tgt(j)} + pick4((q${j} >> ${2 * kk}u) & 3u, a${kk});`);
    }
  }
  if (grouped) {
    L.push(`    if ((w + 1u) % ${bw}u == 0u) {`, `      let g = w / ${bw}u;`);
    for (let j = 0; j < 4; j++) {
      L.push(
        `      let col${j} = min(colBase + tx + ${16 * j}u, N - 1u);`,
        `      acc${j} = acc${j} + f32(S[g * N + col${j}]) * t${j};`,
        `      t${j} = vec4<f32>(0.0);`,
      );
    }
    L.push("    }");
  }
  L.push("  }");
  for (let j = 0; j < 4; j++) {
    L.push(`  let c${j} = colBase + tx + ${16 * j}u;`, `  if (c${j} < N) {`);
    const v = grouped ? `acc${j}` : `acc${j} * f32(S[c${j}])`;
    L.push(`    let y${j} = ${v};`);
    for (let i = 0; i < 4; i++) {
      L.push(
        `    if (rowBase + ty * 4u + ${i}u < M) { Y[(rowBase + ty * 4u + ${i}u) * N + c${j}] = ${T}(y${j}[${i}]); }`,
      );
    }
    L.push("  }");
  }
  L.push("}");
  return wgslCode(bindings, L, {
    f16: T === "f16",
    header: `// ternary addsub GEMM ${T} M=${m} K=${k} N=${n} group=${
      group || "channel"
    } tile=${B}x${B}`,
  });
}
