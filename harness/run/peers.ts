/**
 * WebGPU peers in the same run: the operator a web ML user would call, on the same adapter and
 * device, in the same process, timed with the measurement core and checked against the f64
 * reference like the kernels. `tfjs`: `tf.matMul` of `@tensorflow/tfjs-backend-webgpu`; `ort`:
 * ONNX Runtime Web's `MatMul` on its WebGPU execution provider (`ort_peer.ts`); each imported only
 * when asked for. Results go to `meta.anchors` as `kind: "webgpu-peer"` entries.
 *
 * @module
 */

import { compareOutputs } from "../analyze/error_metrics.ts";
import { matmulRowsF64, sampleRows } from "../data/matmul_f64.ts";
import { generateW, generateX } from "../data/inputs.ts";
import type { GpuContext } from "../gpu/adapter.ts";
import { defaultTolerance } from "../kernel.ts";
import { measureSubmitted } from "../measure/measure.ts";
import type { Suite } from "../suite/schema.ts";
import type { Shape } from "../types.ts";
import { peerLibraries } from "./peer_libs.ts";

/** The part of TensorFlow.js the peer uses. */
interface TfTensor {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}
interface TfjsModule {
  version_core: string;
  removeBackend(name: string): void;
  registerBackend(name: string, factory: () => unknown): boolean;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  backend(): unknown;
  tensor2d(values: Float32Array, shape: [number, number]): TfTensor;
  matMul(a: TfTensor, b: TfTensor): TfTensor;
}

/** The peers `--peers` accepts. */
export const PEERS = ["tfjs", "ort"] as const;
/** A peer library. */
export type PeerName = (typeof PEERS)[number];

/** One peer measurement, as written into `meta.anchors`. */
export interface PeerAnchor {
  /** What ran, e.g. `tf.matMul (tfjs-backend-webgpu)`. */
  anchor: string;
  /** Always `webgpu-peer`. */
  kind: "webgpu-peer";
  /** The npm package and version. */
  library: string;
  m: number;
  k: number;
  n: number;
  /** The product's dtype (tfjs computes in f32). */
  dtype: "f32";
  /** Median ms, or null when it failed. */
  medianMs: number | null;
  /** TFLOP/s of the median (2·M·K·N FLOPs). */
  tflops: number | null;
  /** `wall`: wall clock of the submitted work (tfjs records its own command buffers). */
  method: "wall";
  /** Samples taken and their noise (stddev/mean). */
  samples: number | null;
  noise: number | null;
  /** Relative Frobenius error of sampled rows against the f64 reference. */
  relError: number | null;
  /** Whether `relError` is within the f32 tolerance. */
  correct: boolean;
  /** What went wrong, when something did. */
  error?: string;
}

/** The distinct f32 shapes of a run's cases, in first-seen order (tfjs has no f16 matMul). */
export function peerShapes(cases: readonly { shape: Shape; dtype: string }[]): Shape[] {
  const seen = new Set<string>();
  const out: Shape[] = [];
  for (const c of cases) {
    if (c.dtype !== "f32") continue;
    const key = `${c.shape.m}x${c.shape.k}x${c.shape.n}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ m: c.shape.m, k: c.shape.k, n: c.shape.n });
  }
  return out;
}

/**
 * Runs `tf.matMul` on `gpu`'s device for every shape: tfjs's WebGPU backend is registered over the
 * harness's `GPUDevice` (`new WebGPUBackend(device)`), so it shares the adapter and device. Each
 * shape's inputs are the suite's (same seed and distributions); its output is checked against the
 * f64 reference before it is timed. A shape that fails is recorded with its error.
 *
 * @example
 * ```ts ignore
 * const anchors = await tfjsPeers(gpu, suite, [{ m: 128, k: 4096, n: 4096 }]);
 * ```
 */
export async function tfjsPeers(
  gpu: GpuContext,
  suite: Suite,
  shapes: readonly Shape[],
): Promise<PeerAnchor[]> {
  // From npm, fetched and loaded only when asked for, or from the bench bundle (`peer_libs.ts`).
  const tf = (await peerLibraries().tfjs()) as TfjsModule;
  const { WebGPUBackend } = (await peerLibraries().tfjsWebgpu()) as {
    WebGPUBackend: new (device: GPUDevice, info?: GPUAdapterInfo) => unknown;
  };
  // Kernels are registered under the name "webgpu": replace its factory by one over our device.
  tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", () => new WebGPUBackend(gpu.device, gpu.adapter.info));
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs: the WebGPU backend did not start");
  await tf.ready();
  const backend = tf.backend() as unknown as { submitQueue(): void };
  const library = `@tensorflow/tfjs-backend-webgpu ${tf.version_core}`;
  const out: PeerAnchor[] = [];
  for (const shape of shapes) {
    const { m, k, n } = shape;
    const entry: PeerAnchor = {
      anchor: "tf.matMul (tfjs-backend-webgpu)",
      kind: "webgpu-peer",
      library,
      m,
      k,
      n,
      dtype: "f32",
      medianMs: null,
      tflops: null,
      method: "wall",
      samples: null,
      noise: null,
      relError: null,
      correct: false,
    };
    out.push(entry);
    const x = generateX(m, k, suite.seed, suite.data);
    const w = generateW(k, n, suite.seed, suite.data);
    const a = tf.tensor2d(x, [m, k]);
    const b = tf.tensor2d(w, [k, n]);
    try {
      const y = tf.matMul(a, b);
      const got = Float32Array.from(await y.data());
      y.dispose();
      const rows = sampleRows(m, k, n, suite.referenceBudget, suite.seed);
      const sampled = new Float32Array(rows.length * n);
      rows.forEach((r, i) => sampled.set(got.subarray(r * n, r * n + n), i * n));
      entry.relError = compareOutputs(sampled, matmulRowsF64(x, w, m, k, n, rows)).relError;
      entry.correct = entry.relError <= defaultTolerance("f32");
      if (!entry.correct) {
        entry.error = `relative error ${entry.relError} over the f32 tolerance: not timed`;
        continue;
      }
      const t = await measureSubmitted(`tfjs matMul ${m}x${k}x${n}`, async () => {
        const r = tf.matMul(a, b);
        backend.submitQueue();
        await gpu.device.queue.onSubmittedWorkDone();
        r.dispose();
      }, suite.measure);
      entry.medianMs = t.median;
      entry.samples = t.n;
      entry.noise = t.noise;
      entry.tflops = (2 * m * k * n) / (t.median * 1e-3) / 1e12;
    } catch (e) {
      entry.error = (e as Error).message ?? String(e);
    } finally {
      a.dispose();
      b.dispose();
    }
  }
  return out;
}
