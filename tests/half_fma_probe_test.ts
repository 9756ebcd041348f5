import assert from "node:assert/strict";
import { runCli } from "./run_cli.ts";
import { GPU_TEST } from "./helpers.ts";
import { probeWgsl } from "../experiments/half_fma_probe.ts";

Deno.test("half_fma probe: the forms differ in their product step", () => {
  const step = (form: string) =>
    probeWgsl(form, "f16", 1).split("\n").filter((l) => /^ +(acc0_0_0|h0_0) =/.test(l));
  assert.match(step("splat")[0]!, /fma\(vec4<f16>\(x0\[0\]\), w0_0, acc0_0_0\)/);
  assert.match(step("scale")[0]!, /acc0_0_0 \+ w0_0 \* x0\[0\]/);
  assert.match(step("pair")[0]!, /fma\(xk0, wk0, h0_0\)/);
  // carry: 16 splat steps, then each half partial added into f32 and cleared
  const carry = probeWgsl("carry", "f16", 1);
  assert.equal(carry.match(/acc0_0_0 = fma/g)?.length, 16);
  assert.match(carry, /acc0_0_0f \+= vec4<f32>\(acc0_0_0\);/);
  assert.doesNotMatch(probeWgsl("carry", "f32", 1), /acc0_0_0f/);
  // smem: operands read from workgroup memory a step, a barrier a slab, 8 rows' X in two reads
  const smem = probeWgsl("smem8", "f16", 1);
  assert.equal(smem.match(/let a1 = As\[/g)?.length, 16);
  assert.match(smem, /acc_7_1 = fma\(vec4<f16>\(a1\[3\]\), b1, acc_7_1\)/);
  assert.match(smem, /acc_7_1f \+= vec4<f32>\(acc_7_1\);/);
  assert.equal(smem.match(/workgroupBarrier\(\)/g)?.length, 2);
  // dup: X as (x, x) pairs, no splat; 4 rows in one read, 8 columns of W in one
  const dup = probeWgsl("dup4", "f16", 1);
  assert.equal(dup.match(/let a0 = As\[/g)?.length, 16);
  assert.equal(dup.match(/let b = Bs\[/g)?.length, 16);
  assert.match(dup, /h_3_3 = fma\(a0\[3\], b\[3\], h_3_3\)/);
  assert.doesNotMatch(dup, /vec4<f16>\(a/);
});

// The probe is a script: run it as a subprocess with two iterations, so a form the device rejects
// fails here instead of printing another form's timings.
Deno.test({
  name: "half_fma probe: every form runs on the device in f32 and f16",
  ...GPU_TEST,
  async fn() {
    const out = await runCli("experiments/half_fma_probe.ts", ["2"]);
    const text = out.stdout;
    assert.equal(out.code, 0, out.stderr);
    const rows = text.split("\n").filter((l) => /^[12] +\w+ +f(16|32) /.test(l));
    // (11 forms × 2 types + 2 f16-only forms) × 2 passes (f16 only where the adapter has it)
    assert.ok(rows.length === 48 || rows.length === 22, text);
    for (const r of rows) assert.ok(Number.isFinite(Number(r.split(/ +/)[3])), r);
  },
});
