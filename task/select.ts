/**
 * Running part of a task suite in one process: `--seeds` (a subset of the suite's seeds) and
 * `--only` (glob patterns over variant ids `<model>/<experiment>/<variant>`), so that several
 * processes can share one suite and `task merge` (task/merge.ts) can put their results back
 * together. Also the suite's fingerprint, which the merge compares.
 *
 * A fine-tune variant converts its model's trained dense model: a selection that has fine-tune
 * variants of a model must also select that model's `scratch/dense`, unless the dense models come
 * from an earlier run (`--dense-from DIR`).
 *
 * @module
 */

import { globRegExp } from "../harness/types.ts";
import { createHash } from "node:crypto";
import { operatorLabel } from "./operators.ts";
import type { TaskSuite } from "./suite.ts";

/** The part of a suite one process runs. */
export interface TaskSelection {
  /** Seeds run, in the suite's order. */
  seeds: number[];
  /** The `--only` patterns as given, or null (every variant). */
  only: string[] | null;
  /** Ids of the selected variants, in the suite's order. */
  variants: string[];
}

/** A bad `--seeds`, `--only` or `--dense-from`: a one-line message naming the option. */
export class SelectionError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "SelectionError";
  }
}

/**
 * Every variant id of a suite, `<model>/<experiment>/<variant>`, in the order the runner trains
 * them (per model: scratch variants, dense first, then the fine-tuned conversions).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTaskSuite } from "./suite.ts";
 * const suite = parseTaskSuite(await Deno.readTextFile("tasks/mnist-ci.json"), "mnist-ci.json");
 * assert.equal(variantIds(suite)[0], "mlp/scratch/dense");
 * assert.ok(variantIds(suite).includes("vit/finetune/int4 g16 rtn"));
 * ```
 */
export function variantIds(suite: TaskSuite): string[] {
  return suite.models.flatMap((m) => [
    ...m.scratch.map((o) => `${m.model}/scratch/${operatorLabel(o)}`),
    ...m.convert.map((o) => `${m.model}/finetune/${operatorLabel(o)}`),
  ]);
}

/**
 * Parses `--seeds` and `--only` against a suite; either may be undefined (all seeds, all
 * variants). Throws {@link SelectionError}: a seed not in the suite, a pattern matching no
 * variant, or fine-tune variants selected without their model's dense model (unless
 * `denseFrom`, dense models from an earlier run, is set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTaskSuite } from "./suite.ts";
 * const suite = parseTaskSuite(await Deno.readTextFile("tasks/mnist-full.json"), "mnist-full.json");
 * const s = parseSelection(suite, "2", "vit/scratch/stl*,vit/scratch/2:4*");
 * assert.deepEqual(s.seeds, [2]);
 * assert.deepEqual(s.variants, ["vit/scratch/stl t4 r24 cp-als", "vit/scratch/2:4 magnitude"]);
 * assert.throws(() => parseSelection(suite, "4", undefined), /--seeds: 4 is not a seed of mnist-full/);
 * assert.throws(() => parseSelection(suite, undefined, "vit/finetune/*"), /vit\/scratch\/dense/);
 * ```
 */
export function parseSelection(
  suite: TaskSuite,
  seeds: string | undefined,
  only: string | undefined,
  denseFrom = false,
): TaskSelection {
  let chosenSeeds = suite.seeds;
  if (seeds !== undefined) {
    const list = seeds.split(",").map((s) => s.trim());
    const picked = new Set<number>();
    for (const s of list) {
      const n = Number(s);
      if (s === "" || !Number.isInteger(n)) {
        throw new SelectionError(`--seeds: must be seeds separated by commas; got ${seeds}`);
      }
      if (!suite.seeds.includes(n)) {
        throw new SelectionError(
          `--seeds: ${n} is not a seed of ${suite.name} (its seeds: ${suite.seeds.join(", ")})`,
        );
      }
      picked.add(n);
    }
    chosenSeeds = suite.seeds.filter((s) => picked.has(s));
  }
  const all = variantIds(suite);
  let variants = all;
  let patterns: string[] | null = null;
  if (only !== undefined) {
    patterns = only.split(",").map((p) => p.trim());
    const res = patterns.map((p) => {
      if (p === "") throw new SelectionError(`--only: empty pattern in ${JSON.stringify(only)}`);
      const re = globRegExp(p);
      if (!all.some((id) => re.test(id))) {
        throw new SelectionError(
          `--only: ${p} matches no variant of ${suite.name} (ids are <model>/<scratch|finetune>/<variant>, e.g. ${
            all[0]
          }; * matches anything)`,
        );
      }
      return re;
    });
    variants = all.filter((id) => res.some((re) => re.test(id)));
  }
  if (!denseFrom) {
    for (const m of suite.models) {
      const ft = variants.some((id) => id.startsWith(`${m.model}/finetune/`));
      if (ft && !variants.includes(`${m.model}/scratch/dense`)) {
        throw new SelectionError(
          `--only: the ${m.model}/finetune/ variants convert the trained dense model: select ${m.model}/scratch/dense too, or give --dense-from DIR (a run that trained it)`,
        );
      }
    }
  }
  return { seeds: chosenSeeds, only: patterns, variants };
}

/**
 * A fingerprint of everything in a suite that shapes a (variant, seed)'s result: the first 16 hex
 * digits of the SHA-256 of its validated declaration without its name, description and seeds list.
 * Shards of one suite have the same, and so does a run of the same suite with other seeds (seeds
 * added later merge with the earlier run); `task merge` refuses results whose fingerprints differ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTaskSuite } from "./suite.ts";
 * const text = await Deno.readTextFile("tasks/mnist-ci.json");
 * const a = suiteHash(parseTaskSuite(text, "a.json"));
 * assert.match(a, /^[0-9a-f]{16}$/);
 * assert.notEqual(a, suiteHash(parseTaskSuite(text.replace('"epochs": 2,', '"epochs": 3,'), "b.json")));
 * const seeds = parseTaskSuite(text, "c.json");
 * assert.equal(a, suiteHash({ ...seeds, seeds: [...seeds.seeds, 99] }));
 * ```
 */
export function suiteHash(suite: TaskSuite): string {
  const { name: _n, description: _d, seeds: _s, ...rest } = suite;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex").slice(0, 16);
}
