/**
 * The gate's thresholds: per metric, with defaults, overridable per suite and per kernel, from a
 * config file (`--config gate.json`), the suite's own `gate` object, and the command line.
 *
 * A config file is a JSON object; every field is optional:
 *
 * ```json
 * {
 *   "description": "what these thresholds are for (optional, ignored)",
 *   "time": { "threshold": "5%", "alpha": 0.01, "test": "auto" },
 *   "accuracy": { "rel": 0.01, "abs": 1e-6 },
 *   "correctness": { "rel": 0.5, "abs": 1e-6 },
 *   "flops": { "rel": 1e-9 },
 *   "missing": "warn",
 *   "allowDeviceMismatch": false,
 *   "kernels": { "int4": { "accuracy": { "rel": 0.05 } } },
 *   "suites": { "smoke": { "time": { "threshold": "400%" }, "kernels": { "dense": {} } } }
 * }
 * ```
 *
 * @module
 */

import { GateInputError, quoteForError } from "./errors.ts";

/** Which test decides whether a time difference is real. */
export type TimeTest = "auto" | "mann-whitney" | "bootstrap";

/** The test names allowed in `time.test`. */
export const TIME_TESTS: readonly TimeTest[] = ["auto", "mann-whitney", "bootstrap"];

/**
 * Rules for kernel time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: TimeRules = {
 *   enabled: true, threshold: 0.05, alpha: 0.01, test: "auto", resamples: 2000, seed: 1,
 * };
 * assert.deepEqual(t, DEFAULT_RULES.time);
 * ```
 */
export interface TimeRules {
  /** Compare times at all (false: time never decides a verdict). */
  enabled: boolean;
  /** Relative change of the median that matters: 0.05 means 5% slower (or faster). */
  threshold: number;
  /** Significance level of the test (Mann-Whitney p-value, or 1 − bootstrap CI level). */
  alpha: number;
  /** `auto`: Mann-Whitney when the samples are large enough to reach `alpha`, else bootstrap. */
  test: TimeTest;
  /** Bootstrap resamples. */
  resamples: number;
  /** Seed of the bootstrap's random stream. */
  seed: number;
}

/**
 * Tolerance of a deterministic metric where larger is worse: the current value regresses when
 * it exceeds `baseline × (1 + rel) + abs`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const t: ToleranceRules = { enabled: true, rel: 0.01, abs: 1e-6 };
 * assert.deepEqual(t, DEFAULT_RULES.accuracy);
 * ```
 */
export interface ToleranceRules {
  /** Compare this metric at all. */
  enabled: boolean;
  /** Relative tolerance. */
  rel: number;
  /** Absolute tolerance, added to the relative one. */
  abs: number;
}

/**
 * Fully resolved rules for one case.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r: GateRules = structuredClone(DEFAULT_RULES);
 * r.time.threshold = 0.1;
 * assert.equal(DEFAULT_RULES.time.threshold, 0.05);
 * ```
 */
export interface GateRules {
  /** How times are compared. */
  time: TimeRules;
  /** `approximation.relError`: error vs the exact product (what an approximation costs). */
  accuracy: ToleranceRules;
  /** `correctness.relError`: error vs the reference of the kernel's own operator. */
  correctness: ToleranceRules;
  /** `flops.total`: FLOPs the kernel executes. */
  flops: ToleranceRules;
}

/** The metric blocks of the rules. */
export const METRICS = ["time", "accuracy", "correctness", "flops"] as const;

/** A metric name: `time`, `accuracy`, `correctness` or `flops`. */
export type Metric = typeof METRICS[number];

/**
 * Some rules, to be laid over others.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const p: RulesPatch = { time: { threshold: 0.2 } };
 * assert.deepEqual(validateScopedRules({ time: { threshold: "20%" } }, "g.json"), p);
 * ```
 */
export interface RulesPatch {
  /** Time rules to override. */
  time?: Partial<TimeRules>;
  /** Approximation-error tolerance to override. */
  accuracy?: Partial<ToleranceRules>;
  /** Correctness-error tolerance to override. */
  correctness?: Partial<ToleranceRules>;
  /** FLOP-count tolerance to override. */
  flops?: Partial<ToleranceRules>;
}

