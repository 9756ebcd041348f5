// The INT4 GEMV's default geometry as docs/kernels/int4.md's table states it ("The default
// geometry at a glance"), restated here from the table and checked against `chooseGemv` over a
// grid of shapes, groups and activation dtypes. A change to the rules has to change the table too.
import assert from "node:assert/strict";
import { chooseGemv } from "../kernels/int4/gemv_wgsl.ts";
import { gemvOneGroup } from "../kernels/int4/gemv_options.ts";

interface Geometry {
  cpt: number;
  cols: number;
  slices: number;
  unroll: number;
  stageX: boolean;
}

/** The table's rules: `f16x2` at M ≤ 3 for f16 X, else f32 arithmetic. */
function documented(m: number, kPadded: number, n: number, group: number, f16x: boolean): Geometry {
  const cpt = n % 4 === 0 ? 4 : n % 2 === 0 ? 2 : 1;
  const columnThreads = Math.ceil(n / cpt);
  const rowsPerGroup = group / 8;
  const oneGroup = (slices: number, unroll: number) =>
    gemvOneGroup({ group, kPadded, slices, unroll });
  if (f16x && m <= 3) {
    const slicesAt = (unroll: number) => {
      let s = 4;
      const top = Math.max(4, Math.min(128, kPadded / 64));
      while (s * 2 <= top && (s < 16 || 1.5 * s * columnThreads < 2 ** 17)) s *= 2;
      const once = !oneGroup(s, unroll) && oneGroup(s * 2, unroll) && s * 2 <= 128 &&
        columnThreads * s * 2 <= 2 ** 18;
      return once ? s * 2 : s;
    };
    let unroll = m <= 2 && rowsPerGroup % 2 === 0 ? 2 : 1;
    let slices = slicesAt(unroll);
    if (m <= 2 && rowsPerGroup % 4 === 0 && !oneGroup(slices, 2) && oneGroup(slicesAt(4), 4)) {
      unroll = 4;
      slices = slicesAt(4);
    }
    const cols = slices <= 32 && Math.ceil(n / (16 * cpt)) >= 128
      ? 16
      : slices >= 64 && Math.ceil(n / (8 * cpt)) >= 64
      ? 8
      : 4;
    const stageX = cols * slices >= 256 && m * kPadded * 2 <= 32 * 1024;
    return { cpt, cols, slices, unroll, stageX };
  }
  const cols = Math.ceil(n / (8 * cpt)) >= 264 ? 8 : 4;
  const most = m <= 2 ? 4 : m <= 8 ? 2 : 1;
  const unroll = [4, 2].find((u) => u <= most && rowsPerGroup % u === 0) ?? 1;
  let slices = 128 / cols;
  if (m <= 3) {
    const top = Math.min(128, Math.max(kPadded / 64, Math.min(64, kPadded / 32)));
    while (
      slices * 2 <= top && columnThreads * slices < 2 ** 16 &&
      (columnThreads * slices <= 2 ** 15 || oneGroup(slices * 2, unroll))
    ) slices *= 2;
  }
  if (m >= 9) {
    slices = columnThreads <= 512 ? 64 : m <= 12 && columnThreads >= 2048 ? 16 : 32;
  }
  return { cpt, cols, slices, unroll, stageX: false };
}

Deno.test("int4 GEMV: chooseGemv's default geometry is the one docs/kernels/int4.md tabulates", () => {
  let checked = 0;
  for (const m of [1, 2, 3, 4, 8, 9, 12, 13, 16]) {
    for (const k of [512, 1024, 2048, 2816, 3072, 4096, 5632, 8960, 14336, 16384]) {
      for (const n of [96, 256, 1000, 1024, 2048, 3072, 4096, 5632, 8192, 14336, 28672]) {
        for (const group of [32, 64, 128]) {
          for (const f16x of [true, false]) {
            if (k % group !== 0) continue;
            const dtype = f16x ? "f16" : "f32";
            const math = f16x && m <= 3 ? "f16x2" : "f32";
            const o = chooseGemv(dtype, m, k, n, group, "f16", false, { math });
            const got: Geometry = {
              cpt: o.cpt,
              cols: o.cols,
              slices: o.slices,
              unroll: o.unroll,
              stageX: o.stageX,
            };
            assert.deepEqual(
              got,
              documented(m, k, n, group, f16x),
              `${m}x${k}x${n} g${group} ${dtype}`,
            );
            if (m > 3) {
              // above M = 3 packed halves take the geometry of the f32 arithmetic
              const half = chooseGemv(dtype, m, k, n, group, "f16", false, { math: "f16x2" });
              assert.deepEqual([half.cols, half.slices, half.unroll], [o.cols, o.slices, o.unroll]);
            }
            checked++;
          }
        }
      }
    }
  }
  assert.equal(checked, 9 * 10 * 11 * 3 * 2);
});

Deno.test("int4 GEMV: the table's restatement tells the geometries apart", () => {
  // The restatement is not a constant: the rules it states give different geometries.
  assert.deepEqual(documented(1, 4096, 14336, 128, true), {
    cpt: 4,
    cols: 16,
    slices: 32,
    unroll: 2,
    stageX: true,
  });
  assert.deepEqual(documented(1, 2048, 2048, 128, true).cols, 4);
  assert.deepEqual(documented(16, 4096, 1024, 128, false).slices, 64);
  assert.deepEqual(documented(12, 2560, 10240, 128, false).slices, 16);
});
