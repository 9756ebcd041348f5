import assert from "node:assert/strict";
import { caseId, expandCases, loadSuite, SuiteError, validateSuite } from "../harness/suite/mod.ts";
import { listBuiltinSuites, listExperimentSuites } from "../harness/suite/load.ts";
import { builtinKernels } from "../kernels/mod.ts";

const base = {
  name: "t",
  seed: 1,
  shapes: [{ m: 4, k: 8, n: 4 }],
  dtypes: ["f32"],
  kernels: [{ kernel: "dense" }],
};

function rejects(patch: Record<string, unknown>, field: string, text: RegExp): void {
  const input = { ...base, ...patch };
  assert.throws(
    () => validateSuite(input, "suites/bad.json", builtinKernels),
    (e: unknown) => {
      assert.ok(e instanceof SuiteError, `not a SuiteError: ${e}`);
      assert.equal(e.file, "suites/bad.json");
      assert.equal(e.field, field);
      assert.match(e.message, text);
      assert.ok(e.message.startsWith(`suites/bad.json: ${field}`), e.message);
      return true;
    },
  );
}

Deno.test("suite validation names the file, the field and what is allowed", () => {
  rejects({ kernels: [{ kernel: "nope" }] }, "kernels[0].kernel", /must be one of "dense"/);
  rejects({ shapes: [{ m: 0, k: 8, n: 4 }] }, "shapes[0].m", /must be in \[1, /);
  rejects({ shapes: [{ m: -3, k: 8, n: 4 }] }, "shapes[0].m", /got -3/);
  rejects({ shapes: [{ m: "4", k: 8, n: 4 }] }, "shapes[0].m", /must be an integer, got "4"/);
  rejects(
    { shapes: [{ m: 4, k: 8, n: 4, q: 1 }] },
    "shapes[0].q",
    /unknown field; allowed: m, k, n, label/,
  );
  rejects({ colour: "red" }, "colour", /unknown field/);
  rejects({ dtypes: ["f64"] }, "dtypes[0]", /must be one of "f32", "f16"; got "f64"/);
  rejects(
    { kernels: [{ kernel: "dense", tune: { tile: "999x1" } }] },
    "kernels[0].tune.tile",
    /must be one of "auto"/,
  );
  rejects(
    { kernels: [{ kernel: "dense", bogus: 1 }] },
    "kernels[0].bogus",
    /unknown parameter of kernel "dense"; allowed: kernel, dtypes, tune, math$/,
  );
  rejects(
    { kernels: [{ kernel: "stl", bogus: 1 }] },
    "kernels[0].bogus",
    /unknown parameter of kernel "stl"; allowed: kernel, dtypes, tune, tile, rank/,
  );
  // A tuning knob written among the parameters is named as one.
  rejects(
    { kernels: [{ kernel: "dense", tile: "64x64" }] },
    "kernels[0].tile",
    /unknown parameter of kernel "dense" \(a tuning knob: write it in "tune"\)/,
  );
  rejects(
    { kernels: [{ kernel: "dense", tune: { bogus: "1" } }] },
    "kernels[0].tune.bogus",
    /unknown tuning knob of kernel "dense"; allowed: variant, tile, splitK, f16io, gemvSlices, .*, halfCarry$/,
  );
  rejects({ kernels: [{ kernel: "dense", tune: [] }] }, "kernels[0].tune", /must be an object/);
  rejects(
    { kernels: [{ kernel: "dense", tune: { variant: [] } }] },
    "kernels[0].tune.variant",
    /empty array/,
  );
  rejects({ measure: { minSamples: 0 } }, "measure.minSamples", /\[1, 100000\]/);
  rejects({ measure: { l2: "hot" } }, "measure.l2", /"warm", "cold"/);
  rejects(
    { data: { x: "zipf" } },
    "data.x",
    /must be one of "gaussian", "uniform", "llm-activations", "llm-weights"/,
  );
  rejects(
    { data: { x: { dist: "gaussian", outlierScale: 2 } } },
    "data.x.outlierScale",
    /unknown field; allowed: dist, std/,
  );
  rejects({ seed: 1.5 }, "seed", /integer/);
  rejects({ shapes: undefined }, "shapes", /needs "shapes"/);
  rejects({ axes: { m: [1], k: [2], n: [3] } }, "shapes", /not both/);
  rejects({ name: "a b" }, "name", /letters/);
  rejects(
    { kernels: [{ kernel: "dense", dtypes: ["f16"] }] },
    "kernels[0].dtypes",
    /not among the suite's dtypes/,
  );
});

Deno.test("axes and array params expand into cases; ids are stable", () => {
  const s = validateSuite(
    {
      ...base,
      shapes: undefined,
      axes: { m: [1, 16], k: [32], n: [8, 24] },
      dtypes: ["f32", "f16"],
      kernels: [{ kernel: "dense", tune: { variant: ["gemm", "gemv"] } }],
    },
    "<suite>",
    builtinKernels,
  );
  const cases = expandCases(s, builtinKernels);
  assert.equal(cases.length, 2 * 2 * 2 * 2);
  assert.equal(cases[0]!.id, "dense(variant=gemm)/f32/1x32x8");
  // gemv on M = 16 is a skip, known before GPU work.
  const skipped = cases.filter((c) => c.skip);
  assert.equal(skipped.length, 4);
  assert.match(skipped[0]!.skip!, /M ≤ 8/);
  assert.equal(expandCases(s, builtinKernels, "GEMV)/F16").length, 4);
  assert.equal(expandCases(s, builtinKernels, "gemv)/f16|gemm)/f32/1x").length, 6);
  assert.equal(
    caseId("dense", {}, "f32", { m: 1, k: 2, n: 3, label: "x.y" }),
    "dense/f32/1x2x3@x.y",
  );
  // defaults are filled in but not shown in ids
  assert.equal(cases[0]!.tune.tile, "auto");
  assert.deepEqual(cases[0]!.params, { math: "f32" });
});

Deno.test("tuning knobs show in ids beside the params; entries differing only in tune differ", () => {
  const s = validateSuite(
    {
      ...base,
      shapes: [{ m: 64, k: 64, n: 64 }],
      kernels: [
        { kernel: "stl", tile: 2, rank: 7 },
        { kernel: "stl", tile: 2, rank: 7, tune: { gemmTile: "16x64" } },
      ],
    },
    "<suite>",
    builtinKernels,
  );
  // A knob given at its default is not shown: the same case as the first entry, an error.
  const dup = validateSuite(
    {
      ...base,
      shapes: [{ m: 64, k: 64, n: 64 }],
      kernels: [
        { kernel: "stl", tile: 2, rank: 7 },
        { kernel: "stl", tile: 2, rank: 7, tune: { gemmTile: "auto" } },
      ],
    },
    "<suite>",
    builtinKernels,
  );
  assert.throws(
    () => expandCases(dup, builtinKernels),
    /kernels\[1\]: case "stl\(rank=7,tile=2\)\/f32\/64x64x64" is also made by kernels\[0\]/,
  );
  const ids = expandCases(s, builtinKernels).map((c) => c.id);
  assert.deepEqual(ids, [
    "stl(rank=7,tile=2)/f32/64x64x64",
    "stl(gemmTile=16x64,rank=7,tile=2)/f32/64x64x64",
  ]);
  const [plain, tuned] = expandCases(s, builtinKernels);
  assert.deepEqual(plain!.tune, { gemmTile: "auto" });
  assert.equal(tuned!.tune.gemmTile, "16x64");
  // The resolved configuration carries the knob.
  assert.equal((tuned!.config as { gemmTile: string }).gemmTile, "16x64");
});

Deno.test("built-in suites load and validate; bad files give clear errors", async () => {
  for (const name of listBuiltinSuites()) {
    const s = await loadSuite(name, builtinKernels);
    assert.equal(s.name, name);
    assert.ok(expandCases(s, builtinKernels).length > 0, name);
  }
  for (const path of listExperimentSuites()) {
    const s = await loadSuite(path, builtinKernels);
    assert.equal(s.name, path.replace(/^.*\/|\.(json|ts)$/g, "").replaceAll("_", "-"), path);
    assert.ok(expandCases(s, builtinKernels).length > 0, path);
  }
  assert.ok(listExperimentSuites().length > 0);
  assert.ok(!listBuiltinSuites().includes("int4-target"));
  await assert.rejects(
    () => loadSuite("int4-target", builtinKernels),
    /is an experiment, run by path: --suite experiments\/suites\/int4_target\.json/,
  );
  const dir = Deno.makeTempDirSync();
  const bad = `${dir}/broken.json`;
  Deno.writeTextFileSync(bad, '{ "name": ');
  await assert.rejects(() => loadSuite(bad, builtinKernels), (e: unknown) => {
    assert.ok(e instanceof SuiteError);
    assert.match(e.message, /broken\.json: not valid JSON \(/);
    return true;
  });
  await assert.rejects(
    () => loadSuite("no-such-suite", builtinKernels),
    /unknown suite "no-such-suite"; built-in suites: .*smoke/,
  );
  await assert.rejects(() => loadSuite(`${dir}/missing.json`, builtinKernels), /file not found/);
  const ts = `${dir}/mine.ts`;
  Deno.writeTextFileSync(
    ts,
    `export default { name: "mine", seed: 3, shapes: [{ m: 2, k: 2, n: 2 }], kernels: [{ kernel: "dense" }] };`,
  );
  const s = await loadSuite(ts, builtinKernels);
  assert.equal(s.name, "mine");
  assert.deepEqual(s.dtypes, ["f32"]);
});

Deno.test("the suite examples in README.md and docs/suite-format.md validate and expand", () => {
  for (const file of ["README.md", "docs/suite-format.md"]) {
    const text = Deno.readTextFileSync(new URL(`../${file}`, import.meta.url));
    const start = text.indexOf("## Suite format");
    const block = /```json\n([\s\S]*?)```/.exec(text.slice(start === -1 ? 0 : start))![1]!;
    const suite = validateSuite(JSON.parse(block), file, builtinKernels);
    assert.equal(suite.name, "mine", file);
    assert.ok(expandCases(suite, builtinKernels).length >= 2, file);
  }
});
