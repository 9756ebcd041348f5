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

/** ValueInfoProto of a float32 tensor (elem_type 1) with fixed dims. */
function valueInfo(name: string, dims: number[]): number[] {
  const shape = dims.flatMap((d) => field(1, field(1, d)));
  const tensorType = [...field(1, 1), ...field(2, shape)];
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
