import assert from "node:assert/strict";
import { runSuite } from "../harness/run/runner.ts";
import { peerShapes } from "../harness/run/peers.ts";
import { runPeers } from "../harness/run/peer_run.ts";
import { NPM_PEER_LIBRARIES, usePeerLibraries } from "../harness/run/peer_libs.ts";
import type { Suite } from "../harness/suite/schema.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { GPU_TEST, QUICK_MEASURE, testGpu } from "./helpers.ts";

/** Runs `suite` on the test GPU with both peers and returns its anchors (the peers' entries). */
async function peerAnchors(suite: Suite): Promise<Record<string, unknown>[]> {
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
  return (res.meta.anchors ?? []) as Record<string, unknown>[];
}

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
    const peers = await peerAnchors(suite);
    // Shape by shape: tfjs and ort MatMul, then MatMulNBits on an int4 shape (K % 32 = 0).
    assert.deepEqual(
      peers.map((p) => [(p.anchor as string).split(" ")[0], p.m]),
      [
        ["tf.matMul", 33],
        ["MatMul", 33],
        ["MatMulNBits", 33],
        ["tf.matMul", 1],
        ["MatMul", 1],
        ["MatMulNBits", 1],
      ],
    );
    for (const p of peers) {
      assert.equal(p.kind, "webgpu-peer");
      // Checked before timed: a peer is timed only when correct, else its error says why. (On
      // the software adapter tfjs's M = 1 matMul fails it.)
      if (p.correct) {
        assert.ok((p.relError as number) < 1e-4, String(p.relError));
        assert.ok((p.medianMs as number) > 0);
        // Both libraries' own timestamp queries, which the software adapter has.
        assert.equal(p.method, "gpu-timestamp");
      } else {
        assert.match(p.error as string, /over the f32 tolerance: not timed/);
        assert.equal(p.medianMs, null);
        assert.equal(p.method, null);
      }
    }
    // The M = 33 MatMul of both libraries and MatMulNBits at its block of 32 are correct here,
    // so they are timed.
    assert.ok(peers[0]!.correct && peers[1]!.correct && peers[2]!.correct);
    assert.ok(peers[4]!.correct && peers[5]!.correct, String(peers[5]!.error));
    assert.match(peers[0]!.library as string, /^@tensorflow\/tfjs-backend-webgpu 4\./);
    assert.match(peers[1]!.library as string, /^onnxruntime-web 1\.22/);
  },
);

Deno.test("a suite that asks for the wall clock times the peers by it", GPU_TEST, async () => {
  const suite = validateSuite(
    {
      name: "peers-wall",
      seed: 3,
      measure: { ...QUICK_MEASURE, method: "wall" },
      shapes: [{ m: 33, k: 128, n: 20 }],
      kernels: [{ kernel: "dense" }],
    },
    "<suite>",
    builtinKernels,
  );
  const peers = await peerAnchors(suite);
  assert.equal(peers.length, 2);
  for (const p of peers) {
    assert.ok(p.correct, String(p.error));
    assert.equal(p.method, "wall");
  }
});

Deno.test("peer phase: a library that fails to open is recorded once; a stop ends it", async () => {
  const suite = validateSuite(
    { name: "p", seed: 1, shapes: [{ m: 2, k: 128, n: 8 }], kernels: [{ kernel: "dense" }] },
    "<suite>",
    builtinKernels,
  );
  const failing = () => Promise.reject(new Error("no such library here"));
  usePeerLibraries({ tfjs: failing, tfjsWebgpu: failing, ort: failing });
  try {
    const shapes = [{ m: 2, k: 128, n: 8 }, { m: 4, k: 128, n: 8 }];
    const got: Record<string, unknown>[] = [];
    const inputs = () => ({ x: new Float32Array(0), w: new Float32Array(0) });
    const measured = await runPeers({
      gpu: null as never, // never reached: no library opens
      suite,
      peers: ["tfjs", "ort"],
      shapes,
      nbitsShapes: shapes,
      inputs,
      onAnchor: (e) => got.push(e as unknown as Record<string, unknown>),
    });
    assert.equal(measured, 0);
    assert.deepEqual(got.map((e) => [e.anchor, e.error]), [
      ["tfjs", "no such library here"],
      ["ort", "no such library here"],
    ]);
    const none = await runPeers({
      gpu: null as never,
      suite,
      peers: ["tfjs"],
      shapes,
      nbitsShapes: [],
      inputs: () => {
        throw new Error("a stopped phase reads no inputs");
      },
      onAnchor: () => assert.fail("nothing runs after a stop"),
      aborted: () => true,
    });
    assert.equal(none, 0);
  } finally {
    usePeerLibraries(NPM_PEER_LIBRARIES);
  }
});
