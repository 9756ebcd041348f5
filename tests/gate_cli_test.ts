import assert from "node:assert/strict";
import { confirmed, fakeCase, fakeRun } from "./fixtures/gate_runs.ts";
import { ROOT, runCli } from "./run_cli.ts";

const gate = (args: string[], env: Record<string, string> = {}) =>
  runCli("harness/gate/main.ts", args, { env });
const bench = (args: string[]) => runCli("harness/run/main.ts", args);

const BASE = [1.0, 1.04, 0.97, 1.02, 0.99, 1.01, 1.03, 0.98, 1.0, 1.05];

function files() {
  const dir = Deno.makeTempDirSync();
  const write = (name: string, value: unknown) => {
    const path = `${dir}/${name}`;
    Deno.writeTextFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
    return path;
  };
  return { dir, write };
}

Deno.test("gate CLI: exit 0 on pass, 1 on regression; markdown, JSON and step summary written", async () => {
  const { dir, write } = files();
  const base = write("base.json", fakeRun([fakeCase("a", BASE), fakeCase("b", BASE)]));
  const same = write(
    "same.json",
    fakeRun([fakeCase("a", [...BASE].reverse()), fakeCase("b", BASE.map((x) => x / 2))]),
  );
  const slow = write(
    "slow.json",
    fakeRun([fakeCase("a", BASE), confirmed(fakeCase("b", BASE.map((x) => 2 * x)))]),
  );
  let r = await gate(["--baseline", base, "--current", same]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /## tilebench gate: PASS/);
  assert.match(r.stdout, /\| faster \| b \|/);
  const summary = `${dir}/summary.md`;
  Deno.writeTextFileSync(summary, "earlier step\n");
  r = await gate([
    "--baseline",
    base,
    "--current",
    slow,
    "--markdown",
    `${dir}/out/gate.md`,
    "--json",
    `${dir}/out/gate.json`,
  ], { GITHUB_STEP_SUMMARY: summary });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /## tilebench gate: FAIL — 1 regression/);
  const md = Deno.readTextFileSync(`${dir}/out/gate.md`);
  assert.equal(md.trim(), r.stdout.trim());
  assert.ok(Deno.readTextFileSync(summary).startsWith("earlier step\n## tilebench gate: FAIL"));
  const json = JSON.parse(Deno.readTextFileSync(`${dir}/out/gate.json`));
  assert.equal(json.passed, false);
  assert.equal(json.exitCode, 1);
  assert.equal(json.cases[0].id, "b");
  assert.equal(json.cases[0].verdict, "slower");
  assert.equal(json.cases[0].time.test, "mann-whitney");
  // A looser threshold from the command line lets the 2× slowdown through.
  r = await gate(["--baseline", base, "--current", slow, "--threshold", "150%"]);
  assert.equal(r.code, 0, r.stdout);
  // So does a config file.
  const config = write("gate.json", { kernels: { dense: { time: { threshold: 1.5 } } } });
  r = await gate(["--baseline", base, "--current", slow, "--config", config]);
  assert.equal(r.code, 0, r.stdout);
});

Deno.test("gate CLI: exit 2 with a message naming the file and field, no stack trace", async () => {
  const { dir, write } = files();
  const base = write("base.json", fakeRun([fakeCase("a", BASE)]));
  const other = write(
    "other.json",
    fakeRun([fakeCase("a", BASE)], {
      adapter: { ...fakeRun([]).meta.adapter, description: "Other GPU" },
    }),
  );
  const badJson = write("bad.json", "{ not json");
  const old = write("old.json", { ...fakeRun([]), schemaVersion: 0 });
  const badSamples = write(
    "samples.json",
    (() => {
      const r = fakeRun([fakeCase("a", BASE)]);
      (r.results[0]!.time!.samples as unknown[])[1] = -1;
      return r;
    })(),
  );
  const badConfig = write("cfg.json", { time: { alpha: 7 } });
  const cases: [string[], RegExp][] = [
    [["--baseline", `${dir}/nope.json`, "--current", base], /nope\.json: file not found/],
    [["--baseline", base, "--current", badJson], /bad\.json: not valid JSON \(/],
    [["--baseline", old, "--current", base], /old\.json: schemaVersion: must be 1 .*got 0/],
    [
      ["--baseline", base, "--current", badSamples],
      /samples\.json: results\[0\]\.time\.samples\[1\]: must be a positive number; got -1/,
    ],
    [
      ["--baseline", base, "--current", other],
      /different adapters \(description: "Test GPU" vs "Other GPU"\).*--allow-device-mismatch/,
    ],
    [
      ["--baseline", base, "--current", base, "--config", badConfig],
      /cfg\.json: time\.alpha: must be a number in \(0, 0\.5\]; got 7/,
    ],
    [["--baseline", base], /--current FILE is required/],
    [["--baseline", base, "--current", base, "--threshold", "lots"], /--threshold must be a/],
    [["--baseline", base, "--current", base, "--alpha", "0"], /--alpha must be a number/],
    [["--frobnicate"], /frobnicate/],
  ];
  for (const [args, re] of cases) {
    const r = await gate(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  }
  const r = await gate(["--baseline", base, "--current", other, "--allow-device-mismatch"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /warning: adapters differ/);
});

Deno.test("two real smoke runs on this machine pass the gate; bench --baseline gates in one command", async () => {
  const dir = Deno.makeTempDirSync();
  const config = `${ROOT}.ci/gate-llvmpipe.json`;
  let r = await bench(["--suite", "smoke", "--out", `${dir}/a`, "--no-peaks", "--quiet"]);
  assert.equal(r.code, 0, r.stderr);
  r = await bench([
    "--suite",
    "smoke",
    "--out",
    `${dir}/b`,
    "--no-peaks",
    "--quiet",
    "--baseline",
    `${dir}/a/results.json`,
    "--gate-config",
    config,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /## tilebench gate: PASS/);
  const verdict = JSON.parse(Deno.readTextFileSync(`${dir}/b/gate.json`));
  assert.equal(verdict.passed, true);
  assert.ok(verdict.cases.length > 0);
  for (const c of verdict.cases) {
    assert.ok(!c.regression, `${c.id}: ${c.verdict} ${c.summary}`);
    // Accuracy and FLOPs are deterministic for a seed: identical in both runs.
    for (const check of c.checks) assert.equal(check.current, check.baseline, check.metric);
  }
  assert.match(Deno.readTextFileSync(`${dir}/b/gate.md`), /tilebench gate: PASS/);
  // The run's own summary and report were re-rendered with the baseline and the gate's verdicts.
  assert.match(Deno.readTextFileSync(`${dir}/b/summary.md`), /Regressions vs baseline \(0\)/);
  assert.match(Deno.readTextFileSync(`${dir}/b/summary.md`), /\| verdict \|/);
  r = await gate([
    "--baseline",
    `${dir}/a/results.json`,
    "--current",
    `${dir}/b/results.json`,
    "--config",
    config,
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // A bad baseline stops bench before any GPU work.
  r = await bench(["--suite", "smoke", "--out", `${dir}/c`, "--baseline", `${dir}/none.json`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /none\.json: file not found/);
  assert.throws(() => Deno.statSync(`${dir}/c`));
});
