/**
 * Built-in microbenchmarks for the device's peaks: FMA throughput (f32, f16) and copy bandwidth.
 * The roofline percentages in results are relative to these measured figures, not datasheets.
 *
 * @module
 */

import { type MeasureTarget, measureWorkload } from "./measure.ts";
import { DEFAULT_MEASURE, type MeasureOptions } from "./options.ts";
import type { Workload } from "./workload.ts";
import type { Peaks } from "../types.ts";
import { measureStream, STREAM_BYTES, STREAM_BYTES_SOFTWARE } from "./stream.ts";
import { guarded } from "../gpu/guarded.ts";

/** FMA chains per thread (independent accumulators), steps of each chain, steps a loop trip. */
const CHAINS = 16;
const ITERS = 512;
const UNROLL = 16;

/**
 * WGSL of the FMA peak: {@link CHAINS} independent `vec4` chains `a = fma(a, b, c)` a thread,
 * each {@link ITERS} steps long, {@link UNROLL} steps a loop trip. Unrolled because one loop trip
 * per step costs the loop's own instructions (its counter, the compare and the bound the WGSL
 * compiler adds to every loop) on top of 16 FMAs, which reads a peak well below what a GEMM's
 * unrolled inner block reaches on the same GPU.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = fmaWgsl("f16");
 * assert.match(w, /^enable f16;/);
 * assert.equal(w.match(/a0 = fma\(a0, b, c\);/g)?.length, 16); // 16 steps of a chain a trip
 * assert.match(w, /i < 32u/); // 512 steps in 32 trips
 * ```
 */
export function fmaWgsl(t: "f32" | "f16"): string {
  const L: string[] = [];
  if (t === "f16") L.push("enable f16;");
  L.push(
    `@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;`,
    `@group(0) @binding(1) var<uniform> p: vec4<f32>;`,
    "@compute @workgroup_size(256)",
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
    `  let b = vec4<${t}>(p);`,
    `  let c = vec4<${t}>(p.wzyx);`,
  );
  for (let i = 0; i < CHAINS; i++) {
    L.push(`  var a${i} = vec4<${t}>(${t}(gid.x % ${i + 3}u) * ${t}(0.001));`);
  }
  L.push(`  for (var i = 0u; i < ${ITERS / UNROLL}u; i++) {`);
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < CHAINS; i++) L.push(`    a${i} = fma(a${i}, b, c);`);
  }
  L.push("  }");
  L.push(`  var s = ${Array.from({ length: CHAINS }, (_, i) => `vec4<f32>(a${i})`).join(" + ")};`);
  L.push("  if (s.x == 12345.678) { out[gid.x] = s; }", "}");
  return L.join("\n");
}

/**
 * The copy microbenchmark's variants: vec4 words a thread moves (`per`), loads issued before any
 * store so that `per` × 16 bytes are in flight per thread, over a grid `per` times smaller. The
 * one-word variant with a full grid is what most elementwise kernels do; more words in flight
 * per thread and fewer workgroups is what reaches a wide memory system. The peak is the best.
 */
export const COPY_VARIANTS = [1, 4, 8] as const;

/**
 * WGSL of the copy variant moving `per` vec4 words per thread: thread t of a grid of T threads
 * copies words t, t + T, …, t + (per − 1)·T (coalesced for every j), all loads before the stores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = copyWgsl(4);
 * assert.match(w, /let v3 = src\[i \+ 3u \* t\]/);
 * assert.equal(w.match(/dst\[i \+/g)?.length, 4); // four stores in the fast path
 * ```
 */
export function copyWgsl(per: number): string {
  const L = [
    "@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;",
    "@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;",
    "@compute @workgroup_size(256)",
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, " +
    "@builtin(num_workgroups) nwg: vec3<u32>) {",
    "  let t = nwg.x * nwg.y * 256u;",
    "  let i = gid.x + gid.y * nwg.x * 256u;",
    "  let n = arrayLength(&dst);",
    `  if (i + ${per - 1}u * t < n) {`,
  ];
  for (let j = 0; j < per; j++) L.push(`    let v${j} = src[i + ${j}u * t];`);
  for (let j = 0; j < per; j++) L.push(`    dst[i + ${j}u * t] = v${j};`);
  L.push("  } else {");
  L.push(
    `    for (var j = 0u; j < ${per}u; j++) { let q = i + j * t; if (q < n) { dst[q] = src[q]; } }`,
  );
  L.push("  }", "}");
  return L.join("\n");
}

async function pipelineFor(
  device: GPUDevice,
  label: string,
  code: string,
): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label, code });
  return await device.createComputePipelineAsync({
    label,
    layout: "auto",
    compute: { module, entryPoint: "main" },
  });
}

const PEAK_MEASURE: MeasureOptions = {
  ...DEFAULT_MEASURE,
  minSamples: 5,
  maxSamples: 50,
  maxTimeMs: 300,
  maxNoise: 0.02,
  warmupMs: 50,
};

async function fmaPeak(
  target: MeasureTarget,
  t: "f32" | "f16",
  groups: number,
  opts: MeasureOptions,
): Promise<number> {
  const { device } = target;
  const pipeline = await pipelineFor(device, `peak-fma-${t}`, fmaWgsl(t));
  const out = device.createBuffer({
    label: "peak-fma-out",
    size: groups * 256 * 16,
    usage: GPUBufferUsage.STORAGE,
  });
  const uni = device.createBuffer({
    label: "peak-fma-p",
    size: 16,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(uni, 0, new Float32Array([0.999, 1.0001, 0.5, 0.25]));
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: out } }, { binding: 1, resource: { buffer: uni } }],
  });
  const work: Workload = {
    label: `peak-fma-${t}`,
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(groups);
    },
  };
  try {
    const time = await measureWorkload(target, work, opts);
    const flops = groups * 256 * ITERS * CHAINS * 4 * 2;
    return flops / (time.median * 1e-3) / 1e12;
  } finally {
    out.destroy();
    uni.destroy();
  }
}

