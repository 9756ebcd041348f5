/**
 * The language model's tokenizer: fixed, character level, 96 ids. Id 0 is the newline; ids
 * 1 … 95 are the printable ASCII characters space (32) … tilde (126) in code order
 * (`id = code − 31`). Every character of the stripped Brown corpus (task/data/brown.ts) is in
 * it; `encode` throws on any other character, naming it and its position.
 *
 * @module
 */

/** Token ids of the tokenizer: newline plus the 95 printable ASCII characters. */
export const VOCAB = 96;

/**
 * Token ids of a text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([...encode("Hi!\n")], [41, 74, 2, 0]);
 * assert.throws(() => encode("café"), /encode: character "é" \(U\+00E9\) at 3 is not in the vocabulary/);
 * ```
 */
export function encode(text: string): Int32Array {
  const out = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) out[i] = 0;
    else if (c >= 32 && c <= 126) out[i] = c - 31;
    else {
      throw new RangeError(
        `encode: character ${JSON.stringify(text[i])} (U+${
          c.toString(16).toUpperCase().padStart(4, "0")
        }) at ${i} is not in the vocabulary (newline and printable ASCII)`,
      );
    }
  }
  return out;
}

/**
 * The text of token ids (throws on an id outside 0 … VOCAB − 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(decode(encode("The jury said.\n")), "The jury said.\n");
 * assert.throws(() => decode([96]), /decode: id 96 at 0 is not in 0…95/);
 * ```
 */
export function decode(ids: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < VOCAB)) {
      throw new RangeError(`decode: id ${id} at ${i} is not in 0…${VOCAB - 1}`);
    }
    s += id === 0 ? "\n" : String.fromCharCode(id + 31);
  }
  return s;
}
