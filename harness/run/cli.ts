/**
 * The `bench` command line: parse flags, load the suite, run, write reports, exit code.
 *
 * @module
 */

import { join } from "node:path";
import { escapeControl, parseCommandLine, UsageError } from "../cli_args.ts";
import { isGateInputError, prepareGate, refuseOverwrite } from "../gate/cli.ts";
import { ADAPTER_CHOICES, type AdapterChoice, NoAdapterError } from "../gpu/adapter.ts";
import {
  ADAPTER_REQUIREMENTS,
  type AdapterRequirement,
  BackendRefusedError,
} from "../gpu/environment.ts";
import type { KernelDescriptor, ParamSpec } from "../kernel.ts";
import { listBuiltinSuites, listExperimentSuites, loadSuite } from "../suite/load.ts";
import { SuiteError } from "../suite/schema.ts";
import { openStore, StoreError } from "../history/store.ts";
import { DEFAULT_STORE, recordRuns } from "../history/record_cli.ts";
import { detectBranch } from "../history/branch.ts";
import { parseShard, selectShard, type Shard } from "../shard.ts";
import { type Case, DEFAULT_MAX_CASES, expandCases } from "../suite/expand.ts";
import { checkOutDir, clearPreviousRun, RUN_FILES } from "./out_dir.ts";
import { runSuite } from "./runner.ts";
import { type PeerName, PEERS } from "./peers.ts";
import { loadTuneCache, type TuneCache, TuneCacheError } from "../tune/cache.ts";
import { SignalGuard } from "./signals.ts";

/** Exit codes: 0 all cases ok (or skipped), 1 some case failed, 2 usage or input error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the bench keeps the tuner's choices unless `--tune-cache` says otherwise. */
export const DEFAULT_TUNE_CACHE = "reports/tune-cache.json";

const TUNE_MODES = ["off", "cached", "full"] as const;

const HELP = `tilebench bench — run a benchmark suite through WebGPU

usage: deno task bench [--suite NAME|PATH] [--out DIR] [--filter TEXT] [options]

  --suite NAME|PATH   built-in suite name or a .json/.ts suite file (default: smoke)
  --out DIR           where results.json, summary.md and report.html go
                      (default: reports/<suite>-<timestamp>/); a folder holding a
                      previous run is refused unless --force
  --force             replace the previous run in --out (its files are removed first)
  --filter TEXT       only cases whose id contains TEXT (case-insensitive); A|B: A or B
  --max-cases N       refuse a suite that expands to more than N cases (default ${DEFAULT_MAX_CASES})
  --adapter KIND      high-performance (default) | low-power | fallback
  --require-adapter R vulkan: refuse the OpenGL fallback (exit 2) | any: accept it |
                      warn (default): accept it with a warning in the header and reports
  --method M          auto (default: GPU timestamps when available) | gpu-timestamp | wall
  --l2 MODE           warm | cold (flush caches between samples); overrides the suite
  --max-time-ms MS    sampling time budget per case; overrides the suite
  --min-samples N     minimum samples per case; overrides the suite
  --no-peaks          skip the FMA / bandwidth microbenchmarks
  --no-sentinel       do not time the reference workload around each case
  --tune MODE         cached (default): run the tune cache's choices for this adapter and
                      tool version, the shipped defaults elsewhere | off: shipped defaults
                      only (CI) | full: time every kernel's candidates, run the fastest and
                      write it to the cache (see docs/tuning.md); a suite's tune wins
  --peers LIST        WebGPU peers on the same device after the cases, comma-separated:
                      tfjs (tf.matMul of @tensorflow/tfjs-backend-webgpu), ort (MatMul of
                      onnxruntime-web's WebGPU EP); f32 shapes; recorded in meta.anchors as
                      webgpu-peer entries
  --tune-cache FILE   the tune cache (default: ${DEFAULT_TUNE_CACHE})
  --list              list built-in suites, experiment suites and kernels, then exit
  --list-cases        print the id of every case the suite would run (after --filter and
                      --shard), the ones skipped before any GPU work with the reason, then
                      exit; needs no adapter and writes nothing
  --quiet             no progress output
  --baseline FILE     gate the run against this results.json (see deno task gate), or
                      store:BRANCH[@N]: the last N runs of BRANCH in the results store
                      writes gate.md and gate.json next to the results
  --gate-config FILE  gate config for --baseline
  --allow-missing     with --baseline: pass although ok baseline cases are missing
  --allow-disjoint    with --baseline: pass although the runs share no case
  --dump-wgsl DIR     write every shader compiled as DIR/<label>.<hash>.wgsl
  --shard I/N         run only shard I of N of the suite's cases (whole shape-and-dtype
                      groups, balanced by case count; merge the shards with deno task merge)
  --record [DB]       append the run to the results store (default: --store, else
                      reports/history.db; see deno task history)
  --store DB          the results store for --baseline store:… and --record
  -h, --help          this help

exit codes: 0 all cases ok or skipped, 1 some case failed (or, with --baseline, a
regression), 2 usage or input error (also: --filter matching no case),
130 interrupted (SIGINT), 143 terminated (SIGTERM)`;

