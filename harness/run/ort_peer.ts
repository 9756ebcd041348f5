/**
 * The ONNX Runtime Web peer: `MatMul` on its WebGPU execution provider, in the same process and on
 * the same adapter. ONNX Runtime Web creates its own `GPUDevice` (assigning `env.webgpu.device`
 * before the first `InferenceSession` is ignored under Deno), so inputs are uploaded once into buffers of
 * its device and outputs stay there (`preferredOutputLocation: "gpu-buffer"`). A sample is the GPU
 * time ONNX Runtime's WebGPU profiling reports for executions submitted back to back, or, where its
 * device has no timestamp queries, the wall clock of `InferenceSession.run` until that device's
 * queue is idle.
 *
 * @module
 */

import { measureReported, measureSubmitted } from "../measure/measure.ts";
import type { Suite } from "../suite/schema.ts";
import type { Shape } from "../types.ts";
import { matMulModel, matMulNBitsModel, quantizeNBits } from "./onnx_model.ts";
import { peerLibraries } from "./peer_libs.ts";
import {
  checkPeer,
  type PeerAnchor,
  peerEntry,
  type PeerInputs,
  peerTimestamps,
  timePeer,
} from "./peers.ts";

interface OrtTensor {
  getData(): Promise<ArrayLike<number>>;
  dispose(): void;
}
/** One kernel's timing as ONNX Runtime's WebGPU profiling reports it (ns). */
interface OrtKernelTime {
  startTime: number;
  endTime: number;
}
interface OrtModule {
  env: {
    versions?: Record<string, string>;
    webgpu: {
      device: Promise<GPUDevice> | GPUDevice;
      profiling?: { mode: "off" | "default"; ondata?: (data: OrtKernelTime) => void };
    };
  };
  InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<{
      run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
      release(): Promise<void>;
    }>;
  };
  Tensor: {
    fromGpuBuffer(buffer: GPUBuffer, o: { dataType: string; dims: number[] }): OrtTensor;
  };
}

/**
 * MatMulNBits' block along K: 32. onnxruntime-web 1.22's WebGPU kernel returns wrong products at
 * blocks of 64, 128 and 256 (its WASM kernel, given the same model and inputs, is right), and is
 * right at 16 and 32; so the peer runs the largest correct block. Its f32 scales then add 1 bit a
 * weight where the INT4 family's g128 f16 scales add 0.125.
 */
export const NBITS_BLOCK = 32;

/** The ONNX Runtime peer opened: `MatMul`, or `MatMulNBits` with `nbits`, one shape at a time. */
export interface OrtPeer {
  /** Checks and times one shape; failures are recorded in the entry. */
  run(shape: Shape, inputs: PeerInputs, nbits?: boolean): Promise<PeerAnchor>;
}

/**
 * Opens ONNX Runtime Web's WebGPU execution provider: each shape's `MatMul` (or `MatMulNBits`, W
 * quantised to 4 bits in blocks of {@link NBITS_BLOCK}) is checked against the f64 reference on
 * sampled rows before it is timed, by the kernel times of ONNX Runtime's WebGPU profiling
 * (timestamp queries around each kernel's pass) where its device has timestamp queries (an entry
 * whose profiling reports nothing is recorded with that error), else, or with the suite's
 * `method: wall`, by the wall clock.
 *
 * @example
 * ```ts ignore
 * const ort = await openOrtPeer(suite);
 * const anchor = await ort.run({ m: 128, k: 4096, n: 4096 }, { x, w }, true);
 * ```
 */
