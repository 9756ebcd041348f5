import assert from "node:assert/strict";
import { baselinePair, syntheticResults } from "./fixtures/report_results.ts";
import { ROOT, runCli } from "./run_cli.ts";

const report = (args: string[], cwd = ROOT) => runCli("harness/report/main.ts", args, { cwd });

function write(path: string, value: unknown): string {
  Deno.writeTextFileSync(path, JSON.stringify(value));
  return path;
}

Deno.test("deno task report re-renders report.html and summary.md next to results.json", async () => {
  const dir = Deno.makeTempDirSync();
  const results = write(`${dir}/results.json`, syntheticResults());
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "report", results],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stderr, /report: .*report\.html/);
  const html = Deno.readTextFileSync(`${dir}/report.html`);
  assert.match(html, /Chart\.js v4/);
  assert.match(html, /id="tilebench-data"/);
  assert.match(Deno.readTextFileSync(`${dir}/summary.md`), /## Best per shape/);
});

Deno.test("report works from another working directory, with a baseline, verdicts and --out", async () => {
  const dir = Deno.makeTempDirSync();
  const p = baselinePair();
  const cur = write(`${dir}/current.json`, p.current);
  const base = write(`${dir}/base.json`, p.baseline);
  const verdicts = write(`${dir}/gate.json`, {
    pass: false,
    verdicts: [{ id: p.slowerId, verdict: "slower", reason: "+25% (Mann-Whitney U, p < 0.001)" }],
  });
  // cwd is a fresh directory with no deno.json and no node_modules.
  const r = await report(
    [cur, "--baseline", base, "--verdicts", verdicts, "--out", `${dir}/out`, "--quiet"],
    dir,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const html = Deno.readTextFileSync(`${dir}/out/report.html`);
  assert.match(html, /Chart\.js v4/);
  const model = JSON.parse(
    /<script id="tilebench-data" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!,
  );
  assert.equal(model.baseline.hasVerdicts, true);
  const slower = model.cases.find((c: { id: string }) => c.id === p.slowerId);
  assert.equal(slower.verdict, "slower");
  assert.equal(slower.regression, true);
  const md = Deno.readTextFileSync(`${dir}/out/summary.md`);
  assert.match(md, /## Regressions vs baseline \(1\)/);
  assert.match(md, /Mann-Whitney U/);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "base.json",
    "current.json",
    "gate.json",
    "out",
  ]);
});

Deno.test("report input errors exit 2 naming the file and the field, without a stack trace", async () => {
  const dir = Deno.makeTempDirSync();
  const good = syntheticResults();
  const broken = structuredClone(good);
  // deno-lint-ignore no-explicit-any
  (broken.results[5] as any).flops = { total: "many" };
  write(`${dir}/broken.json`, broken);
  Deno.writeTextFileSync(`${dir}/trunc.json`, '{"schemaVersion": 1, "meta": {');
  write(`${dir}/good.json`, good);
  const cases: [string[], RegExp][] = [
    [[`${dir}/missing.json`], /error: .*missing\.json: cannot read the file \(no such file\)/],
    [[`${dir}/trunc.json`], /error: .*trunc\.json: not valid JSON/],
    [
      [`${dir}/broken.json`],
      /error: .*broken\.json: results\[5\]\.flops\.total: must be a number ≥ 0; got "many"/,
    ],
    [
      [`${dir}/good.json`, "--baseline", `${dir}/nope.json`],
      /error: .*nope\.json: cannot read the file/,
    ],
    [[`${dir}/good.json`, "--verdicts", `${dir}/good.json`], /--verdicts needs --baseline/],
    [
      [`${dir}/good.json`, "--baseline", `${dir}/good.json`, "--verdicts", `${dir}/good.json`],
      /good\.json: verdicts: must be a list of \{id, verdict\}/,
    ],
    [
      [`${dir}/good.json`, "--threshold", "lots"],
      /--threshold must be a positive percentage like 5%, got "lots"/,
    ],
    [[], /expected one RESULTS\.json, got 0/],
    [["a.json", "b.json"], /expected one RESULTS\.json, got 2: a\.json b\.json/],
    [["--frobnicate"], /frobnicate/],
  ];
  for (const [args, re] of cases) {
    const r = await report(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  }
  assert.ok(!Deno.readDirSync(dir).some((e) => e.name.endsWith(".html")), "nothing written");
});
