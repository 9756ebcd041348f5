/**
 * The gate's fail-open cases, the between-run spread, the measurement sentinel (with a fake
 * probe), nvidia-smi clocks (with a fake tool on PATH), the signal guard and the --out checks.
 * No GPU work.
 */

import assert from "node:assert/strict";
import { gateRuns, renderGateMarkdown, validateRunResults } from "../harness/gate/mod.ts";
import { parseNvidiaSmi, readGpuClocks } from "../harness/measure/clocks.ts";
import { guardWithSentinel, SentinelLog } from "../harness/measure/sentinel.ts";
import { escapeControl } from "../harness/cli_args.ts";
import { BackendRefusedError, glWarning, guessBackend } from "../harness/gpu/environment.ts";
import { mdCell } from "../harness/report/markdown.ts";
import { checkOutDir } from "../harness/run/out_dir.ts";
import type { RunOptions } from "../harness/run/runner.ts";
import { SIGNAL_EXIT, SignalGuard } from "../harness/run/signals.ts";
import type { CaseResult, RunResults } from "../harness/types.ts";
import { confirmed, fakeCase, fakeRun } from "./fixtures/gate_runs.ts";
import { ROOT, runCli } from "./run_cli.ts";
import { readResults } from "../harness/history/files.ts";

const BASE = [1.0, 1.04, 0.97, 1.02, 0.99, 1.01, 1.03, 0.98, 1.0, 1.05];

/** A run of `n` cases whose medians scatter around 1 ms by a log-normal factor of sd `sd`. */
function scatteredRun(n: number, sd: number, seed: number): RunResults {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cases: CaseResult[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const level = Math.exp(sd * z);
    cases.push(fakeCase(`c${i}`, BASE.map((x) => x * level)));
  }
  return fakeRun(cases);
}

function scaled(run: RunResults, factor: number, only?: string): RunResults {
  const out = structuredClone(run);
  for (const r of out.results) {
    if (!r.time || (only && r.id !== only)) continue;
    r.time.samples = r.time.samples.map((x) => x * factor);
    r.time.median *= factor;
    if (r.time.confirm) {
      r.time.confirm.samples = r.time.confirm.samples.map((x) => x * factor);
      r.time.confirm.median *= factor;
    }
  }
  return out;
}

