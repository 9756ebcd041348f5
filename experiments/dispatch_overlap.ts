/**
 * Diagnostic probe of back-to-back ordering (not a benchmark; nothing is checked): whether a plan
 * of two dispatches, timed over rotating buffer copies that share only its output, overlaps the
 * previous execution, and whether the fence the batch records between executions
 * (`recordExecutions`, `batchFence`) orders it, and at what cost.
 *
 * The plan: `A` spins `itersA` dependent FMAs in one workgroup, reading its copy's X and writing
 * its copy's T; `B` spins `itersB`, reading T and writing the shared output O. One workgroup each,
 * so that overlap shows as time, not as shared bandwidth. Figures, µs an execution:
 *
 * - `a`, `b`: A and B alone, each writing O (ordered by the write, as one-dispatch plans are);
 * - `rotating`: A, B over `copies` copies, `rounds` rounds a pass, nothing between executions (the
 *   order before the fence). If A of one execution may start while B of the previous one runs in
 *   the first round (buffers new to the pass), and later rounds are ordered by the barriers before
 *   rewrites, this is near (max(a, b) + (rounds − 1)·(a + b)) / rounds rather than a + b;
 * - `fenced`: the same executions recorded as the batch records them (a fence between the
 *   executions of the first round): a + b if the fence orders them;
 * - `fencedEvery`: a fence after every execution, later rounds too: against `fenced`, the cost of
 *   a fence where a barrier precedes the next execution anyway;
 * - `rotating4`, `fenced4`: over 4 copies, as many executions (so more rounds);
 * - `oneCopy`: one copy, nothing between executions (A rewrites the T that B read).
 *
 *   deno run -A experiments/dispatch_overlap.ts [itersA] [itersB] [copies] [rounds]
 *
 * @module
 */

import { acquireGpu, type GpuContext } from "../harness/gpu/adapter.ts";
import { batchFence, recordExecutions } from "../harness/measure/batch.ts";
import { measureWorkload } from "../harness/measure/measure.ts";
import { DEFAULT_MEASURE } from "../harness/measure/options.ts";

/** The probe's figures, µs an execution (medians). */
export interface OverlapFigures {
  a: number;
  b: number;
  rotating: number;
  fenced: number;
  fencedEvery: number;
  rotating4: number;
  fenced4: number;
  oneCopy: number;
  copies: number;
  rounds: number;
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
  rounds: number,
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
    };
  });
  const opts = { ...DEFAULT_MEASURE, minSamples: 10, maxSamples: 40, maxTimeMs: 300 };
  const n = copies * rounds;
  const fence = batchFence(device, out);
  const fenceEvery = (pass: GPUComputePassEncoder) => {
    for (let i = 0; i < n; i++) {
      plans[i % copies]!.dispatch(pass);
      fence(pass);
    }
  };
  // µs an execution of `record`, which records `n` executions.
  const time = async (label: string, record: (pass: GPUComputePassEncoder) => void) =>
    (await measureWorkload(gpu, { label, dispatch: record }, opts)).median * 1000 / n;
  // One-dispatch chains writing O, over a single copy of their input.
  const chain = (p: GPUComputePipeline, label: string) => {
    const g = group(p, buffer(), out);
    return time(label, (pass) => {
      for (let i = 0; i < n; i++) one(p, g)(pass);
    });
  };
  const over = (k: number, f: typeof fence | null) => (pass: GPUComputePassEncoder) =>
    recordExecutions(pass, plans.slice(0, k), n, f);
  try {
    return {
      a: await chain(pa, "a"),
      b: await chain(pb, "b"),
      rotating: await time("rotating", over(copies, null)),
      fenced: await time("fenced", over(copies, fence)),
      fencedEvery: await time("fenced every", fenceEvery),
      rotating4: await time("rotating 4", over(Math.min(4, copies), null)),
      fenced4: await time("fenced 4", over(Math.min(4, copies), fence)),
      oneCopy: await time("one copy", over(1, null)),
      copies,
      rounds,
    };
  } finally {
    for (const b of buffers) b.destroy();
  }
}

if (import.meta.main) {
  const [itersA, itersB, copies, rounds] = [
    Deno.args[0] ?? 20000,
    Deno.args[1] ?? 10000,
    Deno.args[2] ?? 64,
    Deno.args[3] ?? 2,
  ].map(Number) as [number, number, number, number];
  const gpu = await acquireGpu("high-performance");
  const f = await probeOverlap(gpu, itersA, itersB, copies, rounds);
  const r = (x: number) => x.toFixed(2);
  console.log(`adapter: ${gpu.info.description || gpu.info.device || "(unnamed)"}`);
  console.log(
    `a ${r(f.a)} µs, b ${r(f.b)} µs, a + b ${r(f.a + f.b)}, max ${r(Math.max(f.a, f.b))}`,
  );
  console.log(
    `${f.copies} copies × ${f.rounds} rounds: unfenced ${r(f.rotating)} µs, fenced ${
      r(f.fenced)
    }, fenced every execution ${r(f.fencedEvery)}`,
  );
  console.log(`4 copies: unfenced ${r(f.rotating4)} µs, fenced ${r(f.fenced4)}`);
  console.log(`one copy (unfenced) ${r(f.oneCopy)} µs`);
  console.log(JSON.stringify(f));
}
