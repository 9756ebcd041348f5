import assert from "node:assert/strict";
import { UsageError } from "../harness/cli_args.ts";
import { caseShaders, formatShaders, parseWgslArgs, wgslMain } from "../harness/run/wgsl.ts";
import { builtinKernels } from "../kernels/mod.ts";

const parse = (...args: string[]) => parseWgslArgs(args, builtinKernels);

Deno.test("deno task wgsl: bad arguments are usage errors naming what is allowed", async () => {
  assert.throws(() => parse(), /KERNEL is required \(one of dense, stl, sparse24, int4/);
  assert.throws(() => parse("fft", "1x2x3"), /KERNEL must be one of .*; got "fft"/);
  assert.throws(() => parse("dense", "1x2"), /SHAPE must be MxKxN/);
  assert.throws(() => parse("dense", "0x2x3"), /SHAPE must be MxKxN/);
  assert.throws(() => parse("int4", "1x64x64", "grop=8"), /int4 has no parameter "grop"; it has/);
  assert.throws(() => parse("int4", "1x64x64", "group"), /parameters are name=value/);
  assert.throws(() => parse("dense", "1x64x64", "dtype=bf16"), /dtype: must be one of/);
  assert.throws(() => parse("dense", "1x64x64", "--limit", "maxFoo=1"), /--limit: the name/);
  assert.throws(() => parse("dense", "1x64x64", "--seed", "x1"), /--seed: must be an integer/);
  // Values are checked by the kernel's resolve, as in a suite.
  await assert.rejects(
    () => caseShaders(parse("int4", "1x64x64", "group=7")!),
    (e: Error) => e instanceof UsageError && /group: must be ≥ 8, got 7/.test(e.message),
  );
  // A feature the device lacks: f16 needs shader-f16.
  await assert.rejects(
    () => caseShaders(parse("dense", "1x64x64", "dtype=f16", "--features", "")!),
    /needs the feature\(s\) shader-f16, not in --features/,
  );
  const ok = await caseShaders(
    parse("dense", "1x64x64", "dtype=f16", "--features", "shader-f16")!,
  );
  assert.ok(ok[0]!.code.startsWith("enable f16;"));
  // A case that would be skipped says so.
  await assert.rejects(
    () => caseShaders(parse("dense", "9x64x64", "variant=gemv")!),
    /the case would be skipped: variant gemv needs M ≤ 8/,
  );
});

Deno.test("deno task wgsl: tuning knobs and limits reach the shaders", async () => {
  const tuned = await caseShaders(parse("int4", "1x4096x4096", "gemvSlices=64")!);
  assert.match(tuned[0]!.code, / slices=64 /);
  // The 2:4 GEMV at M = 16 sizes its workgroup to fit workgroup memory.
  const big = await caseShaders(parse("sparse24", "16x4096x4096", "dtype=f16")!);
  const small = await caseShaders(
    parse(
      "sparse24",
      "16x4096x4096",
      "dtype=f16",
      "--limit",
      "maxComputeWorkgroupStorageSize=16384",
    )!,
  );
  assert.match(big[0]!.code, /@compute @workgroup_size\(256\)/);
  assert.match(small[0]!.code, /@compute @workgroup_size\(128\)/);
});

Deno.test("deno task wgsl: prints every pipeline in dispatch order, --out writes each", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = parse("stl", "8x8x8", "tile=2", "rank=7", "--out", dir)!;
    const shaders = await caseShaders(r);
    assert.deepEqual(shaders.map((s) => s.label), [
      "stl-encode-f32-8x8-t2r7",
      "stl-gemm-f32-4x4x4b7",
      "stl-decode-f32-8x8-t2r7",
    ]);
    const text = formatShaders(shaders);
    assert.equal(text.split("\n// ==== ").length, 3);
    const out: string[] = [];
    const write = Deno.stdout.write;
    Deno.stdout.write = (p: Uint8Array) => {
      out.push(new TextDecoder().decode(p));
      return Promise.resolve(p.length);
    };
    let code: number;
    try {
      code = await wgslMain(["stl", "8x8x8", "tile=2", "rank=7", "--out", dir], builtinKernels);
    } finally {
      Deno.stdout.write = write;
    }
    assert.equal(code, 0);
    assert.equal(out.join(""), text);
    for (const s of shaders) {
      assert.equal(await Deno.readTextFile(`${dir}/${s.label}.wgsl`), s.code);
    }
    const err = console.error;
    console.error = () => {};
    try {
      assert.equal(await wgslMain(["stl", "8x8"], builtinKernels), 2);
    } finally {
      console.error = err;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task wgsl runs harness/run/wgsl.ts", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assert.match(config.tasks.wgsl, /harness\/run\/wgsl\.ts$/);
});
