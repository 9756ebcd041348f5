import assert from "node:assert/strict";
import { createStorageBuffer, readBuffer, UPLOAD_CHUNK_BYTES } from "../harness/gpu/buffers.ts";
import { GPU_TEST, testGpu } from "./helpers.ts";

Deno.test({
  name: "createStorageBuffer round trips: 7 bytes padded, views at offsets, thousands of f32",
  ...GPU_TEST,
  async fn() {
    const { device } = await testGpu();
    // 7 bytes: padded to 8 for the copy, the buffer itself at least 16; the rest reads as 0.
    const bytes = new Uint8Array([1, 2, 3, 250, 251, 252, 253]);
    const small = createStorageBuffer(device, "odd", bytes);
    assert.equal(small.size, 16);
    assert.deepEqual(new Uint8Array(await readBuffer(device, small, 7)), bytes);
    assert.deepEqual(
      Array.from(new Uint8Array(await readBuffer(device, small, 16))),
      [...bytes, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    small.destroy();
    // A view into a larger array: only its bytes go up (byteOffset 3, 13 bytes).
    const backing = new Uint8Array(64).map((_, i) => i * 3 + 1);
    const view = backing.subarray(3, 16);
    const viewed = createStorageBuffer(device, "view", view);
    assert.deepEqual(new Uint8Array(await readBuffer(device, viewed, 13)), view);
    viewed.destroy();
    // A few thousand f32 values, and a Float32Array view at an element offset.
    const values = new Float32Array(3001).map((_, i) => Math.sin(i) * 1000 + i / 7);
    const f32 = createStorageBuffer(device, "f32", values);
    assert.equal(f32.size, 3001 * 4);
    assert.deepEqual(new Float32Array(await readBuffer(device, f32, values.byteLength)), values);
    f32.destroy();
    const tail = values.subarray(1000, 2999);
    const tailBuf = createStorageBuffer(device, "f32-view", tail);
    assert.deepEqual(new Float32Array(await readBuffer(device, tailBuf, tail.byteLength)), tail);
    tailBuf.destroy();
    // A size alone: zero-filled, at least 16 bytes.
    const empty = createStorageBuffer(device, "empty", 6);
    assert.equal(empty.size, 16);
    assert.deepEqual(new Uint8Array(await readBuffer(device, empty, 16)), new Uint8Array(16));
    empty.destroy();
  },
});

Deno.test({
  name: "createStorageBuffer: an upload over one writeBuffer chunk arrives whole",
  ...GPU_TEST,
  async fn() {
    const { device } = await testGpu();
    // More than one upload chunk, odd length: the second chunk lands at the right offset.
    const big = UPLOAD_CHUNK_BYTES + 4099;
    // llvmpipe allows 128 MiB bindings; a device that does not is not what this test is about.
    if (big <= device.limits.maxStorageBufferBindingSize && big <= device.limits.maxBufferSize) {
      const data = new Uint8Array(big);
      for (let i = 0; i < big; i += 997) data[i] = (i >>> 10) & 255 | 1;
      data.fill(0xab, UPLOAD_CHUNK_BYTES - 5, UPLOAD_CHUNK_BYTES + 5);
      data[big - 1] = 0x5a;
      const buf = createStorageBuffer(device, "chunked", data);
      const back = new Uint8Array(await readBuffer(device, buf, big));
      buf.destroy();
      assert.equal(back.length, big);
      let firstBad = -1;
      for (let i = 0; i < big; i++) {
        if (back[i] !== data[i]) {
          firstBad = i;
          break;
        }
      }
      assert.equal(firstBad, -1, `byte ${firstBad} differs`);
    }
  },
});