Deno.test("gate fail-open cases: each fails (exit 1) unless explicitly allowed", () => {
  const base = fakeRun([fakeCase("a", BASE), fakeCase("b", BASE), fakeCase("c", BASE)]);
  const table: [string, RunResults, Parameters<typeof gateRuns>[2], RegExp][] = [
    ["empty results", fakeRun([]), {}, /share no case/],
    [
      "renamed ids",
      fakeRun([fakeCase("x", BASE), fakeCase("y", BASE)]),
      {},
      /share no case .*renamed ids/,
    ],
    ["another suite", fakeRun([fakeCase("z", BASE)], { suite: "other" }), {}, /share no case/],
    [
      "another seed",
      fakeRun(["a", "b", "c"].map((id) => fakeCase(id, BASE, { seed: 2 })), { seed: 2 }),
      {},
      /seeds differ \(1 vs 2\).*--allow-disjoint/,
    ],
    [
      "interrupted partial run",
      fakeRun([fakeCase("a", BASE)], { interrupted: true, complete: false }),
      {},
      /incomplete \(interrupted\)/,
    ],
    ["a case missing", fakeRun([fakeCase("a", BASE), fakeCase("b", BASE)]), {}, /1 missing|2 ok/],
    [
      "a case now failed",
      fakeRun([
        fakeCase("a", BASE),
        fakeCase("b", BASE),
        fakeCase("c", null, { status: "failed", reason: "x" }),
      ]),
      {},
      /2 ok case\(s\) of the baseline's 3/,
    ],
  ];
  for (const [what, cur, opts, re] of table) {
    const r = gateRuns(base, cur, opts);
    assert.equal(r.exitCode, 1, what);
    assert.ok(
      r.failures.some((f) => re.test(f)) || r.cases.some((c) => c.regression),
      `${what}: ${r.failures.join("; ")}`,
    );
    const md = renderGateMarkdown(r);
    assert.match(md, /## tilebench gate: FAIL/, what);
  }
  // Allowed explicitly, they pass.
  assert.equal(gateRuns(base, fakeRun([]), { allowDisjoint: true }).exitCode, 0);
  assert.equal(
    gateRuns(base, fakeRun([fakeCase("a", BASE)], { interrupted: true, complete: false }), {
      allowMissing: true,
    }).exitCode,
    0,
  );
  // A filtered run is judged on the baseline's cases within its filter only.
  const filtered = fakeRun([fakeCase("a", BASE)], { filter: "a" });
  assert.equal(gateRuns(base, filtered).exitCode, 0);
});

Deno.test("impossible values in results are input errors naming the field", () => {
  const good = () => JSON.parse(JSON.stringify(fakeRun([fakeCase("a", BASE)])));
  // deno-lint-ignore no-explicit-any
  const table: [(r: any) => void, RegExp][] = [
    [(r) => (r.results[0].flops.total = -5), /results\[0\]\.flops\.total: must be ≥ 0; got -5/],
    [(r) => (r.results[0].flops.core = -1), /flops\.core: must be ≥ 0/],
    [(r) => (r.results[0].time.median = -1), /time\.median: must be a positive number; got -1/],
    [(r) => (r.results[0].time.median = 0), /time\.median: must be a positive number; got 0/],
    [(r) => (r.results[0].time.samples[0] = -0.5), /time\.samples\[0\]: must be a positive/],
    [
      (r) => (r.results[0].approximation.relError = -0.1),
      /approximation\.relError: must be ≥ 0; got -0\.1/,
    ],
    [(r) => (r.results[0].correctness.relError = -1e-9), /correctness\.relError: must be ≥ 0/],
    [(r) => (r.results[0].approximation.relError = null), /for an ok case; got null/],
    [
      (r) => (r.results[0].time.confirm = { median: 1, samples: [] }),
      /time\.confirm\.samples: must be a non-empty array/,
    ],
    [
      (r) => (r.results[0].time.sentinel = { referenceMs: 1, beforeMs: -1 }),
      /time\.sentinel\.beforeMs: must be a positive number/,
    ],
  ];
  for (const [mutate, re] of table) {
    const r = good();
    mutate(r);
    assert.throws(() => validateRunResults(r, "x.json"), re, re.source);
  }
});

Deno.test("same-code noise across runs is no slower verdict; a confirmed slowdown is", () => {
  // 40 cases whose medians move between runs by a log-normal factor (sd 0.3: ~1.35x typical,
  // beyond 2x for some), each case tight within its run: the within-run test alone calls
  // many of them slower.
  const a = scatteredRun(40, 0.3, 1), b = scatteredRun(40, 0.3, 2);
  for (const [x, y] of [[a, b], [b, a]] as const) {
    const r = gateRuns(x, y);
    assert.equal(r.counts.slower, 0);
    assert.equal(r.exitCode, 0, r.failures.join("; "));
    assert.ok(r.timeSpread!.sigma > 0.2, `${r.timeSpread!.sigma}`);
  }
  // A single case 3x slower beyond the spread, confirmed by its re-measurement: slower.
  const cur = structuredClone(a);
  const c0 = cur.results[0]!;
  confirmed(c0);
  const r = gateRuns(a, scaled(cur, 10, "c0"));
  assert.equal(r.cases[0]!.id, "c0");
  assert.equal(r.cases[0]!.verdict, "slower");
  // The same without a re-measurement: ambiguous, with the command that confirms it.
  const unconfirmed = gateRuns(a, scaled(a, 10, "c0"), { baselineFile: "base.json" });
  const v = unconfirmed.cases.find((c) => c.id === "c0")!;
  assert.equal(v.verdict, "ambiguous");
  assert.equal(v.needsConfirmation, true);
  assert.deepEqual(unconfirmed.timeSpread!.unconfirmed, ["c0"]);
  assert.match(renderGateMarkdown(unconfirmed), /--filter 'c0' --baseline base\.json/);
  // A re-measurement taken while the sentinel had moved confirms nothing.
  const suspect = structuredClone(scaled(cur, 10, "c0"));
  suspect.results[0]!.time!.confirm!.sentinel = {
    referenceMs: 1,
    beforeMs: 3,
    afterMs: 3,
    ratio: 3,
    attempts: 3,
    flagged: true,
  };
  const sv = gateRuns(a, suspect).cases.find((c) => c.id === "c0")!;
  assert.equal(sv.verdict, "ambiguous");
  assert.match(sv.summary, /sentinel moved while it was re-measured/);
  // A re-measurement that does not reproduce it: not slower.
  const transient = structuredClone(scaled(a, 10, "c0"));
  transient.results[0]!.time!.confirm = { median: 1.01, samples: BASE };
  assert.notEqual(gateRuns(a, transient).cases.find((c) => c.id === "c0")!.verdict, "slower");
});

Deno.test("a 3x slower run fails every time, whatever the between-run noise", () => {
  for (let seed = 1; seed <= 10; seed++) {
    for (const sd of [0.02, 0.2, 0.4]) {
      const base = scatteredRun(54, sd, seed);
      const same = scatteredRun(54, sd, seed + 100);
      assert.equal(gateRuns(base, same).exitCode, 0, `same code, sd ${sd}, seed ${seed}`);
      const r = gateRuns(base, scaled(same, 3));
      assert.equal(r.exitCode, 1, `3x, sd ${sd}, seed ${seed}`);
      assert.match(r.failures.join("; "), /the whole run is ×\d/);
    }
  }
});

Deno.test("published H100 runs: same code on other machine loans passes, 8% slower fails", () => {
  const run = (f: string) => readResults(`data/runs/${f}.json.gz`) as never as RunResults;
  // targets_prefill on three loans over 30 hours (63 GEMMs, 0.08–8.8 ms), and four decode shapes
  // at M = 1 on two loans (52 GEMVs of 8–36 µs isolated)
  const pre = ["h100-2026-12-06-m", "h100-2026-12-06-o", "h100-2026-12-07-e"].map((d) =>
    run(`${d}/targets-prefill`)
  );
  const pairs: [RunResults, RunResults][] = [
    [pre[0]!, pre[1]!],
    [pre[1]!, pre[2]!],
    [pre[0]!, pre[2]!],
    [run("h100-2026-12-07-e/targets-decode-m1-b"), run("h100-2026-12-07-d/targets-decode-m1-b")],
  ];
  for (const [base, cur] of pairs) {
    const r = gateRuns(base, cur, { allowMissing: true });
    assert.equal(r.exitCode, 0, r.failures.join("; "));
    assert.equal(r.counts.same, r.cases.filter((c) => c.verdict !== "new").length);
    assert.ok(r.timeSpread!.sigma < 0.01, `${r.timeSpread!.sigma}`);
    const slow = gateRuns(base, scaled(cur, 1.08), { allowMissing: true });
    assert.equal(slow.exitCode, 1);
    assert.match(slow.failures.join("; "), /the whole run is ×1\.0[78]/);
  }
});

Deno.test("a case timed while the sentinel moved is not judged slower", () => {
  const base = fakeRun([fakeCase("a", BASE), fakeCase("b", BASE)]);
  const cur = fakeRun([
    confirmed(fakeCase("a", BASE.map((x) => 4 * x))),
    fakeCase("b", BASE),
  ]);
  cur.results[0]!.time!.sentinel = {
    referenceMs: 1,
    beforeMs: 4,
    afterMs: 4,
    ratio: 4,
    attempts: 3,
    flagged: true,
  };
  const v = gateRuns(base, cur).cases.find((c) => c.id === "a")!;
  assert.equal(v.verdict, "ambiguous");
  assert.match(v.summary, /sentinel moved/);
});

Deno.test("sentinel: a whole-case 4x transient is re-measured away, a lasting one flagged", async () => {
  // The fake device: a sentinel reading and a case measurement per "speed" step.
  const run = async (speeds: number[]) => {
    const log = new SentinelLog();
    for (let i = 0; i < 3; i++) log.add(1);
    let i = 0;
    const speed = () => speeds[Math.min(i, speeds.length - 1)]!;
    const probe = { time: () => Promise.resolve(speed()) };
    const measure = () => Promise.resolve(10 * speed()).finally(() => i++);
    return await guardWithSentinel(probe, log, measure);
  };
  const transient = await run([4, 1, 1]);
  assert.equal(transient.value, 10);
  assert.equal(transient.sentinel.attempts, 2);
  assert.equal(transient.sentinel.flagged, false);
  const lasting = await run([4, 4, 4, 4]);
  assert.equal(lasting.sentinel.flagged, true);
  assert.equal(lasting.sentinel.attempts, 3);
  assert.equal(lasting.value, 40);
  const quiet = await run([1.05]);
  assert.equal(quiet.sentinel.attempts, 1);
  assert.equal(quiet.sentinel.flagged, false);
});

Deno.test("nvidia-smi: parsed where present (a fake tool on PATH), null where absent", async () => {
  const dir = Deno.makeTempDirSync();
  const tool = `${dir}/nvidia-smi`;
  Deno.writeTextFileSync(
    tool,
    "#!/bin/sh\necho '0, NVIDIA H200, 1005, 1980, 0x0000000000000004, 71, 650.1'\n",
  );
  Deno.chmodSync(tool, 0o755);
  const path = Deno.env.get("PATH") ?? "";
  try {
    Deno.env.set("PATH", `${dir}:${path}`);
    const r = await readGpuClocks();
    assert.deepEqual(r, [{
      index: 0,
      name: "NVIDIA H200",
      smMhz: 1005,
      smMaxMhz: 1980,
      throttleReasons: "0x0000000000000004",
      temperatureC: 71,
      powerW: 650.1,
    }]);
    Deno.writeTextFileSync(tool, "#!/bin/sh\nexit 9\n");
    assert.equal(await readGpuClocks(), null);
    Deno.env.set("PATH", dir.replace(/$/, "/none"));
    assert.equal(await readGpuClocks(), null);
  } finally {
    Deno.env.set("PATH", path);
    Deno.removeSync(dir, { recursive: true });
  }
  assert.deepEqual(parseNvidiaSmi("0, x\u001b[31m, 1, 2, ::error, 3, 4"), [{
    index: 0,
    name: "x[31m",
    smMhz: 1,
    smMaxMhz: 2,
    throttleReasons: null,
    temperatureC: 3,
    powerW: 4,
  }]);
});

Deno.test("signal guard: saves, says what it saved, exits 130 on SIGINT and 143 on SIGTERM", () => {
  const said: string[] = [];
  const codes: number[] = [];
  const g = new SignalGuard((m) => said.push(m), (c) => codes.push(c));
  g.handle("SIGTERM"); // before anything was written
  g.setSaver(() => "3 finished case(s) saved in out/results.json");
  g.handle("SIGINT");
  g.setSaver(() => {
    throw new Error("disk full");
  });
  g.handle("SIGTERM");
  assert.deepEqual(codes, [143, 130, 143]);
  assert.match(said[0]!, /SIGTERM; nothing was written yet/);
  assert.match(said[1]!, /SIGINT: 3 finished case\(s\) saved/);
  assert.match(said[2]!, /could not save the results so far: disk full/);
  assert.deepEqual(SIGNAL_EXIT, { SIGINT: 130, SIGTERM: 143 });
});

Deno.test("--out: empty, a file, or a previous run are refused before any GPU work", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/report.html`, "old");
  assert.throws(() => checkOutDir(dir, false), /holds a previous run \(report\.html\)/);
  const bench = (args: string[]) => runCli("harness/run/main.ts", args);
  const table: [string[], RegExp][] = [
    [["--out", ""], /--out needs a folder/],
    [["--out", `${dir}/report.html`], /is a file, not a folder/],
    [["--out", dir], /holds a previous run/],
    [["--filter", "nosuchcase", "--out", `${dir}/new`], /matches none of the \d+ cases/],
    [
      ["--out", `${dir}/b`, "--baseline", `${dir}/b/results.json`],
      /is the --baseline file; refusing to overwrite it/,
    ],
  ];
  for (const [args, re] of table) {
    const r = await bench(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  }
  // gate --json onto an input is refused.
  const base = `${dir}/base.json`;
  Deno.writeTextFileSync(base, JSON.stringify(fakeRun([fakeCase("a", BASE)])));
  const g = await runCli("harness/gate/main.ts", [
    "--baseline",
    base,
    "--current",
    base,
    "--json",
    base,
  ]);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /--json .* is the --(baseline|current) file/);
  assert.ok(Deno.readTextFileSync(base).startsWith("{"));
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("environment: GL fallback guessed, refused with --require-adapter vulkan, warned", () => {
  const none = (n: string) => (n === "VK_ICD_FILENAMES" ? "/nonexistent.json" : undefined);
  assert.equal(guessBackend(new Set(["shader-f16"]), none, "linux").guess, "gl");
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/lvp.json`, "{}");
  const one = (n: string) => (n === "VK_ICD_FILENAMES" ? `${dir}/lvp.json` : undefined);
  assert.equal(
    guessBackend(new Set(["shader-f16", "float32-filterable"]), one, "linux").guess,
    "vulkan",
  );
  // wgpu's GL backend reports ETC2 textures and no float32-filterable.
  assert.equal(guessBackend(new Set(["texture-compression-etc2"]), one, "linux").guess, "gl");
  Deno.removeSync(dir, { recursive: true });
  assert.match(glWarning({ guess: "gl", evidence: "x" })!, /--require-adapter any/);
  assert.match(new BackendRefusedError("x").message, /^--require-adapter vulkan: .*OpenGL/);
  // The gate tells a GL run from a Vulkan run of the same adapter.
  const vk = fakeRun([fakeCase("a", BASE)]);
  vk.meta.adapter = { ...vk.meta.adapter, backend: { guess: "vulkan", evidence: "" } };
  const gl = fakeRun([fakeCase("a", BASE)]);
  gl.meta.adapter = { ...gl.meta.adapter, backend: { guess: "gl", evidence: "" } };
  assert.throws(() => gateRuns(vk, gl), /backend: vulkan vs gl/);
});

