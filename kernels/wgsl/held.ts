/**
 * Constants held in registers. A compiler folds a WGSL constant into each instruction that uses it
 * as an immediate operand. A three-input logic instruction takes one immediate at most, so a mask
 * and an OR with two constants (`(w & MASK) | MAGIC`, the decode of packed codes into half
 * mantissas) cost two instructions. With one of the two in a register they cost one. These
 * helpers keep a few 32-bit constants in a workgroup array that one thread fills before a barrier,
 * so every thread reads them as values the compiler cannot fold.
 *
 * @module
 */

/**
 * Workgroup bytes of `count` held u32 constants as WebGPU counts a workgroup variable: 4 a value,
 * rounded up to 16.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([1, 4, 5, 8].map(heldBytes), [16, 16, 32, 32]);
 * ```
 */
export function heldBytes(count: number): number {
  return Math.ceil((4 * count) / 16) * 16;
}

/**
 * A set of register-held u32 constants: the workgroup array's declaration, the store before the
 * barrier, and the reads after it (`let <name><i> = <name>[i];`). The caller places the barrier
 * between `store` and `reads` (a shader that already has one there shares it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const h = heldConstants("hk", [0x64006400, 0x5c005c00]);
 * assert.equal(h.decl, "var<workgroup> hk: array<u32, 2>;");
 * assert.equal(h.bytes, 16); // WebGPU rounds each workgroup variable up to 16 bytes
 * assert.equal(h.store("  "), "  if (lid == 0u) { hk = array<u32, 2>(0x64006400u, 0x5c005c00u); }");
 * assert.deepEqual(h.reads("  "), ["  let hk0 = hk[0];", "  let hk1 = hk[1];"]);
 * assert.equal(h.at(0x5c005c00), "hk1");
 * assert.throws(() => h.at(7), /not held/);
 * ```
 */
export function heldConstants(name: string, values: number[]): {
  decl: string;
  /** Workgroup bytes as WebGPU counts them: 4 a value, the variable rounded up to 16. */
  bytes: number;
  store: (indent: string) => string;
  reads: (indent: string) => string[];
  at: (value: number) => string;
} {
  const hex = (v: number) => `0x${(v >>> 0).toString(16)}u`;
  const list = `array<u32, ${values.length}>`;
  return {
    decl: `var<workgroup> ${name}: ${list};`,
    bytes: heldBytes(values.length),
    store: (ind) => `${ind}if (lid == 0u) { ${name} = ${list}(${values.map(hex).join(", ")}); }`,
    reads: (ind) => values.map((_, i) => `${ind}let ${name}${i} = ${name}[${i}];`),
    at(value) {
      const i = values.indexOf(value >>> 0);
      if (i < 0) throw new RangeError(`${hex(value)} is not held in ${name}`);
      return `${name}${i}`;
    },
  };
}
