/**
 * Diagnostic probe of back-to-back ordering (not a benchmark; nothing is checked): whether a plan
 * of two dispatches, timed over rotating buffer copies that share only its output, overlaps the
 * previous execution, and whether the fence `measureBatch` records between executions orders it.
 *
 * The plan: `A` spins `itersA` dependent FMAs in one workgroup, reading its copy's X and writing
 * its copy's T; `B` spins `itersB`, reading T and writing the shared output O. One workgroup each,
 * so that overlap shows as time, not as shared bandwidth. Figures, µs an execution:
 *
 * - `a`, `b`: A and B alone, each writing O (ordered by the write, as one-dispatch plans are);
 * - `rotating`: A, B over `copies` copies, nothing between executions (the order `measureBatch`
 *   kept before its fence): if A of one execution may start while B of the previous one runs,
 *   this is near max(a, b) rather than a + b; `rotating4` the same over 4 copies, each reused
 *   16 times a pass;
 * - `oneCopy`: A, B on one copy, nothing between executions (A rewrites the T that B read);
 * - `fenced`: `measureBatch` itself, over the same copies.
 *
 *   deno run -A experiments/dispatch_overlap.ts [itersA] [itersB] [copies]
 *
 * @module
 */

import { acquireGpu, type GpuContext } from "../harness/gpu/adapter.ts";
import { measureBatch } from "../harness/measure/batch.ts";
import { measureWorkload } from "../harness/measure/measure.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";
import type { Workload } from "../harness/measure/workload.ts";

/** The probe's figures, µs an execution (medians). */
export interface OverlapFigures {
  a: number;
  b: number;
  rotating: number;
  rotating4: number;
  oneCopy: number;
  fenced: number;
  copies: number;
}

const SPIN = (iters: number) => `
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(32)
fn main(@builtin(local_invocation_index) l: u32) {
  var a = src[l];
  for (var i = 0u; i < ${iters}u; i++) { a = fma(a, 0.9999, 0.0001); }
  dst[l] = a;
}`;

/** Times the probe's plans on `gpu` (see the module documentation). */
export async function probeOverlap(
  gpu: GpuContext,
  itersA: number,
  itersB: number,
  copies: number,
): Promise<OverlapFigures> {
  const { device } = gpu;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buffers: GPUBuffer[] = [];
  const buffer = () => {
    const b = device.createBuffer({ size: 128, usage });
    buffers.push(b);
    return b;
  };
  const pipeline = (iters: number) =>
    device.createComputePipeline({
      layout: "auto",
      compute: { module: device.createShaderModule({ code: SPIN(iters) }), entryPoint: "main" },
    });
  const pa = pipeline(itersA), pb = pipeline(itersB);
  const group = (p: GPUComputePipeline, src: GPUBuffer, dst: GPUBuffer) =>
    device.createBindGroup({
      layout: p.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: src } }, {
        binding: 1,
        resource: { buffer: dst },
      }],
    });
  const one = (p: GPUComputePipeline, g: GPUBindGroup) => (pass: GPUComputePassEncoder) => {
    pass.setPipeline(p);
    pass.setBindGroup(0, g);
    pass.dispatchWorkgroups(1);
  };
  const out = buffer();
  const plans = Array.from({ length: copies }, () => {
    const x = buffer(), t = buffer();
    const ga = group(pa, x, t), gb = group(pb, t, out);
    return {
      dispatch(pass: GPUComputePassEncoder) {
        one(pa, ga)(pass);
        one(pb, gb)(pass);
      },
      destroy() {},
    };
  });
  const opts = { ...DEFAULT_MEASURE, minSamples: 10, maxSamples: 40, maxTimeMs: 300 };
  const us = (ms: number) => ms * 1000;
  // One-dispatch chains writing O, over a single copy of their input.
  const chain = async (p: GPUComputePipeline, label: string) => {
    const w = { label, dispatch: one(p, group(p, buffer(), out)) };
    const iso = await measureWorkload(gpu, w, opts);
    return us((await measureBatch(gpu, w, () => Promise.reject(), 1, iso.median, opts)).median);
  };
  // Executions recorded by hand, nothing between them: `n` executions over `over` copies.
  const unfenced = async (label: string, over: number) => {
    const n = Math.max(over, 64);
    const w: Workload = {
      label,
      dispatch(pass) {
        for (let i = 0; i < n; i++) plans[i % over]!.dispatch(pass);
      },
    };
    return us((await measureWorkload(gpu, w, opts)).median / n);
  };
  try {
    const a = await chain(pa, "a");
    const b = await chain(pb, "b");
    const rotating = await unfenced("rotating", copies);
    const rotating4 = await unfenced("rotating 4", Math.min(4, copies));
    const oneCopy = await unfenced("one copy", 1);
    const work = { label: "fenced", dispatch: plans[0]!.dispatch, output: out };
    const iso = await measureWorkload(gpu, work, opts);
    let next = 1;
    const fenced = us(
      (await measureBatch(
        gpu,
        work,
        () => Promise.resolve(plans[next++]!),
        copies,
        iso.median,
        opts,
      ))
        .median,
    );
    return { a, b, rotating, rotating4, oneCopy, fenced, copies };
  } finally {
    for (const b of buffers) b.destroy();
  }
}

if (import.meta.main) {
  const [itersA, itersB, copies] = [
    Deno.args[0] ?? 20000,
    Deno.args[1] ?? 10000,
    Deno.args[2] ?? 64,
  ]
    .map(Number) as [number, number, number];
  const gpu = await acquireGpu("high-performance");
  const f = await probeOverlap(gpu, itersA, itersB, copies);
  const r = (x: number) => x.toFixed(2);
  console.log(`adapter: ${gpu.info.description || gpu.info.device || "(unnamed)"}`);
  console.log(
    `a ${r(f.a)} µs, b ${r(f.b)} µs, a + b ${r(f.a + f.b)}, max ${r(Math.max(f.a, f.b))}`,
  );
  console.log(`rotating (${f.copies} copies, unfenced) ${r(f.rotating)} µs`);
  console.log(`rotating (4 copies, unfenced) ${r(f.rotating4)} µs`);
  console.log(`one copy (unfenced) ${r(f.oneCopy)} µs`);
  console.log(`fenced (measureBatch) ${r(f.fenced)} µs`);
  console.log(JSON.stringify(f));
}