Deno.test("control characters never reach a terminal, a CI log or markdown", () => {
  const hostile = "x\n::error file=a::pwned\u001b[2J\u0007\u2028y";
  const out = escapeControl(hostile);
  const bad = (t: string) => ["\n", "\u001b", "\u0007", "\u2028"].some((c) => t.includes(c));
  assert.ok(!bad(out), out);
  assert.ok(!out.split("\n").some((l) => l.startsWith("::")));
  const cell = mdCell(hostile);
  assert.ok(!bad(cell), cell);
  const md = renderGateMarkdown(
    gateRuns(fakeRun([fakeCase(hostile, BASE)]), fakeRun([fakeCase(hostile, BASE)])),
  );
  assert.ok(!md.split("\n").some((l) => l.startsWith("::")), md);
  assert.ok(!["\u001b", "\u0007", "\u2028"].some((c) => md.includes(c)), md);
});

Deno.test("malformed suites: one line naming the file and field, exit 2, before any GPU work", async () => {
  const dir = Deno.makeTempDirSync();
  const base = {
    name: "t",
    seed: 1,
    shapes: [{ m: 8, k: 8, n: 8 }],
    kernels: [{ kernel: "dense" }],
  };
  const big = Array.from({ length: 400 }, (_, i) => i + 1);
  const table: [string, unknown, RegExp][] = [
    // 1.3 KB of axes that would make 64M shapes: refused before a shape is made.
    [
      "axes.json",
      { ...base, shapes: undefined, axes: { m: big, k: big, n: big } },
      /axes: makes 64000000 shapes \(400 × 400 × 400\), over the limit of 10000 cases/,
    ],
    // Parameter lists whose product is large: counted, not expanded.
    [
      "product.json",
      {
        ...base,
        kernels: [{
          kernel: "stl",
          tile: 4,
          rank: big.slice(0, 50),
          encoder: ["random", "auto"],
        }],
        dtypes: ["f32", "f16"],
        shapes: Array.from({ length: 60 }, (_, i) => ({ m: 8, k: 8, n: 8, label: `s${i}` })),
      },
      /expands to 12000 cases .*over the limit of 10000.*--max-cases N/,
    ],
    [
      "dup-entry.json",
      { ...base, kernels: [{ kernel: "dense" }, { kernel: "int4" }, { kernel: "dense" }] },
      /kernels\[2\]: case "dense\/f32\/8x8x8" is also made by kernels\[0\]/,
    ],
    [
      "dup-shape.json",
      { ...base, shapes: [{ m: 8, k: 8, n: 8 }, { m: 4, k: 8, n: 8 }, { m: 8, k: 8, n: 8 }] },
      /shapes: shapes\[0\] and shapes\[2\] are the same shape/,
    ],
    [
      "label.json",
      { ...base, shapes: [{ m: 8, k: 8, n: 8, label: "x\n::error::pwned" }] },
      /shapes\[0\]\.label: must not contain control characters, got "x\\\\x0a::error::pwned"/,
    ],
    [
      "long-label.json",
      { ...base, shapes: [{ m: 8, k: 8, n: 8, label: "x".repeat(100_000) }] },
      /shapes\[0\]\.label: must be at most 200 characters/,
    ],
    [
      "param.json",
      { ...base, kernels: [{ kernel: "stl", encoder: "file", encoderFile: "a\u001b[2J.json" }] },
      /kernels\[0\]\.encoderFile: must not contain control characters/,
    ],
    // STL's fused pipeline was removed: a suite that still asks for it names the allowed params.
    [
      "stl-fused.json",
      { ...base, kernels: [{ kernel: "stl", tile: 2, rank: 7, fused: true }] },
      /stl-fused\.json: kernels\[0\]\.fused: unknown parameter of kernel "stl"; allowed: .*tile, rank, encoder, encoderFile, math$/,
    ],
    [
      "syntax.json",
      '{ "name": "t", secret-token-123 }',
      /syntax\.json: not valid JSON \(line 1, column 16\)$/,
    ],
  ];
  for (const [name, content, re] of table) {
    const path = `${dir}/${name}`;
    Deno.writeTextFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    const r = await runCli("harness/run/main.ts", ["--suite", path, "--out", `${dir}/out-${name}`]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr.trim(), re, name);
    assert.equal(r.stderr.trim().split("\n").length, 1, `${name}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /secret-token|\n\s+at /);
  }
  // --max-cases raises the cap.
  const ok = await runCli("harness/run/main.ts", [
    "--suite",
    `${dir}/product.json`,
    "--max-cases",
    "30000",
    "--filter",
    "nosuch",
    "--out",
    `${dir}/x`,
  ]);
  assert.match(ok.stderr, /matches none of the 12000 cases/);
  // A TS suite whose getter throws: one line naming the file.
  Deno.writeTextFileSync(
    `${dir}/throws.ts`,
    "export default { name: 't', seed: 1, get shapes() { throw new Error('no shapes\\nsecond line'); }, kernels: [{ kernel: 'dense' }] };\n",
  );
  const ts = await runCli("harness/run/main.ts", [
    "--suite",
    `${dir}/throws.ts`,
    "--out",
    `${dir}/y`,
  ]);
  assert.equal(ts.code, 2);
  assert.match(ts.stderr.trim(), /throws\.ts: the default export threw: no shapes$/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("an encoder file that is not JSON is named, its content never quoted", async () => {
  const { parseEncoderJson } = await import("../kernels/stl/encoder_file.ts");
  assert.throws(
    () => parseEncoderJson("API_KEY=hunter2\nmore", 2, 7, "enc.json"),
    (e: Error) =>
      /enc\.json.*not valid JSON \(line 1, column 1\)/.test(e.message) &&
      !e.message.includes("hunter2"),
  );
});

Deno.test("SIGTERM at any moment: exit 143, never a stack trace, a 0-byte or a half file", async () => {
  const dir = Deno.makeTempDirSync();
  const suite = `${dir}/long.json`;
  Deno.writeTextFileSync(
    suite,
    JSON.stringify({
      name: "long",
      seed: 5,
      axes: { m: [8, 16, 24, 32], k: [64], n: [64, 96] },
      kernels: [{ kernel: "dense", tune: { variant: "gemm" } }],
      measure: { minSamples: 20, maxSamples: 20, maxTimeMs: 1000, warmupMs: 20 },
    }),
  );
  // Before the adapter exists, during GPU setup, and once cases are being written.
  for (const [i, when] of [50, 700, "first case"].entries()) {
    const out = `${dir}/out${i}`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}harness/run/main.ts`,
        "--suite",
        suite,
        "--out",
        out,
        "--no-peaks",
      ],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    if (typeof when === "number") await new Promise((r) => setTimeout(r, when));
    else {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          if (JSON.parse(Deno.readTextFileSync(`${out}/results.json`)).results.length > 0) break;
        } catch { /* not yet */ }
      }
    }
    child.kill("SIGTERM");
    const status = await child.status;
    const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    assert.equal(status.code, 143, `${when}: ${stderr}`);
    // At 50 ms Deno may still be loading the modules (the default action, also 143).
    if (when !== 50) assert.match(stderr, /interrupted by SIGTERM/, `${when}`);
    assert.doesNotMatch(stderr, /\n\s+at |panicked/, `${when}`);
    let names: string[] = [];
    try {
      names = [...Deno.readDirSync(out)].map((e) => e.name);
    } catch { /* nothing written yet */ }
    assert.deepEqual(names.filter((n) => n.endsWith(".tmp")), [], `${when}`);
    for (const n of names) {
      const text = Deno.readTextFileSync(`${out}/${n}`);
      assert.ok(text.length > 0, `${when}: ${n} is empty`);
      if (n === "results.json") assert.equal(JSON.parse(text).meta.interrupted, true);
      if (n === "report.html") assert.match(text, /<\/html>\s*$/);
    }
    if (when === "first case") {
      assert.deepEqual(names.sort(), ["report.html", "results.json", "summary.md"]);
    }
  }
  Deno.removeSync(dir, { recursive: true });
});

