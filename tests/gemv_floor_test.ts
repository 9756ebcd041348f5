import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { GPU_TEST } from "./helpers.ts";
import {
  chooseGemv,
  gemvWorkgroupBytes,
  type Int4GemvTuning,
  int4GemvWgsl,
  withHeldExponent,
} from "../kernels/int4/gemv_wgsl.ts";
import * as edits from "../experiments/gemv_floor_edits.ts";

/** The WGSL the probe edits, at its default shape (K = 4096, N = 14336), built as the bench does. */
const wgsl = (x: "f16" | "f32", m: number, tune: Int4GemvTuning) =>
  int4GemvWgsl(
    withHeldExponent(
      chooseGemv(x, m, 4096, 14336, 128, "f16", false, tune),
      gemvWorkgroupBytes,
      49152,
    ),
  ).code;

Deno.test("gemv_floor edits: each changes the kernel it is applied to", () => {
  const m1Half = wgsl("f16", 1, { math: "f16x2" });
  assert.ok(m1Half.includes("| hexp0)"), "the probe's M = 1 kernel holds its exponent");
  const m16 = wgsl("f16", 16, {});
  const m16Half = wgsl("f16", 16, { math: "f16x2" });
  const uses: [keyof typeof edits, string][] = [
    // ablate: the M = 1 packed-half GEMV
    ...(["noQ", "noX", "noCvt", "noUnpack", "noMask", "noOffset", "noProducts", "noCarry"] as const)
      .map((e) => [e, m1Half] as [keyof typeof edits, string]),
    // m16: M = 16 in f32 arithmetic
    ...(["noX32", "noQ", "noDequant"] as const).map((e) =>
      [e, m16] as [keyof typeof edits, string]
    ),
    // m16half: M = 16 in packed halves
    ...(["noX", "noQ", "noPairing", "noScaleOffset", "noProductsRows"] as const)
      .map((e) => [e, m16Half] as [keyof typeof edits, string]),
  ];
  for (const [name, code] of uses) assert.notEqual(edits[name](code), code, name);
});

// The INT4 GEMV probe is a script, not a library: each of its sets is run as a subprocess with 0
// repeats (every variant compiled, bound and run once, a GPU error stops it) on small shapes, so
// a variant the device rejects fails here instead of printing another variant's timings.
const SETS = ["floor", "ablate", "alu", "geometry", "m16", "m16half", "mcurve"];

for (const set of SETS) {
  Deno.test({
    name: `gemv_floor probe: every "${set}" variant runs on the device`,
    ...GPU_TEST,
    async fn() {
      const out = await runCli("experiments/gemv_floor.ts", ["256", "512", "0", set]);
      const text = out.stdout;
      assert.equal(out.code, 0, out.stderr);
      const ran = text.split("\n").filter((l) => l.startsWith("ok ")).length;
      assert.ok(ran >= 4, text);
    },
  });
}
