import assert from "node:assert/strict";
import { ORT, ORT_WASM_GZ, ORT_WASM_MJS, TFJS, TFJS_WEBGPU } from "../harness/run/peer_libs.ts";
import { gunzipFile } from "../harness/run/bench_bundle.ts";
import { BUNDLE_STAMP } from "../harness/run/bundle_stamp.ts";
import { ROOT } from "./run_cli.ts";
import { GPU_TEST, QUICK_MEASURE } from "./helpers.ts";

// The bundle is built once into a temporary checkout-like folder: `<tmp>/.bench-bundle/run/`,
// with `<tmp>/suites` pointing at the repository's suites (the bundle finds them at `../../`).
let built: Promise<string> | null = null;
function buildOnce(): Promise<string> {
  built ??= (async () => {
    const tmp = await Deno.makeTempDir({ prefix: "bench-bundle-" });
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        `--allow-write=${tmp}`,
        "--allow-run=deno,git",
        "scripts/bench_bundle.ts",
        "--out",
        `${tmp}/.bench-bundle`,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, `bench:bundle failed: ${new TextDecoder().decode(out.stderr)}`);
    await Deno.symlink(`${ROOT}suites`, `${tmp}/suites`);
    globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
    return tmp;
  })();
  return built;
}

/** Runs the bundle as on a host without network: no config, an empty DENO_DIR, cached only. */
async function runBundle(tmp: string, args: string[]) {
  const denoDir = await Deno.makeTempDir({ prefix: "bench-bundle-deno-dir-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", "--cached-only", ".bench-bundle/run/bench.js", ...args],
      cwd: tmp,
      env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1", GITHUB_STEP_SUMMARY: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}

Deno.test("bench bundle: its literal peer specifiers are peer_libs.ts's", () => {
  const src = Deno.readTextFileSync(`${ROOT}harness/run/bench_bundle.ts`);
  for (const spec of [TFJS, TFJS_WEBGPU, ORT]) {
    assert.ok(src.includes(`import("${spec}")`), `bench_bundle.ts does not import ${spec}`);
  }
});

Deno.test("bench bundle: builds with both peers inside and starts with no npm package", async () => {
  const tmp = await buildOnce();
  const dir = `${tmp}/.bench-bundle/run`;
  const js = await Deno.readTextFile(`${dir}/bench.js`);
  // TensorFlow.js with its WebGPU backend, and ONNX Runtime Web, are in the file.
  assert.match(js, /WebGPUBackend:/, "tfjs-backend-webgpu is not in the bundle");
  assert.match(js, /version_core/, "tfjs-core is not in the bundle");
  assert.match(js, /InferenceSession/, "onnxruntime-web is not in the bundle");
  assert.doesNotMatch(js, /import\("npm:/, "an npm import was left to resolve at run time");
  // ONNX Runtime's wasm, compressed, decompresses to a WebAssembly module.
  const wasm = await gunzipFile(new URL(`file://${dir}/${ORT_WASM_GZ}`));
  assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  assert.ok(wasm.length > 2 * Deno.statSync(`${dir}/${ORT_WASM_GZ}`).size);
  assert.ok(Deno.statSync(`${dir}/${ORT_WASM_MJS}`).size > 1000);
  assert.match(await Deno.readTextFile(`${dir}/vendor/chart.umd.min.js`), /Chart\.js v4/);
  const stamp = JSON.parse(await Deno.readTextFile(`${dir}/${BUNDLE_STAMP}`));
  assert.ok(stamp.commit === null || /^[0-9a-f]{40}$/.test(stamp.commit), JSON.stringify(stamp));
  // Built-in suites are found by name from the bundle's place, with an empty Deno cache.
  const list = await runBundle(tmp, ["--list"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^suites: .*smoke/m);
});

Deno.test(
  "bench bundle: --peers tfjs,ort run offline from the bundle and are checked and timed",
  GPU_TEST,
  async () => {
    const tmp = await buildOnce();
    {
      await Deno.writeTextFile(
        `${tmp}/tiny.json`,
        JSON.stringify({
          name: "bundle-peers",
          seed: 3,
          measure: QUICK_MEASURE,
          dtypes: ["f32"],
          shapes: [{ m: 33, k: 128, n: 20 }],
          kernels: [{ kernel: "dense", dtypes: ["f32"] }, {
            kernel: "int4",
            group: 128,
            dtypes: ["f32"],
          }],
        }),
      );
      const r = await runBundle(tmp, [
        "--suite",
        "tiny.json",
        "--out",
        "out",
        "--peers",
        "tfjs,ort",
        "--no-peaks",
        "--no-sentinel",
        "--tune",
        "off",
        "--quiet",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const results = JSON.parse(await Deno.readTextFile(`${tmp}/out/results.json`));
      // the results name the commit the bundle's code was built from, not the checkout's
      const stamp = JSON.parse(
        await Deno.readTextFile(`${tmp}/.bench-bundle/run/${BUNDLE_STAMP}`),
      );
      assert.equal(results.meta.tool.bundle, true);
      assert.equal(results.meta.tool.commit, stamp.commit);
      assert.equal(results.meta.tool.dirty, stamp.dirty);
      const peers = (results.meta.anchors as Record<string, unknown>[])
        .filter((a) => a.kind === "webgpu-peer");
      assert.deepEqual(
        peers.map((p) => (p.anchor as string).split(" ")[0]),
        ["tf.matMul", "MatMul", "MatMulNBits"],
      );
      // tfjs and ONNX Runtime's MatMul pass the reference check and are timed (M = 33 is correct
      // on the software adapter too); MatMulNBits ran and was recorded, passing or not.
      for (const p of peers.slice(0, 2)) {
        assert.equal(p.correct, true, `${p.anchor}: ${p.error}`);
        assert.ok((p.relError as number) < 1e-4);
        assert.ok((p.medianMs as number) > 0);
      }
      assert.equal(typeof peers[2]!.relError, "number", String(peers[2]!.error));
      assert.match(peers[0]!.library as string, /^@tensorflow\/tfjs-backend-webgpu 4\.22\.0$/);
      assert.match(peers[1]!.library as string, /^onnxruntime-web 1\.22\.0$/);
    }
  },
);
