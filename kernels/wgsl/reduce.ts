/**
 * The in-workgroup split-K reduction of the GEMV shaders (dense, 2:4, int4): a workgroup of
 * `cols` column-threads × `slices` K slices (thread `lid` = slice `s` · cols + column `c`) stages
 * each thread's partial sums in the workgroup array `red` (one plane of `threads` entries per
 * row) and sums the slices in barriered steps.
 *
 * @module
 */

/**
 * The sum of `count` partials of `red` spaced `spacing` slices apart from slot `at` (a WGSL
 * expression), e.g. for the last step written straight into Y.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(sumPartials("c", 2, 1, 8), "red[c] + red[c + 8u]");
 * ```
 */
export function sumPartials(at: string, count: number, spacing: number, cols: number): string {
  return Array.from(
    { length: count },
    (_, i) => `red[${at}${i ? ` + ${i * spacing * cols}u` : ""}]`,
  ).join(" + ");
}

/**
 * Stages the partials `accs[j]` (row j's at `red[j·threads + lid]`), then sums the slices: each
 * barriered step has the threads of the first `live / fanIn` slices add `fanIn` partials, until
 * `until` slices are left (1: the sum is in the first slice's slots; more: the caller sums the
 * rest where it stores them, with {@link sumPartials}). Returns the lines and the slices left.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = reduceSlices({ accs: ["acc0"], threads: 64, slices: 8, cols: 8, fanIn: 2, until: 1 });
 * assert.equal(r.live, 1);
 * assert.equal(r.lines[0], "  red[0u + lid] = acc0;");
 * assert.ok(r.lines.includes("    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];"));
 * ```
 */
export function reduceSlices(o: {
  accs: readonly string[];
  threads: number;
  slices: number;
  cols: number;
  fanIn: number;
  until: number;
}): { lines: string[]; live: number } {
  const lines = o.accs.map((a, j) => `  red[${j * o.threads}u + lid] = ${a};`);
  lines.push("  workgroupBarrier();");
  let live = o.slices;
  while (live > o.until) {
    const next = live / o.fanIn;
    lines.push(`  if (s < ${next}u) {`);
    o.accs.forEach((_, j) => {
      const at = `${j * o.threads}u + lid`;
      lines.push(`    red[${at}] = ${sumPartials(at, o.fanIn, next, o.cols)};`);
    });
    lines.push("  }", "  workgroupBarrier();");
    live = next;
  }
  return { lines, live };
}