/**
 * Rules with per-kernel overrides: the format of a suite's `gate` object and of each entry of a
 * config's `suites`. A `kernels` key matches a case's kernel name or its family.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s: ScopedRules = { time: { threshold: 4 }, kernels: { dense: { flops: { rel: 0 } } } };
 * const raw = { time: { threshold: "400%" }, kernels: { dense: { flops: { rel: 0 } } } };
 * assert.deepEqual(validateScopedRules(raw, "g.json"), s);
 * ```
 */
export interface ScopedRules extends RulesPatch {
  /** Rules per kernel name. */
  kernels?: Record<string, RulesPatch>;
}

/**
 * A gate config file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c: GateConfig = { time: { threshold: 0.1 }, suites: { smoke: { time: { threshold: 4 } } } };
 * assert.deepEqual(validateGateConfig(structuredClone(c), "gate.json"), c);
 * ```
 */
export interface GateConfig extends ScopedRules {
  /** Per-suite rules (keyed by the run's `meta.suite`). */
  suites?: Record<string, ScopedRules>;
  /** Whether a case of the baseline that was ok and is absent from the current run fails the
   * gate (default `fail`; `warn` is what `--allow-missing` does). */
  missing?: "warn" | "fail";
  /** Compare runs from different adapters (as `--allow-device-mismatch` does). */
  allowDeviceMismatch?: boolean;
}

/**
 * Built-in rules: 5% time threshold at α = 0.01; approximation error may grow 1% (+1e-6);
 * correctness error 50% (+1e-6), roundoff changes when a kernel's summation order changes;
 * FLOPs are a model and must not grow at all (1e-9 relative for float noise).
 */
export const DEFAULT_RULES: GateRules = {
  time: { enabled: true, threshold: 0.05, alpha: 0.01, test: "auto", resamples: 2000, seed: 1 },
  accuracy: { enabled: true, rel: 0.01, abs: 1e-6 },
  correctness: { enabled: true, rel: 0.5, abs: 1e-6 },
  flops: { enabled: true, rel: 1e-9, abs: 0 },
};

/**
 * Parses a threshold: a fraction (`0.05`) or a percentage string (`"5%"`), ≥ 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(parseThreshold("5%") === 0.05 && parseThreshold(0.2) === 0.2);
 * assert.equal(parseThreshold("0.1"), 0.1);
 * ```
 */
export function parseThreshold(value: unknown): number {
  let x: number = NaN;
  if (typeof value === "number") x = value;
  else if (typeof value === "string") {
    const m = /^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(%?)\s*$/.exec(value);
    if (m) x = Number(m[1]) / (m[2] ? 100 : 1);
  }
  if (!Number.isFinite(x) || x < 0) {
    throw new RangeError(
      `must be a fraction ≥ 0 (0.05) or a percentage ("5%"); got ${quoteForError(value)}`,
    );
  }
  return x;
}

/**
 * Parses a significance level in (0, 0.5] (a number, or a string holding one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.ok(parseAlpha("0.01") === 0.01 && parseAlpha(0.05) === 0.05);
 * ```
 */
export function parseAlpha(value: unknown): number {
  const x = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof x !== "number" || !(x > 0 && x <= 0.5)) {
    throw new RangeError(`must be a number in (0, 0.5]; got ${quoteForError(value)}`);
  }
  return x;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Checker {
  constructor(readonly file: string) {}
  fail(field: string, message: string): never {
    throw new GateInputError(this.file, field, message);
  }
  obj(v: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
    if (!isObject(v)) this.fail(field, `must be an object; got ${quoteForError(v)}`);
    for (const key of Object.keys(v)) {
      if (!allowed.includes(key)) {
        this.fail(
          field ? `${field}.${key}` : key,
          `unknown field; allowed: ${allowed.join(", ")}`,
        );
      }
    }
    return v;
  }
  /** An object whose keys are names (any key allowed). */
  map(v: unknown, field: string): Record<string, unknown> {
    if (!isObject(v)) this.fail(field, `must be an object keyed by name; got ${quoteForError(v)}`);
    return v;
  }
  bool(v: unknown, field: string): boolean {
    if (typeof v !== "boolean") this.fail(field, `must be true or false; got ${quoteForError(v)}`);
    return v;
  }
  nonNeg(v: unknown, field: string): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      this.fail(field, `must be a number ≥ 0; got ${quoteForError(v)}`);
    }
    return v;
  }
  parse<T>(fn: (v: unknown) => T, v: unknown, field: string): T {
    try {
      return fn(v);
    } catch (e) {
      this.fail(field, (e as Error).message);
    }
  }
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function checkTolerance(
  c: Checker,
  v: unknown,
  field: string,
): Partial<ToleranceRules> {
  const o = c.obj(v, field, ["enabled", "rel", "abs"]);
  const out: Partial<ToleranceRules> = {};
  if (o.enabled !== undefined) out.enabled = c.bool(o.enabled, `${field}.enabled`);
  if (o.rel !== undefined) out.rel = c.nonNeg(o.rel, `${field}.rel`);
  if (o.abs !== undefined) out.abs = c.nonNeg(o.abs, `${field}.abs`);
  return out;
}

