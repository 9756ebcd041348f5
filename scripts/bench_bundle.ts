/**
 * Builds the single-file bench bundle for a GPU host without network (`deno task bench:bundle`):
 * `deno bundle` of `harness/run/bench_bundle.ts` with TensorFlow.js and ONNX Runtime Web inside,
 * plus the files ONNX Runtime Web reads at run time and the report's Chart.js. Writes, under the
 * output folder (default `.bench-bundle/`, git-ignored):
 *
 * - `run/bench.js`: the bench, `deno run -A .bench-bundle/run/bench.js --suite … --peers tfjs,ort`;
 * - `run/ort-wasm-simd-threaded.jsep.wasm.gz`: ONNX Runtime's WebAssembly binary, gzip-compressed
 *   (decompressed in memory by the bundle);
 * - `run/ort-wasm-simd-threaded.jsep.mjs`: its module script;
 * - `run/vendor/chart.umd.min.js`: Chart.js for `report.html`;
 * - `run/build.json`: the commit it was built from (the bundle warns when run at another one).
 *
 * The bundle sits one folder down (`run/`) so that the paths the sources resolve against their
 * own location (`../../suites/`, the checkout for the git commit) resolve to the checkout root
 * as they do from `harness/<layer>/`; `./vendor/` is then `run/vendor/`.
 *
 * Run: `deno task bench:bundle [--out DIR]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { BUNDLE_STAMP, type BundleStamp } from "../harness/run/bundle_stamp.ts";
import { gitCommit, gitDirty } from "../harness/run/meta.ts";
import { ORT, ORT_WASM_GZ, ORT_WASM_MJS } from "../harness/run/peer_libs.ts";

/** One file the build wrote: its path relative to the output folder and its size in bytes. */
export interface BundleFile {
  /** Relative to the output folder. */
  path: string;
  /** Bytes. */
  bytes: number;
}

/**
 * The `dist/` folders where ONNX Runtime Web `version` may be installed: the project's
 * `node_modules` (`nodeModulesDir: auto`) and Deno's npm cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dirs = ortDistCandidates("/repo/", "/cache/npm", "1.22.0");
 * assert.deepEqual(dirs, [
 *   "/repo/node_modules/.deno/onnxruntime-web@1.22.0/node_modules/onnxruntime-web/dist/",
 *   "/cache/npm/registry.npmjs.org/onnxruntime-web/1.22.0/dist/",
 * ]);
 * ```
 */
export function ortDistCandidates(root: string, npmCache: string, version: string): string[] {
  return [
    `${root}node_modules/.deno/onnxruntime-web@${version}/node_modules/onnxruntime-web/dist/`,
    `${npmCache.replace(/\/$/, "")}/registry.npmjs.org/onnxruntime-web/${version}/dist/`,
  ];
}

async function run(args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command("deno", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  if (!out.success) {
    throw new Error(`deno ${args.join(" ")} failed:\n${dec.decode(out.stderr)}`);
  }
  return dec.decode(out.stdout);
}

/**
 * Builds the bundle into `outDir` (replacing a previous one) from the checkout at `root` and
 * returns the files written.
 *
 * @example
 * ```ts ignore
 * const files = await buildBenchBundle("/path/to/tilebench/", "/path/to/tilebench/.bench-bundle");
 * ```
 */
export async function buildBenchBundle(root: string, outDir: string): Promise<BundleFile[]> {
  const dir = `${outDir.replace(/\/$/, "")}/run`;
  await Deno.remove(outDir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  await Deno.mkdir(`${dir}/vendor`, { recursive: true });
  await run([
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    "--minify",
    "-o",
    `${dir}/bench.js`,
    "harness/run/bench_bundle.ts",
  ], root);

  // ONNX Runtime Web's files, from where `deno bundle` just resolved the package.
  const version = ORT.match(/^npm:onnxruntime-web@([^/]+)/)![1]!;
  const info = JSON.parse(await run(["info", "--json"], root)) as { npmCache: string };
  const dist = ortDistCandidates(root, info.npmCache, version)
    .find((d) => exists(`${d}${ORT_WASM_MJS}`));
  if (!dist) throw new Error(`onnxruntime-web ${version}: ${ORT_WASM_MJS} not found`);
  const wasm = await Deno.open(`${dist}${ORT_WASM_GZ.replace(/\.gz$/, "")}`);
  await Deno.writeFile(
    `${dir}/${ORT_WASM_GZ}`,
    wasm.readable.pipeThrough(new CompressionStream("gzip")),
  );
  await Deno.copyFile(`${dist}${ORT_WASM_MJS}`, `${dir}/${ORT_WASM_MJS}`);
  for (const f of ["chart.umd.min.js", "chart.js.LICENSE.md"]) {
    await Deno.copyFile(`${root}harness/report/vendor/${f}`, `${dir}/vendor/${f}`);
  }
  // Which code the bundle holds: the bundle warns when run in a checkout at another commit.
  const stamp: BundleStamp = { commit: gitCommit(), dirty: gitDirty() };
  await Deno.writeTextFile(`${dir}/${BUNDLE_STAMP}`, JSON.stringify(stamp) + "\n");
  const files: BundleFile[] = [];
  for (const f of ["bench.js", ORT_WASM_GZ, ORT_WASM_MJS, "vendor/chart.umd.min.js"]) {
    files.push({ path: `run/${f}`, bytes: Deno.statSync(`${dir}/${f}`).size });
  }
  return files;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  let outDir: string;
  try {
    const { values } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } });
    outDir = values.out ?? `${root}.bench-bundle`;
  } catch (e) {
    console.error(
      `bench:bundle: ${(e as Error).message}; usage: deno task bench:bundle [--out DIR]`,
    );
    Deno.exit(2);
  }
  const files = await buildBenchBundle(root, outDir);
  let total = 0;
  for (const f of files) {
    total += f.bytes;
    console.log(`${(f.bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  ${outDir}/${f.path}`);
  }
  console.log(`${(total / 2 ** 20).toFixed(1).padStart(6)} MiB  in all`);
}
