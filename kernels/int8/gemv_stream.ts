/**
 * The streaming int8 GEMV (`variant: "stream"`, M ≤ 32): the one-pass GEMV's operator (every
 * workgroup quantises X itself, the same codes, `dot4` products and outlier dimensions), laid out
 * for a weight stream instead of one burst of loads a workgroup.
 *
 * - 256 threads a workgroup: `cols` columns × `slices` threads a column, the slices adjacent
 *   (thread `lid` = column `c`·slices + slice `s`), so a warp's load is `slices` consecutive
 *   16-byte words of one column (a 128-byte line and more) where the one-pass GEMV's warps read
 *   32 bytes of each of 16 columns.
 * - Each thread walks its column's words s, s + slices, … in a loop, `INT8_STREAM_UNROLL` words
 *   requested ahead of the ones it multiplies (the first of them before the activation work), so
 *   a workgroup keeps its loads in flight for the whole of K, not only at its start.
 * - Columns a workgroup are the most of 32, 16, … that leave 256 workgroups (as the dense GEMV's
 *   geometry does): fewer workgroups, each quantising X once, than the one-pass GEMV's.
 * - The slices are summed through workgroup memory, fan-in 8.
 *
 * @module
 */

import { computeMain, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { dotFn } from "./gemm_wgsl.ts";
import { absmaxLines, int8GemvBindings, outlierLines, stageCodesLines } from "./gemv_parts.ts";
import {
  INT8_GEMV_MAX_M,
  int8GemvLayout,
  type Int8GemvOptions,
  int8GemvVec4,
  int8GemvWords,
} from "./gemv_wgsl.ts";
import { activationFns } from "./quant_wgsl.ts";

/** Threads a workgroup of the streaming GEMV. */
export const INT8_STREAM_THREADS = 256;

/** Words a thread of the streaming GEMV requests ahead of the ones it multiplies. */
export const INT8_STREAM_UNROLL = 4;

/**
 * Most words a thread walks: its integer sum (16 products of |q| ≤ 127 a word) stays below 2^24,
 * so its conversion to f32 is exact.
 */
export const INT8_STREAM_MAX_STEPS = 64;

/**
 * The streaming GEMV's default geometry: columns the most of 32, 16, 8, 4, 2, 1 that leave 256
 * workgroups (halved further while a thread would walk more than `INT8_STREAM_MAX_STEPS`
 * words), the rest of the 256 threads slices.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(int8StreamGeometry(4096, 14336), { cols: 32, slices: 8 });
 * assert.deepEqual(int8StreamGeometry(14336, 4096), { cols: 16, slices: 16 });
 * assert.deepEqual(int8StreamGeometry(2048, 256), { cols: 1, slices: 256 });
 * ```
 */
export function int8StreamGeometry(k: number, n: number): { cols: number; slices: number } {
  const words = int8GemvWords(k);
  let cols = 32;
  while (cols > 1 && Math.ceil(n / cols) < 256) cols /= 2;
  while (cols > 1 && Math.ceil(words / (INT8_STREAM_THREADS / cols)) > INT8_STREAM_MAX_STEPS) {
    cols /= 2;
  }
  return { cols, slices: INT8_STREAM_THREADS / cols };
}

/**
 * Derived sizes of a streaming GEMV: the one-pass GEMV's (`int8GemvLayout`), and the workgroup
 * memory of all M rows' sums, scales and codes at once.
 */
function streamLayout(o: Int8GemvOptions) {
  const l = int8GemvLayout(o);
  return { ...l, bytes: o.m * l.threads * 4 + 4 * o.m + o.m * l.k4 * 4 };
}

/**
 * Why the streaming GEMV cannot run `o`, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const o = { dtype: "f16", m: 1, k: 4096, n: 64, cols: 32, slices: 8, dot: "packed", outliers: false, workgroupBytes: 49152 } as const;
 * assert.equal(int8StreamProblem(o), null);
 * assert.match(int8StreamProblem({ ...o, m: 16 }) ?? "", /workgroup memory/);
 * assert.match(int8StreamProblem({ ...o, k: 65536 }) ?? "", /words a thread/);
 * assert.match(int8StreamProblem({ ...o, slices: 12 }) ?? "", /power of two/);
 * ```
 */
export function int8StreamProblem(o: Int8GemvOptions): string | null {
  const l = streamLayout(o);
  if (o.m < 1 || o.m > INT8_GEMV_MAX_M) return `needs 1 ≤ M ≤ ${INT8_GEMV_MAX_M}, got ${o.m}`;
  if (!(o.slices >= 1 && (o.slices & (o.slices - 1)) === 0)) {
    return `slices must be a power of two, got ${o.slices}`;
  }
  if (o.codes === "pass") return "streams with the codes quantised inline";
  if ((o.blocks ?? 1) !== 1) return "walks one block of columns a workgroup";
  if (l.steps > INT8_STREAM_MAX_STEPS) {
    return `${l.steps} words a thread (K = ${o.k}, ${o.slices} slices), over ${INT8_STREAM_MAX_STEPS}`;
  }
  if (l.threads < l.mp) return `${l.threads} threads split fewer than ${l.mp} rows`;
  const budget = Math.min(o.workgroupBytes, 49152);
  if (l.bytes > budget) {
    return `${o.m} rows of K = ${o.k} codes and their sums need ${l.bytes} bytes of workgroup memory, over ${budget}`;
  }
  return null;
}

/**
 * The streaming int8 GEMV shader. Bindings as the one-pass GEMV's: X, IS (not with `scaled:
 * false`), WQ, SW, with `outliers` OI and WO, and Y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = int8StreamWgsl({
 *   dtype: "f16", m: 1, k: 4096, n: 64, cols: 32, slices: 8, dot: "packed", outliers: false,
 *   workgroupBytes: 49152, scaled: false,
 * });
 * assert.deepEqual(s.bindings, ["X", "WQ", "SW", "Y"]);
 * assert.match(s.code, /for \(var e = s; e < KW; e \+= 32u\)/);
 * ```
 */
export function int8StreamWgsl(o: Int8GemvOptions): WgslCode {
  const problem = int8StreamProblem(o);
  if (problem) throw new RangeError(`int8 streaming GEMV ${problem}`);
  const { dtype, m, k, n, cols, slices } = o;
  const scaled = o.scaled ?? true;
  const t = dtype === "f16" ? "f16" : "f32";
  const l = streamLayout(o);
  const { threads, words } = l;
  const vec = int8GemvVec4(k);
  const xVec = k % 4 === 0;
  const word = vec ? "vec4<u32>" : "u32";
  const unroll = Math.max(1, Math.min(INT8_STREAM_UNROLL, l.steps));
  const ahead = Array.from({ length: unroll }, (_, j) => j);
  const rows = Array.from({ length: m }, (_, i) => i);
  /** Requests of the words `at` + j·slices into w<j> (zero past the column's end). */
  const requests = (at: string, declare: boolean) =>
    ahead.flatMap((j) => [
      declare ? `  var w${j} = ${word}();` : `    w${j} = ${word}();`,
      `  ${declare ? "" : "  "}if (live && ${at} + ${
        j * slices
      }u < KW) { w${j} = WQ[base + ${at} + ${j * slices}u]; }`,
    ]);
  const L: string[] = [
    `const M = ${m}u;`,
    `const K = ${k}u;`,
    `const K4 = ${l.k4}u;`,
    `const N = ${n}u;`,
    `const KW = ${words}u; // ${word} words a column`,
    `const S = ${slices}u;`,
    `var<workgroup> red: array<f32, ${m * threads}>;`,
    `var<workgroup> sxw: array<f32, ${m}>;`,
    `var<workgroup> xq: array<${word}, ${m * words}>;`,
    "",
    ...dotFn(o.dot),
    "",
    ...activationFns(xVec, scaled),
    ...computeMain(threads),
    `  let c = lid / ${slices}u;`,
    `  let s = lid % ${slices}u;`,
    `  let col = wid.x * ${cols}u + c;`,
    "  let live = col < N;",
    "  let base = min(col, N - 1u) * KW;",
    // the first words, requested before the activation work
    ...requests("s", true),
    ...absmaxLines(l, false, []),
    ...stageCodesLines(0, m * words, threads, vec),
    "  workgroupBarrier();",
    ...rows.map((r) => `  var acc${r} = 0;`),
    `  for (var e = s; e < KW; e += ${slices * unroll}u) {`,
    ...ahead.map((j) => `    let a${j} = w${j};`),
    `    let en = e + ${slices * unroll}u;`,
    ...requests("en", false),
  ];
  for (const r of rows) {
    for (const j of ahead) {
      const x = `xq[${r}u * KW + min(e + ${j * slices}u, KW - 1u)]`;
      L.push(
        vec
          ? `    { let x = ${x}; acc${r} += dot4(x.x, a${j}.x) + dot4(x.y, a${j}.y) + dot4(x.z, a${j}.z) + dot4(x.w, a${j}.w); }`
          : `    acc${r} += dot4(${x}, a${j});`,
      );
    }
  }
  L.push("  }", "  var sw = 0.0;", "  if (live) { sw = SW[col]; }");
  for (const r of rows) L.push(`  var p${r} = f32(acc${r}) * (sxw[${r}u] * sw);`);
  if (o.outliers) L.push(...outlierLines(rows, xVec));
  // the slices of a column are adjacent: fan-in 8 down to at most 8, then the sum into Y
  for (const r of rows) L.push(`  red[${r * threads}u + lid] = p${r};`);
  L.push("  workgroupBarrier();");
  let live = slices;
  while (live > 8) {
    const next = live / 8;
    L.push(`  if (s < ${next}u) {`);
    for (const r of rows) {
      const at = (i: number) => `red[${r * threads}u + lid${i ? ` + ${i * next}u` : ""}]`;
      const terms = Array.from({ length: 8 }, (_, i) => at(i));
      L.push(`    ${at(0)} = ${terms.join(" + ")};`);
    }
    L.push("  }", "  workgroupBarrier();");
    live = next;
  }
  L.push("  if (s == 0u && live) {");
  for (const r of rows) {
    const terms = Array.from(
      { length: live },
      (_, i) => `red[${r * threads}u + lid${i ? ` + ${i}u` : ""}]`,
    );
    L.push(`    Y[${r}u * N + col] = ${t}(${terms.join(" + ")});`);
  }
  L.push("  }", "}");
  return wgslCode(
    int8GemvBindings({ t, xVec, word, scaled, pass: false, outliers: o.outliers }),
    L,
    {
      f16: dtype === "f16",
      header:
        `// int8 W8A8 GEMV, streaming: ${dtype}, ${m}x${k}x${n}, ${cols} columns x ${slices} ` +
        `adjacent slices, ${l.steps} ${word} words a thread, ${unroll} ahead, dot ${o.dot}` +
        (o.outliers ? ", outlier dimensions in f32" : "") + (scaled ? "" : ", X unscaled"),
    },
  );
}
