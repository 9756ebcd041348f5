/**
 * Buffer helpers: typed uploads, readbacks and dtype conversion of host data.
 *
 * @module
 */

import type { DType } from "../types.ts";

/** Bytes per element of a dtype. */
export function dtypeBytes(dtype: DType): number {
  return dtype === "f16" ? 2 : 4;
}

/** Raised when a buffer would exceed the device's limits: the case is skipped, not failed. */
export class LimitError extends RangeError {
  /** Creates the error for buffer `label` of `bytes` bytes over `limit` named `limitName`. */
  constructor(label: string, bytes: number, limitName: string, limit: number) {
    super(
      `buffer "${label}" needs ${bytes} bytes, over the device's ${limitName} (${limit})`,
    );
    this.name = "LimitError";
  }
}

/**
 * Throws {@link LimitError} when `bytes` exceeds the device's buffer or binding limits.
 *
 * @example
 * ```ts ignore
 * checkBufferSize(device, "W", 1 << 30);
 * ```
 */
export function checkBufferSize(device: GPUDevice, label: string, bytes: number): void {
  const { maxBufferSize, maxStorageBufferBindingSize } = device.limits;
  if (bytes > maxBufferSize) throw new LimitError(label, bytes, "maxBufferSize", maxBufferSize);
  if (bytes > maxStorageBufferBindingSize) {
    throw new LimitError(label, bytes, "maxStorageBufferBindingSize", maxStorageBufferBindingSize);
  }
}

/** Rounds up to a multiple of 4 bytes (WebGPU copy alignment). */
export function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** Bytes per `writeBuffer` call of an upload (bounds the driver's staging memory). */
export const UPLOAD_CHUNK_BYTES = 64 << 20;

/**
 * Creates a storage buffer holding `data` (padded to 4 bytes), checking limits first.
 *
 * The data goes up through `queue.writeBuffer` in chunks of `UPLOAD_CHUNK_BYTES`, not through
 * `mappedAtCreation`: on a discrete GPU under Vulkan a mapped-at-creation range can be uncached
 * device memory written byte by byte from JS, orders of magnitude slower than the queue's copy
 * from a staging buffer.
 *
 * @example
 * ```ts ignore
 * const buf = createStorageBuffer(device, "X", new Float32Array([1, 2, 3]));
 * ```
 */
export function createStorageBuffer(
  device: GPUDevice,
  label: string,
  data: ArrayBufferView | number,
  extraUsage = 0,
): GPUBuffer {
  const byteLength = typeof data === "number" ? data : data.byteLength;
  const size = Math.max(16, align4(byteLength));
  checkBufferSize(device, label, size);
  const buffer = device.createBuffer({
    label,
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extraUsage,
  });
  if (typeof data !== "number") {
    let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.byteLength % 4 !== 0) {
      const padded = new Uint8Array(align4(bytes.byteLength));
      padded.set(bytes);
      bytes = padded;
    }
    for (let at = 0; at < bytes.byteLength; at += UPLOAD_CHUNK_BYTES) {
      const end = Math.min(bytes.byteLength, at + UPLOAD_CHUNK_BYTES);
      device.queue.writeBuffer(
        buffer,
        at,
        bytes.buffer as ArrayBuffer,
        bytes.byteOffset + at,
        end - at,
      );
    }
  }
  return buffer;
}

/**
 * Creates a uniform buffer from 32-bit words.
 *
 * @example
 * ```ts ignore
 * const u = createUniformBuffer(device, "dims", new Uint32Array([m, k, n, 0]));
 * ```
 */
export function createUniformBuffer(
  device: GPUDevice,
  label: string,
  data: Uint32Array | Float32Array,
): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  );
  buffer.unmap();
  return buffer;
}

/**
 * Copies `byteLength` bytes of a buffer (which needs COPY_SRC) back to the host.
 *
 * @example
 * ```ts ignore
 * const bytes = await readBuffer(device, out, 64);
 * ```
 */
