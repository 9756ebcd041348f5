/**
 * What both int4 GEMV generators share (`gemv_f32.ts`, `gemv_f16x2.ts`): the bindings and
 * constants, the scale and zero loaders, the software-pipelined walk over a thread's packed rows
 * (the next step's words, and at a group boundary the next group's scales and zeros, loaded
 * before the current step is computed; X read when a step is computed, or staged in workgroup
 * memory) and the split-K reduction into Y. The arithmetic — group constants,
 * accumulators, the products of a step and the carries at a group's end — comes from a
 * {@link GemvArithmetic}.
 *
 * @module
 */

import { computeMain, reduceSlices, sumPartials, type WgslCode, wgslCode } from "../wgsl/mod.ts";
import { gemvInputTypes, xRowHalves } from "./gemv_loads.ts";
import {
  gemvOneGroup,
  gemvReduceChunk,
  gemvRowsPerThread,
  INT4_GEMV_MAX_M,
  type Int4GemvOptions,
} from "./gemv_options.ts";
import { int4Bindings, scaleZeroLoaders } from "./shader_inputs.ts";

/** X's two vec4 halves of a packed row (WGSL expressions). */
export interface XHalves {
  a: string;
  b: string;
}

/** What the walk tells an arithmetic about the shader it is part of. */
export interface WalkInfo {
  /** Every thread's rows lie in one group: no group boundary in the walk. */
  oneGroup: boolean;
  /** X's halves of row `mi` of M at step row `u` (packed row `row`, a WGSL u32 expression). */
  xAt: (mi: number, u: number, row: string) => XHalves;
  /** The vector of f32 over the thread's columns (`f32` for one column). */
  FV: string;
}

/**
 * The arithmetic of an int4 GEMV: the pieces of the walk that depend on how weights are
 * dequantised and multiplied. Each returns WGSL lines (indented by the walk where it says so).
 */
export interface GemvArithmetic {
  /** The shader needs `enable f16` even with f32 activations. */
  f16: boolean;
  /** Declarations of row `r`'s f32 accumulators (`acc<r>` and any extra set), at 2 spaces. */
  accDecls(r: number): string[];
  /** The per-group constants from `sc` and `nzc`: declared (`decl` = "let " / "var ") or updated. */
  groupConstants(ind: string, decl: string): string[];
  /** Declarations of the walk's partial accumulators, at 6 spaces. */
  walkDecls(): string[];
  /** The products of one step (`unroll` packed rows from `kr`, words `w<u>`), at 8 spaces. */
  step(): string[];
  /** Carries at the end of a group segment (and of the walk), at 10 spaces. */
  segmentEnd(): string[];
  /** After the last segment of a one-group walk, before it breaks, at 10 spaces. */
  oneGroupEnd(): string[];
  /** After the walk, before the reduction, at 2 spaces. */
  finish(): string[];
  /**
   * Lines every thread runs at the start of the entry point (at 2 spaces, in uniform control flow)
   * and their module-scope declarations; absent: none.
   */
  prologue?: { decls: string[]; lines: string[] };
  /**
   * X staged in workgroup memory (`stageX`): module-scope declarations, the staging (at 2 spaces,
   * before the barrier) and what reads the staged values after it; null when it does not stage X.
   */
  stageX: ((threads: number) => { decls: string[]; stage: string[]; after: string[] }) | null;
}

/**
 * Checks the options every GEMV generator needs; throws RangeError naming the bad one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * assert.throws(() => checkGemvOptions({ ...chooseGemv("f32", 1, 64, 8, 8, "f32", false), m: 17 }));
 * ```
 */
export function checkGemvOptions(o: Int4GemvOptions): void {
  const { m, kPadded, n, group, cpt, slices, unroll } = o;
  if (!(m >= 1 && m <= INT4_GEMV_MAX_M)) {
    throw new RangeError(`int4 GEMV needs 1 ≤ M ≤ ${INT4_GEMV_MAX_M}, got ${m}`);
  }
  if (kPadded % 8 !== 0 || kPadded % group !== 0 || group % 8 !== 0) {
    throw new RangeError(`bad K/group: kPadded=${kPadded}, group=${group}`);
  }
  if (n % cpt !== 0) throw new RangeError(`cpt ${cpt} must divide N = ${n}`);
  if ((slices & (slices - 1)) !== 0) throw new RangeError(`slices must be a power of 2`);
  if ((group / 8) % unroll !== 0) throw new RangeError(`unroll must divide group/8`);
}

