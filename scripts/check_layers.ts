/**
 * The layering check: reads the import graph of `harness/` and `kernels/` (through `deno info`,
 * so type-only and re-exported imports count and comments do not) and fails on an import that
 * runs back up the declared layer order. The order is written down in docs/architecture.md.
 *
 * Run: `deno run --allow-read --allow-run scripts/check_layers.ts` (part of `deno task check`).
 *
 * @module
 */

import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A layer: the files it holds and the layers its files may import. */
export interface Layer {
  name: string;
  /** Repository-relative paths: a folder ends with "/", anything else is one file. */
  paths: readonly string[];
  /** Layers (earlier in {@link LAYERS}) this layer's files may import, besides their own. */
  mayImport: readonly string[];
}

/**
 * The layers, lowest first. A layer may import only itself and the layers it names, all of which
 * come before it: the order has no cycles.
 */
export const LAYERS: readonly Layer[] = [
  {
    name: "base",
    paths: [
      "harness/types.ts",
      "harness/cli_args.ts",
      "harness/shard.ts",
      "harness/data/",
      "harness/analyze/",
      "harness/schema/",
    ],
    mayImport: [],
  },
  { name: "gpu", paths: ["harness/gpu/"], mayImport: ["base"] },
  { name: "measure", paths: ["harness/measure/"], mayImport: ["base", "gpu"] },
  { name: "contract", paths: ["harness/kernel.ts"], mayImport: ["base", "gpu"] },
  { name: "rules", paths: ["harness/rules/"], mayImport: ["base"] },
  { name: "tune", paths: ["harness/tune/"], mayImport: ["base"] },
  { name: "suite", paths: ["harness/suite/"], mayImport: ["base", "measure", "contract", "rules"] },
  { name: "kernels", paths: ["kernels/"], mayImport: ["base", "gpu", "contract"] },
  { name: "registry", paths: ["kernels/mod.ts"], mayImport: ["base", "contract", "kernels"] },
  { name: "report", paths: ["harness/report/"], mayImport: ["base"] },
  { name: "history", paths: ["harness/history/"], mayImport: ["base", "report"] },
  { name: "gate", paths: ["harness/gate/"], mayImport: ["base", "rules", "report", "history"] },
  {
    name: "run",
    paths: ["harness/run/"],
    mayImport: [
      "base",
      "gpu",
      "measure",
      "contract",
      "rules",
      "tune",
      "suite",
      "registry",
      "report",
      "history",
      "gate",
    ],
  },
  {
    name: "api",
    paths: ["harness/mod.ts"],
    mayImport: [
      "base",
      "gpu",
      "measure",
      "contract",
      "rules",
      "tune",
      "suite",
      "report",
      "history",
      "gate",
      "run",
    ],
  },
];

/** The folders whose files the check reads. */
export const CHECKED_ROOTS: readonly string[] = ["harness/", "kernels/"];

/**
 * Files outside the checked folders that their files may import: the package manifest (for the
 * version) and installed npm packages. Anything else of the repository (`task/`, `scripts/`,
 * `tests/`, `experiments/`) builds on the layers and is never imported by them.
 */
export const OUTSIDE_ALLOWED: readonly string[] = ["deno.json", "node_modules/"];

/** An import that breaks the order, or a file in no layer. */
export interface Violation {
  /** The importing file, repository-relative. */
  from: string;
  /** The imported file, repository-relative ("" for a file in no layer). */
  to: string;
  /** One line saying what is wrong and what is allowed. */
  message: string;
}

/**
 * Checks that the table is an order: every layer named once, every `mayImport` an earlier layer.
 * Returns the problems (empty when sound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(checkTable(LAYERS), []);
 * const bad = [{ name: "a", paths: ["a/"], mayImport: ["b"] }, { name: "b", paths: ["b/"], mayImport: [] }];
 * assert.match(checkTable(bad)[0]!, /layer a may import b, which does not come before it/);
 * ```
 */
export function checkTable(layers: readonly Layer[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const l of layers) {
    if (seen.has(l.name)) problems.push(`layer ${l.name} is declared twice`);
    for (const m of l.mayImport) {
      if (!seen.has(m)) {
        problems.push(`layer ${l.name} may import ${m}, which does not come before it`);
      }
    }
    seen.add(l.name);
  }
  return problems;
}

/**
 * The layer holding `path` (repository-relative): the longest matching path wins, so a file
 * named on its own (`kernels/mod.ts`) is apart from its folder. Null when no layer holds it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(layerOf("harness/run/case.ts")?.name, "run");
 * assert.equal(layerOf("kernels/mod.ts")?.name, "registry");
 * assert.equal(layerOf("kernels/int4/mod.ts")?.name, "kernels");
 * assert.equal(layerOf("harness/nowhere.ts"), null);
 * ```
 */
export function layerOf(path: string, layers: readonly Layer[] = LAYERS): Layer | null {
  let best: Layer | null = null;
  let bestLen = -1;
  for (const l of layers) {
    for (const p of l.paths) {
      const hit = p.endsWith("/") ? path.startsWith(p) : path === p;
      if (hit && p.length > bestLen) {
        best = l;
        bestLen = p.length;
      }
    }
  }
  return best;
}

