/**
 * The results store: runs kept across commits in one SQLite file (Deno's built-in `node:sqlite`,
 * no server, no dependency). A run is keyed by its commit, dirty flag, branch, adapter, suite and
 * start time; each case keeps its whole result, raw samples included, so a run's report can be
 * written again from the store.
 *
 * The schema is versioned (`PRAGMA user_version`) and migrated forward on open; a store written
 * by a newer tilebench is refused. Writers take the database lock for the whole run they record
 * (`BEGIN IMMEDIATE`) and wait for each other (`busy_timeout`), and the file is in WAL mode, so
 * several processes can record at once.
 *
 * @module
 */

import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { CaseResult, RunMeta, RunResults } from "../types.ts";

/** Version of the store schema this tilebench writes and reads. */
export const STORE_VERSION = 2;

/** How long a writer waits for another to finish before giving up (ms). */
const BUSY_TIMEOUT_MS = 30_000;

/** Runs `f`, again every 10 ms while SQLite says the database is locked, for up to the busy timeout. */
function retryWhileLocked<T>(f: () => T): T {
  const end = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (true) {
    try {
      return f();
    } catch (e) {
      if (!/locked|busy/i.test((e as Error).message) || Date.now() > end) throw e;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

/** A store that cannot be opened or written: its message names the file. */
export class StoreError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "StoreError";
  }
}

/**
 * Schema migrations: entry `i` takes a store from version `i` to `i + 1`. Version 1 held runs
 * and cases; version 2 adds the shard a run covered and an index for trend queries.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     run_key TEXT NOT NULL UNIQUE,
     commit_sha TEXT,
     dirty INTEGER,
     branch TEXT,
     suite TEXT NOT NULL,
     seed INTEGER NOT NULL,
     adapter TEXT NOT NULL,
     adapter_json TEXT NOT NULL,
     tool_version TEXT,
     started_at TEXT,
     finished_at TEXT,
     complete INTEGER NOT NULL,
     hostname TEXT,
     source TEXT,
     recorded_at TEXT NOT NULL,
     meta_json TEXT NOT NULL
   );
   CREATE TABLE cases (
     run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     case_id TEXT NOT NULL,
     kernel TEXT NOT NULL,
     family TEXT NOT NULL,
     dtype TEXT NOT NULL,
     status TEXT NOT NULL,
     median_ms REAL,
     ci_lo_ms REAL,
     ci_hi_ms REAL,
     noise REAL,
     batch_median_ms REAL,
     speedup REAL,
     rel_error REAL,
     samples_json TEXT,
     result_json TEXT NOT NULL,
     PRIMARY KEY (run_id, case_id)
   );
   CREATE INDEX runs_by_suite ON runs(suite, adapter, started_at);`,
  `ALTER TABLE runs ADD COLUMN shard TEXT;
   CREATE INDEX cases_by_id ON cases(case_id);`,
];

/**
 * The key of a run in the store: the same results file recorded twice is one run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const meta = { startedAt: "2026-01-01T00:00:00Z", suite: "smoke", filter: null } as never;
 * assert.equal(runKey(meta), runKey(meta));
 * ```
 */
export function runKey(meta: RunMeta): string {
  const m = meta as RunMeta & { shard?: { index: number; count: number } };
  return JSON.stringify([
    m.startedAt,
    m.os?.hostname ?? null,
    m.suite,
    m.filter ?? null,
    m.adapter?.description ?? null,
    m.tool?.commit ?? null,
    m.shard ? `${m.shard.index}/${m.shard.count}` : null,
  ]);
}

/**
 * A short name for an adapter, used to group runs: its description, else vendor and
 * architecture.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(adapterName({ vendor: "nvidia", architecture: "hopper", device: "", description: "" }), "nvidia hopper");
 * ```
 */
export function adapterName(
  a: { vendor?: string; architecture?: string; device?: string; description?: string },
): string {
  const d = (a.description ?? "").trim();
  if (d) return d;
  const va = [a.vendor, a.architecture].filter((x) => x && x.trim()).join(" ");
  return va || a.device || "unknown adapter";
}

/** A run as listed from the store. */
export interface StoredRun {
  /** Row id in this store. */
  id: number;
  /** The commit the run was made from (`meta.tool.commit`). */
  commit: string | null;
  /** Whether the tree had uncommitted changes (null: unknown). */
  dirty: boolean | null;
  /** The branch it was recorded under. */
  branch: string | null;
  /** The suite run. */
  suite: string;
  /** The suite's seed. */
  seed: number;
  /** See {@link adapterName}. */
  adapter: string;
  /** The tilebench version that ran it. */
  toolVersion: string | null;
  /** When the run started (ISO 8601). */
  startedAt: string | null;
  /** Whether every case of the run finished. */
  complete: boolean;
  /** `I/N` when the run covered one shard of its suite. */
  shard: string | null;
  /** Where the run was recorded from (a file path), when known. */
  source: string | null;
  /** Cases recorded, and of those `ok`. */
  cases: number;
  /** Cases with status `ok`. */
  ok: number;
}

/** One case of one stored run: a point of a trend. */
export interface TrendPoint {
  /** The run's row id. */
  runId: number;
  /** The run's commit. */
  commit: string | null;
  /** Whether the run's tree was dirty. */
  dirty: boolean | null;
  /** The run's branch. */
  branch: string | null;
  /** The run's adapter (see `adapterName`). */
  adapter: string;
  /** The run's suite. */
  suite: string;
  /** When the run started. */
  startedAt: string | null;
  /** The case id. */
  caseId: string;
  /** The case's status. */
  status: string;
  /** Isolated median and its confidence interval (ms); null unless the case was timed. */
  median: number | null;
  /** Lower end of the median's 95% CI (ms). */
  ciLo: number | null;
  /** Upper end of the median's 95% CI (ms). */
  ciHi: number | null;
  /** Relative standard deviation of the samples. */
  noise: number | null;
  /** Back-to-back median (ms), when the case has one. */
  batchMedian: number | null;
  /** Speedup vs dense (back to back where there is one). */
  speedup: number | null;
  /** Approximation error against the exact product. */
  relError: number | null;
}

/** Filters of {@link Store.runs} and {@link Store.trend}; text filters match substrings. */
export interface StoreQuery {
  /** Only runs of this suite. */
  suite?: string;
  /** Only runs whose adapter name contains this text. */
  adapter?: string;
  /** Only runs recorded on this branch. */
  branch?: string;
  /** Case id substring (trend) or required case (runs). */
  caseId?: string;
  /** Only the last `limit` runs (newest). */
  limit?: number;
}

/** What {@link Store.record} did. */
export interface RecordOutcome {
  /** The row id of the run (new or already there). */
  runId: number;
  /** False when the same run was already in the store (nothing written). */
  added: boolean;
  /** Cases written (0 when the run was already there). */
  cases: number;
}

/** Options of {@link Store.record}. */
export interface RecordOptions {
  /** The branch the run belongs to (the store's baselines are taken per branch). */
  branch?: string | null;
  /** Where the run came from (a results.json path), kept for listing. */
  source?: string | null;
  /** Drop the raw samples (keep medians, CIs and the rest) to keep the store small. */
  dropSamples?: boolean;
}

function asNum(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function boolOrNull(v: unknown): boolean | null {
  return v === null || v === undefined ? null : Boolean(v);
}

function like(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An open results store. Open with {@link openStore}; close when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * const store = openStore(`${dir}/history.db`);
 * assert.deepEqual(store.runs({}), []);
 * store.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export class Store {
  #db: DatabaseSync;
  /** The store's file. */
  readonly path: string;

  /** Wraps an open, migrated database; use {@link openStore}. */
  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.path = path;
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }

  /**
   * Appends a run with all its cases in one transaction; a run already in the store (same
   * {@link runKey}) is left as it is.
   */
  record(results: RunResults, options: RecordOptions = {}): RecordOutcome {
    const meta = results.meta;
    const key = runKey(meta);
    const db = this.#db;
    db.exec("BEGIN IMMEDIATE");
    try {
      const existing = db.prepare("SELECT id FROM runs WHERE run_key = ?").get(key) as
        | { id: number }
        | undefined;
      if (existing) {
        db.exec("COMMIT");
        return { runId: existing.id, added: false, cases: 0 };
      }
      const shard = (meta as RunMeta & { shard?: { index: number; count: number } }).shard;
      const info = db.prepare(
        `INSERT INTO runs (run_key, commit_sha, dirty, branch, suite, seed, adapter, adapter_json,
           tool_version, started_at, finished_at, complete, hostname, source, recorded_at,
           meta_json, shard)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        key,
        meta.tool?.commit ?? null,
        meta.tool?.dirty === undefined || meta.tool?.dirty === null
          ? null
          : meta.tool.dirty
          ? 1
          : 0,
        options.branch ?? null,
        meta.suite,
        meta.seed,
        adapterName(meta.adapter),
        JSON.stringify(meta.adapter),
        meta.tool?.version ?? null,
        meta.startedAt ?? null,
        meta.finishedAt ?? null,
        meta.complete === false ? 0 : 1,
        meta.os?.hostname ?? null,
        options.source ?? null,
        new Date().toISOString(),
        JSON.stringify(meta),
        shard ? `${shard.index}/${shard.count}` : null,
      );
      const runId = Number(info.lastInsertRowid);
      const insert = db.prepare(
        `INSERT INTO cases (run_id, case_id, kernel, family, dtype, status, median_ms, ci_lo_ms,
           ci_hi_ms, noise, batch_median_ms, speedup, rel_error, samples_json, result_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of results.results) {
        const t = r.time;
        const kept: CaseResult = options.dropSamples && t
          ? { ...r, time: { ...t, samples: [] } }
          : r;
        insert.run(
          runId,
          r.id,
          r.kernel,
          r.family,
          r.dtype,
          r.status,
          asNum(t?.median),
          asNum(t?.ci?.lo),
          asNum(t?.ci?.hi),
          asNum(t?.noise),
          asNum(r.batch?.median),
          asNum(r.batch?.speedupVsDense ?? r.speedupVsDense),
          asNum(r.approximation?.relError),
          t && !options.dropSamples ? JSON.stringify(t.samples) : null,
          JSON.stringify({ ...kept, time: kept.time ? { ...kept.time, samples: [] } : null }),
        );
      }
      db.exec("COMMIT");
      return { runId, added: true, cases: results.results.length };
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Runs matching `q`, oldest first (by start time). */
  runs(q: StoreQuery): StoredRun[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.suite) (where.push("r.suite = ?"), args.push(q.suite));
    if (q.adapter) (where.push("r.adapter LIKE ? ESCAPE '\\'"), args.push(like(q.adapter)));
    if (q.branch) (where.push("r.branch = ?"), args.push(q.branch));
    if (q.caseId) {
      where.push("EXISTS (SELECT 1 FROM cases c WHERE c.run_id = r.id AND c.case_id = ?)");
      args.push(q.caseId);
    }
    const sql = `SELECT r.id, r.commit_sha, r.dirty, r.branch, r.suite, r.seed, r.adapter,
        r.tool_version, r.started_at, r.complete, r.shard, r.source,
        (SELECT count(*) FROM cases c WHERE c.run_id = r.id) AS n,
        (SELECT count(*) FROM cases c WHERE c.run_id = r.id AND c.status = 'ok') AS ok
      FROM runs r ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY r.started_at DESC, r.id DESC ${q.limit ? `LIMIT ${Math.floor(q.limit)}` : ""}`;
    const rows = this.#db.prepare(sql).all(...args) as Record<string, unknown>[];
    return rows.reverse().map((r) => ({
      id: Number(r.id),
      commit: (r.commit_sha as string | null) ?? null,
      dirty: boolOrNull(r.dirty),
      branch: (r.branch as string | null) ?? null,
      suite: r.suite as string,
      seed: Number(r.seed),
      adapter: r.adapter as string,
      toolVersion: (r.tool_version as string | null) ?? null,
      startedAt: (r.started_at as string | null) ?? null,
      complete: Boolean(r.complete),
      shard: (r.shard as string | null) ?? null,
      source: (r.source as string | null) ?? null,
      cases: Number(r.n),
      ok: Number(r.ok),
    }));
  }

  /** Every stored case whose id contains `q.caseId` (all cases without it), oldest run first. */
  trend(q: StoreQuery): TrendPoint[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.caseId) (where.push("c.case_id LIKE ? ESCAPE '\\'"), args.push(like(q.caseId)));
    if (q.suite) (where.push("r.suite = ?"), args.push(q.suite));
    if (q.adapter) (where.push("r.adapter LIKE ? ESCAPE '\\'"), args.push(like(q.adapter)));
    if (q.branch) (where.push("r.branch = ?"), args.push(q.branch));
    const rows = this.#db.prepare(
      `SELECT r.id AS run_id, r.commit_sha, r.dirty, r.branch, r.adapter, r.suite, r.started_at,
         c.case_id, c.status, c.median_ms, c.ci_lo_ms, c.ci_hi_ms, c.noise, c.batch_median_ms,
         c.speedup, c.rel_error
       FROM cases c JOIN runs r ON r.id = c.run_id
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY c.case_id, r.started_at, r.id`,
    ).all(...args) as Record<string, unknown>[];
    return rows.map((r) => ({
      runId: Number(r.run_id),
      commit: (r.commit_sha as string | null) ?? null,
      dirty: boolOrNull(r.dirty),
      branch: (r.branch as string | null) ?? null,
      adapter: r.adapter as string,
      suite: r.suite as string,
      startedAt: (r.started_at as string | null) ?? null,
      caseId: r.case_id as string,
      status: r.status as string,
      median: asNum(r.median_ms),
      ciLo: asNum(r.ci_lo_ms),
      ciHi: asNum(r.ci_hi_ms),
      noise: asNum(r.noise),
      batchMedian: asNum(r.batch_median_ms),
      speedup: asNum(r.speedup),
      relError: asNum(r.rel_error),
    }));
  }

  /** A stored run as a `results.json` document (raw samples restored where kept). */
  load(runId: number): RunResults {
    const run = this.#db.prepare("SELECT meta_json FROM runs WHERE id = ?").get(runId) as
      | { meta_json: string }
      | undefined;
    if (!run) throw new StoreError(`${this.path}: no run ${runId}`);
    const rows = this.#db.prepare(
      "SELECT result_json, samples_json FROM cases WHERE run_id = ? ORDER BY rowid",
    ).all(runId) as { result_json: string; samples_json: string | null }[];
    const results: CaseResult[] = rows.map((row) => {
      const r = JSON.parse(row.result_json) as CaseResult;
      if (r.time) r.time.samples = row.samples_json ? JSON.parse(row.samples_json) : [];
      return r;
    });
    const totals = { cases: results.length, ok: 0, failed: 0, skipped: 0, pending: 0 };
    for (const r of results) totals[r.status]++;
    const meta = JSON.parse(run.meta_json) as RunMeta;
    if (meta.complete === false) totals.pending = 0;
    return { schemaVersion: 1, meta, totals, results };
  }

  /** The schema version of the open store. */
  get version(): number {
    return Number(
      (this.#db.prepare("PRAGMA user_version").get() as { user_version: number })
        .user_version,
    );
  }
}

/**
 * Opens (creating when missing, unless `readOnly`) the store at `path` and migrates it to
 * {@link STORE_VERSION}. Throws {@link StoreError} for a store from a newer tilebench, a file
 * that is not a tilebench store, or a missing file opened read-only.
 *
 * `upTo` stops the migration at an older version (for tests of the migration itself).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const dir = Deno.makeTempDirSync();
 * const store = openStore(`${dir}/h.db`);
 * assert.equal(store.version, STORE_VERSION);
 * store.close();
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function openStore(
  path: string,
  options: { readOnly?: boolean; upTo?: number } = {},
): Store {
  if (options.readOnly) {
    try {
      Deno.statSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable) {
        throw new StoreError(
          `${path}: this command may not read there (deno task history reads under reports/; ` +
            "keep the store there, or run harness/history/main.ts history with --allow-read)",
        );
      }
      throw new StoreError(`${path}: no store there (record runs with: deno task record)`);
    }
  }
  let db: DatabaseSync;
  try {
    if (!options.readOnly) Deno.mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (e) {
    throw new StoreError(`${path}: cannot open the store: ${(e as Error).message}`);
  }
  try {
    const version = retryWhileLocked(() =>
      Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version)
    );
    if (version > STORE_VERSION) {
      throw new StoreError(
        `${path}: store version ${version} was written by a newer tilebench; this one reads ` +
          `versions up to ${STORE_VERSION} (upgrade tilebench, or record into another file)`,
      );
    }
    const target = Math.min(options.upTo ?? STORE_VERSION, STORE_VERSION);
    const foreign = (): boolean =>
      Number((db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n) > 0;
    if (version < target) {
      if (options.readOnly) {
        throw new StoreError(
          version === 0 && foreign()
            ? `${path}: not a tilebench store (a SQLite file with other tables)`
            : `${path}: store version ${version} needs migrating to ${target}; open it ` +
              `writable once (e.g. deno task record)`,
        );
      }
      // Switching to WAL takes an exclusive lock that SQLite may refuse at once, without its busy
      // handler, while another process creates the same store: this and the reads around it are
      // retried while the file is locked.
      retryWhileLocked(() => db.exec("PRAGMA journal_mode = WAL"));
      retryWhileLocked(() => db.exec("BEGIN IMMEDIATE"));
      try {
        // Another process may have created or migrated the store while this one waited.
        const now = Number(
          (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
        );
        if (now === 0 && foreign()) {
          throw new StoreError(`${path}: not a tilebench store (a SQLite file with other tables)`);
        }
        for (let v = now; v < target; v++) db.exec(MIGRATIONS[v]!);
        db.exec(`PRAGMA user_version = ${Math.max(now, target)}`);
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    }
    db.exec("PRAGMA foreign_keys = ON");
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    throw new StoreError(`${path}: ${(e as Error).message}`);
  }
  return new Store(db, path);
}
