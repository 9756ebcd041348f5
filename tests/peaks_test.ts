import assert from "node:assert/strict";
import { bestCopy, COPY_VARIANTS, copyWgsl, fmaWgsl } from "../harness/measure/peaks.ts";
import { measureStream, STREAM_VARIANTS, streamWgsl } from "../harness/measure/stream.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import { GPU_TEST, testGpu } from "./helpers.ts";

Deno.test(
  "every copy variant copies every word, including a grid that does not tile",
  GPU_TEST,
  async () => {
    const { device } = await testGpu();
    for (const per of COPY_VARIANTS) {
      // 8 workgroups of 256 threads; words = 256·8·per − 3 leaves the last threads a partial tail.
      const words = 256 * 8 * per - 3;
      const src = new Float32Array(words * 4).map((_, i) => i + 0.5);
      const a = device.createBuffer({
        size: src.byteLength,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      });
      const b = device.createBuffer({
        size: src.byteLength,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
      });
      const r = device.createBuffer({
        size: src.byteLength,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(a, 0, src);
      const pipeline = device.createComputePipeline({
        layout: "auto",
        compute: { module: device.createShaderModule({ code: copyWgsl(per) }), entryPoint: "main" },
      });
      const bg = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: a } }, { binding: 1, resource: { buffer: b } }],
      });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(4, 2);
      pass.end();
      enc.copyBufferToBuffer(b, 0, r, 0, src.byteLength);
      device.queue.submit([enc.finish()]);
      await r.mapAsync(GPUMapMode.READ);
      const got = new Float32Array(r.getMappedRange().slice(0));
      r.unmap();
      assert.deepEqual(got, src, `vec4x${per}`);
      a.destroy();
      b.destroy();
      r.destroy();
    }
  },
);

Deno.test("bestCopy names the fastest variant and refuses an empty set", () => {
  assert.deepEqual(bestCopy({ vec4x1: 1, vec4x8: 3, vec4x4: 2 }), { gbps: 3, variant: "vec4x8" });
  assert.throws(() => bestCopy({}), /no copy figure/);
});

Deno.test(
  "the read stream reads every word (a planted value is found anywhere) and times sizes",
  GPU_TEST,
  async () => {
    const gpu = await testGpu();
    const { device } = gpu;
    const magic = [0x9e3779b9, 0x7f4a7c15, 0x85ebca6b, 0xc2b2ae35];
    for (const { wg, per } of [...STREAM_VARIANTS.small, ...STREAM_VARIANTS.large]) {
      const t = wg * 8; // threads of the 4×2 grid below
      const words = t * per - 3; // the last threads take a partial tail
      const pipeline = device.createComputePipeline({
        layout: "auto",
        compute: {
          module: device.createShaderModule({ code: streamWgsl(per, wg) }),
          entryPoint: "main",
        },
      });
      // 2t − 2: with 4 words a thread, the second word of a thread in the tail loop
      for (const q of [0, 1, words >> 1, words - 1, 2 * t - 2].filter((q) => q < words)) {
        const src = new Uint32Array(words * 4);
        src.set(magic, 4 * q);
        const a = device.createBuffer({
          size: src.byteLength,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
        const out = device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
        });
        const r = device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        });
        device.queue.writeBuffer(a, 0, src);
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(
          0,
          device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: [{ binding: 0, resource: { buffer: a } }, {
              binding: 1,
              resource: { buffer: out },
            }],
          }),
        );
        pass.dispatchWorkgroups(4, 2);
        pass.end();
        enc.copyBufferToBuffer(out, 0, r, 0, 16);
        device.queue.submit([enc.finish()]);
        await r.mapAsync(GPUMapMode.READ);
        assert.deepEqual(
          [...new Uint32Array(r.getMappedRange().slice(0))],
          magic,
          `${wg}x${per} @${q}`,
        );
        r.unmap();
        for (const b of [a, out, r]) b.destroy();
      }
    }
    const cold = {
      ...DEFAULT_MEASURE,
      l2: "cold" as const,
      minSamples: 3,
      maxSamples: 5,
      warmupMs: 5,
    };
    const pts = await measureStream(gpu, [1 << 16, 1 << 18], cold, true);
    assert.deepEqual(pts.map((p) => [p.bytes, p.copies]), [[1 << 16, 8], [1 << 18, 8]]);
    assert.ok(pts.every((p) => p.gbps > 0 && /^wg(64|256)x[14]$/.test(p.variant)));
  },
);

Deno.test("the FMA peak's shaders compile on the adapter, in f32 and f16", GPU_TEST, async () => {
  const { device, features } = await testGpu();
  const types = features.has("shader-f16") ? ["f32", "f16"] as const : ["f32"] as const;
  for (const t of types) {
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code: fmaWgsl(t) });
    await device.createComputePipelineAsync({
      layout: "auto",
      compute: { module, entryPoint: "main" },
    });
    assert.equal(await device.popErrorScope(), null, t);
  }
});
