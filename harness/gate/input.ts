/**
 * Checks that a parsed `results.json` has what the gate reads, with errors that name the file
 * and the field.
 *
 * @module
 */

import { type RunResults, SCHEMA_VERSION } from "../types.ts";
import { GateInputError, quoteForError } from "../rules/errors.ts";

const STATUSES = ["ok", "failed", "skipped"];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates parsed `results.json` content for the gate: `schemaVersion`, `meta` (adapter, suite,
 * seed) and every result's identity, status, FLOPs, time samples and error metrics. Error metrics
 * may be `null` (JSON has no Infinity). Returns the same object, typed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * try {
 *   validateRunResults({ schemaVersion: 99 }, "old.json");
 * } catch (e) {
 *   assert.ok((e as Error).message.startsWith("old.json: schemaVersion: must be 1"));
 * }
 * ```
 */
export function validateRunResults(raw: unknown, file: string): RunResults {
  const fail = (field: string, msg: string): never => {
    throw new GateInputError(file, field, msg);
  };
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    isObject(v) ? v : fail(field, `must be an object; got ${quoteForError(v)}`);
  const str = (v: unknown, field: string): string =>
    typeof v === "string" ? v : fail(field, `must be a string; got ${quoteForError(v)}`);
  const num = (v: unknown, field: string): number =>
    typeof v === "number" && Number.isFinite(v)
      ? v
      : fail(field, `must be a number; got ${quoteForError(v)}`);
  const nonNeg = (v: unknown, field: string): number => {
    const x = num(v, field);
    return x >= 0 ? x : fail(field, `must be ≥ 0; got ${quoteForError(v)}`);
  };
  const positive = (v: unknown, field: string): number =>
    typeof v === "number" && Number.isFinite(v) && v > 0
      ? v
      : fail(field, `must be a positive number; got ${quoteForError(v)}`);
  /** An error metric: ≥ 0, or null (JSON's form of a non-finite value) unless the case is ok. */
  const errorMetric = (v: unknown, field: string, ok: boolean): void => {
    if (v === null && !ok) return;
    if (v === null) fail(field, "must be a number ≥ 0 for an ok case; got null (not finite)");
    nonNeg(v, field);
  };

  const top = obj(raw, "");
  if (top.schemaVersion !== SCHEMA_VERSION) {
    fail(
      "schemaVersion",
      `must be ${SCHEMA_VERSION} (the results format this tilebench reads); got ${
        quoteForError(top.schemaVersion)
      }`,
    );
  }
  const meta = obj(top.meta, "meta");
  const adapter = obj(meta.adapter, "meta.adapter");
  for (const k of ["vendor", "architecture", "device", "description"]) {
    str(adapter[k], `meta.adapter.${k}`);
  }
  str(meta.suite, "meta.suite");
  num(meta.seed, "meta.seed");
  if (meta.gate !== undefined) obj(meta.gate, "meta.gate");
  if (!Array.isArray(top.results)) {
    fail("results", `must be an array; got ${quoteForError(top.results)}`);
  }
  const seen = new Map<string, number>();
  (top.results as unknown[]).forEach((r, i) => {
    const f = `results[${i}]`;
    const o = obj(r, f);
    const id = str(o.id, `${f}.id`);
    if (id === "") fail(`${f}.id`, "must not be empty");
    const prev = seen.get(id);
    if (prev !== undefined) {
      fail(`${f}.id`, `duplicate id ${quoteForError(id)} (also results[${prev}])`);
    }
    seen.set(id, i);
    str(o.kernel, `${f}.kernel`);
    str(o.family, `${f}.family`);
    num(o.seed, `${f}.seed`);
    if (!STATUSES.includes(o.status as string)) {
      fail(`${f}.status`, `must be one of ${STATUSES.join(", ")}; got ${quoteForError(o.status)}`);
    }
    if (o.reason !== null && o.reason !== undefined) str(o.reason, `${f}.reason`);
    const flops = obj(o.flops, `${f}.flops`);
    nonNeg(flops.total, `${f}.flops.total`);
    for (const k of ["core", "overhead"]) {
      if (flops[k] !== undefined) nonNeg(flops[k], `${f}.flops.${k}`);
    }
    if (o.time !== null && o.time !== undefined) {
      const t = obj(o.time, `${f}.time`);
      str(t.method, `${f}.time.method`);
      str(t.l2, `${f}.time.l2`);
      positive(t.median, `${f}.time.median`);
      const samples = (v: unknown, field: string) => {
        if (!Array.isArray(v) || v.length === 0) {
          fail(field, `must be a non-empty array of times; got ${quoteForError(v)}`);
        }
        (v as unknown[]).forEach((s, j) => positive(s, `${field}[${j}]`));
      };
      samples(t.samples, `${f}.time.samples`);
      const sentinel = (v: unknown, field: string) => {
        if (v === undefined) return;
        const o = obj(v, field);
        for (const k of ["referenceMs", "beforeMs", "afterMs", "ratio"]) {
          positive(o[k], `${field}.${k}`);
        }
        if (typeof o.flagged !== "boolean") {
          fail(`${field}.flagged`, `must be true or false; got ${quoteForError(o.flagged)}`);
        }
      };
      sentinel(t.sentinel, `${f}.time.sentinel`);
      if (t.confirm !== undefined) {
        const c = obj(t.confirm, `${f}.time.confirm`);
        positive(c.median, `${f}.time.confirm.median`);
        samples(c.samples, `${f}.time.confirm.samples`);
        sentinel(c.sentinel, `${f}.time.confirm.sentinel`);
      }
    } else if (o.status === "ok") {
      fail(`${f}.time`, `must be an object for an ok case; got ${quoteForError(o.time)}`);
    }
    if (o.correctness !== null && o.correctness !== undefined) {
      const c = obj(o.correctness, `${f}.correctness`);
      errorMetric(c.relError, `${f}.correctness.relError`, o.status === "ok");
    }
    if (o.approximation !== null && o.approximation !== undefined) {
      const a = obj(o.approximation, `${f}.approximation`);
      errorMetric(a.relError, `${f}.approximation.relError`, o.status === "ok");
    }
  });
  return raw as RunResults;
}