/** One line of `--list`: type, allowed values, default and what it means. */
function describeSpec(spec: ParamSpec): string {
  const allowed = "values" in spec && spec.values ? ` [${spec.values.join("|")}]` : "";
  const fallback = spec.default !== undefined ? ` = ${spec.default}` : "";
  return `${spec.type}${allowed}${fallback} — ${spec.doc}`;
}

/**
 * `--list-cases`: one line a case to stdout (its id, and the reason where it is skipped before
 * any GPU work), then a count to stderr.
 */
function listCases(
  suite: string,
  inSuite: number,
  selected: readonly Case[],
  shard: Shard | null,
): void {
  const chosen = shard ? selectShard(selected, shard) : selected;
  // ids and reasons carry suite text: control characters escaped, one case a line
  for (const c of chosen) {
    console.log(
      escapeControl(c.id) + (c.skip === null ? "" : `\tskipped: ${escapeControl(c.skip)}`),
    );
  }
  const skipped = chosen.filter((c) => c.skip !== null).length;
  const of = [
    selected.length < inSuite ? `${selected.length} of its ${inSuite} match the filter` : "",
    shard ? `shard ${shard.index}/${shard.count}` : "",
    skipped ? `${skipped} skipped before any GPU work` : "",
  ].filter((x) => x !== "");
  console.error(
    `${chosen.length} cases of suite "${escapeControl(suite)}"${
      of.length ? ` (${of.join("; ")})` : ""
    }`,
  );
}

function stamp(): string {
  return new Date().toISOString().replace(/[:]/g, "").replace(/\..*$/, "").replace("T", "-");
}

