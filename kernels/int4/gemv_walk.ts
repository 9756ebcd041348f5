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
  gemvXStaging,
  INT4_GEMV_MAX_M,
  type Int4GemvOptions,
} from "./gemv_options.ts";
import { stepStagedAt, stepStagedWalk, stepStagingDecls } from "./gemv_steps.ts";
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
  /**
   * X staged by steps: the two staged vec4 of row `mi` of M at step row `u`, in the step's
   * buffer; null where X is not staged by steps.
   */
  stagedAt: ((mi: number, u: number, row: string) => XHalves) | null;
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
  /** How X is staged in workgroup memory (`stageX`); null when the arithmetic does not stage X. */
  stager: XStager | null;
}

/** How an arithmetic stages X in workgroup memory: two vectors a packed row and row of M in `xs`. */
export interface XStager {
  /** The WGSL type a half of X is loaded as before it is staged. */
  type: string;
  /** The element type of `xs`. */
  elem: string;
  /**
   * The loads of the halves of X's packed row `xRow` (counted over all rows of M), packed row `pr`
   * of its row of M (WGSL u32 expressions; `pr` a name).
   */
  load(xRow: string, pr: string): XHalves;
  /** The two `elem` values staged from loaded halves `a` and `b`. */
  pairs(a: string, b: string): [string, string];
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
  const staging = gemvXStaging(o);
  // `xAt` gives the halves a step's products take: read from X when the step is computed, or
  // from the step's staged rows (`stagedAt`, in the buffer `buffer.name`: the step-staged walk
  // switches it between the two bodies it emits).
  const buffer = { name: "xs0" };
  const stagedAt = staging === "steps" ? stepStagedAt(o, buffer) : null;
  const xAt = (mi: number, u: number, row: string): XHalves =>
    stagedAt ? stagedAt(mi, u, row) : xRowHalves(`${mi * rows}u + ${row}`);
  const arith = arithmetic({ oneGroup, xAt, stagedAt, FV });
  // All of X is staged as the pairs the packed-half products read; by steps, either arithmetic.
  if (staging === "whole" ? o.math !== "f16x2" : staging === "steps" && !arith.stager) {
    throw new RangeError(`stageX at M = ${m}: the ${o.math} arithmetic does not stage X there`);
  }
  const elem = arith.stager?.elem;
  const stagedX = staging === "whole"
    ? [`var<workgroup> xs: array<${elem}, ${m * rows * 2}>;`]
    : staging === "steps"
    ? stepStagingDecls(o, elem!)
    : [];
  const L: string[] = [];
  L.push(
    `const ROWS = ${rows}u;`,
    `const N = ${n}u;`,
    `const NQ = ${n / cpt}u;`,
    `const KV = ${kPadded / 4}u;`,
    `const RPG = ${o.group / 8}u;`,
    `const RPT = ${gemvRowsPerThread(o)}u;`,
    `const MAGIC = 0x4b000000u;`,
    `var<workgroup> red: array<${FV}, ${chunk * threads}>;`,
    ...stagedX,
    "",
  );
  L.push(...scaleZeroLoaders(o.scaleDtype));
  L.push(
    "",
    ...computeMain(threads),
    `  let c = lid % ${cols}u;`,
    `  let s = lid / ${cols}u;`,
    `  let col = (wid.x * ${cols}u + c) * ${cpt}u;`,
    "  let live = col < N;",
    `  let qc = col / ${cpt}u;`,
  );
  for (let r = 0; r < m; r++) L.push(...arith.accDecls(r));
  const walk: WalkParts = {
    arith,
    oneGroup,
    QV,
    FV,
    sc: columnLoads(o, "ldS"),
    zc: columnLoads(o, "ldZ"),
    // Loads of the packed words of the step from row `at` into `q<u>` (`into`: "q" or "var q").
    words: (ind, into, at) =>
      Array.from({ length: unroll }, (_, u) => `${ind}${into}${u} = Q[(${at} + ${u}u) * NQ + qc];`),
  };
  L.push(
    ...(staging === "steps"
      ? stepStagedWalk(o, walk, buffer)
      : loopWalk(o, walk, staging === "whole")),
  );
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
      (staging === "steps" ? " stageX=steps" : ""),
  });
}

/** What both walks take from the shader around them. */
export interface WalkParts {
  /** The arithmetic. */
  arith: GemvArithmetic;
  /** Every thread's rows lie in one group. */
  oneGroup: boolean;
  /** The packed words' vector type and the f32 vector over a thread's columns. */
  QV: string;
  FV: string;
  /** The loads of a thread's scales and zeros from entry `e`. */
  sc: string;
  zc: string;
  /** The loads of a step's packed words from row `at` into `<into><u>`, at `ind`. */
  words(ind: string, into: string, at: string): string[];
}

