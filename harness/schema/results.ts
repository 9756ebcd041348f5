/**
 * The `results.json` format described once: the gate and the reports validate through
 * {@link validateResultsDocument}, and `deno task schema` writes `schema/results.schema.json` from
 * {@link RESULTS_SCHEMA}. Fields marked required are those a reader needs; the others are
 * checked when present. Unknown fields are allowed, so newer writers stay readable.
 *
 * @module
 */

import { DTYPES, type RunResults, SCHEMA_VERSION } from "../types.ts";
import { type Fail, s, type Schema, showValue, validate } from "./schema.ts";

const METHODS = ["gpu-timestamp", "wall"];

const adapter = s.obj(
  {
    vendor: s.str(),
    architecture: s.str(),
    device: s.str(),
    description: s.str(),
    isFallbackAdapter: s.bool(),
    backend: s.obj(
      { guess: s.str({ enum: ["vulkan", "gl", "other"] }), evidence: s.str() },
      ["guess", "evidence"],
      {
        doc:
          "The graphics API WebGPU most likely runs on, with the evidence; absent in older results.",
      },
    ),
  },
  ["vendor", "architecture", "device", "description"],
  { doc: "Adapter identity from WebGPU." },
);

const peaks = s.obj(
  {
    fmaTflops: s.num({ doc: "f32 FMA throughput in TFLOP/s (2 FLOPs per FMA)." }),
    fmaF16Tflops: s.orNull(s.num({ doc: "f16 FMA throughput in TFLOP/s." })),
    copyGbps: s.num({
      doc: "Copy bandwidth in GB/s, bytes read plus bytes written: the best copy variant's.",
    }),
    copyVariant: s.str({ doc: "The copy variant that gave copyGbps (vec4xP: P words a thread)." }),
    copyVariants: s.map(s.num(), "Every copy variant's figure in GB/s, by name."),
    passOverheadUs: s.orNull(s.num({ doc: "Time of a pass holding one trivial dispatch, in µs." })),
    stream: s.arr(
      s.obj({
        bytes: s.num({ doc: "Bytes read by one execution." }),
        gbps: s.num({ doc: "Bytes read / back-to-back time per execution, in GB/s." }),
        variant: s.str({
          doc: "The variant that gave it (wgTxP: T threads a workgroup, P words each).",
        }),
        copies: s.int({ min: 1, doc: "Buffer copies the executions rotated over." }),
      }, ["bytes", "gbps", "variant", "copies"]),
      { doc: "The read stream at several sizes, timed back to back as short cases are." },
    ),
    method: s.str({ enum: METHODS }),
  },
  ["fmaTflops", "fmaF16Tflops", "copyGbps"],
  { doc: "Device peaks measured by microbenchmarks." },
);

const gpuClock = s.obj({
  index: s.num(),
  name: s.str(),
  smMhz: s.orNull(s.num()),
  smMaxMhz: s.orNull(s.num()),
  throttleReasons: s.orNull(s.str()),
  temperatureC: s.orNull(s.num()),
  powerW: s.orNull(s.num()),
});

const meta = s.obj(
  {
    tool: s.obj({
      name: s.str(),
      version: s.str(),
      commit: s.orNull(s.str()),
      dirty: s.orNull(s.bool()),
      bundle: s.bool(),
    }, ["version"]),
    deno: s.map(s.str()),
    os: s.obj({ os: s.str(), arch: s.str(), hostname: s.orNull(s.str()) }),
    adapter,
    powerPreference: s.str(),
    features: s.arr(s.str()),
    limits: s.map(s.num()),
    suite: s.str(),
    suiteFile: s.orNull(s.str()),
    seed: s.num(),
    filter: s.orNull(s.str()),
    startedAt: s.str({ doc: "ISO 8601 time the run started." }),
    finishedAt: s.orNull(s.str()),
    complete: s.bool("False while the run is in progress or when it was interrupted."),
    interrupted: s.bool(),
    peaks: s.orNull(peaks),
    measure: s.map(s.any(), "The suite's measurement options."),
    anchors: s.arr(s.any(), { doc: "Side-by-side anchors merged in by --anchor." }),
    gpuClocks: s.obj(
      {
        start: s.orNull(s.arr(gpuClock)),
        end: s.orNull(s.arr(gpuClock)),
      },
      [],
      { doc: "SM clocks and throttle reasons from nvidia-smi, where it exists." },
    ),
    gate: s.map(s.any(), "The suite's gate object (its regression-gate thresholds)."),
    tune: s.obj(
      {
        mode: s.str({ enum: ["off", "cached", "full"] }),
        file: s.orNull(s.str()),
        adapterKey: s.orNull(s.str()),
      },
      ["mode"],
      { doc: "Measured tuning: the mode and the cache file (docs/tuning.md)." },
    ),
    shard: s.obj({ index: s.int({ min: 1 }), count: s.int({ min: 1 }) }, ["index", "count"]),
    shards: s.arr(s.map(s.any()), { doc: "Set by deno task merge: the shards merged." }),
  },
  ["tool", "adapter", "suite", "seed", "startedAt"],
  { doc: "Run metadata." },
);

