/**
 * A small description language for JSON documents, from which both a validator (errors naming
 * the field and what is allowed) and a JSON Schema (draft 2020-12) are derived: one source of
 * truth for the file formats tilebench reads.
 *
 * @module
 */

/** What every description may carry. */
export interface Base {
  /** Shown in the JSON Schema (`description`). */
  doc?: string;
}

/** A JSON value described: its type and constraints. */
export type Schema =
  | Base & { type: "string"; minLength?: number; pattern?: string; enum?: readonly string[] }
  | Base & {
    type: "number";
    integer?: boolean;
    min?: number;
    max?: number;
    /** `min` itself is excluded. */
    exclusiveMin?: boolean;
  }
  | Base & { type: "boolean" }
  | Base & { type: "null" }
  | Base & { type: "const"; value: string | number | boolean; why?: string }
  | Base & { type: "array"; items: Schema; minItems?: number }
  | Base & {
    type: "object";
    properties: Readonly<Record<string, Schema>>;
    required?: readonly string[];
    /** Other keys: `true` any value (the default), `false` none, or a schema their values meet. */
    additional?: boolean | Schema;
  }
  | Base & { type: "anyOf"; of: readonly Schema[] }
  | Base & { type: "any" };

/** Builders of descriptions, so tables read like the types they describe. */
export const s = {
  /** A string; `enum` lists the allowed values. */
  str: (o: Omit<Extract<Schema, { type: "string" }>, "type"> = {}): Schema => ({
    type: "string",
    ...o,
  }),
  /** A finite number. */
  num: (o: Omit<Extract<Schema, { type: "number" }>, "type"> = {}): Schema => ({
    type: "number",
    ...o,
  }),
  /** An integer. */
  int: (o: Omit<Extract<Schema, { type: "number" }>, "type" | "integer"> = {}): Schema => ({
    type: "number",
    integer: true,
    ...o,
  }),
  /** true or false. */
  bool: (doc?: string): Schema => ({ type: "boolean", ...(doc ? { doc } : {}) }),
  /** Exactly `value`; `why` says what it means in errors. */
  lit: (value: string | number | boolean, why?: string): Schema => ({
    type: "const",
    value,
    ...(why ? { why } : {}),
  }),
  /** A list of `items`. */
  arr: (items: Schema, o: { minItems?: number; doc?: string } = {}): Schema => ({
    type: "array",
    items,
    ...o,
  }),
  /** An object with these properties; `required` lists the keys that must be present. */
  obj: (
    properties: Record<string, Schema>,
    required: readonly string[] = [],
    o: { additional?: boolean | Schema; doc?: string } = {},
  ): Schema => ({ type: "object", properties, required, ...o }),
  /** An object keyed by names, every value meeting `value`. */
  map: (value: Schema, doc?: string): Schema => ({
    type: "object",
    properties: {},
    additional: value,
    ...(doc ? { doc } : {}),
  }),
  /** `schema` or null. */
  orNull: (schema: Schema): Schema => ({ type: "anyOf", of: [schema, { type: "null" }] }),
  /** Any of these. */
  anyOf: (...of: Schema[]): Schema => ({ type: "anyOf", of }),
  /** Anything. */
  any: (doc?: string): Schema => ({ type: "any", ...(doc ? { doc } : {}) }),
};

/** Shows a value in an error message, shortened when long; `undefined` is "nothing". */
export function showValue(v: unknown): string {
  if (v === undefined) return "nothing";
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = String(v);
  }
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/**
 * What a description allows, in words ("a number ≥ 0", "one of ok, failed, skipped").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(describe(s.orNull(s.num())), "a number or null");
 * assert.equal(describe(s.num({ min: 0, exclusiveMin: true })), "a positive number");
 * assert.equal(describe(s.str({ enum: ["a", "b"] })), "one of a, b");
 * ```
 */
