/**
 * The read-stream microbenchmark at several sizes: how fast the device reads B bytes once when
 * timed the way short cases are (back to back, rotating buffer copies, every execution ordered
 * after the previous one). The copy peak is a 512 MiB figure; a GEMV that reads 1 MB cannot
 * reach it, and this curve says how far any kernel moving that many bytes gets.
 *
 * @module
 */

import { type BatchCopy, measureBatch } from "./batch.ts";
import { coldFlushBytes, rotatingCopies } from "./cold.ts";
import { createFlushWorkload } from "./flush.ts";
import type { Workload } from "./workload.ts";
import { type MeasureTarget, measureWorkload } from "./measure.ts";
import type { MeasureOptions } from "./options.ts";
import type { StreamPoint } from "../types.ts";

/**
 * The read stream's variants: threads a workgroup and vec4 words a thread (its loads issued
 * together). Small sizes try 64- and 256-thread workgroups of one word (more workgroups for few
 * bytes), larger ones one and four words a thread of 256; the best counts.
 */
export const STREAM_VARIANTS = {
  small: [{ wg: 64, per: 1 }, { wg: 256, per: 1 }],
  large: [{ wg: 256, per: 1 }, { wg: 256, per: 4 }],
} as const;

/** Sizes up to which {@link STREAM_VARIANTS}.small run. */
const SMALL_BYTES = 4 << 20;

/** Sizes read on a GPU: 64 KiB to 256 MiB in steps of 4×. */
export const STREAM_BYTES = [
  1 << 16,
  1 << 18,
  1 << 20,
  1 << 22,
  1 << 24,
  1 << 26,
  1 << 28,
] as const;

/** Sizes read on a software adapter. */
export const STREAM_BYTES_SOFTWARE = [1 << 16, 1 << 20] as const;

/** Most samples and time a stream measurement takes (its warm-up, flush and method are the suite's). */
const STREAM_BUDGET = { maxSamples: 30, maxTimeMs: 100 };

/**
 * WGSL of the read stream: thread t of T (workgroups of `wg`) reads words t, t + T, …,
 * t + (per − 1)·T of `src` (coalesced, all loads before any use) and folds them into one value,
 * written only when it equals a constant no input here produces (so the loads stay, and `out`
 * stays bound for writing: executions sharing it are ordered).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = streamWgsl(4, 256);
 * assert.match(w, /let v3 = src\[i \+ 3u \* t\]/);
 * assert.match(w, /var<storage, read_write> out/);
 * assert.match(streamWgsl(1, 64), /@workgroup_size\(64\)/);
 * ```
 */
export function streamWgsl(per: number, wg: number): string {
  const L = [
    "@group(0) @binding(0) var<storage, read> src: array<vec4<u32>>;",
    "@group(0) @binding(1) var<storage, read_write> out: array<vec4<u32>>;",
    `@compute @workgroup_size(${wg})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, " +
    "@builtin(num_workgroups) nwg: vec3<u32>) {",
    `  let t = nwg.x * nwg.y * ${wg}u;`,
    `  let i = gid.x + gid.y * nwg.x * ${wg}u;`,
    "  let n = arrayLength(&src);",
    "  var s = vec4<u32>(0u);",
    `  if (i + ${per - 1}u * t < n) {`,
  ];
  for (let j = 0; j < per; j++) L.push(`    let v${j} = src[i + ${j}u * t];`);
  L.push(`    s = ${Array.from({ length: per }, (_, j) => `v${j}`).join(" ^ ")};`);
  L.push("  } else {");
  L.push(
    `    for (var j = 0u; j < ${per}u; j++) { let q = i + j * t; if (q < n) { s = s ^ src[q]; } }`,
  );
  L.push("  }");
  L.push("  if (all(s == vec4<u32>(0x9e3779b9u, 0x7f4a7c15u, 0x85ebca6bu, 0xc2b2ae35u))) {");
  L.push("    out[0] = s;", "  }", "}");
  return L.join("\n");
}

/**
 * A read stream's GB/s at `bytes`, interpolated over `points` linearly in log₂(bytes) and held
 * at the ends; null without points.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const pts = [{ bytes: 1 << 20, gbps: 200 }, { bytes: 1 << 22, gbps: 600 }];
 * assert.equal(streamGbpsAt(pts, 1 << 21), 400);
 * assert.equal(streamGbpsAt(pts, 1 << 10), 200);
 * assert.equal(streamGbpsAt(pts, 1 << 30), 600);
 * assert.equal(streamGbpsAt([], 1), null);
 * ```
 */
export function streamGbpsAt(
  points: readonly { bytes: number; gbps: number }[],
  bytes: number,
): number | null {
  const pts = points.filter((p) => p.bytes > 0 && p.gbps > 0).sort((a, b) => a.bytes - b.bytes);
  if (!pts.length || !(bytes > 0)) return null;
  if (bytes <= pts[0]!.bytes) return pts[0]!.gbps;
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1]!, pts[i]!];
    if (bytes <= b.bytes) {
      const f = Math.log2(bytes / a.bytes) / Math.log2(b.bytes / a.bytes);
      return a.gbps + f * (b.gbps - a.gbps);
    }
  }
  return pts.at(-1)!.gbps;
}

