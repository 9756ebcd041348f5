/**
 * The int4 GEMV walk with X staged a step at a time (`stageX` above M = 3): where every thread
 * loads (and, in packed halves, pairs) its own rows of X, a warp's X loads span several K slices
 * (several addresses a load) and each of a slice's column-threads repeats the same work. Staged,
 * the workgroup loads the rows every slice's next step takes once, writes them as the arithmetic
 * reads them (f16 pairs for packed halves, in f32 for the f32 arithmetic) into one of two buffers
 * in workgroup memory, and the products read them from there.
 *
 * The walk is a loop of the same length for every thread (the longest slice's steps), since a
 * barrier ends each step: threads past their rows, or without columns, still stage X and meet
 * the barrier. A step loads the next step's words (and at a group boundary the next scales and
 * zeros) and X's next rows into registers, computes the current step from one buffer, writes the
 * next rows into the other, and waits at the barrier: one barrier a step (none after the last).
 * The loop is unrolled by two, so each body reads its buffer at constant rows.
 *
 * @module
 */

import { gemvRowsPerThread, gemvStepPairs, type Int4GemvOptions } from "./gemv_options.ts";
import { stepHead, stepTail, type WalkParts, type XHalves } from "./gemv_walk.ts";

/** The current step buffer's name (`xs0` or `xs1`), switched by the walk between its two bodies. */
export interface StepBuffer {
  name: string;
}

/**
 * The two step buffers: `xs0` and `xs1`, each `unroll × M` rows of `2 × slices` vec4 (`elem`):
 * row `u·M + mi` holds packed row `u` of the step for row `mi` of M, slice s at columns 2s and
 * 2s + 1, so a warp's slices read adjacent vec4 and a read's row is a constant (WGSL clamps
 * only the column, the same for every read of a step).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(
 *   stepStagingDecls({ m: 16, slices: 32, unroll: 1 }, "vec4<f16>")[1],
 *   "var<workgroup> xs1: array<array<vec4<f16>, 64>, 16>;",
 * );
 * ```
 */
export function stepStagingDecls(
  o: Pick<Int4GemvOptions, "m" | "slices" | "unroll">,
  elem: string,
): string[] {
  return [0, 1].map((b) =>
    `var<workgroup> xs${b}: array<array<${elem}, ${2 * o.slices}>, ${o.unroll * o.m}>;`
  );
}

/**
 * Where the staged X of row `mi` of M at step row `u` lies in the current buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const at = stepStagedAt({ m: 16 }, { name: "xs1" })(1, 0, "kr");
 * assert.deepEqual(at, { a: "xs1[1u][s2]", b: "xs1[1u][s2 + 1u]" });
 * ```
 */
export function stepStagedAt(
  o: Pick<Int4GemvOptions, "m">,
  buffer: StepBuffer,
): (mi: number, u: number, row: string) => XHalves {
  return (mi, u) => {
    const r = `${buffer.name}[${u * o.m + mi}u]`;
    return { a: `${r}[s2]`, b: `${r}[s2 + 1u]` };
  };
}

/**
 * The step-staged walk (see the module doc), from the thread's first rows to its f32
 * accumulators, before the reduction. `buffer` is the one `stepStagedAt` reads: the walk emits
 * the step twice, computing from `xs0` and then from `xs1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseGemv } from "./gemv_wgsl.ts";
 * import { int4GemvWgsl } from "./gemv_wgsl.ts";
 * const o = chooseGemv("f16", 16, 512, 64, 128, "f16", false, { math: "f16x2", stageX: true });
 * const { code } = int4GemvWgsl(o);
 * assert.ok(code.includes("workgroupBarrier();") && code.includes("for (var t = 0u;"));
 * ```
 */