export function describe(schema: Schema): string {
  switch (schema.type) {
    case "string":
      if (schema.enum) return `one of ${schema.enum.join(", ")}`;
      return schema.minLength ? "a non-empty string" : "a string";
    case "number": {
      const what = schema.integer ? "an integer" : "a number";
      const { min, max, exclusiveMin } = schema;
      if (min === 0 && exclusiveMin && max === undefined) {
        return schema.integer ? "a positive integer" : "a positive number";
      }
      if (min !== undefined && max !== undefined) {
        return `${what} in ${exclusiveMin ? "(" : "["}${min}, ${max}]`;
      }
      if (min !== undefined) return `${what} ${exclusiveMin ? ">" : "≥"} ${min}`;
      if (max !== undefined) return `${what} ≤ ${max}`;
      return what;
    }
    case "boolean":
      return "true or false";
    case "null":
      return "null";
    case "const":
      return `${JSON.stringify(schema.value)}${schema.why ? ` (${schema.why})` : ""}`;
    case "array":
      return schema.minItems ? "a non-empty array" : "an array";
    case "object":
      return "an object";
    case "anyOf":
      return schema.of.map(describe).join(" or ");
    case "any":
      return "anything";
  }
}

/** Reports a problem with the field at `path` ("" for the whole document). */
export type Fail = (path: string, problem: string) => never;

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function matches(schema: Schema, v: unknown): boolean {
  try {
    check(schema, v, "", () => {
      throw matches;
    });
    return true;
  } catch (e) {
    if (e === matches) return false;
    throw e;
  }
}

function check(schema: Schema, v: unknown, path: string, fail: Fail): void {
  const bad = (): never => fail(path, `must be ${describe(schema)}; got ${showValue(v)}`);
  switch (schema.type) {
    case "string":
      if (typeof v !== "string") bad();
      if (schema.minLength !== undefined && (v as string).length < schema.minLength) bad();
      if (schema.enum && !schema.enum.includes(v as string)) bad();
      if (schema.pattern && !new RegExp(schema.pattern).test(v as string)) bad();
      return;
    case "number": {
      if (typeof v !== "number" || !Number.isFinite(v)) return bad();
      if (schema.integer && !Number.isInteger(v)) bad();
      const { min, max } = schema;
      if (
        (min !== undefined && (schema.exclusiveMin ? v <= min : v < min)) ||
        (max !== undefined && v > max)
      ) {
        fail(path, `must be ${rangeWords(schema)}; got ${showValue(v)}`);
      }
      return;
    }
    case "boolean":
      if (typeof v !== "boolean") bad();
      return;
    case "null":
      if (v !== null) bad();
      return;
    case "const":
      if (v !== schema.value) bad();
      return;
    case "array":
      if (!Array.isArray(v)) return bad();
      if (schema.minItems !== undefined && v.length < schema.minItems) bad();
      v.forEach((item, i) => check(schema.items, item, `${path}[${i}]`, fail));
      return;
    case "object": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return bad();
      const o = v as Record<string, unknown>;
      // Declared fields in their order (a missing required one included), then the others.
      const required = schema.required ?? [];
      for (const [key, p] of Object.entries(schema.properties)) {
        if (o[key] !== undefined || required.includes(key)) check(p, o[key], join(path, key), fail);
      }
      for (const [key, value] of Object.entries(o)) {
        if (Object.hasOwn(schema.properties, key)) continue;
        if (schema.additional === false) {
          fail(
            join(path, key),
            `unknown field; allowed: ${Object.keys(schema.properties).join(", ")}`,
          );
        } else if (typeof schema.additional === "object") {
          check(schema.additional, value, join(path, key), fail);
        }
      }
      return;
    }
    case "anyOf": {
      const hit = schema.of.find((alt) => matches(alt, v));
      if (hit) return;
      // One alternative of the value's kind (a number or an object, against null): its own error.
      const kinds = schema.of.filter((alt) => kindOf(alt) === kindOfValue(v));
      if (kinds.length === 1) return check(kinds[0]!, v, path, fail);
      return bad();
    }
    case "any":
      return;
  }
}