/** Runs a dense suite of `shapes` on the test device with the sentinel on (`run` adds options). */
async function sentinelRun(
  shapes: { m: number; k: number; n: number }[],
  measure: Record<string, unknown>,
  run: Partial<RunOptions> = {},
) {
  const { QUICK_MEASURE, runInline } = await import("./helpers.ts");
  const suite = { seed: 3, measure: { ...QUICK_MEASURE, ...measure }, shapes };
  return await runInline({ ...suite, kernels: [{ kernel: "dense" }] }, undefined, undefined, {
    sentinel: true,
    ...run,
  });
}

Deno.test({
  name: "GPU: the sentinel is timed around each case and the gate's cases are re-measured",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const asked: string[][] = [];
    const r = await sentinelRun([{ m: 8, k: 32, n: 16 }, { m: 1, k: 32, n: 16 }], {}, {
      confirm: (res: { results: { id: string }[] }) => {
        const ids = [res.results[1]!.id];
        asked.push(ids);
        return ids;
      },
    });
    assert.equal(asked.length, 1);
    for (const c of r.results) {
      const s = c.time!.sentinel!;
      assert.ok(s.referenceMs > 0 && s.beforeMs > 0 && s.afterMs > 0 && s.attempts >= 1, c.id);
      assert.equal(typeof s.flagged, "boolean");
    }
    assert.equal(r.results[0]!.time!.confirm, undefined);
    const confirm = r.results[1]!.time!.confirm!;
    assert.ok(confirm.median > 0 && confirm.samples.length >= 2);
    assert.ok(confirm.sentinel!.referenceMs > 0);
    // The results validate, confirmation included.
    validateRunResults(JSON.parse(JSON.stringify(r)), "r.json");
  },
});

