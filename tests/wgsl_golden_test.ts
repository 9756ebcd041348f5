/**
 * Golden WGSL: each family's default shaders for a few representative cases, checked in under
 * tests/golden/<family>/<case>.wgsl as `deno task wgsl` prints them, compared byte for byte.
 * After a deliberate change to a generator, regenerate them with
 *
 *   UPDATE_GOLDEN=1 deno test --allow-read --allow-write --allow-env tests/wgsl_golden_test.ts
 *
 * and review the diff. A GPU test checks that `plan` compiles exactly what `shaders` says.
 */

import assert from "node:assert/strict";
import { PipelineCache } from "../harness/gpu/pipeline_cache.ts";
import type { KernelDescriptor, ShaderText } from "../harness/kernel.ts";
import { caseShaders, formatShaders, parseWgslArgs } from "../harness/run/wgsl.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { GPU_TEST, testGpu } from "./helpers.ts";

/** The golden cases: file (under tests/golden) and `deno task wgsl` arguments. */
const GOLDEN: readonly { file: string; args: string[] }[] = [
  { file: "dense/gemm-f32-64x128x96", args: ["dense", "64x128x96"] },
  // 128×64 at M ≥ 1024: the X slab skewed (xSkew auto)
  { file: "dense/gemm-skew-f32-1024x64x128", args: ["dense", "1024x64x128"] },
  { file: "dense/gemm-f16-37x100x53", args: ["dense", "37x100x53", "dtype=f16"] },
  { file: "dense/gemm-splitk-f32-16x4096x1024", args: ["dense", "16x4096x1024"] },
  { file: "dense/gemv-f16-1x4096x4096", args: ["dense", "1x4096x4096", "dtype=f16"] },
  {
    file: "dense/gemm-f16x2-128x256x128",
    args: ["dense", "128x256x128", "dtype=f16", "math=f16x2"],
  },
  {
    file: "dense/gemv-f16x2-3x4096x4096",
    args: ["dense", "3x4096x4096", "dtype=f16", "math=f16x2", "f16io=native"],
  },
  { file: "stl/t2r7-f32-64x128x96", args: ["stl", "64x128x96", "tile=2", "rank=7"] },
  { file: "sparse24/gather-f32-64x128x96", args: ["sparse24", "64x128x96"] },
  { file: "sparse24/gather-f16-37x100x53", args: ["sparse24", "37x100x53", "dtype=f16"] },
  {
    file: "sparse24/pair-splitk-f32-128x2048x2048",
    args: ["sparse24", "128x2048x2048", "tile=128x64"],
  },
  { file: "sparse24/gemv-f16-1x4096x14336", args: ["sparse24", "1x4096x14336", "dtype=f16"] },
  {
    file: "int4/gemv-f16x2-f16-1x4096x14336",
    args: ["int4", "1x4096x14336", "group=128", "dtype=f16"],
  },
  { file: "int4/gemv-f32-f32-1x4096x4096", args: ["int4", "1x4096x4096"] },
  {
    file: "int4/gemv-awq-f16-16x4096x4096",
    args: ["int4", "16x4096x4096", "method=awq", "dtype=f16"],
  },
  { file: "int4/gemm-f32-37x100x53", args: ["int4", "37x100x53", "group=8"] },
  { file: "int4/gemm-f16x2-f16-2048x4096x4096", args: ["int4", "2048x4096x4096", "dtype=f16"] },
  {
    file: "int4/gemm-splitk4-f16-16x4096x14336",
    args: ["int4", "16x4096x14336", "variant=gemm", "tile=16x64", "splitK=4", "dtype=f16"],
  },
  { file: "ternary/addsub-f16-1x4096x4096", args: ["ternary", "1x4096x4096", "dtype=f16"] },
  {
    file: "ternary/dp4a-f16-1x4096x14336",
    args: ["ternary", "1x4096x14336", "dtype=f16", "method=dp4a", "dot=packed", "quantX=pass"],
  },
  {
    file: "ternary/dp4a-inline-f16-1x4096x14336",
    args: ["ternary", "1x4096x14336", "dtype=f16", "method=dp4a", "dot=packed", "quantX=inline"],
  },
  {
    file: "ternary/fma-f16x2-f16-1x4096x4096",
    args: ["ternary", "1x4096x4096", "dtype=f16", "method=fma"],
  },
  {
    file: "ternary/lut2-g128-f32-1x4096x14336",
    args: ["ternary", "1x4096x14336", "method=lut", "group=128"],
  },
  {
    file: "ternary/gemm-g32-f16-37x100x53",
    args: ["ternary", "37x100x53", "group=32", "dtype=f16"],
  },
  { file: "monarch/b4-f32-37x100x53", args: ["monarch", "37x100x53", "blocks=4"] },
  {
    file: "monarch/b16-f16-1x4096x4096",
    args: ["monarch", "1x4096x4096", "blocks=16", "dtype=f16"],
  },
  { file: "int8/gemm-packed-f32-64x128x96", args: ["int8", "64x128x96", "dot=packed"] },
  {
    file: "int8/gemv-llm-int8-f16-1x4096x4096",
    args: ["int8", "1x4096x4096", "variant=gemv", "outliers=llm-int8", "dot=unpacked", "dtype=f16"],
  },
  {
    file: "int8/stream-f16-1x4096x14336",
    args: [
      "int8",
      "1x4096x14336",
      "variant=stream",
      "outliers=llm-int8",
      "dot=packed",
      "dtype=f16",
    ],
  },
  {
    file: "int8/gemv2-f16-1x4096x14336",
    args: ["int8", "1x4096x14336", "variant=gemv2", "dot=packed", "dtype=f16"],
  },
];

