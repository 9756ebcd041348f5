/**
 * The int4 GEMV walk with X staged a step at a time (`stageX` above M = 3): where every thread
 * loads (and, in packed halves, pairs) its own rows of X, a warp's X loads span several K slices
 * (several addresses a load) and each of a slice's column-threads repeats the same work. Staged,
 * the workgroup loads the rows every slice's next step takes once, writes them as the arithmetic
 * reads them (f16 pairs for packed halves, X as stored for f32 arithmetic) into one of two buffers
 * in workgroup memory, and the products read them from there.
 *
 * The walk is a loop of the same length for every thread (the longest slice's steps), since a
 * barrier ends each step: threads past their rows, or without columns, still stage X and meet
 * the barrier. A step loads the next step's words (and at a group boundary the next scales and
 * zeros) and X's next rows into registers, computes the current step from one buffer, writes the
 * next rows into the other, and waits at the barrier: one barrier a step (none after the last).
 *
 * @module
 */

import { gemvRowsPerThread, gemvStepPairs, type Int4GemvOptions } from "./gemv_options.ts";
import { nextGroupLoads, type WalkParts } from "./gemv_walk.ts";

/**
 * Where the staged X of row `mi` of M at step row `u` lies in the current buffer (`buf`): pair
 * `(u·M + mi)·slices + s`, two vec4 each, so a warp's slices read adjacent pairs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(stepStagedAt({ m: 16, slices: 32 })(1, 0, "kr"), "buf + 64u + s * 2u");
 * ```
 */
export function stepStagedAt(
  o: Pick<Int4GemvOptions, "m" | "slices">,
): (mi: number, u: number, row: string) => string {
  return (mi, u) => `buf + ${(u * o.m + mi) * o.slices * 2}u + s * 2u`;
}

/**
 * The step-staged walk (see the module doc), from the thread's first rows to its f32
 * accumulators, before the reduction.
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
export function stepStagedWalk(o: Int4GemvOptions, p: WalkParts): string[] {
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
  // The registers as pairs into the buffer at `base`.
  const store = (base: string, ind: string) =>
    regs.flatMap((j) => {
      const [p0, p1] = stager.pairs(`xa${j}`, `xb${j}`);
      const i = `lid + ${j * threads}u`;
      const guard = (j + 1) * threads > pairs ? `if (${i} < ${pairs}u) ` : "";
      return [
        `${ind}${guard}{`,
        `${ind}  let at = ${base} + (${i}) * 2u;`,
        `${ind}  xs[at] = ${p0};`,
        `${ind}  xs[at + 1u] = ${p1};`,
        `${ind}}`,
      ];
    });
  const L: string[] = [
    "  let rBegin = s * RPT;",
    "  let rEnd = min(rBegin + RPT, ROWS);",
    "  let work = live && rBegin < rEnd;",
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
  L.push(...load("0u", "  "), ...store("0u", "  "), "  workgroupBarrier();");
  L.push(
    "  var kr = rBegin;",
    `  for (var t = 0u; t < ${steps}u; t = t + 1u) {`,
    `    let buf = (t % 2u) * ${2 * pairs}u;`,
  );
  for (let u = 0; u < unroll; u++) L.push(`    let w${u} = q${u};`);
  L.push(`    let kn = kr + ${unroll}u;`, "    if (work && kn < rEnd) {");
  L.push(
    ...p.words("      ", "q", "kn"),
    ...(oneGroup ? [] : nextGroupLoads("      ", p)),
    "    }",
  );
  L.push(
    `    let more = t + 1u < ${steps}u;`,
    "    if (more) {",
    ...load("t + 1u", "      "),
    "    }",
  );
  L.push("    if (work && kr < rEnd) {", ...arith.step(), "        kr = kn;");
  if (oneGroup) {
    L.push("        if (kr >= rEnd) {", ...arith.segmentEnd(), ...arith.oneGroupEnd(), "        }");
  } else {
    L.push(
      "        if (kr >= rEnd || kr % RPG == 0u) {",
      ...arith.segmentEnd(),
      "          if (kr < rEnd) {",
      "            sc = nsc;",
      ...arith.groupConstants("            ", ""),
      "          }",
      "        }",
    );
  }
  // The next rows into the other buffer; no barrier after the last step (`more` is uniform).
  L.push("    }", "    if (more) {", ...store(`${2 * pairs}u - buf`, "      "));
  L.push("      workgroupBarrier();", "    }", "  }");
  return L;
}