function num(
  name: string,
  v: string | undefined,
  min: number,
  integer = false,
): number | undefined {
  if (v === undefined) return undefined;
  const x = v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(x) || x < min || (integer && !Number.isInteger(x))) {
    const what = integer ? "a whole number" : "a number";
    throw new UsageError(`--${name} must be ${what} ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return x;
}

/**
 * Runs the bench CLI with `args` and returns the exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinKernels } from "../../kernels/mod.ts";
 * assert.equal(await benchMain(["--list"], builtinKernels), 0); // lists suites and kernels
 * assert.equal(await benchMain(["--no-such-flag"], builtinKernels), 2); // usage error
 * ```
 */
export async function benchMain(
  args: string[],
  registry: readonly KernelDescriptor[],
): Promise<number> {
  // Installed before anything else (suite loading, GPU setup) and kept through the last write.
  const signals = new SignalGuard();
  signals.install();
  try {
    return await bench(args, registry, signals);
  } finally {
    signals.remove();
  }
}

async function bench(
  args: string[],
  registry: readonly KernelDescriptor[],
  signals: SignalGuard,
): Promise<number> {
  try {
    // `--record` may come without a store path: the default store then.
    args = args.flatMap((a, i) =>
      a === "--record" && (i + 1 >= args.length || args[i + 1]!.startsWith("-")) ? [a, ""] : [a]
    );
    const parsed = parseCommandLine(
      args,
      {
        suite: { type: "string" },
        out: { type: "string" },
        filter: { type: "string" },
        "max-cases": { type: "string" },
        adapter: { type: "string" },
        "require-adapter": { type: "string" },
        method: { type: "string" },
        l2: { type: "string" },
        "max-time-ms": { type: "string" },
        "min-samples": { type: "string" },
        "no-peaks": { type: "boolean" },
        "no-sentinel": { type: "boolean" },
        tune: { type: "string" },
        "tune-cache": { type: "string" },
        peers: { type: "string" },
        list: { type: "boolean" },
        "list-cases": { type: "boolean" },
        quiet: { type: "boolean" },
        baseline: { type: "string" },
        "gate-config": { type: "string" },
        "allow-missing": { type: "boolean" },
        "allow-disjoint": { type: "boolean" },
        force: { type: "boolean" },
        "dump-wgsl": { type: "string" },
        record: { type: "string" },
        shard: { type: "string" },
        store: { type: "string" },
      },
      HELP,
    );
    const v = parsed.values;
    if (v.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (v.list) {
      console.log(`suites: ${listBuiltinSuites().join(", ")}`);
      console.log(`experiments (run by path): ${listExperimentSuites().join(", ")}`);
      for (const k of registry) {
        console.log(`kernel ${k.name} (${k.family}): ${k.summary}`);
        const groups = [
          ["parameters (what is measured)", k.params],
          ['tuning knobs (in an entry\'s "tune"; defaults chosen per shape)', k.tune ?? {}],
        ] as const;
        for (const [heading, specs] of groups) {
          const names = Object.keys(specs);
          console.log(`  ${heading}:${names.length ? "" : " none"}`);
          for (const name of names) console.log(`    ${name}: ${describeSpec(specs[name]!)}`);
        }
      }
      return EXIT.ok;
    }
    const adapter = (v.adapter ?? "high-performance") as AdapterChoice;
    if (!ADAPTER_CHOICES.includes(adapter)) {
      throw new UsageError(
        `--adapter must be one of ${ADAPTER_CHOICES.join(", ")}; got ${JSON.stringify(v.adapter)}`,
      );
    }
    const requireAdapter = (v["require-adapter"] ?? "warn") as AdapterRequirement;
    if (!ADAPTER_REQUIREMENTS.includes(requireAdapter)) {
      throw new UsageError(
        `--require-adapter must be one of ${ADAPTER_REQUIREMENTS.join(", ")}; got ${
          JSON.stringify(v["require-adapter"])
        }`,
      );
    }
    const tuneMode = (v.tune ?? "cached") as (typeof TUNE_MODES)[number];
    if (!TUNE_MODES.includes(tuneMode)) {
      throw new UsageError(
        `--tune must be one of ${TUNE_MODES.join(", ")}; got ${JSON.stringify(v.tune)}`,
      );
    }
    const tuneFile = v["tune-cache"] ?? DEFAULT_TUNE_CACHE;
    const peers = (v.peers ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
    for (const p of peers) {
      if (!(PEERS as readonly string[]).includes(p)) {
        throw new UsageError(
          `--peers: must be a comma-separated list of ${PEERS.join(", ")}; got ${
            JSON.stringify(p)
          }`,
        );
      }
    }
    // Read before any GPU work, so that a bad cache file is a usage error naming it.
    const tuneCache: TuneCache | undefined = tuneMode === "off"
      ? undefined
      : await loadTuneCache(tuneFile);
    const maxCases = num("max-cases", v["max-cases"], 1, true) ?? DEFAULT_MAX_CASES;
    const suite = await loadSuite(v.suite ?? "smoke", registry, maxCases);
    if (v.method !== undefined) {
      if (!["auto", "gpu-timestamp", "wall"].includes(v.method)) {
        throw new UsageError(
          `--method must be one of auto, gpu-timestamp, wall; got ${JSON.stringify(v.method)}`,
        );
      }
      suite.measure.method = v.method as typeof suite.measure.method;
    }
    if (v.l2 !== undefined) {
      if (v.l2 !== "warm" && v.l2 !== "cold") {
        throw new UsageError(`--l2 must be warm or cold; got ${JSON.stringify(v.l2)}`);
      }
      suite.measure.l2 = v.l2;
    }
    suite.measure.maxTimeMs = num("max-time-ms", v["max-time-ms"], 0) ?? suite.measure.maxTimeMs;
    suite.measure.minSamples = num("min-samples", v["min-samples"], 1, true) ??
      suite.measure.minSamples;
    suite.measure.maxSamples = Math.max(suite.measure.maxSamples, suite.measure.minSamples);
    if (v["gate-config"] !== undefined && v.baseline === undefined) {
      throw new UsageError("--gate-config needs --baseline FILE");
    }
    if (v["dump-wgsl"] !== undefined && v["dump-wgsl"].trim() === "") {
      throw new UsageError(`--dump-wgsl needs a directory, got ${JSON.stringify(v["dump-wgsl"])}`);
    }
    const record = v.record === "" ? v.store ?? DEFAULT_STORE : v.record;
    for (const flag of ["allow-missing", "allow-disjoint"] as const) {
      if (v[flag] && v.baseline === undefined) {
        throw new UsageError(`--${flag} needs --baseline FILE`);
      }
    }
    const cases = expandCases(suite, registry, v.filter ?? null, maxCases);
    if (cases.length === 0) {
      throw new UsageError(
        `--filter ${JSON.stringify(v.filter ?? "")} matches none of the ${
          expandCases(suite, registry, null, maxCases).length
        } cases of suite "${suite.name}"`,
      );
    }
    let shard: Shard | null = null;
    if (v.shard !== undefined) {
      try {
        shard = parseShard(v.shard);
      } catch (e) {
        throw new UsageError(`--shard ${(e as Error).message}`);
      }
    }
    if (v["list-cases"]) {
      const inSuite = v.filter ? expandCases(suite, registry, null, maxCases).length : cases.length;
      listCases(suite.name, inSuite, cases, shard);
      return EXIT.ok;
    }
    // A store that cannot be opened stops the command before any GPU work.
    if (record !== undefined) openStore(record).close();
    const outDir = v.out ??
      join(
        "reports",
        `${suite.name}-${stamp()}${shard ? `-shard${shard.index}of${shard.count}` : ""}`,
      );
    checkOutDir(outDir, v.force ?? false);
    if (v.baseline !== undefined) {
      refuseOverwrite(
        Object.fromEntries(RUN_FILES.map((f) => [`--out's ${f}`, join(outDir, f)])),
        { "--baseline": v.baseline, "--gate-config": v["gate-config"] },
      );
    }
    const gate = v.baseline !== undefined
      ? prepareGate(v.baseline, v["gate-config"], v.store, {
        allowMissing: v["allow-missing"] ?? false,
        allowDisjoint: v["allow-disjoint"] ?? false,
      })
      : null;
    if (v.force) clearPreviousRun(outDir);
    const results = await runSuite({
      cases,
      confirm: gate ? (r) => gate.toConfirm(r) : undefined,
      suite,
      registry,
      filter: v.filter ?? null,
      adapter,
      outDir,
      peaks: !v["no-peaks"],
      sentinel: !v["no-sentinel"],
      requireAdapter,
      quiet: v.quiet ?? false,
      signals,
      dumpWgslDir: v["dump-wgsl"] ?? null,
      shard,
      tune: { mode: tuneMode, file: tuneMode === "off" ? null : tuneFile, cache: tuneCache },
      peers: peers as PeerName[],
    });
    const t = results.totals;
    console.error(
      `done: ${t.ok} ok, ${t.failed} failed, ${t.skipped} skipped\n` +
        `report: ${join(outDir, "report.html")}\nresults: ${
          join(outDir, "results.json")
        }\nsummary: ${join(outDir, "summary.md")}`,
    );
    if (record !== undefined) {
      recordRuns(
        record,
        [{ file: join(outDir, "results.json"), results }],
        detectBranch(null),
        false,
        v.quiet ?? false,
      );
    }
    const code = t.failed > 0 ? EXIT.failed : EXIT.ok;
    return gate ? Math.max(code, gate.finish(results, outDir)) : code;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      console.error(
        `error: ${e.message}\n(the deno task may write only under reports/ and /tmp; run the ` +
          `module with deno run and wider permissions to write elsewhere)`,
      );
      return 2;
    }
    if (
      e instanceof SuiteError || e instanceof UsageError || e instanceof NoAdapterError ||
      e instanceof BackendRefusedError ||
      e instanceof StoreError || e instanceof TuneCacheError ||
      isGateInputError(e)
    ) {
      console.error(`error: ${escapeControl(e.message, true)}`);
      return EXIT.usage;
    }
    throw e;
  }
}
