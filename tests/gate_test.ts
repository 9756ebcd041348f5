import assert from "node:assert/strict";
import { shardGroup, shardPlan } from "../harness/shard.ts";
import {
  compareSamples,
  DeviceMismatchError,
  type GateRules,
  gateRuns,
  mergeRules,
  renderGateMarkdown,
  rulesFor,
  validateGateConfig,
  validateRunResults,
} from "../harness/gate/mod.ts";
import { validateSuite } from "../harness/suite/validate.ts";
import { builtinKernels } from "../kernels/mod.ts";
import { confirmed, fakeCase, fakeRun, noisySamples } from "./fixtures/gate_runs.ts";

const RULES: GateRules = mergeRules([]);
const TIME = RULES.time;
const BASE = [1.0, 1.04, 0.97, 1.02, 0.99, 1.01, 1.03, 0.98, 1.0, 1.05];

Deno.test("equal samples are the same, whichever test decides", () => {
  for (const test of ["auto", "mann-whitney", "bootstrap"] as const) {
    const c = compareSamples(BASE, [...BASE].reverse(), { ...TIME, test });
    assert.equal(c.outcome, "same", `${test}: ${c.reason}`);
    assert.equal(c.ratio, 1);
  }
});

Deno.test("samples shifted by 2× are slower, and the report names the deciding test", () => {
  const c = compareSamples(BASE, BASE.map((x) => 2 * x), TIME);
  assert.equal(c.outcome, "slower");
  assert.equal(c.test, "mann-whitney");
  assert.match(c.decidedBy, /^mann-whitney p=0\.000011 \(exact, n=10\/10\)$/);
  // Too few samples for Mann-Whitney to reach α = 0.01 (n = 3 + 3): the bootstrap decides.
  const few = compareSamples([1, 1.02, 0.99], [2, 2.03, 1.98], TIME);
  assert.equal(few.test, "bootstrap");
  assert.equal(few.outcome, "slower", few.reason);
  assert.match(few.decidedBy, /^bootstrap 99% CI \[1\.9\d*, 2\.0\d*\] \(n=3\/3\)$/);
  // Improvements mirror it.
  const fast = compareSamples(BASE, BASE.map((x) => x / 2), TIME);
  assert.equal(fast.outcome, "faster");
});

Deno.test("noisy-but-equal samples raise no alarm; a 2× shift under the same noise does", () => {
  // Per case, pure noise is called slower with probability ≤ α/2 (one side of a two-sided
  // test at α = 0.01), and only when the medians also differ by more than the threshold. This
  // seeded set of 300 pairs has 1 such case at 3% noise and 2 at 30% noise (≤ 1% allowed);
  // the loose threshold used for the software adapter in CI leaves none.
  const loose = { ...TIME, threshold: 9 };
  let gpuLike = 0, noisy = 0, noisyLoose = 0, ambiguous = 0, detected = 0;
  const trials = 300;
  for (let i = 0; i < trials; i++) {
    const n = 5 + (i % 26);
    const a = noisySamples(i, "a", n, 1, 0.3);
    const b = noisySamples(i, "b", n, 1, 0.3);
    const c = compareSamples(a, b, TIME);
    if (c.outcome === "slower") noisy++;
    if (c.outcome === "ambiguous") ambiguous++;
    if (compareSamples(a, b, loose).outcome === "slower") noisyLoose++;
    if (compareSamples(a, b.map((x) => 2 * x), TIME).outcome === "slower") detected++;
    const g = compareSamples(
      noisySamples(i, "ga", n, 1, 0.03),
      noisySamples(i, "gb", n, 1, 0.03),
      TIME,
    );
    if (g.outcome === "slower") gpuLike++;
  }
  assert.ok(gpuLike <= 0.01 * trials, `${gpuLike} false alarms at 3% noise (expected ≤ α/2)`);
  assert.equal(noisyLoose, 0, `${noisyLoose} false alarms at 30% noise, loose threshold`);
  assert.ok(noisy <= 0.01 * trials, `${noisy} false alarms at 30% noise (expected ≤ α/2)`);
  assert.ok(ambiguous > 0, "30% noise should leave some differences unresolved");
  assert.ok(detected > 0.9 * trials, `2× detected in ${detected}/${trials}`);
});

