/**
 * The peer phase of a run: every WebGPU peer on every shape, shape by shape, each entry handed
 * to the caller as soon as it is measured (so a run cut short keeps the peers it timed).
 *
 * @module
 */

import type { GpuContext } from "../gpu/adapter.ts";
import type { Suite } from "../suite/schema.ts";
import type { Shape } from "../types.ts";
import { NBITS_BLOCK, openOrtPeer, type OrtPeer } from "./ort_peer.ts";
import {
  openTfjsPeer,
  type PeerAnchor,
  type PeerInputs,
  type PeerName,
  type PeerRunner,
} from "./peers.ts";

/** A peer library that could not be opened: recorded once, its shapes skipped. */
export interface PeerFailure {
  anchor: PeerName;
  kind: "webgpu-peer";
  error: string;
}

/** What the peer phase needs from its run. */
export interface PeerPlan {
  gpu: GpuContext;
  suite: Suite;
  peers: readonly PeerName[];
  /** The f32 shapes (`MatMul` of each library). */
  shapes: readonly Shape[];
  /** ONNX Runtime's `MatMulNBits` shapes (the INT4 family's f32 shapes; K a multiple of its block). */
  nbitsShapes: readonly Shape[];
  /** Each shape's inputs (the run's input cache: a large W is generated once for all peers). */
  inputs(shape: Shape): PeerInputs;
  /** Receives each entry as it is measured. */
  onAnchor(entry: PeerAnchor | PeerFailure): void;
  /** A line of progress. */
  note?(text: string): void;
  /** True when the run is being stopped: no further shape starts. */
  aborted?(): boolean;
}

const key = (s: Shape) => `${s.m}x${s.k}x${s.n}`;

/**
 * Runs the peers shape by shape: on each shape `tf.matMul`, ONNX Runtime's `MatMul` and, on an
 * INT4 shape, `MatMulNBits`, in that order. A library is opened on its first use; one that fails
 * to open is recorded once as a {@link PeerFailure}. Returns the number of entries measured.
 *
 * @example
 * ```ts ignore
 * await runPeers({ gpu, suite, peers: ["tfjs"], shapes, nbitsShapes: [], inputs, onAnchor });
 * ```
 */
export async function runPeers(plan: PeerPlan): Promise<number> {
  const { gpu, suite, peers } = plan;
  const matmul = new Set(plan.shapes.map(key));
  const nbits = new Set(
    plan.nbitsShapes.filter((s) => s.k % NBITS_BLOCK === 0).map(key),
  );
  const order = [...plan.shapes, ...plan.nbitsShapes].filter((s, i, all) =>
    all.findIndex((t) => key(t) === key(s)) === i && (matmul.has(key(s)) || nbits.has(key(s)))
  );
  let tfjs: PeerRunner | null | undefined;
  let ort: OrtPeer | null | undefined;
  const open = async <T>(name: PeerName, make: () => Promise<T>): Promise<T | null> => {
    try {
      return await make();
    } catch (e) {
      plan.onAnchor({
        anchor: name,
        kind: "webgpu-peer",
        error: (e as Error).message ?? String(e),
      });
      return null;
    }
  };
  let measured = 0;
  const done = (entry: PeerAnchor) => {
    measured++;
    plan.onAnchor(entry);
  };
  for (const [i, shape] of order.entries()) {
    if (plan.aborted?.()) break;
    const t0 = performance.now();
    const s = key(shape);
    const inputs = plan.inputs(shape);
    if (peers.includes("tfjs") && matmul.has(s)) {
      if (tfjs === undefined) tfjs = await open("tfjs", () => openTfjsPeer(gpu, suite));
      if (tfjs) done(await tfjs.run(shape, inputs));
    }
    if (peers.includes("ort") && (matmul.has(s) || nbits.has(s))) {
      if (ort === undefined) ort = await open("ort", () => openOrtPeer(suite));
      if (ort && matmul.has(s)) done(await ort.run(shape, inputs));
      if (ort && nbits.has(s)) done(await ort.run(shape, inputs, true));
    }
    plan.note?.(
      `webgpu peers [${i + 1}/${order.length}] ${s}: ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
    );
  }
  return measured;
}