const ROOT = new URL("./golden/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

async function generated(args: string[]): Promise<string> {
  const r = parseWgslArgs(args, builtinKernels);
  assert.ok(r, args.join(" "));
  return formatShaders(await caseShaders(r));
}

Deno.test("generated WGSL matches the golden snapshots (UPDATE_GOLDEN=1 rewrites them)", async () => {
  const stale: string[] = [];
  for (const g of GOLDEN) {
    const text = await generated(g.args);
    const url = new URL(`${g.file}.wgsl`, ROOT);
    if (UPDATE) {
      Deno.mkdirSync(new URL(".", url), { recursive: true });
      Deno.writeTextFileSync(url, text);
      continue;
    }
    let want: string;
    try {
      want = Deno.readTextFileSync(url);
    } catch {
      stale.push(`${g.file}.wgsl is missing`);
      continue;
    }
    if (text !== want) {
      const a = text.split("\n");
      const b = want.split("\n");
      const line = a.findIndex((l, i) => l !== b[i]);
      stale.push(
        `${g.file}.wgsl differs from \`deno task wgsl ${g.args.join(" ")}\` at line ${
          line + 1
        }:\n` +
          `  golden:    ${b[line] ?? "<end>"}\n  generated: ${a[line] ?? "<end>"}`,
      );
    }
  }
  assert.deepEqual(stale, [], "regenerate with UPDATE_GOLDEN=1 after a deliberate change");
});

Deno.test("no golden shader indexes a function-scope array (registers are named scalars)", async () => {
  for (const g of GOLDEN) {
    const text = await generated(g.args);
    assert.ok(!text.includes("var<function>"), g.file);
    assert.ok(!/^\s+var\s+\w+\s*:\s*array/m.test(text), `${g.file}: a function-scope array`);
  }
});

Deno.test("the INT4 and ternary decodes OR their codes into register-held exponents", async () => {
  // A literal exponent is an immediate: the mask and the OR then cost two instructions, not one
  // (kernels/wgsl/held.ts).
  const cases: [string[], string][] = [
    [["int4", "1x4096x14336", "group=128", "dtype=f16"], "hexp0"], // packed halves, X staged
    [["int4", "1x4096x4096", "group=128"], "fexp0"], // f32 arithmetic
    [["ternary", "1x4096x4096", "method=fma", "dtype=f16"], "fexp0"], // packed halves
    [["ternary", "1x4096x4096", "method=fma"], "fexp7"], // f32, eight exponents
  ];
  for (const [args, held] of cases) {
    const text = await generated(args);
    assert.ok(text.includes(`| ${held})`) || text.includes(`(${held}))`), `${args}: ${held}`);
    assert.ok(!/\| (vec\d<u32>\()?0x[0-9a-f]{8}u\)?\)/.test(text), `${args}: a literal exponent`);
    assert.ok(text.indexOf("workgroupBarrier();") < text.indexOf(`let ${held} =`), `${args}`);
  }
  // The dequantising INT4 walk (M > 3) keeps the literal: held, it ran slower at M = 16.
  const m16 = await generated(["int4", "16x4096x4096", "group=128", "dtype=f16"]);
  assert.ok(m16.includes("| vec4<u32>(0x4b000000u))") && !m16.includes("fexp"));
});