Deno.test("a significant difference within the threshold is the same; beyond it without significance is ambiguous", () => {
  const tight = Array.from({ length: 20 }, (_, i) => 1 + i / 1000);
  const slightly = compareSamples(tight, tight.map((x) => 1.03 * x), TIME);
  assert.equal(slightly.outcome, "same");
  assert.match(slightly.reason, /within the threshold 5%; the difference is significant \(p=/);
  const unsure = compareSamples([1, 2, 1, 2, 1], [2, 1, 2, 2, 1.5], TIME);
  assert.equal(unsure.outcome, "ambiguous");
  assert.match(unsure.reason, /not significant/);
  const single = compareSamples([1], [3], TIME);
  assert.equal(single.test, "none");
  assert.equal(single.outcome, "ambiguous");
});

Deno.test("gateRuns: statuses, accuracy, FLOPs, time, new and missing get their verdicts", () => {
  const slow = BASE.map((x) => 2 * x);
  const base = fakeRun([
    fakeCase("same", BASE),
    fakeCase("slower", BASE),
    fakeCase("faster", BASE),
    fakeCase("now-failed", BASE),
    fakeCase("now-skipped", BASE),
    fakeCase("fixed", null, { status: "failed", reason: "wrong output" }),
    fakeCase("skipped-both", null),
    fakeCase("acc", BASE),
    fakeCase("acc-ok", BASE),
    fakeCase("acc-inf", BASE),
    fakeCase("corr", BASE),
    fakeCase("flops", BASE),
    fakeCase("flops-down", BASE),
    fakeCase("gone", BASE),
  ]);
  const approx = (relError: number | null) => ({
    relError: relError as number,
    maxAbsError: 0.1,
    cosine: 1,
    snrDb: 40,
    rowsSampled: 64,
  });
  const cur = fakeRun([
    fakeCase("same", [...BASE].reverse()),
    confirmed(fakeCase("slower", slow)),
    fakeCase("faster", BASE.map((x) => x / 2)),
    fakeCase("now-failed", null, { status: "failed", reason: "mismatch" }),
    fakeCase("now-skipped", null),
    fakeCase("fixed", BASE),
    fakeCase("skipped-both", null),
    fakeCase("acc", slow, { approximation: approx(0.0102) }),
    fakeCase("acc-ok", BASE, { approximation: approx(0.01005) }),
    fakeCase("acc-inf", BASE, { approximation: approx(null) }),
    fakeCase("corr", BASE, {
      correctness: {
        passed: true,
        relError: 5e-6,
        maxAbsError: 1e-5,
        tolerance: 1e-4,
        rowsChecked: 64,
        nonFinite: 0,
      },
    }),
    fakeCase("flops", BASE, { flops: { total: 600000, core: 524288, overhead: 75712 } }),
    fakeCase("flops-down", BASE, { flops: { total: 400000, core: 400000, overhead: 0 } }),
    fakeCase("brand-new", BASE),
  ]);
  const r = gateRuns(base, cur, { allowMissing: true });
  const v = Object.fromEntries(r.cases.map((c) => [c.id, c]));
  const expect: Record<string, string> = {
    "same": "same",
    "slower": "slower",
    "faster": "faster",
    "now-failed": "failed",
    "now-skipped": "failed",
    "fixed": "fixed",
    "skipped-both": "same",
    "acc": "accuracy-regressed",
    "acc-ok": "same",
    "acc-inf": "accuracy-regressed",
    "corr": "accuracy-regressed",
    "flops": "flops-regressed",
    "flops-down": "same",
    "gone": "missing",
    "brand-new": "new",
  };
  for (const [id, verdict] of Object.entries(expect)) {
    assert.equal(v[id]?.verdict, verdict, `${id}: ${v[id]?.summary}`);
  }
  assert.equal(r.passed, false);
  assert.equal(r.exitCode, 1);
  assert.deepEqual(
    r.cases.filter((c) => c.regression).map((c) => c.id).sort(),
    ["acc", "acc-inf", "corr", "flops", "now-failed", "now-skipped", "slower"],
  );
  // Regressions first, then missing, ambiguous, new, fixed, faster, same.
  const firstNon = r.cases.findIndex((c) => !c.regression);
  assert.ok(r.cases.slice(firstNon).every((c) => !c.regression));
  assert.equal(r.cases[firstNon]!.verdict, "missing");
  assert.match(v["acc"]!.summary, /approximation\.relError 0\.01 → 0\.0102 \(limit 0\.0101\)/);
  assert.ok(v["acc"]!.notes.some((n) => /slower/.test(n)), "time noted beside accuracy");
  assert.match(v["now-failed"]!.summary, /was ok, now failed \(mismatch\)/);
  assert.ok(v["flops-down"]!.notes.some((n) => /improved: flops\.total/.test(n)));
  assert.match(v["slower"]!.time!.decidedBy, /mann-whitney/);
  assert.equal(r.counts.slower, 1);
  assert.equal(r.counts.new, 1);
});

Deno.test("improvements and new cases never fail; missing ok cases fail unless allowed", () => {
  const base = fakeRun([fakeCase("a", BASE), fakeCase("gone", BASE)]);
  const cur = fakeRun([fakeCase("a", BASE.map((x) => x / 3)), fakeCase("new", BASE)]);
  const r = gateRuns(base, cur);
  assert.equal(r.passed, false);
  assert.equal(r.exitCode, 1);
  assert.equal(r.cases[0]!.verdict, "missing");
  assert.equal(r.cases[0]!.regression, true);
  assert.match(r.failures[0]!, /the current run has 1 ok case\(s\) of the baseline's 2/);
  const loose = gateRuns(base, cur, { allowMissing: true });
  assert.equal(loose.passed, true);
  assert.deepEqual(loose.cases.map((c) => c.verdict), ["missing", "new", "faster"]);
  assert.equal(gateRuns(base, cur, { config: { missing: "warn" } }).passed, true);
});

Deno.test("a run with no ok case fails the gate, even against a baseline like it", () => {
  const skipped = (id: string) => fakeCase(id, null, { status: "skipped", reason: "too big" });
  const failed = (id: string) => fakeCase(id, null, { status: "failed", reason: "wrong" });
  for (
    const [base, cur, counts] of [
      [[skipped("a")], [skipped("a")], "1 skipped"],
      [[failed("a"), failed("b")], [failed("a"), failed("b")], "2 failed"],
      [[fakeCase("a", BASE), skipped("b")], [failed("a"), skipped("b")], "1 skipped, 1 failed"],
    ] as const
  ) {
    const r = gateRuns(fakeRun([...base]), fakeRun([...cur]), { allowMissing: true });
    assert.equal(r.passed, false, counts);
    assert.ok(
      r.failures.includes(`the current run has no ok case (${counts}): it measured nothing`),
      JSON.stringify(r.failures),
    );
    assert.match(
      renderGateMarkdown(r),
      /^## tilebench gate: FAIL — (\d regressions?, )?\d run failures?\n/,
    );
  }
  // one ok case is enough for this rule
  const one = gateRuns(
    fakeRun([skipped("a"), fakeCase("b", BASE)]),
    fakeRun([skipped("a"), fakeCase("b", BASE)]),
  );
  assert.equal(one.passed, true, JSON.stringify(one.failures));
});

Deno.test("a shard of a suite is judged on its part of a full baseline", () => {
  const at = (id: string, m: number) => fakeCase(id, BASE, { shape: { m, k: 64, n: 64 } });
  const full = [at("a1", 1), at("a2", 1), at("b1", 2), at("c1", 3)];
  const base = fakeRun(full);
  const plan = shardPlan(full, 2);
  const mine = full.filter((c) => plan.get(shardGroup(c)) === 1);
  assert.ok(mine.length > 0 && mine.length < full.length);
  const shard = { shard: { index: 1, count: 2 } };
  const r = gateRuns(base, fakeRun(mine, shard));
  assert.equal(r.passed, true, JSON.stringify(r.failures));
  assert.ok(!r.cases.some((c) => c.verdict === "missing"));
  assert.match(r.warnings.join("\n"), /shard 1\/2: judged on the \d baseline case/);
  // a case of its own part missing still fails
  const short = gateRuns(base, fakeRun(mine.slice(1), shard));
  assert.equal(short.passed, false);
  assert.deepEqual(short.cases.filter((c) => c.verdict === "missing").map((c) => c.id), [
    mine[0]!.id,
  ]);
  // The suite gained a group since the baseline (d1, d2), which moves b1 into shard 1: its failure
  // is judged, not taken for a new case (a plan recomputed from the baseline's cases would not
  // give b1 to shard 1).
  const grown = [...full, at("d1", 4), at("d2", 4)];
  const plan2 = shardPlan(grown, 2);
  const mine2 = grown.filter((c) => plan2.get(shardGroup(c)) === 1);
  assert.deepEqual(mine2.map((c) => c.id), ["a1", "a2", "b1"]);
  const failedB1 = mine2.map((c) =>
    c.id === "b1" ? { ...c, status: "failed" as const, reason: "wrong", time: null } : c
  );
  const g = gateRuns(base, fakeRun(failedB1, shard), { allowMissing: true });
  assert.equal(g.cases.find((c) => c.id === "b1")!.verdict, "failed");
  assert.equal(g.passed, false);
});

Deno.test("runs from different adapters are refused unless allowed", () => {
  const base = fakeRun([fakeCase("a", BASE)]);
  const other = fakeRun([fakeCase("a", BASE)], {
    adapter: { ...base.meta.adapter, description: "Other GPU" },
  });
  assert.throws(
    () => gateRuns(base, other),
    (e) =>
      e instanceof DeviceMismatchError &&
      /description: "Test GPU" vs "Other GPU".*--allow-device-mismatch/.test(e.message),
  );
  const r = gateRuns(base, other, { allowDeviceMismatch: true });
  assert.equal(r.deviceMismatch, 'description: "Test GPU" vs "Other GPU"');
  assert.match(r.warnings[0]!, /adapters differ/);
  assert.equal(gateRuns(base, other, { config: { allowDeviceMismatch: true } }).passed, true);
});

Deno.test("different timing methods or seeds are reported, not compared", () => {
  const base = fakeRun([fakeCase("a", BASE)]);
  const cur = fakeRun([fakeCase("a", BASE.map((x) => 3 * x), { seed: 2 })], { seed: 2 });
  cur.results[0]!.time!.method = "wall";
  const r = gateRuns(base, cur);
  const c = r.cases[0]!;
  assert.equal(c.verdict, "ambiguous");
  assert.match(c.summary, /timing methods differ \(gpu-timestamp vs wall\)/);
  assert.equal(c.checks.length, 0);
  assert.match(c.notes[0]!, /seeds differ \(1 vs 2\)/);
  // Other inputs: only times could be compared, so it fails unless explicitly allowed.
  assert.match(r.failures.join("\n"), /seeds differ/);
  assert.equal(r.passed, false);
  const allowed = gateRuns(base, cur, { allowDisjoint: true });
  assert.match(allowed.warnings.join("\n"), /seeds differ/);
  assert.equal(allowed.passed, true);
});

Deno.test("rules: defaults < suite gate < config < flags < per-kernel and per-suite overrides", () => {
  const c = { suite: "smoke", kernel: "int4-gemm", family: "int4" };
  assert.equal(rulesFor(c, {}).time.threshold, 0.05);
  const suiteGate = { time: { threshold: 0.1 }, kernels: { int4: { accuracy: { rel: 0.2 } } } };
  assert.equal(rulesFor(c, { suiteGate }).time.threshold, 0.1);
  assert.equal(rulesFor(c, { suiteGate }).accuracy.rel, 0.2);
  const config = validateGateConfig({
    time: { threshold: "20%" },
    kernels: { "int4-gemm": { flops: { enabled: false } } },
    suites: { smoke: { time: { alpha: 0.05 }, kernels: { int4: { time: { threshold: 3 } } } } },
  }, "gate.json");
  const r = rulesFor(c, { suiteGate, config, flags: { time: { threshold: 0.3 } } });
  assert.equal(r.time.threshold, 3);
  assert.equal(r.time.alpha, 0.05);
  assert.equal(r.flops.enabled, false);
  assert.equal(r.accuracy.rel, 0.2);
  const dense = rulesFor({ suite: "smoke", kernel: "dense", family: "dense" }, {
    suiteGate,
    config,
    flags: { time: { threshold: 0.3 } },
  });
  assert.equal(dense.time.threshold, 0.3);
  assert.equal(dense.accuracy.rel, 0.01);
  assert.equal(
    rulesFor({ suite: "other", kernel: "dense", family: "dense" }, { config }).time.threshold,
    0.2,
  );
});

Deno.test("a run's suite gate object (meta.gate) sets that suite's thresholds", () => {
  const base = fakeRun([fakeCase("a", BASE)]);
  const cur = fakeRun([fakeCase("a", BASE.map((x) => 2 * x))], {
    gate: { time: { threshold: "150%" } },
  });
  assert.equal(gateRuns(base, cur).cases[0]!.verdict, "same");
  const bad = fakeRun([fakeCase("a", BASE)], { gate: { time: { treshold: 1 } } });
  assert.throws(
    () => gateRuns(base, bad, { currentFile: "cur.json" }),
    /cur\.json: meta\.gate\.time\.treshold: unknown field; allowed: enabled, threshold/,
  );
});

Deno.test("config errors name the file and the field", () => {
  const cases: [unknown, RegExp][] = [
    [[], /g\.json: must be an object; got \[\]$/],
    [{ tme: {} }, /g\.json: tme: unknown field; allowed: time, accuracy/],
    [{ time: { threshold: "5" + "pct" } }, /g\.json: time\.threshold: must be a fraction ≥ 0/],
    [{ time: { threshold: -1 } }, /time\.threshold: must be a fraction ≥ 0 .*got -1/],
    [{ time: { alpha: 2 } }, /g\.json: time\.alpha: must be a number in \(0, 0\.5\]; got 2$/],
    [{ time: { test: "t-test" } }, /time\.test: must be one of auto, mann-whitney, bootstrap/],
    [{ accuracy: { rel: "1%" } }, /g\.json: accuracy\.rel: must be a number ≥ 0; got "1%"$/],
    [{ kernels: { int4: { speed: {} } } }, /g\.json: kernels\.int4\.speed: unknown field/],
    [{ kernels: null }, /g\.json: kernels: must be an object keyed by name; got null/],
    [{ suites: [1] }, /g\.json: suites: must be an object keyed by name; got \[1\]/],
    [{ suites: { smoke: 3 } }, /g\.json: suites\.smoke: must be an object; got 3/],
    [{ suites: { smoke: { missing: "fail" } } }, /g\.json: suites\.smoke\.missing: unknown/],
    [{ missing: "ignore" }, /g\.json: missing: must be "warn" or "fail"; got "ignore"$/],
    [{ allowDeviceMismatch: "yes" }, /g\.json: allowDeviceMismatch: must be true or false/],
  ];
  for (const [raw, re] of cases) {
    assert.throws(() => validateGateConfig(raw, "g.json"), re, JSON.stringify(raw));
  }
});

Deno.test("results.json schema errors name the file and the field", () => {
  const good = () =>
    JSON.parse(JSON.stringify(fakeRun([fakeCase("a", BASE), fakeCase("b", BASE)])));
  // deno-lint-ignore no-explicit-any
  const cases: [(r: Record<string, any>) => void, RegExp][] = [
    [(r) => (r.schemaVersion = 2), /x\.json: schemaVersion: must be 1 .*got 2$/],
    [(r) => delete r.meta.adapter, /x\.json: meta\.adapter: must be an object; got nothing$/],
    [
      (r) => (r.meta.adapter.description = 5),
      /x\.json: meta\.adapter\.description: must be a string/,
    ],
    [(r) => (r.results = {}), /x\.json: results: must be an array/],
    [
      (r) => (r.results[1].id = "a"),
      /x\.json: results\[1\]\.id: duplicate id "a" \(also results\[0\]\)$/,
    ],
    [
      (r) => (r.results[0].status = "great"),
      /results\[0\]\.status: must be one of ok, failed, skipped/,
    ],
    [
      (r) => (r.results[1].time.samples[2] = "fast"),
      /x\.json: results\[1\]\.time\.samples\[2\]: must be a positive number; got "fast"$/,
    ],
    [(r) => (r.results[0].time = null), /results\[0\]\.time: must be an object for an ok case/],
    [(r) => delete r.results[0].flops, /results\[0\]\.flops: must be an object/],
    [
      (r) => (r.results[0].approximation.relError = "x"),
      /results\[0\]\.approximation\.relError: must be a number/,
    ],
  ];
  for (const [mutate, re] of cases) {
    const r = good();
    mutate(r);
    assert.throws(() => validateRunResults(r, "x.json"), re, re.source);
  }
  const r = good();
  r.results[0].approximation.relError = null; // Infinity, as JSON writes it
  assert.throws(() => validateRunResults(r, "x.json"), /must be a number ≥ 0 for an ok case/);
  r.results[0].status = "failed";
  validateRunResults(r, "x.json"); // a failed case may have a non-finite error
});

Deno.test("markdown lists regressions first with the deciding test", () => {
  const base = fakeRun([fakeCase("fine", BASE), fakeCase("slow|case", BASE)]);
  const cur = fakeRun([
    fakeCase("fine", BASE),
    confirmed(fakeCase("slow|case", BASE.map((x) => 2 * x))),
  ]);
  const md = renderGateMarkdown(gateRuns(base, cur));
  assert.match(md, /^## tilebench gate: FAIL — 1 regression\n/);
  assert.match(md, /2 cases: 1 slower, 1 same/);
  const rows = md.split("\n").filter((l) => l.startsWith("| "));
  assert.equal(rows.length, 3);
  assert.match(
    rows[1]!,
    /^\| \*\*slower\*\* \| slow\\\|case \| 1 \| 2\.01 \| ×2 \| mann-whitney p=/,
  );
  assert.match(rows[2]!, /^\| same \| fine \|/);
  const pass = renderGateMarkdown(gateRuns(base, base));
  assert.match(pass, /^## tilebench gate: PASS\n/);
});

Deno.test("a suite's gate object is validated with the suite", () => {
  const suite = {
    name: "g",
    seed: 1,
    shapes: [{ m: 8, k: 8, n: 8 }],
    kernels: [{ kernel: "dense" }],
  };
  const ok = validateSuite(
    { ...suite, gate: { time: { threshold: "300%" } } },
    "s.json",
    builtinKernels,
  );
  assert.deepEqual(ok.gate, { time: { threshold: "300%" } });
  assert.throws(
    () => validateSuite({ ...suite, gate: { time: { alpha: 0 } } }, "s.json", builtinKernels),
    /^SuiteError: s\.json: gate\.time\.alpha: must be a number in \(0, 0\.5\]; got 0$/,
  );
});

Deno.test("the config example in docs/gate.md and the CI config are valid", () => {
  const doc = Deno.readTextFileSync(new URL("../docs/gate.md", import.meta.url));
  const section = doc.slice(doc.indexOf("## Config"));
  const block = /```json\n([\s\S]*?)```/.exec(section)![1]!;
  const config = validateGateConfig(JSON.parse(block), "docs/gate.md");
  assert.equal(config.time?.threshold, 0.05);
  assert.equal(config.kernels?.int4?.accuracy?.rel, 0.05);
  const ci = validateGateConfig(
    JSON.parse(Deno.readTextFileSync(new URL("../.ci/gate-llvmpipe.json", import.meta.url))),
    ".ci/gate-llvmpipe.json",
  );
  assert.equal(ci.time?.threshold, 9);
});
