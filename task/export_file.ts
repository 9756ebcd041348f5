/**
 * ModelExport files: JSON with every typed array as `{ "dtype": "f32" | "u8" | "i8" | "u32",
 * "b64": … }`
 * (little-endian bytes, base64), so a trained model can be scored again without retraining.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { ModelExport } from "./export.ts";

function encode(v: unknown): unknown {
  if (v instanceof Float32Array) {
    return {
      dtype: "f32",
      b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64"),
    };
  }
  if (v instanceof Uint8Array) return { dtype: "u8", b64: Buffer.from(v).toString("base64") };
  if (v instanceof Int8Array || v instanceof Uint32Array) {
    return {
      dtype: v instanceof Int8Array ? "i8" : "u32",
      b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64"),
    };
  }
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  }
  return v;
}

const TYPED: Record<string, (b: ArrayBuffer) => ArrayBufferView> = {
  f32: (b) => new Float32Array(b),
  u8: (b) => new Uint8Array(b),
  i8: (b) => new Int8Array(b),
  u32: (b) => new Uint32Array(b),
};

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (typeof o.b64 === "string" && typeof o.dtype === "string" && o.dtype in TYPED) {
      const bytes = Buffer.from(o.b64, "base64");
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      return TYPED[o.dtype]!(copy.buffer);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/**
 * A model export as JSON text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const m = { arch: "mlp", config: { hidden: 1 }, layers: [
 *   { name: "fc1", k: 1, n: 1, op: "dense" as const, w: new Float32Array([0.5]) },
 * ], tensors: {} };
 * assert.deepEqual(parseExportJson(exportToJson(m)), m);
 * ```
 */
export function exportToJson(m: ModelExport): string {
  return JSON.stringify(encode(m));
}

/**
 * A model export back from {@link exportToJson}'s text.
 *
 * @example
 * ```ts ignore
 * const m = parseExportJson(await Deno.readTextFile("out/models/mlp-dense-s1.json"));
 * ```
 */
export function parseExportJson(text: string): ModelExport {
  const m = decode(JSON.parse(text)) as ModelExport;
  if (typeof m.arch !== "string" || !Array.isArray(m.layers)) {
    throw new TypeError("model export: arch and layers missing");
  }
  return m;
}