/**
 * Checks an import graph (repository-relative file → files it imports) against the layers. A
 * checked file may import outside the checked folders only what {@link OUTSIDE_ALLOWED} lists.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const graph = new Map([
 *   ["harness/suite/validate.ts", ["harness/rules/config.ts", "harness/gate/gate.ts"]],
 *   ["harness/rules/config.ts", []],
 *   ["harness/gate/gate.ts", ["harness/rules/config.ts"]],
 * ]);
 * const v = checkGraph(graph);
 * assert.equal(v.length, 1);
 * assert.match(v[0]!.message, /suite may not import gate/);
 * ```
 */
export function checkGraph(
  graph: ReadonlyMap<string, readonly string[]>,
  layers: readonly Layer[] = LAYERS,
): Violation[] {
  const out: Violation[] = [];
  const checked = (p: string) => CHECKED_ROOTS.some((r) => p.startsWith(r));
  for (const [from, deps] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
    if (!checked(from)) continue;
    const lf = layerOf(from, layers);
    if (!lf) {
      out.push({
        from,
        to: "",
        message: `${from} is in no layer: add its folder to LAYERS in scripts/check_layers.ts ` +
          "and to docs/architecture.md",
      });
      continue;
    }
    for (const to of deps) {
      if (!checked(to)) {
        const allowed = to.startsWith("../") ||
          OUTSIDE_ALLOWED.some((a) => a.endsWith("/") ? to.startsWith(a) : to === a);
        if (!allowed) {
          out.push({
            from,
            to,
            message: `${from} imports ${to}: harness/ and kernels/ import nothing of the ` +
              "repository outside them (task/, scripts/, tests/ build on them instead)",
          });
        }
        continue;
      }
      const lt = layerOf(to, layers);
      if (!lt || lt === lf || lf.mayImport.includes(lt.name)) continue;
      const allowed = lf.mayImport.length > 0 ? lf.mayImport.join(", ") : "nothing below it";
      out.push({
        from,
        to,
        message: `${from} imports ${to}: ${lf.name} may not import ${lt.name} ` +
          `(${lf.name} may import ${allowed})`,
      });
    }
  }
  return out;
}

/** Every .ts file under the checked folders of `root`, repository-relative. */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(resolve(root, dir))];
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const p = `${dir}${e.name}`;
      if (e.isDirectory && e.name !== "node_modules") walk(`${p}/`);
      else if (e.isFile && /\.(ts|mts|js|mjs)$/.test(e.name)) files.push(p);
    }
  };
  for (const r of CHECKED_ROOTS) walk(r);
  return files.sort();
}

/**
 * The import graph of the checked folders of `root`, as `deno info` resolves it (static,
 * dynamic and type-only imports and re-exports). Keys and values are repository-relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const graph = await importGraph(".");
 * assert.ok(graph.get("harness/gate/gate.ts")!.includes("harness/rules/config.ts"));
 * assert.ok(!graph.has("tests/suite_test.ts")); // only the checked folders
 * ```
 */
export async function importGraph(root: string): Promise<Map<string, string[]>> {
  const abs = resolve(root);
  const files = listFiles(abs);
  const source = files.map((f) => `import ${JSON.stringify(pathToFileURL(resolve(abs, f)).href)};`)
    .join("\n");
  const rootUrl = `data:application/typescript;base64,${btoa(source)}`;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", rootUrl],
    cwd: abs,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (code !== 0) throw new Error(`deno info failed: ${dec.decode(stderr).trim()}`);
  const info = JSON.parse(dec.decode(stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
    }[];
  };
  const rel = (url: string) => relative(abs, fileURLToPath(url)).split("\\").join("/");
  const graph = new Map<string, string[]>();
  for (const m of info.modules) {
    if (!m.specifier.startsWith("file:")) continue;
    const deps = new Set<string>();
    for (const d of m.dependencies ?? []) {
      for (const t of [d.code?.specifier, d.type?.specifier]) {
        if (t?.startsWith("file:")) deps.add(rel(t));
      }
    }
    graph.set(rel(m.specifier), [...deps].sort());
  }
  return graph;
}

/**
 * Checks the repository at `root`: the table, then every import of its checked folders.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const violations = await checkLayers(".");
 * assert.deepEqual(violations, []); // what `deno task check` enforces
 * ```
 */
export async function checkLayers(root: string): Promise<Violation[]> {
  const table = checkTable(LAYERS).map((message) => ({ from: "", to: "", message }));
  return [...table, ...checkGraph(await importGraph(root))];
}

if (import.meta.main) {
  const violations = await checkLayers(Deno.args[0] ?? ".");
  for (const v of violations) console.error(`layers: ${v.message}`);
  if (violations.length > 0) {
    console.error(`layers: ${violations.length} problem(s) against docs/architecture.md`);
    Deno.exit(1);
  }
  console.error("layers: every import of harness/ and kernels/ goes down the layer order");
}