export async function readBuffer(
  device: GPUDevice,
  source: GPUBuffer,
  byteLength: number,
): Promise<ArrayBuffer> {
  const size = align4(byteLength);
  const staging = device.createBuffer({
    label: `readback:${source.label}`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    const enc = device.createCommandEncoder({ label: "readback" });
    enc.copyBufferToBuffer(source, 0, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0, byteLength);
    staging.unmap();
    return copy;
  } finally {
    staging.destroy();
  }
}

/**
 * Host data in a dtype's storage format: f32 as is, f16 rounded to nearest even.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const h = toDtypeArray(new Float32Array([1.0001]), "f16");
 * assert.equal(h.byteLength, 2);
 * ```
 */
export function toDtypeArray(values: Float32Array, dtype: DType): Float32Array | Float16Array {
  return dtype === "f16" ? new Float16Array(values) : values;
}

/**
 * Values as the device sees them after storage in `dtype` (f16 rounding), back in f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = roundToDtype(new Float32Array([0.1]), "f16");
 * assert.notEqual(r[0], Math.fround(0.1));
 * ```
 */
export function roundToDtype(values: Float32Array, dtype: DType): Float32Array {
  return dtype === "f16" ? new Float32Array(new Float16Array(values)) : values;
}

/**
 * Decodes device bytes of `count` elements of `dtype` to f32.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const v = decodeDtype(new Float32Array([2]).buffer, "f32", 1);
 * assert.equal(v[0], 2);
 * ```
 */
export function decodeDtype(bytes: ArrayBuffer, dtype: DType, count: number): Float32Array {
  return dtype === "f16"
    ? new Float32Array(new Float16Array(bytes, 0, count))
    : new Float32Array(bytes, 0, count);
}

/**
 * The output buffer of a plan: `ctx.output` when the caller supplies one (checked to hold
 * `bytes`), else a new storage buffer. Free the plan's buffers with `destroyOwned`, which
 * leaves `ctx.output` alone.
 *
 * @example
 * ```ts ignore
 * const by = outputBuffer(ctx, "dense:Y", m * n * 4);
 * // ... destroy(): destroyOwned(ctx, [bx, bw, by]);
 * ```
 */
export function outputBuffer(
  ctx: { device: GPUDevice; output?: GPUBuffer },
  label: string,
  bytes: number,
): GPUBuffer {
  if (!ctx.output) return createStorageBuffer(ctx.device, label, bytes);
  if (ctx.output.size < bytes) {
    throw new RangeError(
      `${label}: the supplied output buffer holds ${ctx.output.size} bytes, the output needs ${bytes}`,
    );
  }
  return ctx.output;
}

/**
 * The X buffer of a plan: the caller's `ctx.input` when given (checked to hold `bytes`),
 * otherwise a new storage buffer holding `data()`.
 *
 * @example
 * ```ts ignore
 * const bx = inputBuffer(ctx, "dense:X", m * k * 4, () => toDtypeArray(ctx.x, dtype));
 * ```
 */
export function inputBuffer(
  ctx: { device: GPUDevice; input?: GPUBuffer },
  label: string,
  bytes: number,
  data: () => ArrayBufferView,
): GPUBuffer {
  if (!ctx.input) return createStorageBuffer(ctx.device, label, data());
  if (ctx.input.size < bytes) {
    throw new RangeError(
      `${label}: the supplied input buffer holds ${ctx.input.size} bytes, the input needs ${bytes}`,
    );
  }
  return ctx.input;
}

/**
 * Destroys a plan's `buffers`, except `ctx.output` and `ctx.input` (the caller's buffers, see
 * `outputBuffer` and `inputBuffer`).
 *
 * @example
 * ```ts ignore
 * destroyOwned(ctx, [bx, bw, by]);
 * ```
 */
export function destroyOwned(
  ctx: { output?: GPUBuffer; input?: GPUBuffer },
  buffers: GPUBuffer[],
): void {
  for (const b of buffers) if (b !== ctx.output && b !== ctx.input) b.destroy();
}
