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
import type { GpuContext } from "../gpu/adapter.ts";
import { defaultTolerance } from "../kernel.ts";
import { measureReported, measureSubmitted } from "../measure/measure.ts";
import type { Suite } from "../suite/schema.ts";
import type { Shape, TimeMethod } from "../types.ts";
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
  time(f: () => void): Promise<{ kernelMs: number | { error: string } }>;
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
  /**
   * The weights it multiplies: `exact` (the suite's f32 W, as `MatMul` and `tf.matMul` do) or
   * `int4` (W quantised to 4 bits, as `MatMulNBits` does); see `comparePeers` for which cases an
   * `int4` peer stands beside.
   */
  weights: PeerWeights;
  /** Median ms, or null when it failed. */
  medianMs: number | null;
  /** TFLOP/s of the median (2·M·K·N FLOPs). */
  tflops: number | null;
  /**
   * `gpu-timestamp`: the library's own timestamp queries around its passes (tfjs's `tf.time`, ONNX
   * Runtime's profiling), executions submitted back to back; `wall`: wall clock of the submitted
   * work, where the device has no timestamp queries or the suite asks for `method: wall`; null
   * when not timed.
   */
  method: TimeMethod | null;
  /**
   * Samples taken and their noise (stddev/mean). With `gpu-timestamp` a sample is the mean of the
   * executions of one call, so its noise is not comparable with a kernel's per-execution noise.
   */
  samples: number | null;
  noise: number | null;
  /** Relative Frobenius error of sampled rows against the f64 reference. */
  relError: number | null;
  /** Whether `relError` is within the f32 tolerance. */
  correct: boolean;
  /** What went wrong, when something did. */
  error?: string;
}

/** What a peer's weights are: the suite's W as given, or W quantised to 4 bits. */
export type PeerWeights = "exact" | "int4";

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

/** The inputs of one shape, shared by every peer (the run's input cache hands them out). */
export interface PeerInputs {
  /** X, M×K, the suite's seed and distribution. */
  x: Float32Array;
  /** W, K×N. */
  w: Float32Array;
}

/** A peer library opened on a device: runs and times one shape at a time. */
export interface PeerRunner {
  /** Checks and times the library's product on `shape`; failures are recorded in the entry. */
  run(shape: Shape, inputs: PeerInputs): Promise<PeerAnchor>;
}

/**
 * A peer entry before it runs: nothing measured, not correct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = peerEntry("tf.matMul", "tfjs 4", { m: 1, k: 8, n: 4 });
 * assert.equal(e.kind, "webgpu-peer");
 * assert.equal(e.medianMs, null);
 * assert.equal(e.correct, false);
 * assert.equal(e.weights, "exact");
 * ```
 */
export function peerEntry(
  anchor: string,
  library: string,
  shape: Shape,
  weights: PeerWeights = "exact",
): PeerAnchor {
  return {
    anchor,
    kind: "webgpu-peer",
    library,
    m: shape.m,
    k: shape.k,
    n: shape.n,
    dtype: "f32",
    weights,
    medianMs: null,
    tflops: null,
    method: null,
    samples: null,
    noise: null,
    relError: null,
    correct: false,
  };
}

/**
 * Checks a peer's output rows against the f64 reference of the same inputs; sets `relError` and
 * `correct` and returns whether the entry may be timed (an error says why not).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const suite = { referenceBudget: 4, seed: 1 } as Parameters<typeof checkPeer>[4];
 * const x = new Float32Array([1, 2]), w = new Float32Array([3, 4]); // 1×2 · 2×1
 * const ok = peerEntry("p", "lib", { m: 1, k: 2, n: 1 });
 * assert.equal(checkPeer(ok, new Float32Array([11]), x, w, suite), true);
 * const bad = peerEntry("p", "lib", { m: 1, k: 2, n: 1 });
 * assert.equal(checkPeer(bad, new Float32Array([12]), x, w, suite), false);
 * assert.match(bad.error!, /not timed/);
 * ```
 */
