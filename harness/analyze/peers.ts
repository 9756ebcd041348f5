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
 * The kernel families that quantise W to 4 bits or fewer: a peer that multiplies 4-bit weights
 * (`MatMulNBits`) stands beside these; every other family is compared with exact-weight peers only.
 */
export const QUANTISED_FAMILIES: ReadonlySet<string> = new Set(["int4", "ternary"]);

/** A peer entry's weights: its `weights` field, or for entries written before it, its name. */
function peerWeights(a: Record<string, unknown>): string {
  if (typeof a.weights === "string") return a.weights;
  return String(a.anchor).startsWith("MatMulNBits") ? "int4" : "exact";
}

/**
 * Pairs every timed case with the fastest correct `webgpu-peer` anchor of the same M×K×N timed by
 * GPU timestamps (peers multiply in f32 whatever the case's dtype) that computes a product the
 * case's family could replace: a peer of exact weights (`MatMul`, `tf.matMul`) stands beside every
 * case, a peer of 4-bit weights (`MatMulNBits`) only beside the families in `QUANTISED_FAMILIES`
 * (a dense or 2:4 kernel is not measured against a product of different weights). Both sides are
 * one execution between the timestamps of its pass. Wall-clock peers are left out: under Deno their
 * samples contain a fixed wait of about 12 ms. Cases whose shape no such peer timed are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { CaseResult } from "../types.ts";
 * const at = (id: string, family: string) =>
 *   ({
 *     id, family, dtype: "f16", status: "ok", shape: { m: 1, k: 64, n: 64 }, time: { median: 0.01 },
 *   }) as unknown as CaseResult;
 * const peer = { kind: "webgpu-peer", m: 1, k: 64, n: 64, correct: true, method: "gpu-timestamp" };
 * const peers = [
 *   { ...peer, anchor: "tf.matMul", weights: "exact", medianMs: 0.05 },
 *   { ...peer, anchor: "MatMul", weights: "exact", medianMs: 0.03 },
 *   { ...peer, anchor: "MatMulNBits", weights: "int4", medianMs: 0.02 },
 *   { ...peer, anchor: "wrong", medianMs: 0.001, correct: false },
 *   { ...peer, anchor: "polled", medianMs: 0.001, method: "wall" },
 * ];
 * const [int4, dense] = comparePeers([at("int4/f16", "int4"), at("dense/f16", "dense")], peers);
 * assert.equal(int4!.peer, "MatMulNBits");
 * assert.equal(int4!.ratio, 2);
 * assert.equal(dense!.peer, "MatMul");
 * assert.equal(dense!.ratio, 3);
 * ```
 */
export function comparePeers(
  cases: readonly CaseResult[],
  anchors: readonly unknown[] | undefined,
): PeerComparison[] {
  // Per shape, the fastest peer of each kind of weights.
  const fastest = new Map<string, { peer: string; ms: number }>();
  for (const a of (anchors ?? []) as Record<string, unknown>[]) {
    const ms = num(a.medianMs);
    if (a.kind !== "webgpu-peer" || a.correct !== true || a.method !== "gpu-timestamp") continue;
    if (ms === null || ms <= 0) continue;
    const key = `${a.m}x${a.k}x${a.n}/${peerWeights(a)}`;
    const best = fastest.get(key);
    if (!best || ms < best.ms) fastest.set(key, { peer: String(a.anchor), ms });
  }
  const out: PeerComparison[] = [];
  for (const c of cases) {
    const shape = `${c.shape.m}x${c.shape.k}x${c.shape.n}`;
    const candidates = [fastest.get(`${shape}/exact`)];
    if (QUANTISED_FAMILIES.has(c.family)) candidates.push(fastest.get(`${shape}/int4`));
    const peer = candidates.reduce<{ peer: string; ms: number } | undefined>(
      (best, p) => (p && (!best || p.ms < best.ms) ? p : best),
      undefined,
    );
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
