import assert from "node:assert/strict";
import { validateRunResults } from "../harness/gate/input.ts";
import { validateResults } from "../harness/report/load.ts";
import { validateScopedRules } from "../harness/rules/config.ts";
import { SCOPED_RULES_SCHEMA } from "../harness/rules/schema.ts";
import { RESULTS_SCHEMA } from "../harness/schema/results.ts";
import { type Schema, validate } from "../harness/schema/schema.ts";
import { suiteSchema } from "../harness/suite/format.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { staleSchemas } from "../scripts/schema.ts";
import { syntheticResults } from "./fixtures/report_results.ts";

const fail = (path: string, problem: string): never => {
  throw new Error(`${path}: ${problem}`);
};
const accepts = (schema: Schema, v: unknown) => {
  try {
    validate(schema, v, fail);
    return true;
  } catch {
    return false;
  }
};
const passes = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

Deno.test("schema/*.schema.json are what deno task schema generates from the descriptions", () => {
  assert.deepEqual(staleSchemas("."), [], "run `deno task schema` and commit schema/");
});

Deno.test("gate and report read results.json through one validator: same errors", () => {
  const good = syntheticResults();
  validateRunResults(structuredClone(good), "r.json");
  validateResults(structuredClone(good), "r.json");
  // deno-lint-ignore no-explicit-any
  const mutations: ((r: any) => void)[] = [
    (r) => delete r.totals,
    (r) => (r.meta.tool.version = 3),
    (r) => (r.results[0].dtype = "f64"),
    (r) => (r.results[0].time.samples = []),
    (r) => (r.results[1].time.ci = null),
    (r) => (r.results[2].correctness = { passed: "yes" }),
    (r) => (r.results[1].id = r.results[0].id),
    (r) => (r.results[0].throughput = undefined),
  ];
  for (const mutate of mutations) {
    const r = structuredClone(good);
    mutate(r);
    const messages = [validateRunResults, validateResults].map((fn) => {
      try {
        fn(structuredClone(r), "r.json");
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    });
    assert.notEqual(messages[0], "accepted", mutate.toString());
    assert.equal(messages[0], messages[1], mutate.toString());
  }
});

Deno.test("the results description covers every field the committed baseline holds", () => {
  const doc = JSON.parse(Deno.readTextFileSync("baselines/smoke-llvmpipe.json"));
  validateResults(doc, "baselines/smoke-llvmpipe.json");
  const undescribed: string[] = [];
  const walk = (schema: Schema, v: unknown, path: string) => {
    if (schema.type === "anyOf") {
      const alt = schema.of.find((a) => accepts(a, v));
      if (alt) walk(alt, v, path);
    } else if (schema.type === "array" && Array.isArray(v)) {
      v.forEach((x, i) => walk(schema.items, x, `${path}[${i}]`));
    } else if (schema.type === "object" && v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        const p = schema.properties[k] ??
          (typeof schema.additional === "object" ? schema.additional : undefined);
        if (p) walk(p, x, `${path}.${k}`);
        else undescribed.push(`${path}.${k}`.replace(/\[\d+\]/g, "[]"));
      }
    }
  };
  walk(RESULTS_SCHEMA, doc, "");
  assert.deepEqual([...new Set(undescribed)], []);
});

Deno.test("every suite file meets the suite description and validateSuite", () => {
  const schema = suiteSchema(builtinKernels);
  const files = ["suites", "experiments/suites"].flatMap((dir) =>
    [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json")).map((e) =>
      `${dir}/${e.name}`
    )
  );
  assert.ok(files.length >= 9);
  for (const file of files) {
    const raw = JSON.parse(Deno.readTextFileSync(file));
    validate(schema, raw, (path, problem) => fail(`${file}: ${path}`, problem));
    validateSuite(raw, file, builtinKernels);
  }
});