const totals = s.obj(
  {
    cases: s.int({ min: 0 }),
    ok: s.int({ min: 0 }),
    failed: s.int({ min: 0 }),
    skipped: s.int({ min: 0 }),
    pending: s.int({ min: 0 }),
  },
  ["cases", "ok", "failed", "skipped", "pending"],
  { doc: "Counts of case statuses." },
);

const positive = s.num({ min: 0, exclusiveMin: true });
const nonNegative = s.num({ min: 0 });
const samples = s.arr(positive, {
  minItems: 1,
  doc: "Per-dispatch times in ms, in the order taken.",
});

const sentinel = s.obj(
  {
    referenceMs: positive,
    beforeMs: positive,
    afterMs: positive,
    ratio: positive,
    attempts: s.int({ min: 1 }),
    flagged: s.bool("Every attempt's sentinel moved beyond the threshold: the time is suspect."),
    retryError: s.str({
      doc: "The error of a re-measurement that failed; the attempts before it stand.",
    }),
  },
  ["referenceMs", "beforeMs", "afterMs", "ratio", "flagged"],
  {
    doc: "A short reference workload timed before and after the case.",
  },
);

const time = s.obj(
  {
    unit: s.lit("ms"),
    method: s.str({ enum: METHODS }),
    l2: s.str({ enum: ["warm", "cold"] }),
    samples,
    n: s.num(),
    median: positive,
    min: s.num(),
    max: s.num(),
    p10: s.num(),
    p90: s.num(),
    mean: s.num(),
    stddev: s.num(),
    noise: s.num({ doc: "Relative standard deviation: stddev / mean." }),
    ci: s.obj({ level: s.num(), lo: s.num(), hi: s.num() }, ["lo", "hi"], {
      doc: "Confidence interval of the median.",
    }),
    outliers: s.num(),
    warmupMs: s.num(),
    warmupRuns: s.num(),
    warmupSettled: s.bool(),
    restarts: s.num(),
    totalMs: s.num(),
    stoppedBy: s.str({ enum: ["noise", "time", "max-samples"] }),
    recheck: s.obj({
      ratio: s.num(),
      firstMedian: s.num(),
      secondMedian: s.num(),
      kept: s.str({ enum: ["first", "second"] }),
    }),
    sentinel,
    confirm: s.obj({ median: positive, samples, sentinel }, ["median", "samples"], {
      doc: "A re-measurement taken for the gate because the first was slower than the baseline.",
    }),
  },
  ["method", "l2", "samples", "median", "noise", "n", "ci"],
  {
    doc: "Isolated kernel time in ms.",
  },
);

const throughputFields = {
  effectiveTflops: s.num({ doc: "2·M·K·N / median time." }),
  executedTflops: s.num({ doc: "flops.total / median time." }),
  gbps: s.num({ doc: "bytes / median time." }),
};

const batch = s.obj(
  {
    median: s.num(),
    min: s.num(),
    p10: s.num(),
    p90: s.num(),
    noise: s.num(),
    n: s.num(),
    dispatchesPerSample: s.int({ min: 1 }),
    copies: s.int({ min: 1 }),
    l2: s.str({ enum: ["warm", "rotating"] }),
    order: s.str({
      enum: ["serial", "chained"],
      doc: "chained: every execution waits for the previous one's output; serial (older " +
        "results): only output writes were ordered (docs/measuring.md).",
    }),
    executionDispatches: s.int({ min: 1, doc: "Dispatches one execution records." }),
    ...throughputFields,
    speedupVsDense: s.orNull(s.num()),
    pctStream: s.orNull(s.num({
      doc: "gbps as % of the read stream of the same bytes (meta.peaks.stream, interpolated).",
    })),
    sentinel,
    recheck: s.obj(
      {
        ratio: s.num(),
        firstMedian: s.num(),
        secondMedian: s.orNull(s.num()),
        kept: s.str({ enum: ["first", "second"] }),
      },
      ["ratio", "firstMedian", "secondMedian", "kept"],
      {
        doc: "The first back-to-back median was over 1.1× (BATCH_OVER_RATIO) the isolated one, " +
          "so it was measured once more.",
      },
    ),
  },
  [],
  { doc: "Back-to-back timing of a short kernel; per-dispatch figures in ms." },
);