/** The JSON kind a description accepts ("any" and alternatives: null). */
function kindOf(schema: Schema): string | null {
  switch (schema.type) {
    case "const":
      return kindOfValue(schema.value);
    case "anyOf":
    case "any":
      return null;
    default:
      return schema.type;
  }
}

function kindOfValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** A number's range in words, for a value of the right type outside it ("≥ 0", "in [1, 8]"). */
function rangeWords(schema: Extract<Schema, { type: "number" }>): string {
  const { min, max, exclusiveMin } = schema;
  if (min === 0 && exclusiveMin && max === undefined) return describe(schema);
  if (min !== undefined && max !== undefined) {
    return `in ${exclusiveMin ? "(" : "["}${min}, ${max}]`;
  }
  if (min !== undefined) return `${exclusiveMin ? ">" : "≥"} ${min}`;
  return `≤ ${max}`;
}

/**
 * Checks `value` against `schema`; the first problem is reported through `fail` with its field
 * path (`results[3].time.median`) and what the field must be.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const shape = s.obj({ m: s.int({ min: 1 }), label: s.str() }, ["m"]);
 * const fail = (path: string, problem: string): never => {
 *   throw new Error(`${path}: ${problem}`);
 * };
 * validate(shape, { m: 4 }, fail);
 * assert.throws(() => validate(shape, { m: 0 }, fail), /^Error: m: must be ≥ 1; got 0$/);
 * assert.throws(() => validate(shape, { m: 1.5 }, fail), /m: must be an integer ≥ 1; got 1\.5/);
 * assert.throws(() => validate(shape, {}, fail), /m: must be an integer ≥ 1; got nothing/);
 * ```
 */
export function validate(schema: Schema, value: unknown, fail: Fail, path = ""): void {
  check(schema, value, path, fail);
}

/**
 * The JSON Schema (draft 2020-12) of a description.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(toJsonSchema(s.orNull(s.int({ min: 1 }))), {
 *   anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }],
 * });
 * ```
 */
export function toJsonSchema(schema: Schema): Record<string, unknown> {
  const doc = schema.doc ? { description: schema.doc } : {};
  switch (schema.type) {
    case "string":
      return {
        type: "string",
        ...doc,
        ...(schema.enum ? { enum: [...schema.enum] } : {}),
        ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
        ...(schema.pattern ? { pattern: schema.pattern } : {}),
      };
    case "number":
      return {
        type: schema.integer ? "integer" : "number",
        ...doc,
        ...(schema.min !== undefined
          ? schema.exclusiveMin ? { exclusiveMinimum: schema.min } : { minimum: schema.min }
          : {}),
        ...(schema.max !== undefined ? { maximum: schema.max } : {}),
      };
    case "boolean":
    case "null":
      return { type: schema.type, ...doc };
    case "const":
      return { const: schema.value, ...doc };
    case "array":
      return {
        type: "array",
        ...doc,
        items: toJsonSchema(schema.items),
        ...(schema.minItems !== undefined ? { minItems: schema.minItems } : {}),
      };
    case "object": {
      const out: Record<string, unknown> = { type: "object", ...doc };
      const props = Object.entries(schema.properties);
      if (props.length > 0) {
        out.properties = Object.fromEntries(props.map(([k, v]) => [k, toJsonSchema(v)]));
      }
      if (schema.required && schema.required.length > 0) out.required = [...schema.required];
      if (schema.additional === false) out.additionalProperties = false;
      else if (typeof schema.additional === "object") {
        out.additionalProperties = toJsonSchema(schema.additional);
      }
      return out;
    }
    case "anyOf":
      return { anyOf: schema.of.map(toJsonSchema), ...doc };
    case "any":
      return { ...doc };
  }
}