Deno.test({
  name: "GPU: on a GPU the back-to-back figure is read between sentinel readings too",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { testGpu } = await import("./helpers.ts");
    const run = async (fallback: boolean) => {
      const g = await testGpu();
      // The software adapter, taken for a GPU (clocks to raise, the batch guarded) or not.
      const gpu = { ...g, info: { ...g.info, isFallbackAdapter: fallback } };
      return (await sentinelRun([{ m: 1, k: 32, n: 16 }], { batchBelowMs: 1000 }, { gpu }))
        .results[0]!;
    };
    const onGpu = await run(false);
    assert.equal(onGpu.status, "ok", onGpu.reason ?? undefined);
    const s = onGpu.batch!.sentinel!;
    assert.ok(s.referenceMs > 0 && s.beforeMs > 0 && s.afterMs > 0 && s.attempts >= 1);
    assert.ok(onGpu.time!.sentinel!.attempts >= 1);
    const onCpu = await run(true);
    assert.ok(onCpu.batch && onCpu.batch.sentinel === undefined);
    assert.ok(onCpu.time!.sentinel);
  },
});

Deno.test({
  name:
    "GPU: the clocks are primed before each sentinel reading of a case, and after the batch's copies",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { testGpu } = await import("./helpers.ts");
    const g = await testGpu();
    const gpu = { ...g, info: { ...g.info, isFallbackAdapter: false } };
    const events: string[] = [];
    const probe = {
      time: () => Promise.resolve((events.push("read"), 1)),
      settle: () => Promise.resolve((events.push("prime"), 1)),
    };
    const r = (await sentinelRun([{ m: 1, k: 32, n: 16 }], { batchBelowMs: 1000 }, {
      gpu,
      sentinel: probe,
    })).results[0]!;
    assert.equal(r.status, "ok", r.reason ?? undefined);
    assert.equal(r.time!.sentinel!.referenceMs, 1);
    // The run's three reference readings; the isolated measurement primed, then read around; the
    // batch read around, primed once its copies are made (a recheck may follow).
    assert.deepEqual(events.slice(0, 9), [
      ...["read", "read", "read"],
      ...["prime", "read", "read"],
      ...["read", "prime", "read"],
    ]);
  },
});

