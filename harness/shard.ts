/**
 * Sharding a suite's cases over several processes or machines: `--shard I/N` keeps the cases of
 * the comparison groups (shape and dtype) that a balanced plan gives to shard I of N. A case and
 * the dense baseline it is compared with share a group, so each shard computes its own speedups on
 * one adapter. Every process expands the same suite, so every process computes the same plan.
 *
 * @module
 */

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
 * The shard (1-based) of `count` that runs each comparison group of `cases`: groups largest first
 * (ties by their name), each to the shard with the fewest cases so far (ties to the lowest index).
 * The plan depends only on the set of cases, not on their order or the machine, and no two shards
 * differ by more than the largest group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const cases = [1, 2, 3, 4].map((m) => ({ shape: { m, k: 8, n: 8 }, dtype: "f32" }));
 * const plan = shardPlan([...cases, ...cases], 2); // four groups of two cases
 * assert.deepEqual([...plan.values()].sort(), [1, 1, 2, 2]);
 * assert.deepEqual(shardPlan([...cases].reverse(), 2), plan);
 * ```
 */
export function shardPlan(
  cases: readonly { shape: { m: number; k: number; n: number }; dtype: string }[],
  count: number,
): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const c of cases) {
    const g = shardGroup(c);
    sizes.set(g, (sizes.get(g) ?? 0) + 1);
  }
  // Largest first, ties by name: the order, and so the plan, does not depend on the cases' order.
  const groups = [...sizes].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const load = new Array<number>(count).fill(0);
  const plan = new Map<string, number>();
  for (const [group, size] of groups) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[best]!) best = i;
    load[best]! += size;
    plan.set(group, best + 1);
  }
  return plan;
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
  const plan = shardPlan(cases, shard.count);
  return cases.filter((c) => plan.get(shardGroup(c)) === shard.index);
}
