/**
 * Sharding a suite's cases over several processes or machines: `--shard I/N` keeps the cases
 * whose comparison group (shape and dtype) hashes (FNV-1a) to shard I of N. A case and the dense baseline
 * it is compared with share a group, so each shard computes its own speedups on one adapter.
 *
 * @module
 */

import { fnv1a } from "../data/prng.ts";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  /** Which shard, from 1. */
  index: number;
  /** How many shards the suite is split into. */
  count: number;
}

/**
 * Parses `I/N` (1 ≤ I ≤ N); throws `RangeError` with the allowed form otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * assert.throws(() => parseShard("5/4"), RangeError);
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new RangeError(
      `must be I/N with 1 ≤ I ≤ N (e.g. 1/4), got ${JSON.stringify(text)}`,
    );
  }
  return { index, count };
}

/**
 * The comparison group of a case: its M×K×N and dtype (what speedups are computed within).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(shardGroup({ shape: { m: 1, k: 2, n: 3 }, dtype: "f16" }), "1x2x3/f16");
 * ```
 */
export function shardGroup(
  c: { shape: { m: number; k: number; n: number }; dtype: string },
): string {
  return `${c.shape.m}x${c.shape.k}x${c.shape.n}/${c.dtype}`;
}

/**
 * The shard (1-based) of `count` that runs a case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = { shape: { m: 64, k: 64, n: 64 }, dtype: "f32" };
 * assert.equal(shardOf(c, 1), 1);
 * assert.ok(shardOf(c, 4) >= 1 && shardOf(c, 4) <= 4);
 * ```
 */
export function shardOf(
  c: { shape: { m: number; k: number; n: number }; dtype: string },
  count: number,
): number {
  return (fnv1a(shardGroup(c)) % count) + 1;
}

/**
 * The cases of `shard`, in their order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const cases = [1, 2, 3, 4, 5, 6].map((m) => ({ shape: { m, k: 8, n: 8 }, dtype: "f32" }));
 * const parts = [1, 2, 3].map((index) => selectShard(cases, { index, count: 3 }));
 * assert.equal(parts.flat().length, cases.length);
 * ```
 */
export function selectShard<
  T extends { shape: { m: number; k: number; n: number }; dtype: string },
>(
  cases: readonly T[],
  shard: Shard,
): T[] {
  return cases.filter((c) => shardOf(c, shard.count) === shard.index);
}