async function copyPeak(
  target: MeasureTarget,
  bytes: number,
  per: number,
  opts: MeasureOptions,
): Promise<number> {
  const { device } = target;
  const words = Math.floor(Math.min(bytes, device.limits.maxStorageBufferBindingSize) / 16);
  const size = Math.floor(words / (256 * per)) * 256 * per * 16;
  const pipeline = await pipelineFor(device, `peak-copy-x${per}`, copyWgsl(per));
  const src = device.createBuffer({ label: "peak-copy-src", size, usage: GPUBufferUsage.STORAGE });
  const dst = device.createBuffer({ label: "peak-copy-dst", size, usage: GPUBufferUsage.STORAGE });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }],
  });
  // The grid must tile the words exactly (t = gx·gy·256 with per·t = words), so gx divides.
  const groups = size / 16 / 256 / per;
  let gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  while (groups % gx !== 0) gx--;
  const gy = groups / gx;
  const work: Workload = {
    label: `peak-copy-x${per}`,
    dispatch(pass) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bg);
      pass.dispatchWorkgroups(gx, gy);
    },
  };
  try {
    const time = await measureWorkload(target, work, opts);
    return (2 * size) / (time.median * 1e-3) / 1e9;
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/**
 * The best of measured copy figures, named: the roofline denominator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(bestCopy({ "vec4x1": 3680, "vec4x4": 4150, "vec4x8": 4100 }), {
 *   gbps: 4150,
 *   variant: "vec4x4",
 * });
 * ```
 */
export function bestCopy(variants: Record<string, number>): { gbps: number; variant: string } {
  let best = { gbps: -Infinity, variant: "" };
  for (const [variant, gbps] of Object.entries(variants)) {
    if (gbps > best.gbps) best = { gbps, variant };
  }
  if (!best.variant) throw new RangeError("bestCopy: no copy figure");
  return best;
}

const EMPTY_WGSL = `
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) { if (gid.x == 0u) { out[0] = out[0] + 1u; } }`;

/** Median time of a pass holding one trivial dispatch, in µs. */
async function passOverhead(target: MeasureTarget, opts: MeasureOptions): Promise<number> {
  const { device } = target;
  const pipeline = await pipelineFor(device, "peak-empty", EMPTY_WGSL);
  const out = device.createBuffer({
    label: "peak-empty-out",
    size: 16,
    usage: GPUBufferUsage.STORAGE,
  });
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: out } }],
  });
  try {
    const time = await measureWorkload(target, {
      label: "peak-empty",
      dispatch(pass) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(1);
      },
    }, opts);
    return time.median * 1e3;
  } finally {
    out.destroy();
  }
}

/**
 * Measures the device's FMA throughput, copy bandwidth (the best of {@link COPY_VARIANTS}, named
 * in `copyVariant`), the fixed cost of a timed pass and, given the suite's `measure` options, the
 * read stream at several sizes timed as its short cases are (`stream.ts`). Sizes shrink on a
 * software adapter.
 *
 * @example
 * ```ts ignore
 * const peaks = await measurePeaks({ device, features }, true);
 * console.log(peaks.fmaTflops, peaks.copyGbps);
 * ```
 */
export async function measurePeaks(
  target: MeasureTarget,
  software: boolean,
  method: MeasureOptions["method"] = "auto",
  measure?: MeasureOptions,
): Promise<Peaks> {
  const opts = { ...PEAK_MEASURE, method };
  const groups = software ? 16 : 4096;
  const copyBytes = software ? 16 << 20 : 512 << 20;
  // Inside error scopes: a pipeline or bind group the device rejects would otherwise leave the
  // timestamps unwritten and the figures made of whatever the readback held.
  const { fmaTflops, fmaF16Tflops, copyVariants, passOverheadUs } = await guarded(
    target.device,
    "measuring the peaks",
    async () => {
      const fmaTflops = await fmaPeak(target, "f32", groups, opts);
      const fmaF16Tflops = target.features.has("shader-f16")
        ? await fmaPeak(target, "f16", groups, opts)
        : null;
      const copyVariants: Record<string, number> = {};
      for (const per of COPY_VARIANTS) {
        copyVariants[`vec4x${per}`] = await copyPeak(target, copyBytes, per, opts);
      }
      return {
        fmaTflops,
        fmaF16Tflops,
        copyVariants,
        passOverheadUs: await passOverhead(target, opts),
      };
    },
  );
  const { gbps: copyGbps, variant: copyVariant } = bestCopy(copyVariants);
  let stream: Peaks["stream"] = [];
  if (measure) {
    // A stream that cannot be measured leaves the other peaks standing.
    try {
      stream = await guarded(target.device, "measuring the read stream", () =>
        measureStream(
          target,
          software ? STREAM_BYTES_SOFTWARE : STREAM_BYTES,
          { ...measure, method },
          software,
        ));
    } catch {
      stream = [];
    }
  }
  return {
    fmaTflops,
    fmaF16Tflops,
    copyGbps,
    copyVariant,
    copyVariants,
    passOverheadUs,
    stream,
    method: opts.method === "wall" || !target.features.has("timestamp-query")
      ? "wall"
      : "gpu-timestamp",
  };
}