function checkTime(c: Checker, v: unknown, field: string): Partial<TimeRules> {
  const o = c.obj(v, field, ["enabled", "threshold", "alpha", "test", "resamples", "seed"]);
  const out: Partial<TimeRules> = {};
  if (o.enabled !== undefined) out.enabled = c.bool(o.enabled, `${field}.enabled`);
  if (o.threshold !== undefined) {
    out.threshold = c.parse(parseThreshold, o.threshold, `${field}.threshold`);
  }
  if (o.alpha !== undefined) out.alpha = c.parse(parseAlpha, o.alpha, `${field}.alpha`);
  if (o.test !== undefined) {
    if (!TIME_TESTS.includes(o.test as TimeTest)) {
      c.fail(
        `${field}.test`,
        `must be one of ${TIME_TESTS.join(", ")}; got ${quoteForError(o.test)}`,
      );
    }
    out.test = o.test as TimeTest;
  }
  if (o.resamples !== undefined) {
    if (!Number.isInteger(o.resamples) || (o.resamples as number) < 100) {
      c.fail(`${field}.resamples`, `must be an integer ≥ 100; got ${quoteForError(o.resamples)}`);
    }
    out.resamples = o.resamples as number;
  }
  if (o.seed !== undefined) {
    if (!Number.isInteger(o.seed)) {
      c.fail(`${field}.seed`, `must be an integer; got ${quoteForError(o.seed)}`);
    }
    out.seed = o.seed as number;
  }
  return out;
}

function checkPatch(
  c: Checker,
  o: Record<string, unknown>,
  field: string,
): RulesPatch {
  const out: RulesPatch = {};
  if (o.time !== undefined) out.time = checkTime(c, o.time, join(field, "time"));
  for (const m of ["accuracy", "correctness", "flops"] as const) {
    if (o[m] !== undefined) out[m] = checkTolerance(c, o[m], join(field, m));
  }
  return out;
}

function checkScoped(c: Checker, v: unknown, field: string, extra: string[]): ScopedRules {
  const o = c.obj(v, field, [...METRICS, "kernels", ...extra]);
  const out: ScopedRules = checkPatch(c, o, field);
  if (o.kernels !== undefined) {
    const kf = join(field, "kernels");
    const k = c.map(o.kernels, kf);
    out.kernels = {};
    for (const [name, p] of Object.entries(k)) {
      out.kernels[name] = checkPatch(c, c.obj(p, `${kf}.${name}`, METRICS), `${kf}.${name}`);
    }
  }
  return out;
}

/**
 * Validates a suite's `gate` object (metric blocks and `kernels` overrides); errors name the
 * file and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const g = validateScopedRules({ time: { threshold: "300%" } }, "suites/smoke.json", "gate");
 * assert.ok(g.time?.threshold === 3);
 * ```
 */
export function validateScopedRules(raw: unknown, file: string, field = ""): ScopedRules {
  return checkScoped(new Checker(file), raw, field, []);
}

/**
 * Validates a gate config file's parsed JSON; errors name the file and the field, e.g.
 * `gate.json: suites.smoke.time.alpha: must be a number in (0, 0.5]; got 2`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const c = validateGateConfig({ missing: "fail", kernels: { dense: {} } }, "gate.json");
 * assert.equal(c.missing, "fail");
 * ```
 */