Deno.test("bench without XDG_RUNTIME_DIR prints no runtime-dir noise; without Vulkan it says GL", async () => {
  const dir = Deno.makeTempDirSync();
  const run = async (env: Record<string, string>, args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${ROOT}harness/run/main.ts`,
        "--filter",
        "dense/f32/1x",
        "--no-peaks",
        ...args,
      ],
      cwd: ROOT,
      clearEnv: true,
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env },
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  const vk = await run({}, ["--out", `${dir}/vk`, "--quiet"]);
  assert.equal(vk.code, 0, vk.stderr);
  assert.doesNotMatch(vk.stderr, /XDG_RUNTIME_DIR/);
  // No Vulkan driver manifest: WebGPU falls back to OpenGL.
  const gl = await run({ VK_ICD_FILENAMES: `${dir}/none.json` }, ["--out", `${dir}/gl`]);
  assert.doesNotMatch(gl.stderr, /XDG_RUNTIME_DIR/);
  if (gl.code === 0) {
    assert.match(gl.stderr, /, OpenGL\n/);
    assert.match(gl.stderr, /warning: WebGPU runs on the OpenGL fallback/);
    const results = JSON.parse(Deno.readTextFileSync(`${dir}/gl/results.json`));
    assert.equal(results.meta.adapter.backend.guess, "gl");
    assert.match(Deno.readTextFileSync(`${dir}/gl/summary.md`), /OpenGL fallback/);
    const strict = await run({ VK_ICD_FILENAMES: `${dir}/none.json` }, [
      "--out",
      `${dir}/gl2`,
      "--require-adapter",
      "vulkan",
    ]);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /--require-adapter vulkan: WebGPU runs on the OpenGL fallback/);
  } else {
    // No GL driver either: no adapter at all, a usage error naming how to get one.
    assert.equal(gl.code, 2, gl.stderr);
  }
  Deno.removeSync(dir, { recursive: true });
});
