import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStore, STORE_VERSION, StoreError } from "../harness/history/store.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { ROOT, runCli } from "./run_cli.ts";

const tmp = () => Deno.makeTempDirSync({ prefix: "tilebench-store-" });

function run(startedAt: string, commit: string, scale = 1) {
  const r = syntheticResults({ shapes: [{ m: 64, k: 64, n: 64 }], dtypes: ["f32"] });
  r.meta.startedAt = startedAt;
  r.meta.tool.commit = commit;
  for (const c of r.results) {
    if (!c.time) continue;
    c.time.samples = c.time.samples.map((s) => s * scale);
    c.time.median *= scale;
  }
  return r;
}

Deno.test("store: a run is recorded with its cases and raw samples, and loads back", () => {
  const dir = tmp();
  const store = openStore(`${dir}/h.db`);
  const r = run("2025-06-01T12:00:00.000Z", "a".repeat(40));
  const out = store.record(r, { branch: "main", source: "r.json" });
  assert.equal(out.added, true);
  assert.equal(out.cases, r.results.length);
  // The same file again is one run, not two.
  assert.equal(store.record(r, { branch: "main" }).added, false);
  const runs = store.runs({});
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.branch, "main");
  assert.equal(runs[0]!.commit, "a".repeat(40));
  assert.equal(runs[0]!.cases, r.results.length);
  const back = store.load(out.runId);
  assert.deepEqual(back.results.map((c) => c.id), r.results.map((c) => c.id));
  const timed = r.results.find((c) => c.time)!;
  assert.deepEqual(back.results.find((c) => c.id === timed.id)!.time!.samples, timed.time!.samples);
  assert.deepEqual(back.meta, r.meta);
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("store: trends list a case across runs in time order, filtered by adapter", () => {
  const dir = tmp();
  const store = openStore(`${dir}/h.db`);
  store.record(run("2025-06-02T00:00:00.000Z", "b".repeat(40), 1.2), { branch: "main" });
  store.record(run("2025-06-01T00:00:00.000Z", "a".repeat(40)), { branch: "main" });
  const id = store.load(1).results.find((c) => c.status === "ok")!.id;
  const t = store.trend({ caseId: id });
  assert.ok(t.length >= 2);
  const mine = t.filter((p) => p.caseId === id);
  assert.deepEqual(mine.map((p) => p.commit![0]), ["a", "b"]);
  assert.ok(Math.abs(mine[1]!.median! / mine[0]!.median! - 1.2) < 1e-9);
  assert.equal(store.trend({ caseId: id, adapter: "no such gpu" }).length, 0);
  assert.equal(store.runs({ branch: "main", limit: 1 })[0]!.commit![0], "b");
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("store: an older store is migrated on open and keeps its runs", () => {
  const dir = tmp();
  const old = openStore(`${dir}/h.db`, { upTo: 1 });
  assert.equal(old.version, 1);
  old.close();
  // A version-1 run written by hand (version 1 had no shard column).
  const db = new DatabaseSync(`${dir}/h.db`);
  db.exec(`INSERT INTO runs (run_key, suite, seed, adapter, adapter_json, complete, recorded_at,
    meta_json) VALUES ('k', 'smoke', 1, 'gpu', '{}', 1, 'now', '{}')`);
  db.close();
  const store = openStore(`${dir}/h.db`);
  assert.equal(store.version, STORE_VERSION);
  const runs = store.runs({});
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.shard, null);
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("store: a store from a newer tilebench, or another SQLite file, is a clear error", () => {
  const dir = tmp();
  const db = new DatabaseSync(`${dir}/new.db`);
  db.exec(`PRAGMA user_version = ${STORE_VERSION + 1}`);
  db.close();
  assert.throws(
    () => openStore(`${dir}/new.db`),
    (e: Error) =>
      e instanceof StoreError && e.message.includes(`store version ${STORE_VERSION + 1}`) &&
      e.message.includes("newer tilebench"),
  );
  const other = new DatabaseSync(`${dir}/other.db`);
  other.exec("CREATE TABLE t (x)");
  other.close();
  assert.throws(() => openStore(`${dir}/other.db`), /not a tilebench store/);
  assert.throws(() => openStore(`${dir}/missing.db`, { readOnly: true }), /no store there/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("store: two processes recording at once lose nothing and leave it intact", async () => {
  const dir = tmp();
  const path = `${dir}/h.db`;
  const writer = (tag: string) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}tests/fixtures/store_writer.ts`, path, tag, "12"],
      stdout: "piped",
      stderr: "piped",
    }).output();
  const outs = await Promise.all([writer("one"), writer("two")]);
  for (const o of outs) assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
  const store = openStore(path, { readOnly: true });
  assert.equal(store.runs({ branch: "one" }).length, 12);
  assert.equal(store.runs({ branch: "two" }).length, 12);
  const cases = store.runs({})[0]!.cases;
  assert.ok(store.runs({}).every((r) => r.cases === cases));
  store.close();
  const db = new DatabaseSync(path);
  assert.deepEqual(
    { ...db.prepare("PRAGMA integrity_check").get() as object },
    { integrity_check: "ok" },
  );
  db.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("record and history CLIs: record files, list runs, show a case's trend", async () => {
  const dir = tmp();
  const a = run("2025-06-01T00:00:00.000Z", "a".repeat(40));
  const b = run("2025-06-02T00:00:00.000Z", "b".repeat(40), 1.5);
  Deno.writeTextFileSync(`${dir}/a.json`, JSON.stringify(a));
  Deno.writeTextFileSync(`${dir}/b.json`, JSON.stringify(b));
  const db = `${dir}/h.db`;
  let r = await runCli("harness/history/main.ts", [
    "record",
    `${dir}/a.json`,
    `${dir}/b.json`,
    "--store",
    db,
    "--branch",
    "main",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /recorded .*a\.json: run 1/);
  r = await runCli("harness/history/main.ts", ["history", "--store", db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /aaaaaaa\s+main/);
  assert.match(r.stdout, /bbbbbbb\s+main/);
  const id = a.results.find((c) => c.status === "ok" && !c.batch)!.id;
  r = await runCli("harness/history/main.ts", ["history", "--store", db, "--case", id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\+50\.0%/);
  // Bad input: a missing file, a missing store, an unknown flag.
  r = await runCli("harness/history/main.ts", ["record", `${dir}/nope.json`, "--store", db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nope\.json: file not found/);
  r = await runCli("harness/history/main.ts", ["history", "--store", `${dir}/none.db`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /none\.db: no store there/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("bench --record appends the finished run to the store", async () => {
  const dir = tmp();
  const r = await runCli("harness/run/main.ts", [
    "--suite",
    "smoke",
    "--filter",
    "dense/f32",
    "--no-peaks",
    "--max-time-ms",
    "1",
    "--min-samples",
    "2",
    "--quiet",
    "--out",
    `${dir}/out`,
    "--record",
    `${dir}/h.db`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const store = openStore(`${dir}/h.db`, { readOnly: true });
  const runs = store.runs({});
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.suite, "smoke");
  const saved = JSON.parse(Deno.readTextFileSync(`${dir}/out/results.json`));
  assert.equal(runs[0]!.cases, saved.results.length);
  store.close();
  Deno.removeSync(dir, { recursive: true });
});
