import assert from "node:assert/strict";
import { PipelineCache, ShaderError, wgslDumpName } from "../harness/gpu/pipeline_cache.ts";
import { GPU_TEST, testGpu } from "./helpers.ts";

const GOOD = "@compute @workgroup_size(1) fn main() {}";
const BAD = "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }";

Deno.test("pipeline cache: one compile per text, bad WGSL is a ShaderError naming the label", {
  ...GPU_TEST,
}, async () => {
  const cache = new PipelineCache((await testGpu()).device);
  const a = await cache.get("good", GOOD);
  const b = await cache.get("good again", GOOD);
  assert.equal(a, b);
  assert.equal(cache.misses, 1);
  await assert.rejects(cache.get("broken", BAD), (e) => {
    assert.ok(e instanceof ShaderError);
    assert.match(e.message, /shader "broken" failed/);
    return true;
  });
  // A failed compile is not cached: asking again compiles again.
  await assert.rejects(cache.get("broken", BAD), ShaderError);
  assert.equal(cache.misses, 3);
});

Deno.test("pipeline cache: dumpDir holds every shader compiled, failing ones too", {
  ...GPU_TEST,
}, async () => {
  const dir = `${Deno.makeTempDirSync()}/nested/wgsl`;
  const cache = new PipelineCache((await testGpu()).device, { dumpDir: dir });
  await cache.get("dense gemm 64x64/f32", GOOD);
  await cache.get("dense gemm 64x64/f32", GOOD);
  await assert.rejects(cache.get("broken", BAD), ShaderError);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names, [
    wgslDumpName("broken", BAD),
    wgslDumpName("dense gemm 64x64/f32", GOOD),
  ]);
  assert.equal(Deno.readTextFileSync(`${dir}/${wgslDumpName("broken", BAD)}`), BAD);
});

Deno.test("wgslDumpName: safe label, hash of entry point and text", () => {
  assert.match(wgslDumpName("a b/c:d", GOOD), /^a_b_c_d\.[0-9a-f]{8}\.wgsl$/);
  assert.notEqual(wgslDumpName("x", GOOD), wgslDumpName("x", `${GOOD} `));
  assert.notEqual(wgslDumpName("x", GOOD, "main"), wgslDumpName("x", GOOD, "other"));
  assert.equal(wgslDumpName("", GOOD).startsWith("shader."), true);
  assert.equal(wgslDumpName("x".repeat(200), GOOD).length, 80 + 1 + 8 + 5);
});
