import assert from "node:assert/strict";
import { runSuite } from "../harness/run/runner.ts";
import { peerShapes } from "../harness/run/peers.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { GPU_TEST, QUICK_MEASURE, testGpu } from "./helpers.ts";

Deno.test("peer shapes: distinct f32 shapes in first-seen order", () => {
  const s = (m: number, dtype = "f32") => ({ shape: { m, k: 8, n: 8 }, dtype });
  assert.deepEqual(peerShapes([s(2), s(1, "f16"), s(2), s(3)]).map((x) => x.m), [2, 3]);
});

Deno.test(
  "tfjs tf.matMul and ONNX Runtime Web MatMul run as WebGPU peers, checked and timed",
  GPU_TEST,
  async () => {
    const suite = validateSuite(
      {
        name: "peers",
        seed: 3,
        measure: QUICK_MEASURE,
        dtypes: ["f32", "f16"],
        shapes: [{ m: 33, k: 128, n: 20 }, { m: 1, k: 256, n: 64 }],
        kernels: [{ kernel: "dense", dtypes: ["f32"] }, {
          kernel: "int4",
          group: 128,
          dtypes: ["f32"],
        }],
      },
      "<suite>",
      builtinKernels,
    );
    const res = await runSuite({
      suite,
      registry: builtinKernels,
      gpu: await testGpu(),
      outDir: null,
      peers: ["tfjs", "ort"],
      peaks: false,
      quiet: true,
      sentinel: false,
    });
    const peers = (res.meta.anchors ?? []) as Record<string, unknown>[];
    // tfjs and ort MatMul on both f32 shapes, then MatMulNBits on the int4 shapes (K % 128 = 0).
    assert.deepEqual(
      peers.map((p) => [(p.anchor as string).split(" ")[0], p.m]),
      [
        ["tf.matMul", 33],
        ["tf.matMul", 1],
        ["MatMul", 33],
        ["MatMul", 1],
        ["MatMulNBits", 33],
        ["MatMulNBits", 1],
      ],
    );
    for (const p of peers) {
      assert.equal(p.kind, "webgpu-peer");
      assert.equal(p.method, "wall");
      // Checked before timed: a peer is timed only when correct, else its error says why. (On
      // the software adapter tfjs's M = 1 matMul and ONNX Runtime's WebGPU MatMulNBits fail it.)
      if (p.correct) {
        assert.ok((p.relError as number) < 1e-4, String(p.relError));
        assert.ok((p.medianMs as number) > 0);
      } else {
        assert.match(p.error as string, /over the f32 tolerance: not timed/);
        assert.equal(p.medianMs, null);
      }
    }
    // The M = 33 MatMul of both libraries is correct here, so it is timed.
    assert.ok(peers[0]!.correct && peers[2]!.correct);
    assert.match(peers[0]!.library as string, /^@tensorflow\/tfjs-backend-webgpu 4\./);
    assert.match(peers[2]!.library as string, /^onnxruntime-web 1\.22/);
  },
);
