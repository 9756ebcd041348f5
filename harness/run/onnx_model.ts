/**
 * A minimal ONNX model writer (protobuf by hand) for the ONNX Runtime Web peer: one `MatMul` node
 * Y = A·B with float32 inputs of fixed shape. No dependency on the `onnx` package.
 *
 * @module
 */

const enc = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A protobuf field: varint (wire 0) or length-delimited bytes (wire 2). */
function field(no: number, payload: number | number[]): number[] {
  if (typeof payload === "number") return [...varint(no << 3), ...varint(payload)];
  return [...varint((no << 3) | 2), ...varint(payload.length), ...payload];
}

const text = (s: string) => [...enc.encode(s)];

/** ValueInfoProto of a tensor with fixed dims (elem_type 1: float32, 2: uint8). */
function valueInfo(name: string, dims: number[], elem = 1): number[] {
  const shape = dims.flatMap((d) => field(1, field(1, d)));
  const tensorType = [...field(1, elem), ...field(2, shape)];
  return [...field(1, text(name)), ...field(2, field(1, tensorType))];
}

/**
 * The bytes of an ONNX model (IR 8, opset 17) computing Y = A·B, A: M×K, B: K×N, float32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = matMulModel(2, 3, 4);
 * assert.ok(bytes instanceof Uint8Array && bytes.length > 40);
 * assert.equal(bytes[0], 0x08); // field 1 (ir_version), varint
 * assert.ok(new TextDecoder().decode(bytes).includes("MatMul"));
 * ```
 */
export function matMulModel(m: number, k: number, n: number): Uint8Array {
  const node = [
    ...field(1, text("A")),
    ...field(1, text("B")),
    ...field(2, text("Y")),
    ...field(4, text("MatMul")),
  ];
  const graph = [
    ...field(1, node),
    ...field(2, text("tilebench_matmul")),
    ...field(11, valueInfo("A", [m, k])),
    ...field(11, valueInfo("B", [k, n])),
    ...field(12, valueInfo("Y", [m, n])),
  ];
  const opset = [...field(1, []), ...field(2, 17)];
  return new Uint8Array([...field(1, 8), ...field(8, opset), ...field(7, graph)]);
}

/** An integer AttributeProto (type 2). */
const intAttr = (
  name: string,
  v: number,
) => [...field(1, text(name)), ...field(3, v), ...field(20, 2)];

/**
 * The bytes of an ONNX model computing Y = A·dequant(B) with ONNX Runtime's `MatMulNBits`
 * (`com.microsoft` domain): A M×K float32, B uint8 [N, K/block, block/2] (two 4-bit weights a byte,
 * the lower K index in the low nibble), S float32 [N·K/block] scales, zero point 8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const bytes = matMulNBitsModel(1, 256, 64, 128);
 * assert.ok(new TextDecoder().decode(bytes).includes("MatMulNBits"));
 * assert.throws(() => matMulNBitsModel(1, 100, 64, 128), /K divisible by the block/);
 * ```
 */
export function matMulNBitsModel(m: number, k: number, n: number, block: number): Uint8Array {
  if (k % block !== 0) throw new RangeError(`MatMulNBits needs K divisible by the block ${block}`);
  const node = [
    ...field(1, text("A")),
    ...field(1, text("B")),
    ...field(1, text("S")),
    ...field(2, text("Y")),
    ...field(4, text("MatMulNBits")),
    ...field(7, text("com.microsoft")),
    ...field(5, intAttr("K", k)),
    ...field(5, intAttr("N", n)),
    ...field(5, intAttr("bits", 4)),
    ...field(5, intAttr("block_size", block)),
  ];
  const graph = [
    ...field(1, node),
    ...field(2, text("tilebench_matmul_nbits")),
    ...field(11, valueInfo("A", [m, k])),
    ...field(11, valueInfo("B", [n, k / block, block / 2], 2)),
    ...field(11, valueInfo("S", [(n * k) / block])),
    ...field(12, valueInfo("Y", [m, n])),
  ];
  const opset = [...field(1, []), ...field(2, 17)];
  const ms = [...field(1, text("com.microsoft")), ...field(2, 1)];
  return new Uint8Array([...field(1, 8), ...field(8, opset), ...field(8, ms), ...field(7, graph)]);
}

/**
 * Symmetric 4-bit RTN of W (K×N, row-major) in MatMulNBits' layout: per column and block of K, scale
 * = max|w| / 7, q = clamp(round(w / scale) + 8, 0, 15); also the dequantised weights (K×N) that
 * the f64 reference multiplies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const w = new Float32Array([0.7, -0.7, 0.1, 0.2]); // K = 2, N = 2, block 2
 * const r = quantizeNBits(w, 2, 2, 2);
 * assert.deepEqual([...r.scales].map((v) => Math.round(v * 100)), [10, 10]);
 * assert.equal(r.packed[0], 15 | (9 << 4)); // column 0: 0.7 → 15, 0.1 → 9
 * assert.ok(Math.abs(r.dequant[0]! - 0.7) < 1e-6);
 * ```
 */
export function quantizeNBits(w: Float32Array, k: number, n: number, block: number) {
  const nb = k / block;
  const packed = new Uint8Array((n * k) / 2);
  const scales = new Float32Array(n * nb);
  const dequant = new Float32Array(k * n);
  for (let c = 0; c < n; c++) {
    for (let b = 0; b < nb; b++) {
      let max = 0;
      for (let r = b * block; r < (b + 1) * block; r++) {
        max = Math.max(max, Math.abs(w[r * n + c]!));
      }
      const scale = max > 0 ? max / 7 : 1;
      scales[c * nb + b] = scale;
      const sc = Math.fround(scale);
      for (let r = b * block; r < (b + 1) * block; r++) {
        const q = Math.min(15, Math.max(0, Math.round(w[r * n + c]! / sc) + 8));
        dequant[r * n + c] = (q - 8) * sc;
        const at = (c * k + r) >> 1;
        packed[at] = r % 2 === 0 ? (packed[at]! & 0xf0) | q : (packed[at]! & 0x0f) | (q << 4);
      }
    }
  }
  return { packed, scales, dequant };
}