export function checkPeer(
  entry: PeerAnchor,
  got: Float32Array,
  x: Float32Array,
  w: Float32Array,
  suite: Suite,
): boolean {
  const { m, k, n } = entry;
  const rows = sampleRows(m, k, n, suite.referenceBudget, suite.seed);
  const sampled = new Float32Array(rows.length * n);
  rows.forEach((r, i) => sampled.set(got.subarray(r * n, r * n + n), i * n));
  entry.relError = compareOutputs(sampled, matmulRowsF64(x, w, m, k, n, rows)).relError;
  entry.correct = entry.relError <= defaultTolerance("f32");
  if (!entry.correct) {
    entry.error = `relative error ${entry.relError} over the f32 tolerance: not timed`;
  }
  return entry.correct;
}

/**
 * Fills an entry's time fields from a time summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const e = peerEntry("p", "lib", { m: 1000, k: 1000, n: 1000 });
 * timePeer(e, { median: 1, n: 5, noise: 0.01, method: "gpu-timestamp" });
 * assert.equal(e.tflops, 2); // 2·10⁹ FLOPs in 1 ms
 * ```
 */
export function timePeer(
  entry: PeerAnchor,
  t: { median: number; n: number; noise: number; method: TimeMethod },
) {
  entry.method = t.method;
  entry.medianMs = t.median;
  entry.samples = t.n;
  entry.noise = t.noise;
  entry.tflops = (2 * entry.m * entry.k * entry.n) / (t.median * 1e-3) / 1e12;
}

/**
 * Whether a peer on `device` is timed by its library's timestamp queries: the device has them and
 * the suite does not ask for the wall clock.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const device = { features: new Set(["timestamp-query"]) } as unknown as GPUDevice;
 * const suite = (method: string) => ({ measure: { method } }) as Parameters<typeof peerTimestamps>[1];
 * assert.equal(peerTimestamps(device, suite("auto")), true);
 * assert.equal(peerTimestamps(device, suite("wall")), false);
 * ```
 */
export function peerTimestamps(device: GPUDevice, suite: Suite): boolean {
  return device.features.has("timestamp-query") && suite.measure.method !== "wall";
}

/**
 * Opens `tf.matMul` on `gpu`'s device: tfjs's WebGPU backend is registered over the harness's
 * `GPUDevice` (`new WebGPUBackend(device)`), so it shares the adapter and device. Each shape's
 * output is checked against the f64 reference before it is timed, by tfjs's own timestamp queries
 * (`tf.time`'s `kernelMs`) where the device has them, else by the wall clock.
 *
 * @example
 * ```ts ignore
 * const tfjs = await openTfjsPeer(gpu, suite);
 * const anchor = await tfjs.run({ m: 128, k: 4096, n: 4096 }, { x, w });
 * ```
 */
export async function openTfjsPeer(gpu: GpuContext, suite: Suite): Promise<PeerRunner> {
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
  const timestamps = peerTimestamps(gpu.device, suite);
  return {
    async run(shape, { x, w }) {
      const { m, k, n } = shape;
      const entry = peerEntry("tf.matMul (tfjs-backend-webgpu)", library, shape);
      const a = tf.tensor2d(x, [m, k]);
      const b = tf.tensor2d(w, [k, n]);
      try {
        const y = tf.matMul(a, b);
        let got: Float32Array;
        try {
          got = Float32Array.from(await y.data());
        } finally {
          y.dispose();
        }
        if (!checkPeer(entry, got, x, w, suite)) return entry;
        const label = `tfjs matMul ${m}x${k}x${n}`;
        timePeer(
          entry,
          timestamps
            // tf.time: tfjs puts each program in its own pass between timestamp queries.
            ? await measureReported(label, async (reps) => {
              const info = await tf.time(() => {
                for (let r = 0; r < reps; r++) tf.matMul(a, b).dispose();
              });
              if (typeof info.kernelMs !== "number") throw new Error(info.kernelMs.error);
              return info.kernelMs;
            }, suite.measure)
            : await measureSubmitted(label, async () => {
              const r = tf.matMul(a, b);
              backend.submitQueue();
              await gpu.device.queue.onSubmittedWorkDone();
              r.dispose();
            }, suite.measure),
        );
      } catch (e) {
        entry.error = (e as Error).message ?? String(e);
      } finally {
        a.dispose();
        b.dispose();
      }
      return entry;
    },
  };
}
