/**
 * Each case against the fastest WebGPU peer that ran its shape in the same run.
 *
 * @module
 */

import type { CaseResult } from "../types.ts";

/** One case beside the fastest correct peer on its shape. */
export interface PeerComparison {
  /** The case's id. */
  id: string;
  /** The case's kernel family. */
  family: string;
  /** The case's dtype (the peers' products are f32). */
  dtype: string;
  /** The case's median ms: one execution between its pass's timestamps, as a peer's kernel is. */
  ms: number;
  /** The fastest correct peer on the shape (its `anchor` name). */
  peer: string;
  /** That peer's median ms. */
  peerMs: number;
  /** peerMs / ms: how many times faster the case is. */
  ratio: number;
}

const num = (v: unknown): number | null => typeof v === "number" && Number.isFinite(v) ? v : null;

/**
 * Pairs every timed case with the fastest correct `webgpu-peer` anchor of the same M×K×N timed by
 * GPU timestamps (peers multiply in f32 whatever the case's dtype). Both sides are one execution
 * between the timestamps of its pass. Wall-clock peers are left out: under Deno their samples
 * contain a fixed wait of about 12 ms. Cases whose shape no such peer timed are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CaseResult } from "../types.ts";
 * const c = {
 *   id: "int4/f16/1x64x64", family: "int4", dtype: "f16", status: "ok",
 *   shape: { m: 1, k: 64, n: 64 }, time: { median: 0.01 },
 * } as unknown as CaseResult;
 * const peer = { kind: "webgpu-peer", m: 1, k: 64, n: 64, correct: true, method: "gpu-timestamp" };
 * const peers = [
 *   { ...peer, anchor: "tf.matMul", medianMs: 0.05 },
 *   { ...peer, anchor: "MatMul", medianMs: 0.03 },
 *   { ...peer, anchor: "wrong", medianMs: 0.001, correct: false },
 *   { ...peer, anchor: "polled", medianMs: 0.001, method: "wall" },
 * ];
 * const [r] = comparePeers([c], peers);
 * assert.equal(r!.peer, "MatMul");
 * assert.equal(r!.ratio, 3);
 * ```
 */
export function comparePeers(
  cases: readonly CaseResult[],
  anchors: readonly unknown[] | undefined,
): PeerComparison[] {
  const fastest = new Map<string, { peer: string; ms: number }>();
  for (const a of (anchors ?? []) as Record<string, unknown>[]) {
    const ms = num(a.medianMs);
    if (a.kind !== "webgpu-peer" || a.correct !== true || a.method !== "gpu-timestamp") continue;
    if (ms === null || ms <= 0) continue;
    const key = `${a.m}x${a.k}x${a.n}`;
    const best = fastest.get(key);
    if (!best || ms < best.ms) fastest.set(key, { peer: String(a.anchor), ms });
  }
  const out: PeerComparison[] = [];
  for (const c of cases) {
    const peer = fastest.get(`${c.shape.m}x${c.shape.k}x${c.shape.n}`);
    const ms = num(c.time?.median);
    if (!peer || c.status !== "ok" || ms === null || ms <= 0) continue;
    out.push({
      id: c.id,
      family: c.family,
      dtype: c.dtype,
      ms,
      peer: peer.peer,
      peerMs: peer.ms,
      ratio: peer.ms / ms,
    });
  }
  return out;
}
