import assert from "node:assert/strict";
import { wgslDumpName } from "../harness/gpu/pipeline_cache.ts";
import { ROOT, runCli } from "./run_cli.ts";

const MAIN = `${ROOT}harness/run/main.ts`;
const bench = (args: string[]) => runCli("harness/run/main.ts", args);

Deno.test("bench runs the smoke suite end to end and writes the three reports", async () => {
  const dir = Deno.makeTempDirSync();
  const r = await bench([
    "--suite",
    "smoke",
    "--out",
    dir,
    "--max-time-ms",
    "1",
    "--min-samples",
    "2",
    "--dump-wgsl",
    `${dir}/wgsl`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /report: .*report\.html/);
  // Every compiled shader is dumped under its label and the hash of its text.
  const dumped = [...Deno.readDirSync(`${dir}/wgsl`)].map((e) => e.name).sort();
  assert.ok(dumped.length >= 3, dumped.join(", "));
  for (const name of dumped) {
    const code = Deno.readTextFileSync(`${dir}/wgsl/${name}`);
    assert.match(code, /@compute/, name);
    const label = name.replace(/\.[0-9a-f]{8}\.wgsl$/, "");
    assert.equal(wgslDumpName(label, code), name);
  }
  const results = JSON.parse(Deno.readTextFileSync(`${dir}/results.json`));
  assert.equal(results.schemaVersion, 1);
  assert.equal(results.meta.complete, true);
  assert.equal(results.meta.suite, "smoke");
  assert.ok(results.meta.peaks.fmaTflops > 0);
  assert.ok(results.meta.adapter.description.length > 0);
  assert.ok(results.results.length > 0);
  for (const c of results.results) {
    assert.equal(c.status, "ok", `${c.id}: ${c.reason}`);
    for (
      const key of [
        "id",
        "kernel",
        "params",
        "shape",
        "dtype",
        "flops",
        "flopsDense",
        "bytes",
        "time",
        "throughput",
        "speedupVsDense",
        "correctness",
        "approximation",
      ]
    ) {
      assert.ok(key in c, key);
    }
    assert.ok(["gpu-timestamp", "wall"].includes(c.time.method));
  }
  assert.match(Deno.readTextFileSync(`${dir}/summary.md`), /\| case \| status/);
  assert.match(Deno.readTextFileSync(`${dir}/report.html`), /id="tilebench-data"/);
});

Deno.test("--list-cases prints the cases a filter and shard select, and runs nothing", async () => {
  const dir = Deno.makeTempDirSync();
  const suite = `${dir}/list.json`;
  Deno.writeTextFileSync(
    suite,
    JSON.stringify({
      name: "list",
      seed: 1,
      dtypes: ["f32"],
      shapes: [{ m: 1, k: 64, n: 64 }, { m: 4, k: 64, n: 64 }, { m: 32, k: 64, n: 64 }],
      kernels: [{ kernel: "dense" }, { kernel: "dense", tune: { variant: "gemv" } }],
    }),
  );
  const out = `${dir}/out`;
  let r = await bench(["--suite", suite, "--out", out, "--list-cases"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 6);
  // the GEMV variant needs M ≤ 8: skipped before any GPU work, with the reason
  assert.match(lines.find((l) => l.includes("32x64x64") && l.includes("gemv"))!, /\tskipped: /);
  assert.equal(lines.filter((l) => l.includes("skipped")).length, 1);
  assert.match(r.stderr, /^6 cases of suite "list" \(1 skipped before any GPU work\)$/m);
  assert.throws(() => Deno.statSync(out), Deno.errors.NotFound);
  r = await bench(["--suite", suite, "--filter", "gemv", "--shard", "1/2", "--list-cases"]);
  assert.equal(r.code, 0, r.stderr);
  const shard1 = r.stdout.trim().split("\n");
  r = await bench(["--suite", suite, "--filter", "gemv", "--shard", "2/2", "--list-cases"]);
  const shard2 = r.stdout.trim().split("\n");
  assert.match(r.stderr, /cases of suite "list" \(3 of its 6 match the filter; shard 2\/2/);
  assert.deepEqual([...shard1, ...shard2].sort(), lines.filter((l) => l.includes("gemv")).sort());
  r = await bench(["--suite", suite, "--filter", "nothing", "--list-cases"]);
  assert.equal(r.code, 2);
});

Deno.test("bad input exits 2 with a message naming the file and field, no stack trace", async () => {
  const dir = Deno.makeTempDirSync();
  const suite = `${dir}/bad.json`;
  Deno.writeTextFileSync(
    suite,
    JSON.stringify({
      name: "bad",
      seed: 1,
      shapes: [{ m: 0, k: 1, n: 1 }],
      kernels: [{ kernel: "dense" }],
    }),
  );
  let r = await bench(["--suite", suite, "--out", `${dir}/out`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.json: shapes\[0\]\.m: must be in \[1, 16777216\], got 0/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  r = await bench(["--suite", "nope"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown suite "nope"/);
  r = await bench(["--frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /frobnicate/);
  r = await bench(["--dump-wgsl", " "]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--dump-wgsl needs a directory, got " "/);
  r = await bench(["--adapter", "quantum"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--adapter must be one of high-performance, low-power, fallback/);
});

Deno.test("an interrupted run leaves valid JSON of what finished", async () => {
  const dir = Deno.makeTempDirSync();
  const suite = `${dir}/long.json`;
  Deno.writeTextFileSync(
    suite,
    JSON.stringify({
      name: "long",
      seed: 5,
      axes: { m: [8, 16, 24, 32, 40, 48, 56, 64], k: [64], n: [64, 96, 128] },
      kernels: [{ kernel: "dense", tune: { variant: "gemm" } }],
      measure: { minSamples: 30, maxSamples: 30, maxTimeMs: 1000, warmupMs: 50 },
    }),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--suite", suite, "--out", dir, "--no-peaks"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Wait until at least one case is on disk, then interrupt.
  const deadline = Date.now() + 60_000;
  let seen = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      seen = JSON.parse(Deno.readTextFileSync(`${dir}/results.json`)).results.length;
    } catch { /* not yet written */ }
    if (seen >= 1) break;
  }
  assert.ok(seen >= 1, "no case finished within a minute");
  child.kill("SIGINT");
  const status = await child.status;
  await child.stderr.cancel();
  assert.equal(status.code, 130);
  const results = JSON.parse(Deno.readTextFileSync(`${dir}/results.json`));
  assert.equal(results.meta.interrupted, true);
  assert.equal(results.meta.complete, false);
  assert.ok(
    results.results.length >= 1 && results.results.length < 24,
    `${results.results.length}`,
  );
  assert.equal(results.totals.pending, 24 - results.results.length);
  // No temporary files left behind.
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".tmp")),
    [],
  );
});
