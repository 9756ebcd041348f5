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

Deno.test("package: a benchmark installs Chart.js, never playwright-core", () => {
  // Deno installs every npm package of the import map and of deno.lock (nodeModulesDir auto),
  // so playwright-core must be in neither: the browser helpers fetch it on demand.
  assert.ok(!("playwright-core" in denoJson.imports));
  assert.ok("chart.js" in denoJson.imports);
  assert.doesNotMatch(Deno.readTextFileSync(`${ROOT}deno.lock`), /playwright/);
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
