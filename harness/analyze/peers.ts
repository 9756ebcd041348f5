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
  family: string;
  dtype: string;
  /** The case's time in ms: back to back where it has one (as the peers are timed), else isolated. */
  ms: number;
  /** Which of the case's times `ms` is. */
  timing: "back-to-back" | "isolated";
  /** The fastest correct peer on the shape (its `anchor` name). */
  peer: string;
  /** That peer's median ms. */
  peerMs: number;
  /** peerMs / ms: how many times faster the case is. */
  ratio: number;
}

const num = (v: unknown): number | null => typeof v === "number" && Number.isFinite(v) ? v : null;

/**
 * Pairs every timed case with the fastest correct `webgpu-peer` anchor of the same M×K×N (peers
 * multiply in f32 whatever the case's dtype). Cases whose shape no peer timed are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CaseResult } from "../types.ts";
 * const c = {
 *   id: "int4/f16/1x64x64", family: "int4", dtype: "f16", status: "ok",
 *   shape: { m: 1, k: 64, n: 64 }, time: { median: 0.02 }, batch: { median: 0.01 },
 * } as unknown as CaseResult;
 * const peers = [
 *   { kind: "webgpu-peer", anchor: "tf.matMul", m: 1, k: 64, n: 64, medianMs: 0.05, correct: true },
 *   { kind: "webgpu-peer", anchor: "MatMul", m: 1, k: 64, n: 64, medianMs: 0.03, correct: true },
 *   { kind: "webgpu-peer", anchor: "bad", m: 1, k: 64, n: 64, medianMs: null, correct: false },
 * ];
 * const [r] = comparePeers([c], peers);
 * assert.equal(r!.peer, "MatMul");
 * assert.equal(r!.timing, "back-to-back");
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
    if (a.kind !== "webgpu-peer" || a.correct !== true || ms === null || ms <= 0) continue;
    const key = `${a.m}x${a.k}x${a.n}`;
    const best = fastest.get(key);
    if (!best || ms < best.ms) fastest.set(key, { peer: String(a.anchor), ms });
  }
  const out: PeerComparison[] = [];
  for (const c of cases) {
    const peer = fastest.get(`${c.shape.m}x${c.shape.k}x${c.shape.n}`);
    const b2b = num(c.batch?.median);
    const iso = num(c.time?.median);
    const ms = b2b ?? iso;
    if (!peer || c.status !== "ok" || ms === null || ms <= 0) continue;
    out.push({
      id: c.id,
      family: c.family,
      dtype: c.dtype,
      ms,
      timing: b2b !== null ? "back-to-back" : "isolated",
      peer: peer.peer,
      peerMs: peer.ms,
      ratio: peer.ms / ms,
    });
  }
  return out;
}
