import assert from "node:assert/strict";
import { bestCopy, COPY_VARIANTS, copyWgsl } from "../harness/measure/peaks.ts";
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
