import assert from "node:assert/strict";
import {
  BROWN_ENV,
  brownDocuments,
  packageDocuments,
  splitDocuments,
  VALIDATION_DOCUMENTS,
  writeBrownFile,
} from "../task/data/brown.ts";
import { decode, encode, VOCAB } from "../task/data/chars.ts";

Deno.test("brown: 500 stripped documents, no tags left, every character in the vocabulary", async () => {
  const docs = await packageDocuments();
  assert.equal(docs.length, 500);
  assert.equal(docs.at(-1)!.id, "cr09");
  let chars = 0;
  for (const d of docs) {
    chars += d.text.length;
    assert.ok(!d.text.includes("/at ") && !d.text.includes("/nn "), `${d.id} still tagged`);
    assert.ok(!d.text.includes("``") && !d.text.includes("''"), `${d.id} raw quote tokens`);
    assert.equal(decode(encode(d.text)), d.text);
  }
  assert.ok(chars > 5_500_000 && chars < 6_500_000, `${chars} characters`);
  const ids = encode(docs.map((d) => d.text).join(""));
  assert.ok(ids.every((i) => i >= 0 && i < VOCAB));
});

Deno.test("brown: the split is by document, fixed, disjoint and complete", async () => {
  const docs = await packageDocuments();
  const s = splitDocuments(docs);
  assert.equal(s.validation.length, VALIDATION_DOCUMENTS);
  const ids = [...s.train, ...s.validation].map((d) => d.id).sort();
  assert.deepEqual(ids, docs.map((d) => d.id));
  assert.deepEqual(splitDocuments(docs).validation.map((d) => d.id), s.validation.map((d) => d.id));
  // several genres (the first letter after "c") in validation
  assert.ok(new Set(s.validation.map((d) => d.id[1])).size >= 8);
});

Deno.test("brown: the gzip file the bundle ships reads back as the package's documents", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/brown.txt.gz`;
  try {
    const docs = await packageDocuments();
    await writeBrownFile(file, docs);
    const size = (await Deno.stat(file)).size;
    assert.ok(size < 3_000_000, `${size} bytes`);
    Deno.env.set(BROWN_ENV, file);
    assert.deepEqual(await brownDocuments(), docs);
    await Deno.writeTextFile(file.replace(".gz", ""), "\fca01\nx\n");
    Deno.env.set(BROWN_ENV, file.replace(".gz", ""));
    await assert.rejects(brownDocuments(), /expected 500 documents, found 1/);
  } finally {
    Deno.env.delete(BROWN_ENV);
    await Deno.remove(dir, { recursive: true });
  }
});
