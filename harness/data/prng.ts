/**
 * Seeded pseudo-random numbers that are bit-identical on every machine.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words, seeded through
 * SplitMix32 (Steele, Lea & Flood's SplitMix, 32-bit variant with the Murmur3 finaliser).
 * Independent streams are derived from a seed and a stream name (FNV-1a hash of the name mixed
 * into the seed), so `x`, `w` and `calib` never share values. Only 32-bit integer operations
 * (`Math.imul`, shifts) are used, and doubles are built from 53 random bits, so every platform
 * produces the same sequence.
 *
 * @module
 */

/** FNV-1a hash of a string's UTF-16 code units, as an unsigned 32-bit integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** One SplitMix32 step: returns the next state and its mixed output. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * A xoshiro128** generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "./prng.ts";
 * const a = new Rng(42, "x");
 * const b = new Rng(42, "x");
 * assert.equal(a.nextU32(), b.nextU32());
 * ```
 */
export class Rng {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;

  /** Creates the stream `stream` of seed `seed` (any integer; taken modulo 2^32). */
  constructor(seed: number, stream = "") {
    if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
    let state = ((seed >>> 0) ^ fnv1a(stream)) >>> 0;
    // Also mix in the high bits of seeds beyond 32 bits.
    state = (state ^ Math.floor(seed / 4294967296)) >>> 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = words as [number, number, number, number];
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextU32(): number {
    const s1 = this.#s1;
    const r = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.#s2 = (this.#s2 ^ this.#s0) >>> 0;
    this.#s3 = (this.#s3 ^ this.#s1) >>> 0;
    this.#s1 = (this.#s1 ^ this.#s2) >>> 0;
    this.#s0 = (this.#s0 ^ this.#s3) >>> 0;
    this.#s2 = (this.#s2 ^ t) >>> 0;
    this.#s3 = rotl(this.#s3, 11);
    return r;
  }

  /**
   * Fills `out` with the next `out.length` values of {@link Rng.nextU32}, in order (the state
   * advances as by that many calls).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const a = new Rng(7, "fill");
   * const b = new Rng(7, "fill");
   * const out = new Uint32Array(5);
   * a.fillU32(out);
   * assert.deepEqual(Array.from(out), Array.from({ length: 5 }, () => b.nextU32()));
   * assert.equal(a.nextU32(), b.nextU32());
   * ```
   */
  fillU32(out: Uint32Array): void {
    let s0 = this.#s0, s1 = this.#s1, s2 = this.#s2, s3 = this.#s3;
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      out[i] = Math.imul((x << 7) | (x >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.#s0 = s0 >>> 0;
    this.#s1 = s1 >>> 0;
    this.#s2 = s2 >>> 0;
    this.#s3 = s3 >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    return unitDouble(this.nextU32(), this.nextU32());
  }

  /** Uniform double in (0, 1): never 0, safe for logarithms. */
  nextOpen(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return u;
  }

  /** Uniform integer in [0, n) (n ≤ 2^32), without modulo bias. */
  nextInt(n: number): number {
    if (!(n >= 1 && n <= 4294967296)) {
      throw new RangeError(`nextInt bound must be in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }
}

/**
 * A generator's values read ahead in blocks ({@link Rng.fillU32}): the same sequence as the
 * generator's own calls, faster in long loops. The wrapped generator runs ahead of what was read,
 * so it must not be used directly afterwards.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const b = new BufferedRng(new Rng(3, "s"), 4);
 * const r = new Rng(3, "s");
 * for (let i = 0; i < 10; i++) assert.equal(b.nextU32(), r.nextU32());
 * assert.equal(b.next(), r.next());
 * ```
 */
export class BufferedRng {
  #rng: Rng;
  #buf: Uint32Array;
  #at: number;

  /** Reads `rng` ahead `block` values at a time. */
  constructor(rng: Rng, block = 4096) {
    if (!Number.isInteger(block) || block < 1) {
      throw new RangeError(`block must be a positive integer, got ${block}`);
    }
    this.#rng = rng;
    this.#buf = new Uint32Array(block);
    this.#at = block;
  }

  /** Next unsigned 32-bit integer, as {@link Rng.nextU32}. */
  nextU32(): number {
    if (this.#at === this.#buf.length) {
      this.#rng.fillU32(this.#buf);
      this.#at = 0;
    }
    return this.#buf[this.#at++]!;
  }

  /** Uniform double in [0, 1) with 53 random bits, as {@link Rng.next}. */
  next(): number {
    return unitDouble(this.nextU32(), this.nextU32());
  }
}

/** A double in [0, 1) from two 32-bit draws: 27 high bits of `a`, 26 of `b` (53 in all). */
function unitDouble(a: number, b: number): number {
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
