import assert from "node:assert/strict";
import {
  allDigits,
  IMAGE_PIXELS,
  loadMnist,
  MNIST_TOTAL,
  seededPermutation,
  SPLIT_SEED,
} from "../task/data/mnist.ts";

Deno.test("mnist: the package's 10,000 digits, 28×28 in [0, 1], every class present", () => {
  const all = allDigits();
  assert.equal(all.count, MNIST_TOTAL);
  assert.equal(all.images.length, MNIST_TOTAL * IMAGE_PIXELS);
  let min = Infinity;
  let max = -Infinity;
  for (const v of all.images) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  const perClass = new Array(10).fill(0);
  for (const l of all.labels) perClass[l]++;
  for (const c of perClass) assert.ok(c > 800 && c < 1200, `class count ${c}`);
  // Not blank images: a digit covers a fair share of its pixels.
  let ink = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) ink += all.images[i]! > 0.5 ? 1 : 0;
  assert.ok(ink > 30 && ink < 400, `first digit has ${ink} inked pixels`);
});

Deno.test("mnist: fixed 8,000 / 2,000 split, disjoint, deterministic, both sides balanced", () => {
  const { train, test } = loadMnist();
  assert.equal(train.count, 8000);
  assert.equal(test.count, 2000);
  // The split is a permutation: train ∪ test is the whole set, each image exactly once.
  const all = allDigits();
  const key = (imgs: Float32Array, i: number) => {
    let h = 0;
    for (let j = 0; j < IMAGE_PIXELS; j++) {
      h = (h * 31 + Math.round(imgs[i * IMAGE_PIXELS + j]! * 1000)) | 0;
    }
    return h;
  };
  const counts = new Map<number, number>();
  for (let i = 0; i < all.count; i++) {
    const k = key(all.images, i);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [s, n] of [[train, train.count], [test, test.count]] as const) {
    for (let i = 0; i < n; i++) {
      const k = key(s.images, i);
      const c = counts.get(k);
      assert.ok(c !== undefined && c > 0, "an image not in the package, or used twice");
      counts.set(k, c - 1);
    }
  }
  for (const c of counts.values()) assert.equal(c, 0);
  const perClass = new Array(10).fill(0);
  for (const l of test.labels) perClass[l]++;
  for (const c of perClass) assert.ok(c > 140 && c < 260, `test class count ${c}`);
  // Labels follow their images through the permutation.
  const p = seededPermutation(MNIST_TOTAL, SPLIT_SEED, "mnist-split");
  assert.equal(test.labels[5], all.labels[p[8005]!]);
  assert.deepEqual(
    test.images.subarray(5 * IMAGE_PIXELS, 6 * IMAGE_PIXELS),
    all.images.subarray(p[8005]! * IMAGE_PIXELS, (p[8005]! + 1) * IMAGE_PIXELS),
  );
  // Same call, same split.
  assert.deepEqual(seededPermutation(MNIST_TOTAL, SPLIT_SEED, "mnist-split"), p);
  assert.notDeepEqual(seededPermutation(MNIST_TOTAL, SPLIT_SEED + 1, "mnist-split"), p);
});