async function streamAt(
  target: MeasureTarget,
  bytes: number,
  variant: { wg: number; per: number },
  pipeline: GPUComputePipeline,
  fallback: boolean,
  opts: MeasureOptions,
  flush: Workload | undefined,
): Promise<{ gbps: number; copies: number }> {
  const { device } = target;
  const { wg, per } = variant;
  const size = Math.max(16, Math.floor(bytes / 16) * 16);
  const groups = Math.ceil(size / 16 / wg / per);
  const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  // Every buffer is destroyed here; `measureBatch` destroying the copies it rotated again is a
  // no-op.
  const owned: GPUBuffer[] = [];
  const out = device.createBuffer({ label: "stream-out", size: 16, usage: GPUBufferUsage.STORAGE });
  owned.push(out);
  const make = (): BatchCopy => {
    const src = device.createBuffer({ label: "stream-src", size, usage: GPUBufferUsage.STORAGE });
    owned.push(src);
    const bg = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: src } }, {
        binding: 1,
        resource: { buffer: out },
      }],
    });
    return {
      dispatch(pass) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(gx, gy);
      },
      destroy: () => src.destroy(),
    };
  };
  try {
    const first = make();
    const work = { label: `stream-${wg}x${per}-${size}`, dispatch: first.dispatch };
    // As a case: the isolated median (cold: flushed) sizes the back-to-back passes.
    const isolated = await measureWorkload(target, work, opts, flush);
    const copies = rotatingCopies(fallback, opts, size, isolated.median);
    const batch = await measureBatch(
      target,
      work,
      () => Promise.resolve(make()),
      copies,
      isolated.median,
      opts,
    );
    return { gbps: size / (batch.median * 1e-3) / 1e9, copies };
  } finally {
    for (const b of owned) b.destroy();
  }
}

/**
 * Measures the read stream at each of `sizes` bytes (the best of {@link STREAM_VARIANTS}; sizes
 * over the device's buffer limits are left out) as a short case of a suite with `measure`
 * settings is timed: its isolated median first (cold: flushed before each sample), then back to
 * back over as many rotating copies as a case moving that many bytes gets (`rotatingCopies`: cold,
 * enough to exceed the flush size, up to 512; warm, one), with the suite's warm-up and timing
 * method and at most 30 samples or 100 ms.
 *
 * @example
 * ```ts ignore
 * const curve = await measureStream(gpu, STREAM_BYTES, suite.measure, false);
 * ```
 */
export async function measureStream(
  target: MeasureTarget,
  sizes: readonly number[],
  measure: MeasureOptions,
  fallback: boolean,
): Promise<StreamPoint[]> {
  const { device } = target;
  const opts: MeasureOptions = {
    ...measure,
    maxSamples: Math.min(measure.maxSamples, STREAM_BUDGET.maxSamples),
    minSamples: Math.min(measure.minSamples, STREAM_BUDGET.maxSamples),
    maxTimeMs: Math.min(measure.maxTimeMs, STREAM_BUDGET.maxTimeMs),
  };
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const pipelines = new Map<string, GPUComputePipeline>();
  const pipelineOf = async (v: { wg: number; per: number }) => {
    const label = `peak-stream-${v.wg}x${v.per}`;
    if (!pipelines.has(label)) {
      const module = device.createShaderModule({ label, code: streamWgsl(v.per, v.wg) });
      pipelines.set(
        label,
        await device.createComputePipelineAsync({
          label,
          layout: "auto",
          compute: { module, entryPoint: "main" },
        }),
      );
    }
    return pipelines.get(label)!;
  };
  const flush = measure.l2 === "cold"
    ? await createFlushWorkload(device, coldFlushBytes(fallback, measure))
    : undefined;
  try {
    const points: StreamPoint[] = [];
    for (const bytes of sizes.filter((b) => b <= limit)) {
      let best = { gbps: 0, variant: "", copies: 1 };
      for (const v of bytes <= SMALL_BYTES ? STREAM_VARIANTS.small : STREAM_VARIANTS.large) {
        const r = await streamAt(target, bytes, v, await pipelineOf(v), fallback, opts, flush);
        if (r.gbps > best.gbps) best = { ...r, variant: `wg${v.wg}x${v.per}` };
      }
      points.push({ bytes, ...best });
    }
    return points;
  } finally {
    flush?.destroy();
  }
}
