/**
 * WGSL pieces the int8 GEMVs share (the one-pass GEMV, `gemv_wgsl.ts`, and the streaming GEMV,
 * `gemv_stream.ts`): the absmax of X, the staging of its codes, the outlier dimensions and the
 * binding list.
 *
 * @module
 */

import type { Binding } from "../wgsl/mod.ts";

/** Components of a `vec4<u32>` code word. */
export const QUADS = [0, 1, 2, 3];

/**
 * The one-pass GEMV's absmax of x·invS per row (`perRow` threads a row, fan-in 8 through `red`)
 * into `sxw`; with X read once, the values of the thread's code words `held` stay in registers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines = absmaxLines({ perRow: 256, threads: 256, mp: 1 }, false, []);
 * assert.ok(lines.includes("    sxw[ar] = v / 127.0;"));
 * ```
 */
export function absmaxLines(
  l: { perRow: number; threads: number; mp: number },
  once: boolean,
  held: number[],
): string[] {
  const { perRow, threads, mp } = l;
  const out: string[] = [];
  out.push(`  let ar = lid / ${perRow}u;`, `  let ai = lid % ${perRow}u;`, "  var amax = 0.0;");
  // with X read once (M = 1): the values of the thread's code words e = lid, lid + threads, …
  // stay in registers for the codes
  if (once) {
    for (const j of held) {
      out.push(
        `  let e${j} = lid + ${j * threads}u;`,
        ...QUADS.map((q) => `  var x${j}_${q} = vec4<f32>();`),
        `  if (e${j} < KW) {`,
        ...QUADS.map((q) => `    x${j}_${q} = xs4(0u, 4u * e${j} + ${q}u);`),
        "  }",
        `  { let v = max(max(abs(x${j}_0), abs(x${j}_1)), max(abs(x${j}_2), abs(x${j}_3)));`,
        "    amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }",
      );
    }
  } else {
    out.push(
      "  if (ar < M) {",
      `    for (var w = ai; w < K4; w += ${perRow}u) {`,
      "      let v = abs(xs4(ar, w));",
      "      amax = max(amax, max(max(v.x, v.y), max(v.z, v.w)));",
      "    }",
      "  }",
    );
  }
  out.push(`  if (lid < ${mp * perRow}u) { red[lid] = amax; }`, "  workgroupBarrier();");
  let live = perRow;
  while (live > 1) {
    const fan = Math.min(8, live);
    const next = live / fan;
    const terms = Array.from(
      { length: fan },
      (_, i) => `red[ar * ${perRow}u + ai${i ? ` + ${i * next}u` : ""}]`,
    );
    let sum = terms[0]!;
    for (const x of terms.slice(1)) sum = `max(${sum}, ${x})`;
    out.push(`  if (ar < M && ai < ${next}u) {`, `    let v = ${sum};`);
    out.push(next === 1 ? "    sxw[ar] = v / 127.0;" : "    red[lid] = v;");
    out.push("  }", "  workgroupBarrier();");
    live = next;
  }
  if (perRow === 1) {
    out.push("  if (lid < M) { sxw[lid] = red[lid] / 127.0; }", "  workgroupBarrier();");
  }
  return out;
}

/**
 * Lines that quantise `count` code words of X into `xq`, the workgroup's threads taking words
 * `lid`, `lid + threads`, … (word e of row `m0 + e / KW`): the one-pass GEMVs' staging.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stageCodesLines(0, 256, 256, true)[0], "  for (var e = lid; e < 256u; e += 256u) {");
 * ```
 */
export function stageCodesLines(
  m0: number,
  count: number,
  threads: number,
  vec: boolean,
): string[] {
  return [
    `  for (var e = lid; e < ${count}u; e += ${threads}u) {`,
    `    let r = ${m0}u + e / KW;`,
    `    let w = e % KW;`,
    vec
      ? `    xq[e] = vec4<u32>(${
        QUADS.map((q) => `codesOf(xs4(r, 4u * w + ${q}u), sxw[r])`).join(", ")
      });`
      : "    xq[e] = codesOf(xs4(r, w), sxw[r]);",
    "  }",
  ];
}

/**
 * Lines that add the outlier dimensions' products x·w (f32) into the partial sums `p<r>` of the
 * thread's column `col`, the slices (`s` of `S`) splitting the list OI: the int8 GEMVs' step 4.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(outlierLines([0], true).includes("      p0 = fma(f32(X[0u * K4 + j / 4u][j % 4u]), wv, p0);"));
 * ```
 */
export function outlierLines(rows: number[], xVec: boolean): string[] {
  const xAt = (r: number) => xVec ? `X[${r}u * K4 + j / 4u][j % 4u]` : `X[${r}u * K + j]`;
  return [
    "  if (live) {",
    "    let count = OI[0];",
    "    for (var oo = s; oo < count; oo += S) {",
    "      let j = OI[1u + oo];",
    "      let wv = f32(WO[oo * N + col]);",
    ...rows.map((r) => `      p${r} = fma(f32(${xAt(r)}), wv, p${r});`),
    "    }",
    "  }",
  ];
}

/**
 * The bindings of an int8 GEMV in order: X (for the codes, or with `pass` for the outlier
 * dimensions alone), IS where X is scaled and quantised here, XQ and SX with `pass`, WQ, SW, OI
 * and WO with `outliers`, Y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = int8GemvBindings({ t: "f16", xVec: true, word: "u32", scaled: false, pass: true, outliers: false });
 * assert.deepEqual(b.map((x) => x.name), ["XQ", "SX", "WQ", "SW", "Y"]);
 * ```
 */
export function int8GemvBindings(o: {
  t: string;
  xVec: boolean;
  word: string;
  scaled: boolean;
  pass: boolean;
  outliers: boolean;
}): Binding[] {
  const { t, xVec, word, scaled, pass } = o;
  return [
    ...(!pass || o.outliers ? [{ name: "X", elem: xVec ? `vec4<${t}>` : t }] : []),
    ...(scaled && !pass ? [{ name: "IS", elem: xVec ? "vec4<f32>" : "f32" }] : []),
    ...(pass ? [{ name: "XQ", elem: word }, { name: "SX", elem: "f32" }] : []),
    { name: "WQ", elem: word },
    { name: "SW", elem: "f32" },
    ...(o.outliers ? [{ name: "OI", elem: "u32" }, { name: "WO", elem: t }] : []),
    { name: "Y", elem: t, write: true },
  ];
}