/** The f32 vector over a thread's `cpt` columns. */
export function columnsF32(cpt: number): string {
  return cpt === 1 ? "f32" : `vec${cpt}<f32>`;
}

/**
 * The loads of the scales (`ldS`) or zeros (`ldZ`) of a thread's columns from entry `e`: one per
 * column.
 */
export function columnLoads(o: Int4GemvOptions, fn: "ldS" | "ldZ"): string {
  if (o.cpt === 1) return `${fn}(e)`;
  const parts = Array.from({ length: o.cpt }, (_, j) => `${fn}(e + ${j}u)`);
  return `${columnsF32(o.cpt)}(${parts.join(", ")})`;
}

/**
 * The int4 GEMV shader with the arithmetic `arith` (built from `o` and the {@link WalkInfo}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * import { f32Arithmetic } from "./gemv_f32.ts";
 * const o = chooseGemv("f32", 1, 104, 53, 8, "f32", false);
 * assert.ok(gemvWalkWgsl(o, (w) => f32Arithmetic(o, w)).code.includes("loop {"));
 * ```
 */
export function gemvWalkWgsl(
  o: Int4GemvOptions,
  arithmetic: (walk: WalkInfo) => GemvArithmetic,
): WgslCode {
  checkGemvOptions(o);
  const { dtype: T, m, kPadded, n, cpt, cols, slices, unroll, fanIn } = o;
  const threads = cols * slices;
  const FV = columnsF32(cpt);
  const QV = cpt === 1 ? "u32" : `vec${cpt}<u32>`;
  const YV = cpt === 1 ? T : `vec${cpt}<${T}>`;
  const rows = kPadded / 8;
  const chunk = gemvReduceChunk(o);
  const types = gemvInputTypes(o);
  const oneGroup = gemvOneGroup(o);
  // `xAt` gives the halves a step's products take, read from X when the step is computed.
  const xAt = (mi: number, _u: number, row: string): XHalves =>
    xRowHalves(`${mi * rows}u + ${row}`);
  const arith = arithmetic({ oneGroup, xAt, FV });
  const L: string[] = [];
  L.push(
    `const ROWS = ${rows}u;`,
    `const N = ${n}u;`,
    `const NQ = ${n / cpt}u;`,
    `const KV = ${kPadded / 4}u;`,
    `const RPG = ${o.group / 8}u;`,
    `const RPT = ${gemvRowsPerThread(o)}u;`,
    `var<workgroup> red: array<${FV}, ${chunk * threads}>;`,
    ...(o.stageX ? [`var<workgroup> xs: array<vec4<f16>, ${m * rows * 2}>;`] : []),
  );
  const staged = o.stageX && arith.stageX ? arith.stageX(threads) : null;
  L.push(...(staged?.decls ?? []), ...(arith.prologue?.decls ?? []), "");
  L.push(...scaleZeroLoaders(o.scaleDtype));
  // Loads of the packed words of the step from row `at` into `q<u>` (`into`: "q" or "var q").
  const loadStep = (ind: string, into: string, at: string) => {
    for (let u = 0; u < unroll; u++) L.push(`${ind}${into}${u} = Q[(${at} + ${u}u) * NQ + qc];`);
  };
  L.push(
    "",
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let col = (wid.x * ${cols}u + c) * ${cpt}u;`,
    "  let live = col < N;",
    `  let qc = col / ${cpt}u;`,
    ...(arith.prologue?.lines ?? []),
  );
  for (let r = 0; r < m; r++) L.push(...arith.accDecls(r));
  // Software-pipelined walk over the thread's packed rows, `unroll` rows a step: the next
  // step's words (and, at a group boundary, the next group's scales and zeros) are loaded
  // before the current step is computed, so loads are always in flight.
  if (o.stageX) {
    if (!staged) throw new RangeError(`stageX needs the f16x2 arithmetic, got ${o.math}`);
    // The first words are requested before X is staged, so their latency overlaps it.
    L.push(
      "  let rBegin = s * RPT;",
      "  let rEnd = min(rBegin + RPT, ROWS);",
      "  let work = live && rBegin < rEnd;",
    );
    for (let u = 0; u < unroll; u++) L.push(`  var q${u} = ${QV}();`);
    L.push("  if (work) {");
    loadStep("    ", "q", "rBegin");
    // Two blocks open, as in the unstaged walk, so both share the closing lines below.
    L.push("  }", ...staged.stage, "  workgroupBarrier();", ...staged.after);
    L.push("  if (work) {", "    {");
    L.push("      var kr = rBegin;");
  } else {
    L.push(
      "  if (live) {",
      "    let rBegin = s * RPT;",
      "    let rEnd = min(rBegin + RPT, ROWS);",
      "    if (rBegin < rEnd) {",
      "      var kr = rBegin;",
    );
    loadStep("      ", "var q", "kr");
  }
  const sc = columnLoads(o, "ldS");
  const zc = columnLoads(o, "ldZ");
  if (oneGroup) {
    L.push(
      "      let e = (kr / RPG) * N + col;",
      `      let sc = ${sc};`,
      `      let nzc = ${zc};`,
    );
  } else {
    L.push(
      "      var e = (kr / RPG) * N + col;",
      `      var sc = ${sc};`,
      "      var nsc = sc;",
      `      var nzc = ${zc};`,
    );
  }
  L.push(...arith.groupConstants("      ", oneGroup ? "let " : "var "));
  L.push(...arith.walkDecls());
  L.push("      loop {");
  for (let u = 0; u < unroll; u++) L.push(`        let w${u} = q${u};`);
  L.push(`        let kn = kr + ${unroll}u;`, "        if (kn < rEnd) {");
  loadStep("          ", "q", "kn");
  if (!oneGroup) {
    L.push(
      "          if (kn % RPG == 0u) {",
      "            e = (kn / RPG) * N + col;",
      `            nsc = ${sc};`,
      `            nzc = ${zc};`,
      "          }",
    );
  }
  L.push("        }");
  L.push(...arith.step());
  L.push("        kr = kn;", `        if (kr >= rEnd${oneGroup ? "" : " || kr % RPG == 0u"}) {`);
  L.push(...arith.segmentEnd());
  if (oneGroup) {
    L.push(...arith.oneGroupEnd(), "          break;");
  } else {
    L.push("          if (kr >= rEnd) { break; }", "          sc = nsc;");
    L.push(...arith.groupConstants("          ", ""));
  }
  L.push("        }", "      }", "    }", "  }");
  L.push(...arith.finish());
  // Split-K reduction through workgroup memory, `chunk` rows of M at a time. Each barriered step
  // has threads s < live / fanIn sum `fanIn` partials; the last ≤ fanIn are summed into Y.
  for (let m0 = 0; m0 < m; m0 += chunk) {
    const rs = Array.from({ length: Math.min(chunk, m - m0) }, (_, j) => j);
    if (m0 > 0) L.push("  workgroupBarrier();");
    const partials = rs.map((j) => `acc${m0 + j}`);
    const red = reduceSlices({ accs: partials, threads, slices, cols, fanIn, until: fanIn });
    L.push(...red.lines, "  if (s == 0u && live) {");
    for (const j of rs) {
      const sum = sumPartials(`${j * threads}u + c`, red.live, 1, cols);
      L.push(`    Y[${(m0 + j) * (n / cpt)}u + qc] = ${YV}(${sum});`);
    }
    L.push("  }");
  }
  L.push("}");
  const bindings = int4Bindings(o, { x: types.x, q: QV, s: types.s, y: YV });
  return wgslCode(bindings, L, {
    f16: T === "f16" || arith.f16,
    header: `// tilebench int4 GEMV ${m}x${kPadded}x${n} ${T} group=${o.group} ` +
      `scales=${o.scaleDtype} awq=${o.awq} cpt=${cpt} cols=${cols} slices=${slices} ` +
      `unroll=${unroll} prescale=${o.prescale} accs=${o.accs} math=${o.math} fanIn=${fanIn}` +
      (o.lean ? " lean" : ""),
  });
}
