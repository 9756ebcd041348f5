import assert from "node:assert/strict";
import { ROOT } from "./run_cli.ts";

const denoJson = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));

Deno.test("package: MIT LICENSE, publish settings that leave data and reports out", () => {
  const license = Deno.readTextFileSync(`${ROOT}LICENSE`);
  assert.match(license, /^MIT License/);
  assert.match(license, /Copyright \(c\) \d{4} tilebench contributors/);
  assert.equal(denoJson.license, "MIT");
  for (const dir of ["reports/", "baselines/", "data/", "site/", "docs/**/*.png", "tests/"]) {
    assert.ok(denoJson.publish.exclude.includes(dir), dir);
  }
  for (const [sub, path] of Object.entries(denoJson.exports as Record<string, string>)) {
    assert.ok(Deno.statSync(`${ROOT}${path}`).isFile, `${sub}: ${path}`);
  }
});

Deno.test("package: a benchmark needs no npm package, and `deno task` installs none", async () => {
  // `deno task` (any task) first installs every npm package of the import map and of deno.lock,
  // and so does a run's first npm import. The task wing's TensorFlow.js and the peers' ONNX
  // Runtime would make that hundreds of MB for a plain bench, and impossible offline: they are
  // pinned where they are imported, the import map holds no npm package, there is no lockfile,
  // and the bench, report and gate module graphs hold no npm module (Chart.js is vendored,
  // playwright-core is fetched on demand).
  // The one npm entry: TensorFlow.js's node bundle requires `long` (4.x API) without declaring
  // it, and ONNX Runtime Web brings long 5; as a root dependency, long 4 is what that require finds.
  assert.deepEqual(denoJson.imports, { long: "npm:long@4.0.0" });
  assert.equal(denoJson.lock, false);
  assert.throws(() => Deno.statSync(`${ROOT}deno.lock`), Deno.errors.NotFound);
  for (const entry of ["harness/run/main.ts", "harness/report/main.ts", "harness/gate/main.ts"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", `${ROOT}${entry}`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const graph = JSON.parse(new TextDecoder().decode(out.stdout));
    const npm = (graph.modules as { specifier: string; kind: string }[])
      .filter((m) => m.kind === "npm" || m.specifier.startsWith("npm:"))
      .map((m) => m.specifier);
    assert.ok(graph.modules.length > 20, `${entry}: the graph was read`);
    assert.deepEqual(npm, [], `${entry} imports npm packages`);
  }
});

Deno.test("package: every task names its permissions; writes are scoped to output folders", () => {
  const tasks = denoJson.tasks as Record<string, string>;
  for (const name of ["bench", "report", "record", "export", "merge", "publish"]) {
    const t = tasks[name]!;
    assert.doesNotMatch(t, /--allow-all|(^| )-A( |$)/, name);
    assert.match(t, /--allow-write=reports/, name);
    assert.doesNotMatch(t, /--allow-run( |$)/, `${name}: --allow-run names its programs`);
  }
  assert.match(tasks.history!, /--allow-read=reports /);
  assert.doesNotMatch(tasks.history!, /--allow-write/);
  assert.match(tasks.gate!, /--allow-env=GITHUB_STEP_SUMMARY /);
});

Deno.test("package: the history tasks work under their scoped permissions", async () => {
  const rel = `reports/.task-test-${crypto.randomUUID().slice(0, 8)}`;
  const dir = `${ROOT}${rel}`;
  Deno.mkdirSync(dir, { recursive: true });
  const task = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", ...args],
      cwd: ROOT,
      env: { GITHUB_HEAD_REF: "", GITHUB_REF_NAME: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  };
  try {
    const { syntheticResults } = await import("./fixtures/report_results.ts");
    const run = syntheticResults();
    run.meta.shard = { index: 1, count: 1 };
    Deno.writeTextFileSync(`${dir}/r.json`, JSON.stringify(run));
    let r = await task("record", `${rel}/r.json`, "--store", `${rel}/h.db`, "--branch", "main");
    assert.equal(r.code, 0, r.stderr);
    r = await task("history", "--store", `${rel}/h.db`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /main/);
    r = await task("export", `${rel}/r.json`, "--format", "bmf", "--out", `${rel}/r.bmf.json`);
    assert.equal(r.code, 0, r.stderr);
    r = await task("merge", `${rel}/r.json`, "--out", `${rel}/merged`, "--quiet");
    assert.equal(r.code, 0, r.stderr);
    r = await task("publish", "--store", `${rel}/h.db`, "--out", `${rel}/site`, "--quiet");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Deno.statSync(`${dir}/site/index.html`).isFile);
    // Outside the task's folders: a one-line error, exit 2.
    const outside = Deno.makeTempDirSync({ dir: "/var/tmp" });
    r = await task("export", `${rel}/r.json`, "--format", "csv", "--out", `${outside}/x.csv`);
    Deno.removeSync(outside, { recursive: true });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Requires write access to .*allowed to write only under reports\//s);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("package: bench refuses an --out its task may not write before any GPU work", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "bench", "--suite", "smoke", "--out", "/var/tmp/tilebench-refused"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 2, stderr);
  assert.match(stderr, /--out \/var\/tmp\/tilebench-refused: this command may not write there/);
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  assert.equal(new TextDecoder().decode(out.stdout), ""); // no adapter line, no peaks
});