const caseResult = s.obj({
  id: s.str({ minLength: 1, doc: "Stable identity used to match cases between runs." }),
  suite: s.str(),
  kernel: s.str(),
  family: s.str(),
  params: s.map(s.anyOf(s.str(), s.num(), s.bool()), "Public parameters, defaults included."),
  tune: s.map(s.anyOf(s.str(), s.num(), s.bool()), "Tuning knobs that ran, defaults included."),
  tuneSource: s.str({
    enum: ["suite", "tuned", "cached", "default"],
    doc: "Why these knobs ran: set by the suite, timed this run, from the tune cache, defaults.",
  }),
  shape: s.obj({ m: s.num(), k: s.num(), n: s.num(), label: s.orNull(s.str()) }, [
    "m",
    "k",
    "n",
  ]),
  dtype: s.str({ enum: DTYPES }),
  seed: s.num(),
  status: s.str({ enum: ["ok", "failed", "skipped"] }),
  reason: s.orNull(s.str()),
  flops: s.obj({ total: nonNegative, core: nonNegative, overhead: nonNegative }, ["total"]),
  flopsDense: s.num(),
  bytes: s.num({ doc: "Minimum traffic model in bytes." }),
  paramsStored: s.num(),
  storedBytes: s.num(),
  time: s.orNull(time),
  throughput: s.orNull(s.obj(throughputFields, Object.keys(throughputFields))),
  batch: s.orNull(batch),
  speedupVsDense: s.orNull(s.num()),
  denseId: s.orNull(s.str()),
  correctness: s.orNull(s.obj({
    passed: s.bool(),
    relError: s.orNull(nonNegative),
    maxAbsError: s.orNull(s.num()),
    tolerance: s.num(),
    rowsChecked: s.num(),
    nonFinite: s.num(),
  }, ["passed", "relError", "tolerance"])),
  approximation: s.orNull(s.obj({
    relError: s.orNull(nonNegative),
    maxAbsError: s.orNull(s.num()),
    cosine: s.orNull(s.num()),
    snrDb: s.orNull(s.num()),
    rowsSampled: s.num(),
  }, ["relError"])),
  roofline: s.orNull(s.obj({
    pctPeakFlops: s.orNull(s.num()),
    fmaPeak: s.str({
      enum: ["f32", "f16"],
      doc: "The measured FMA peak pctPeakFlops divides by: f16 for packed-half arithmetic, else " +
        "f32; absent in older results.",
    }),
    pctPeakBandwidth: s.orNull(s.num()),
    intensity: s.num(),
  })),
  setup: s.orNull(s.obj({
    prepareMs: s.num(),
    prepareCached: s.bool(),
    compileMs: s.num(),
    uploadMs: s.num(),
  })),
  notes: s.map(s.any(), "Kernel-specific facts."),
}, [
  "id",
  "kernel",
  "family",
  "shape",
  "dtype",
  "seed",
  "status",
  "reason",
  "flops",
  "flopsDense",
  "bytes",
  "storedBytes",
  "time",
  "throughput",
  "speedupVsDense",
  "correctness",
  "approximation",
], { doc: "One case: a kernel with its parameters on one shape and dtype." });

/**
 * The description of a `results.json` document. Error metrics may be null (JSON has no
 * Infinity).
 */
export const RESULTS_SCHEMA: Schema = s.obj(
  {
    schemaVersion: s.lit(SCHEMA_VERSION, "the results format this tilebench reads"),
    meta,
    totals,
    results: s.arr(caseResult),
  },
  ["schemaVersion", "meta", "totals", "results"],
  {
    doc: "The results of one tilebench run (results.json).",
  },
);

/**
 * Validates parsed `results.json` content: the {@link RESULTS_SCHEMA} description, then what a
 * description cannot say (case ids unique; an ok case has a time and finite error metrics).
 * `fail` turns a problem into
 * the caller's error (the gate's and the reports' input errors); the field is "(top level)" for
 * the document itself. Returns the same object, typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const fail = (field: string, problem: string): never => {
 *   throw new Error(`r.json: ${field}: ${problem}`);
 * };
 * assert.throws(
 *   () => validateResultsDocument({ schemaVersion: 99 }, fail),
 *   /r\.json: schemaVersion: must be 1 \(the results format this tilebench reads\); got 99/,
 * );
 * assert.throws(() => validateResultsDocument({ kind: "task" }, fail), /kind: is "task": a task run/);
 * ```
 */
export function validateResultsDocument(value: unknown, fail: Fail): RunResults {
  const top = (path: string) => path || "(top level)";
  // a task run's results (`deno task task`) where a bench run's are expected: say so at once
  if (value && typeof value === "object" && (value as { kind?: unknown }).kind === "task") {
    fail(
      "kind",
      "is \"task\": a task run's results (deno task task), not a bench run's; task runs are " +
        "read by deno task report and deno task gate",
    );
  }
  validate(RESULTS_SCHEMA, value, (path, problem) => fail(top(path), problem));
  const seen = new Map<string, number>();
  (value as RunResults).results.forEach((r, i) => {
    const f = `results[${i}]`;
    const prev = seen.get(r.id);
    if (prev !== undefined) {
      fail(`${f}.id`, `duplicate id ${showValue(r.id)} (also results[${prev}])`);
    }
    seen.set(r.id, i);
    if (r.status !== "ok") return;
    if (r.time === null) fail(`${f}.time`, "must be an object for an ok case; got null");
    // JSON writes a non-finite error as null: fine for a failed case, impossible for an ok one.
    for (const k of ["correctness", "approximation"] as const) {
      if (r[k] && r[k].relError === null) {
        fail(`${f}.${k}.relError`, "must be a number ≥ 0 for an ok case; got null (not finite)");
      }
    }
  });
  return value as RunResults;
}