export function validateGateConfig(raw: unknown, file: string): GateConfig {
  const c = new Checker(file);
  const out: GateConfig = checkScoped(c, raw, "", [
    "suites",
    "missing",
    "allowDeviceMismatch",
    "description",
  ]);
  const o = raw as Record<string, unknown>;
  if (o.description !== undefined && typeof o.description !== "string") {
    c.fail("description", `must be a string; got ${quoteForError(o.description)}`);
  }
  if (o.allowDeviceMismatch !== undefined) {
    out.allowDeviceMismatch = c.bool(o.allowDeviceMismatch, "allowDeviceMismatch");
  }
  if (o.missing !== undefined) {
    if (o.missing !== "warn" && o.missing !== "fail") {
      c.fail("missing", `must be "warn" or "fail"; got ${quoteForError(o.missing)}`);
    }
    out.missing = o.missing as "warn" | "fail";
  }
  if (o.suites !== undefined) {
    const s = c.map(o.suites, "suites");
    out.suites = {};
    for (const [name, v] of Object.entries(s)) {
      out.suites[name] = checkScoped(c, v, `suites.${name}`, []);
    }
  }
  return out;
}

/**
 * Lays patches over the defaults, later ones winning field by field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = mergeRules([{ time: { threshold: 0.2 } }, { time: { alpha: 0.05 } }]);
 * assert.ok(r.time.threshold === 0.2 && r.time.alpha === 0.05);
 * ```
 */
export function mergeRules(
  patches: readonly (RulesPatch | undefined)[],
  base: GateRules = DEFAULT_RULES,
): GateRules {
  const out: GateRules = {
    time: { ...base.time },
    accuracy: { ...base.accuracy },
    correctness: { ...base.correctness },
    flops: { ...base.flops },
  };
  for (const p of patches) {
    if (!p) continue;
    Object.assign(out.time, p.time);
    Object.assign(out.accuracy, p.accuracy);
    Object.assign(out.correctness, p.correctness);
    Object.assign(out.flops, p.flops);
  }
  return out;
}

/** Where rules come from, from least to most specific (see {@link rulesFor}). */
export interface RuleSources {
  /** The run's suite `gate` object (recorded in `meta.gate`). */
  suiteGate?: ScopedRules;
  /** The `--config` file. */
  config?: GateConfig;
  /** Command-line flags (`--threshold`, `--alpha`). */
  flags?: RulesPatch;
}

function kernelPatches(
  scoped: ScopedRules | undefined,
  kernel: string,
  family: string,
): (RulesPatch | undefined)[] {
  const k = scoped?.kernels;
  if (!k) return [];
  return family === kernel ? [Object.hasOwn(k, kernel) ? k[kernel] : undefined] : [
    Object.hasOwn(k, family) ? k[family] : undefined,
    Object.hasOwn(k, kernel) ? k[kernel] : undefined,
  ];
}

/**
 * Resolves the rules of one case. Layers, later winning: built-in defaults; the suite's `gate`
 * object; the config's top level; command-line flags; the suite's `gate.kernels` entry of the
 * case's family, then of its kernel; the config's `suites[suite]`; the config's `kernels`
 * entries (family, then kernel); the config's `suites[suite].kernels` entries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const r = rulesFor({ suite: "smoke", kernel: "dense", family: "dense" }, {
 *   config: { time: { threshold: 0.1 }, suites: { smoke: { time: { threshold: 4 } } } },
 *   flags: { time: { threshold: 0.2 } },
 * });
 * assert.equal(r.time.threshold, 4);
 * ```
 */
export function rulesFor(
  c: { suite: string; kernel: string; family: string },
  sources: RuleSources,
): GateRules {
  const { suiteGate, config, flags } = sources;
  const suiteScope = config?.suites && Object.hasOwn(config.suites, c.suite)
    ? config.suites[c.suite]
    : undefined;
  return mergeRules([
    suiteGate,
    config,
    flags,
    ...kernelPatches(suiteGate, c.kernel, c.family),
    suiteScope,
    ...kernelPatches(config, c.kernel, c.family),
    ...kernelPatches(suiteScope, c.kernel, c.family),
  ]);
}
