/**
 * A workload that writes a large buffer, evicting the caches between cold samples.
 *
 * @module
 */

import type { Workload } from "./workload.ts";

const FLUSH_WGSL = `
@group(0) @binding(0) var<storage, read_write> buf: array<vec4<u32>>;
@group(0) @binding(1) var<uniform> params: vec4<u32>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i < arrayLength(&buf)) { buf[i] = buf[i] + params; }
}`;

/**
 * Creates the cache-flush workload: a read-modify-write of `bytes` bytes.
 *
 * @example
 * ```ts ignore
 * const flush = await createFlushWorkload(device, 256 << 20);
 * ```
 */
export async function createFlushWorkload(
  device: GPUDevice,
  bytes: number,
): Promise<Workload & { destroy(): void }> {
  const size = Math.min(
    bytes,
    device.limits.maxStorageBufferBindingSize,
    device.limits.maxBufferSize,
  );
  const count = Math.floor(size / 16);
  const buf = device.createBuffer({
    label: "l2-flush",
    size: count * 16,
    usage: GPUBufferUsage.STORAGE,
  });
  const uni = device.createBuffer({
    label: "l2-flush-params",
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(uni, 0, new Uint32Array([1, 1, 1, 1]));
  const module = device.createShaderModule({ label: "l2-flush", code: FLUSH_WGSL });
  const pipeline = await device.createComputePipelineAsync({
    label: "l2-flush",
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
  const bindGroup = device.createBindGroup({
    label: "l2-flush",
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: buf } }, { binding: 1, resource: { buffer: uni } }],
  });
  const groups = Math.ceil(count / 256);
  const maxX = device.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.min(groups, maxX);
  const gy = Math.ceil(groups / gx);
  return {
    label: "l2-flush",
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(gx, gy);
    },
    destroy() {
      buf.destroy();
      uni.destroy();
    },
  };
}