Deno.test("the suite description and validateSuite reject the same malformed suites", () => {
  const schema = suiteSchema(builtinKernels);
  const base = {
    name: "t",
    seed: 1,
    shapes: [{ m: 2, k: 8, n: 4 }],
    kernels: [{ kernel: "dense" }],
  };
  // deno-lint-ignore no-explicit-any
  const cases: [string, (s: any) => void][] = [
    ["sound", () => {}],
    ["unknown top-level field", (s) => (s.size = 3)],
    ["bad name", (s) => (s.name = "a b")],
    ["negative seed", (s) => (s.seed = -1)],
    ["zero dimension", (s) => (s.shapes[0].m = 0)],
    ["dimension over 2^24", (s) => (s.shapes[0].n = 2 ** 24 + 1)],
    ["unknown shape field", (s) => (s.shapes[0].batch = 2)],
    ["unknown dtype", (s) => (s.dtypes = ["f64"])],
    ["unknown kernel", (s) => (s.kernels = [{ kernel: "magic" }])],
    ["unknown kernel parameter", (s) => (s.kernels[0].speed = 1)],
    ["tuning knob", (s) => (s.kernels[0].tune = { tile: ["auto"] })],
    ["unknown tuning knob", (s) => (s.kernels[0].tune = { speed: "auto" })],
    ["bad tuning knob value", (s) => (s.kernels[0].tune = { tile: "999" })],
    ["tuning knob written as a parameter", (s) => (s.kernels[0].tile = "auto")],
    ["int4 parameter list", (s) => (s.kernels = [{ kernel: "int4", group: [32, 128] }])],
    ["int4 group 7", (s) => (s.kernels = [{ kernel: "int4", group: 7 }])],
    ["empty kernel list", (s) => (s.kernels = [])],
    ["measure field unknown", (s) => (s.measure = { samples: 3 })],
    ["maxNoise 0", (s) => (s.measure = { maxNoise: 0 })],
    ["minSamples 0", (s) => (s.measure = { minSamples: 0 })],
    ["flushBytes too small", (s) => (s.measure = { flushBytes: 10 })],
    ["l2 hot", (s) => (s.measure = { l2: "hot" })],
    ["warmupMs ok", (s) => (s.measure = { warmupMs: 0 })],
    ["unknown distribution", (s) => (s.data = { x: "cauchy" })],
    ["distribution parameter of another", (s) => (s.data = { x: { dist: "uniform", std: 1 } })],
    ["std 0", (s) => (s.data = { x: { dist: "gaussian", std: 0 } })],
    ["outlierFraction 1", (s) => (s.data = { x: { dist: "llm-activations", outlierFraction: 1 } })],
    ["calibRows 0", (s) => (s.data = { calibRows: 0 })],
    ["referenceBudget 0", (s) => (s.accuracy = { referenceBudget: 0 })],
    ["gate metric unknown", (s) => (s.gate = { speed: {} })],
    ["gate alpha 0.7", (s) => (s.gate = { time: { alpha: 0.7 } })],
    ["gate threshold percent", (s) => (s.gate = { time: { threshold: "300%" } })],
    ["gate threshold words", (s) => (s.gate = { time: { threshold: "lots" } })],
    ["gate kernel override", (s) => (s.gate = { kernels: { int4: { accuracy: { rel: 0.05 } } } })],
  ];
  for (const [what, mutate] of cases) {
    const s = structuredClone(base);
    mutate(s);
    assert.equal(
      accepts(schema, s),
      passes(() => validateSuite(structuredClone(s), "t.json", builtinKernels)),
      what,
    );
  }
});

Deno.test("the gate rules description and validateScopedRules agree", () => {
  const blocks: unknown[] = [
    {},
    { time: { threshold: 0.1, alpha: 0.05, test: "bootstrap", resamples: 500, seed: 3 } },
    { time: { threshold: "5%" } },
    { time: { threshold: ".5" } },
    { time: { threshold: -1 } },
    { time: { threshold: "5 %%" } },
    { time: { alpha: 0 } },
    { time: { alpha: "0.01" } },
    { time: { test: "t-test" } },
    { time: { resamples: 50 } },
    { time: { seed: 1.5 } },
    { time: { enabled: "no" } },
    { accuracy: { rel: -0.1 } },
    { flops: { abs: 0, rel: 0, enabled: false } },
    { correctness: { ulp: 1 } },
    { kernels: { dense: { time: { threshold: "10%" } } } },
    { kernels: { dense: { kernels: {} } } },
    { kernels: [] },
    [],
  ];
  for (const b of blocks) {
    assert.equal(
      accepts(SCOPED_RULES_SCHEMA, b),
      passes(() => validateScopedRules(b, "g.json")),
      JSON.stringify(b),
    );
  }
});