export function stepStagedWalk(o: Int4GemvOptions, p: WalkParts, buffer: StepBuffer): string[] {
  const { arith, oneGroup, QV, FV, sc, zc } = p;
  const stager = arith.stager!;
  const { m, slices, unroll } = o;
  const threads = o.cols * slices;
  const pairs = gemvStepPairs(o);
  const per = Math.ceil(pairs / threads);
  const steps = gemvRowsPerThread(o) / unroll;
  const regs = Array.from({ length: per }, (_, j) => j);
  // X's rows of step `step` (a u32 expression) into the registers xa<j>, xb<j>; zero past K.
  const load = (step: string, ind: string) =>
    regs.flatMap((j) => {
      const x = stager.load("mi * ROWS + pr", "pr");
      const bound = (j + 1) * threads > pairs ? `i < ${pairs}u && ` : "";
      return [
        `${ind}{`,
        `${ind}  let i = lid + ${j * threads}u;`,
        `${ind}  let sl = i % ${slices}u;`,
        `${ind}  let mi = (i / ${slices}u) % ${m}u;`,
        `${ind}  let pr = sl * RPT + (${step}) * ${unroll}u + i / ${slices * m}u;`,
        `${ind}  xa${j} = ${stager.type}();`,
        `${ind}  xb${j} = ${stager.type}();`,
        `${ind}  if (${bound}pr < ROWS) {`,
        `${ind}    xa${j} = ${x.a};`,
        `${ind}    xb${j} = ${x.b};`,
        `${ind}  }`,
        `${ind}}`,
      ];
    });
  // The registers into buffer `into`: pair i at row i / slices, columns 2·(i % slices) + 0, 1.
  const store = (into: string, ind: string) =>
    regs.flatMap((j) => {
      const [p0, p1] = stager.pairs(`xa${j}`, `xb${j}`);
      const i = `lid + ${j * threads}u`;
      const guard = (j + 1) * threads > pairs ? `if (${i} < ${pairs}u) ` : "";
      return [
        `${ind}${guard}{`,
        `${ind}  let i = ${i};`,
        `${ind}  let c = (i % ${slices}u) * 2u;`,
        `${ind}  ${into}[i / ${slices}u][c] = ${p0};`,
        `${ind}  ${into}[i / ${slices}u][c + 1u] = ${p1};`,
        `${ind}}`,
      ];
    });
  const L: string[] = [
    "  let rBegin = s * RPT;",
    "  let rEnd = min(rBegin + RPT, ROWS);",
    "  let work = live && rBegin < rEnd;",
    "  let s2 = s * 2u;",
  ];
  for (let u = 0; u < unroll; u++) L.push(`  var q${u} = ${QV}();`);
  L.push(`  var sc = ${FV}();`, `  var nzc = ${FV}();`);
  if (!oneGroup) L.push("  var e = 0u;", `  var nsc = ${FV}();`);
  L.push(
    "  if (work) {",
    ...p.words("    ", "q", "rBegin"),
    `    ${oneGroup ? "let " : ""}e = (rBegin / RPG) * N + col;`,
    `    sc = ${sc};`,
    `    nzc = ${zc};`,
    ...(oneGroup ? [] : ["    nsc = sc;"]),
    "  }",
  );
  L.push(...arith.groupConstants("  ", oneGroup ? "let " : "var "), ...arith.walkDecls());
  for (const j of regs) {
    L.push(`  var xa${j} = ${stager.type}();`, `  var xb${j} = ${stager.type}();`);
  }
  L.push(...load("0u", "  "), ...store("xs0", "  "), "  workgroupBarrier();");
  // One step `tt`, computed from `from` while the next step's rows go into the other buffer.
  const step = (tt: string, from: string, ind: string) => {
    buffer.name = from;
    const next = from === "xs0" ? "xs1" : "xs0";
    const B = stepHead(o, p, ind, "work && ");
    B.push(`${ind}let more = ${tt} + 1u < ${steps}u;`);
    B.push(`${ind}if (more) {`, ...load(`${tt} + 1u`, `${ind}  `), `${ind}}`);
    B.push(`${ind}if (work && kr < rEnd) {`, ...arith.step(), ...stepTail(p, false));
    // The next rows into the other buffer; no barrier after the last step (`more` is uniform).
    B.push(`${ind}}`, `${ind}if (more) {`, ...store(next, `${ind}  `));
    B.push(`${ind}  workgroupBarrier();`, `${ind}}`);
    return B;
  };
  L.push("  var kr = rBegin;", `  for (var t = 0u; t < ${steps}u; t = t + 2u) {`, "    {");
  L.push(...step("t", "xs0", "      "), "    }");
  if (steps > 1) {
    L.push(
      `    if (t + 1u < ${steps}u) {`,
      ...step("t + 1u", "xs1", "      "),
      "    }",
    );
  }
  L.push("  }");
  buffer.name = "xs0";
  return L;
}