/**
 * The walk of each thread over its own rows (`loop`, it breaks at its end), software-pipelined:
 * the next step's words (and, at a group boundary, the next group's scales and zeros) are loaded
 * before the current step is computed, so loads are always in flight. With `whole` staging all
 * of X is staged first (after the first words are requested, so their latency overlaps it).
 */
function loopWalk(o: Int4GemvOptions, p: WalkParts, whole: boolean): string[] {
  const { arith, oneGroup, QV, sc, zc } = p;
  const { unroll } = o;
  const L: string[] = [];
  if (whole) {
    L.push(
      "  let rBegin = s * RPT;",
      "  let rEnd = min(rBegin + RPT, ROWS);",
      "  let work = live && rBegin < rEnd;",
    );
    for (let u = 0; u < unroll; u++) L.push(`  var q${u} = ${QV}();`);
    L.push("  if (work) {", ...p.words("    ", "q", "rBegin"), "  }");
    // Two blocks open, as in the unstaged walk, so both share the closing lines below.
    L.push(...stageWhole(o, arith.stager!), "  workgroupBarrier();", "  if (work) {", "    {");
    L.push("      var kr = rBegin;");
  } else {
    L.push(
      "  if (live) {",
      "    let rBegin = s * RPT;",
      "    let rEnd = min(rBegin + RPT, ROWS);",
      "    if (rBegin < rEnd) {",
      "      var kr = rBegin;",
      ...p.words("      ", "var q", "kr"),
    );
  }
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
  L.push("      loop {", ...stepHead(o, p, "        ", ""), ...arith.step());
  L.push(...stepTail(p, true), "      }", "    }", "  }");
  return L;
}

/**
 * A step's start, in both walks: its words `w<u>` from the registers, then the next step's words
 * requested (and at a group boundary the next group's scales and zeros) where `guard` (a
 * condition and "&&", or "") holds and the thread has rows left.
 */
export function stepHead(o: Int4GemvOptions, p: WalkParts, ind: string, guard: string): string[] {
  const L: string[] = [];
  for (let u = 0; u < o.unroll; u++) L.push(`${ind}let w${u} = q${u};`);
  L.push(`${ind}let kn = kr + ${o.unroll}u;`, `${ind}if (${guard}kn < rEnd) {`);
  L.push(...p.words(`${ind}  `, "q", "kn"));
  if (!p.oneGroup) {
    L.push(
      `${ind}  if (kn % RPG == 0u) {`,
      `${ind}    e = (kn / RPG) * N + col;`,
      `${ind}    nsc = ${p.sc};`,
      `${ind}    nzc = ${p.zc};`,
      `${ind}  }`,
    );
  }
  L.push(`${ind}}`);
  return L;
}

/**
 * A step's end after its products (at 8 spaces), in both walks: `kr` advanced; at the end of a
 * group segment the carries, and then at the end of the thread's rows the one-group finish, else
 * the next group's constants. `exit`: the walk's `loop` breaks at the end of the rows (the
 * step-staged walk runs on, its later steps skipped by their guard).
 */
export function stepTail(p: WalkParts, exit: boolean): string[] {
  const { arith, oneGroup } = p;
  const L = [
    "        kr = kn;",
    `        if (kr >= rEnd${oneGroup ? "" : " || kr % RPG == 0u"}) {`,
  ];
  L.push(...arith.segmentEnd());
  if (oneGroup) {
    L.push(...arith.oneGroupEnd(), ...(exit ? ["          break;"] : []));
  } else if (exit) {
    L.push("          if (kr >= rEnd) { break; }", "          sc = nsc;");
    L.push(...arith.groupConstants("          ", ""));
  } else {
    L.push("          if (kr < rEnd) {", "            sc = nsc;");
    L.push(...arith.groupConstants("            ", ""), "          }");
  }
  L.push("        }");
  return L;
}

/** All of X staged as pairs (`whole`): row r of every row of M, the threads in turn. */
function stageWhole(o: Int4GemvOptions, stager: XStager): string[] {
  const x = stager.load("i", "r");
  const [p0, p1] = stager.pairs("xa", "xb");
  return [
    `  for (var i = lid; i < ${o.m * (o.kPadded / 8)}u; i = i + ${o.cols * o.slices}u) {`,
    "    let r = i % ROWS;",
    `    let xa = ${x.a};`,
    `    let xb = ${x.b};`,
    `    xs[i * 2u] = ${p0};`,
    `    xs[i * 2u + 1u] = ${p1};`,
    "  }",
  ];
}
