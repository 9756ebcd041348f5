import assert from "node:assert/strict";
import { checkLayers, checkTable, LAYERS } from "../scripts/check_layers.ts";

/** Writes `files` (path → source) under a fresh temporary folder and returns it. */
function tree(files: Record<string, string>): string {
  const root = Deno.makeTempDirSync({ prefix: "layers-" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${root}/${path}`;
    Deno.mkdirSync(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(full, text);
  }
  return root;
}

const SOUND = {
  "harness/types.ts": "export type N = number;\n",
  // Imports in comments and doc examples are not imports.
  "harness/rules/config.ts":
    'import type { N } from "../types.ts";\n// import "../run/main.ts";\n' +
    '/**\n * ```ts\n * import { g } from "../gate/gate.ts";\n * ```\n */\nexport const x: N = 1;\n',
  "harness/suite/validate.ts": 'import { x } from "../rules/config.ts";\nexport const y = x;\n',
  "harness/gate/gate.ts": 'import { x } from "../rules/config.ts";\nexport const g = x;\n',
  "harness/kernel.ts": "export interface K { name: string }\n",
  "kernels/dense/mod.ts": 'import type { K } from "../../harness/kernel.ts";\n' +
    'export const dense: K = { name: "dense" };\n',
  "kernels/mod.ts": 'export { dense } from "./dense/mod.ts";\n',
  "harness/run/main.ts": 'import { dense } from "../../kernels/mod.ts";\n' +
    'import { g } from "../gate/gate.ts";\nconsole.log(dense, g);\n',
};

Deno.test("the layer table is an order: each layer imports only layers before it", () => {
  assert.deepEqual(checkTable(LAYERS), []);
});

Deno.test("the layering check passes on the repository", async () => {
  assert.deepEqual(await checkLayers("."), []);
});

Deno.test("the layering check passes on a sound tree and names each import running back up", async () => {
  assert.deepEqual(await checkLayers(tree(SOUND)), []);
  const bad = tree({
    ...SOUND,
    // suite → gate
    "harness/suite/validate.ts": 'import { g } from "../gate/gate.ts";\nexport const y = g;\n',
    // gate → run, type-only
    "harness/gate/gate.ts": 'import { x } from "../rules/config.ts";\n' +
      'import type {} from "../run/main.ts";\nexport const g = x;\n',
    // harness → a kernel family, past the registry
    "harness/run/main.ts":
      'import { dense } from "../../kernels/dense/mod.ts";\nconsole.log(dense);\n',
    // a folder in no layer
    "harness/extra/x.ts": "export const z = 1;\n",
    // the harness reaching into a folder that builds on it
    "harness/report/task.ts": 'import { t } from "../../task/t.ts";\nexport const r = t;\n',
    "task/t.ts": 'import type { N } from "../harness/types.ts";\nexport const t: N = 1;\n',
  });
  const messages = (await checkLayers(bad)).map((v) => v.message);
  assert.deepEqual(messages, [
    "harness/extra/x.ts is in no layer: add its folder to LAYERS in scripts/check_layers.ts " +
    "and to docs/architecture.md",
    "harness/gate/gate.ts imports harness/run/main.ts: gate may not import run " +
    "(gate may import base, rules, report, history)",
    "harness/report/task.ts imports task/t.ts: harness/ and kernels/ import nothing of the " +
    "repository outside them (task/, scripts/, tests/ build on them instead)",
    "harness/run/main.ts imports kernels/dense/mod.ts: run may not import kernels " +
    "(run may import base, gpu, measure, contract, rules, tune, suite, registry, report, history, gate)",
    "harness/suite/validate.ts imports harness/gate/gate.ts: suite may not import gate " +
    "(suite may import base, measure, contract, rules)",
  ]);
});

Deno.test("docs/architecture.md states the layer order the check enforces", () => {
  const rows = Deno.readTextFileSync("docs/architecture.md").split("\n")
    .filter((l) => /^\| `[a-z]+` +\|/.test(l))
    .map((l) => l.split("|").map((c) => c.trim()));
  assert.deepEqual(
    rows.map((r) => [r[1]!.replaceAll("`", ""), r[3] === "nothing" ? [] : r[3]!.split(", ")]),
    LAYERS.map((l) => [l.name, [...l.mayImport]]),
  );
});