Deno.test("every family is covered by golden snapshots", () => {
  for (const k of builtinKernels) {
    assert.ok(k.shaders, `${k.name} describes its shaders`);
    assert.ok(GOLDEN.some((g) => g.args[0] === k.name), `${k.name} has a golden case`);
  }
});

/** A pipeline cache that records every shader asked of it. */
class RecordingCache extends PipelineCache {
  asked: ShaderText[] = [];
  override get(label: string, code: string, entryPoint = "main") {
    this.asked.push({ label, code });
    return super.get(label, code, entryPoint);
  }
}

Deno.test({
  name: "plan compiles exactly the shaders a kernel describes without a device",
  ...GPU_TEST,
  async fn() {
    const gpu = await testGpu();
    const cases: [string, string[]][] = [
      ["dense", ["dense", "37x100x53"]],
      ["dense", ["dense", "1x256x128", "dtype=f16"]],
      ["dense", ["dense", "16x4096x256"]],
      ["dense", ["dense", "2x256x128", "dtype=f16", "math=f16x2"]],
      ["dense", ["dense", "37x100x53", "dtype=f16", "math=f16x2"]],
      ["stl", ["stl", "37x100x53", "tile=2", "rank=7"]],
      ["stl", ["stl", "37x100x53", "tile=4", "rank=8", "dtype=f16"]],
      ["stl", ["stl", "10x16x12", "tile=2", "rank=5", "encoder=random"]],
      ["sparse24", ["sparse24", "64x128x96", "dtype=f16"]],
      ["sparse24", ["sparse24", "3x256x128"]],
      ["sparse24", ["sparse24", "128x2048x128", "tile=128x64"]],
      ["int4", ["int4", "1x256x128", "group=8", "dtype=f16"]],
      ["int4", ["int4", "2x256x128", "group=32", "method=awq"]],
      ["int4", ["int4", "37x100x53", "group=8", "method=awq"]],
      ["ternary", ["ternary", "3x100x53", "method=lut", "group=32", "dtype=f16"]],
      ["ternary", ["ternary", "11x100x53"]],
      ["ternary", ["ternary", "11x100x53", "method=lut"]],
      ["monarch", ["monarch", "37x100x53", "blocks=4", "dtype=f16"]],
      ["int8", ["int8", "37x100x53", "outliers=llm-int8", "dtype=f16"]],
      ["int8", ["int8", "3x100x53", "smooth=0.5"]],
    ];
    for (const [name, args] of cases) {
      const kernel = builtinKernels.find((k) => k.name === name) as KernelDescriptor;
      const r = parseWgslArgs([...args, "--seed", "7"], builtinKernels)!;
      const { shape, dtype } = r;
      const config = kernel.resolve(r.params, shape, dtype, r.tune);
      const w = Float32Array.from({ length: shape.k * shape.n }, (_, i) => Math.sin(i) * 0.1);
      const calib = Float32Array.from({ length: 8 * shape.k }, (_, i) => Math.cos(i));
      const prepared = await kernel.prepare({
        shape,
        dtype,
        config,
        w,
        calib,
        calibRows: 8,
        seed: 7,
        baseDir: null,
      });
      const cache = new RecordingCache(gpu.device);
      const plan = await kernel.plan({
        device: gpu.device,
        features: gpu.features,
        pipelines: cache,
        shape,
        dtype,
        config,
        prepared,
        x: new Float32Array(shape.m * shape.k).fill(0.5),
      });
      plan.destroy();
      const limits = gpu.device.limits;
      const described = await kernel.shaders!({ shape, dtype, config, limits, prepared, seed: 7 });
      assert.deepEqual(
        cache.asked,
        described.map(({ label, code }) => ({ label, code })),
        args.join(" "),
      );
      // Without the preparation (as `deno task wgsl` asks) the texts are the same.
      const bare = await kernel.shaders!({ shape, dtype, config, limits, seed: 7 });
      assert.deepEqual(bare.map((s) => s.code), described.map((s) => s.code), args.join(" "));
    }
  },
});
