import assert from "node:assert/strict";
import { CSV_COLUMNS, toBmf, toCsv, toGab } from "../harness/history/export.ts";
import { syntheticResults } from "./fixtures/report_results.ts";
import { runCli } from "./run_cli.ts";

/** An RFC 4180 parser, independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"', i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(cell), cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell), rows.push(row), row = [], cell = "", i++;
    } else cell += ch;
  }
  assert.equal(cell, "", "the CSV ends with a line break");
  return rows;
}

const run = syntheticResults();
// A reason with a comma, a quote and a line break must survive the round trip.
const failed = run.results.find((r) => r.status !== "ok")!;
failed.reason = 'bad "input",\nsecond line';

Deno.test("export csv: parses back to one row per case with the same figures", () => {
  const rows = parseCsv(toCsv(run));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, run.results.length + 1);
  const col = (name: string) => CSV_COLUMNS.indexOf(name as never);
  for (const [i, r] of run.results.entries()) {
    const row = rows[i + 1]!;
    assert.equal(row.length, CSV_COLUMNS.length);
    assert.equal(row[col("id")], r.id);
    assert.equal(row[col("status")], r.status);
    assert.equal(row[col("reason")], r.reason ?? "");
    if (r.time) assert.equal(Number(row[col("median_ms")]), r.time.median);
    else assert.equal(row[col("median_ms")], "");
    assert.equal(Number(row[col("m")]), r.shape.m);
  }
});

Deno.test("export bmf: every ok case has latency in ns with its CI as bounds", () => {
  const bmf = JSON.parse(JSON.stringify(toBmf(run)));
  const ok = run.results.filter((r) => r.status === "ok");
  assert.deepEqual(Object.keys(bmf).sort(), ok.map((r) => r.id).sort());
  for (const r of ok) {
    const lat = bmf[r.id].latency;
    assert.equal(lat.value, r.time!.median * 1e6);
    assert.ok(lat.lower_value <= lat.value && lat.value <= lat.upper_value);
    for (const [measure, m] of Object.entries(bmf[r.id] as Record<string, { value: unknown }>)) {
      assert.match(measure, /^[a-z][a-z-]*$/);
      assert.equal(typeof m.value, "number");
    }
    assert.equal("batch-latency" in bmf[r.id], r.batch !== null);
  }
});

Deno.test("export gab: customSmallerIsBetter entries with name, unit, numeric value", () => {
  const gab = JSON.parse(JSON.stringify(toGab(run)));
  assert.ok(Array.isArray(gab) && gab.length > 0);
  const names = new Set<string>();
  for (const e of gab) {
    assert.equal(typeof e.name, "string");
    assert.ok(!names.has(e.name), `duplicate name ${e.name}`);
    names.add(e.name);
    assert.equal(e.unit, "us");
    assert.ok(typeof e.value === "number" && e.value > 0);
    assert.match(e.range, /^± [0-9.e-]+$/);
  }
  const first = run.results.find((r) => r.status === "ok")!;
  const entry = gab.find((e: { name: string }) => e.name === first.id);
  assert.ok(Math.abs(entry.value - first.time!.median * 1000) / entry.value < 1e-5);
});

Deno.test("export CLI: writes each format; a bad format is a usage error", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/r.json`, JSON.stringify(run));
  for (const format of ["csv", "bmf", "gab"]) {
    const r = await runCli("harness/history/main.ts", [
      "export",
      `${dir}/r.json`,
      "--format",
      format,
      "--out",
      `${dir}/out.${format}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const text = Deno.readTextFileSync(`${dir}/out.${format}`);
    if (format === "csv") assert.equal(parseCsv(text).length, run.results.length + 1);
    else assert.ok(JSON.parse(text));
  }
  const r = await runCli("harness/history/main.ts", ["export", `${dir}/r.json`, "--format", "xml"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be one of csv, bmf, gab; got "xml"/);
  Deno.removeSync(dir, { recursive: true });
});
