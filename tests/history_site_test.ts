import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { readResults } from "../harness/history/files.ts";
import { buildSite } from "../harness/history/site.ts";
import { openStore } from "../harness/history/store.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { ROOT, runCli } from "./run_cli.ts";

function* files(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* files(p);
    else yield p;
  }
}

Deno.test("publish: index, run pages, reports and trend pages whose links all resolve", () => {
  const dir = Deno.makeTempDirSync();
  const store = openStore(`${dir}/h.db`);
  for (const [i, adapter] of ["GPU A", "GPU A", "GPU B"].entries()) {
    const r = syntheticResults({ adapter, shapes: [{ m: 64, k: 64, n: 64 }], dtypes: ["f32"] });
    r.meta.startedAt = `2025-06-0${i + 1}T00:00:00.000Z`;
    r.meta.tool.commit = String(i).repeat(40);
    store.record(r, { branch: "main", source: `run${i}.json` });
  }
  const out = `${dir}/site`;
  const s = buildSite(store, out, { title: "my runs" });
  store.close();
  assert.equal(s.runs, 3);
  const index = Deno.readTextFileSync(`${out}/index.html`);
  assert.match(index, /<h2>GPU A<\/h2>/);
  assert.match(index, /<h2>GPU B<\/h2>/);
  assert.match(index, /my runs/);
  const html = [...files(out)].filter((f) => f.endsWith(".html"));
  const reports = html.filter((f) => f.endsWith("report.html"));
  assert.equal(reports.length, 3);
  const trends = html.filter((f) => f.includes("/trends/") && !f.endsWith("index.html"));
  assert.equal(trends.length, s.trendPages);
  // Every relative link of every page we wrote (not the reports) points at a file that exists.
  let links = 0;
  for (const f of html.filter((f) => !f.endsWith("report.html"))) {
    for (const m of Deno.readTextFileSync(f).matchAll(/href="([^"#:]+)"/g)) {
      links++;
      assert.ok(
        Deno.statSync(join(dirname(f), m[1]!)).isFile,
        `${f}: ${m[1]} does not exist`,
      );
    }
  }
  assert.ok(links > 20);
  // A trend page charts the case with its noise band, per adapter.
  const trend = Deno.readTextFileSync(trends.find((f) => f.includes("dense"))!);
  assert.match(trend, /<svg class="trend"/);
  assert.match(trend, /class="band"/);
  assert.match(trend, /<h2>GPU A<\/h2>[\s\S]*<h2>GPU B<\/h2>/);
  assert.match(Deno.readTextFileSync(`${out}/style.css`), /prefers-color-scheme: dark/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("data/runs: every kept run is a valid results file, and the CLI publishes them", async () => {
  const dataDir = `${ROOT}data/runs`;
  const kept = [...files(dataDir)].filter((f) => f.endsWith(".json.gz"));
  assert.ok(kept.length >= 80, `${kept.length} runs`);
  for (const f of kept) assert.ok(readResults(f).results.length > 0, f);
  const dir = Deno.makeTempDirSync();
  // Two files of one run set, imported from a copy, then published.
  Deno.mkdirSync(`${dir}/in`);
  for (const f of kept.slice(0, 2)) Deno.copyFileSync(f, `${dir}/in/${f.split("/").pop()}`);
  const r = await runCli("harness/history/main.ts", [
    "publish",
    "--import",
    `${dir}/in`,
    "--store",
    `${dir}/h.db`,
    "--out",
    `${dir}/site`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /imported 2 file\(s\)/);
  assert.match(r.stderr, /site: .*index\.html \(2 run\(s\)/);
  const bad = await runCli("harness/history/main.ts", ["publish", "--store", `${dir}/h.db`]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--out DIR is required/);
  Deno.removeSync(dir, { recursive: true });
});
