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
        shapes: [{ m: 33, k: 70, n: 20 }],
        kernels: [{ kernel: "dense" }],
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
    assert.equal(peers.length, 2, JSON.stringify(peers)); // the f32 shape only, once per peer
    for (const p of peers) {
      assert.equal(p.kind, "webgpu-peer");
      assert.equal(p.error, undefined, String(p.error));
      assert.equal(p.m, 33);
      assert.equal(p.correct, true);
      assert.ok((p.relError as number) < 1e-4, String(p.relError));
      assert.ok((p.medianMs as number) > 0);
      assert.equal(p.method, "wall");
    }
    assert.match(peers[0]!.library as string, /^@tensorflow\/tfjs-backend-webgpu 4\./);
    assert.match(peers[1]!.library as string, /^onnxruntime-web 1\.22/);
  },
);