export async function openOrtPeer(suite: Suite): Promise<OrtPeer> {
  const ort = (await peerLibraries().ort()) as OrtModule;
  const library = `onnxruntime-web ${ort.env.versions?.web ?? ""}`.trim();
  // Its profiling reports each kernel's time from timestamp queries around its pass, where the
  // device it creates has them; the times of the executions being timed are collected here.
  const kernelNs: number[] = [];
  ort.env.webgpu.profiling = {
    mode: "default",
    ondata: (d) => kernelNs.push(d.endTime - d.startTime),
  };
  /**
   * Waits for the first kernel time (at most 2 s), then until none arrived for 20 ms (at most 1 s
   * more); the count received.
   */
  const settle = async () => {
    const first = performance.now() + 2000;
    while (kernelNs.length === 0 && performance.now() < first) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const end = performance.now() + 1000;
    let seen = -1;
    while (seen !== kernelNs.length && performance.now() < end) {
      seen = kernelNs.length;
      await new Promise((r) => setTimeout(r, 20));
    }
    return kernelNs.length;
  };
  return {
    async run(shape, { x, w: w0 }, nbits = false) {
      const { m, k, n } = shape;
      const entry = peerEntry(
        nbits
          ? `MatMulNBits 4-bit g${NBITS_BLOCK} (onnxruntime-web, WebGPU EP; its own device on the same adapter)`
          : "MatMul (onnxruntime-web, WebGPU EP; its own device on the same adapter)",
        library,
        shape,
        nbits ? "int4" : "exact",
      );
      const buffers: GPUBuffer[] = [];
      try {
        const model = nbits ? matMulNBitsModel(m, k, n, NBITS_BLOCK) : matMulModel(m, k, n);
        const inference = await ort.InferenceSession.create(model, {
          executionProviders: ["webgpu"],
          preferredOutputLocation: "gpu-buffer",
        });
        const device = await ort.env.webgpu.device;
        const upload = (data: Float32Array | Uint8Array) => {
          const b = device.createBuffer({
            size: Math.ceil(data.byteLength / 4) * 4,
            usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
          });
          const bytes = new Uint8Array(b.size);
          bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
          device.queue.writeBuffer(b, 0, bytes);
          buffers.push(b);
          return b;
        };
        const q = nbits ? quantizeNBits(w0, k, n, NBITS_BLOCK) : null;
        const w = q ? q.dequant : w0; // the reference multiplies what the operator multiplies
        const feeds: Record<string, OrtTensor> = {
          A: ort.Tensor.fromGpuBuffer(upload(x), { dataType: "float32", dims: [m, k] }),
        };
        if (q) {
          feeds.B = ort.Tensor.fromGpuBuffer(upload(q.packed), {
            dataType: "uint8",
            dims: [n, k / NBITS_BLOCK, NBITS_BLOCK / 2],
          });
          feeds.S = ort.Tensor.fromGpuBuffer(upload(q.scales), {
            dataType: "float32",
            dims: [(n * k) / NBITS_BLOCK],
          });
        } else {
          feeds.B = ort.Tensor.fromGpuBuffer(upload(w0), { dataType: "float32", dims: [k, n] });
        }
        try {
          kernelNs.length = 0;
          const first = await inference.run(feeds);
          const got = Float32Array.from(await first.Y!.getData());
          first.Y!.dispose();
          // ONNX Runtime's own device asks for timestamp queries when the adapter offers them.
          const timestamps = peerTimestamps(device, suite);
          let perRun = 0;
          if (timestamps) {
            await settle();
            // Kernels a run reports, counted on a second run (a first may do one-time work).
            kernelNs.length = 0;
            const second = await inference.run(feeds);
            await device.queue.onSubmittedWorkDone();
            second.Y!.dispose();
            perRun = await settle();
          }
          const label = `ort ${nbits ? "MatMulNBits" : "MatMul"} ${m}x${k}x${n}`;
          if (checkPeer(entry, got, x, w, suite)) {
            if (timestamps && perRun === 0) {
              throw new Error("ONNX Runtime's profiling reported no kernel times: not timed");
            }
            timePeer(
              entry,
              timestamps
                ? await measureReported(label, async (reps) => {
                  kernelNs.length = 0;
                  const outs: OrtTensor[] = [];
                  for (let r = 0; r < reps; r++) outs.push((await inference.run(feeds)).Y!);
                  await device.queue.onSubmittedWorkDone();
                  for (const o of outs) o.dispose();
                  const want = reps * perRun;
                  const end = performance.now() + 2000;
                  while (kernelNs.length < want && performance.now() < end) {
                    await new Promise((r) => setTimeout(r, 1));
                  }
                  if (kernelNs.length !== want) {
                    throw new Error(
                      `ONNX Runtime reported ${kernelNs.length} kernel times, not ${want}`,
                    );
                  }
                  return kernelNs.reduce((a, b) => a + b, 0) / 1e6;
                }, suite.measure)
                : await measureSubmitted(label, async () => {
                  const r = await inference.run(feeds);
                  await device.queue.onSubmittedWorkDone();
                  r.Y!.dispose();
                }, suite.measure),
            );
          }
        } finally {
          await inference.release();
        }
      } catch (e) {
        entry.error = (e as Error).message ?? String(e);
      } finally {
        for (const b of buffers) b.destroy();
      }
      return entry;
    },
  };
}
