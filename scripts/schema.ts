/**
 * Writes the JSON Schemas of tilebench's file formats, generated from their descriptions:
 * `schema/suite.schema.json` (from `harness/suite/format.ts` and the built-in kernels' parameter
 * specs) and `schema/results.schema.json` (from `harness/schema/results.ts`, the description the
 * gate and the reports validate with).
 *
 * Run: `deno task schema` (writes), or `deno task schema --check` (exit 1 when the files differ).
 *
 * @module
 */

import { RESULTS_SCHEMA } from "../harness/schema/results.ts";
import { type Schema, toJsonSchema } from "../harness/schema/schema.ts";
import { suiteSchema } from "../harness/suite/format.ts";
import { builtinKernels } from "../kernels/mod.ts";

/** Folder of the generated files, relative to the repository root. */
export const SCHEMA_DIR = "schema";

function document(id: string, title: string, schema: Schema): string {
  const body = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: id,
    title,
    ...toJsonSchema(schema),
  };
  return JSON.stringify(body, null, 2) + "\n";
}

/**
 * The generated files: repository-relative path → text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const files = generatedSchemas();
 * assert.deepEqual(Object.keys(files), ["schema/suite.schema.json", "schema/results.schema.json"]);
 * assert.equal(JSON.parse(files["schema/results.schema.json"]!).title, "tilebench results");
 * ```
 */
export function generatedSchemas(): Record<string, string> {
  return {
    [`${SCHEMA_DIR}/suite.schema.json`]: document(
      "suite.schema.json",
      "tilebench suite",
      suiteSchema(builtinKernels),
    ),
    [`${SCHEMA_DIR}/results.schema.json`]: document(
      "results.schema.json",
      "tilebench results",
      RESULTS_SCHEMA,
    ),
  };
}

/**
 * The generated files under `root` that are missing or differ from what is generated now.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const stale = staleSchemas(".");
 * assert.deepEqual(stale, []); // the checked-in schemas match the types
 * ```
 */
export function staleSchemas(root: string): string[] {
  return Object.entries(generatedSchemas()).filter(([path, text]) => {
    try {
      return Deno.readTextFileSync(`${root}/${path}`) !== text;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return true;
      throw e;
    }
  }).map(([path]) => path);
}

if (import.meta.main) {
  if (Deno.args.includes("--check")) {
    const stale = staleSchemas(".");
    for (const p of stale) {
      console.error(`schema: ${p} differs from its description; run deno task schema`);
    }
    if (stale.length > 0) Deno.exit(1);
  } else {
    Deno.mkdirSync(SCHEMA_DIR, { recursive: true });
    for (const [path, text] of Object.entries(generatedSchemas())) {
      Deno.writeTextFileSync(path, text);
      console.error(`schema: wrote ${path}`);
    }
  }
}
