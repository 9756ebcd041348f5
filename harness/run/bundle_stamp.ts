/**
 * The bench bundle's build stamp (`build.json` beside `bench.js`): the commit its code was built
 * from, so that a bundle run in a checkout at another commit says so.
 *
 * @module
 */

/** The build's stamp beside the bundle, written by `deno task bench:bundle`. */
export const BUNDLE_STAMP = "build.json";

/** What the bundle was built from. */
export interface BundleStamp {
  /** The checkout's commit at build time, or null outside git. */
  commit: string | null;
  /** Whether tracked files had uncommitted changes then, or null outside git. */
  dirty: boolean | null;
}

/**
 * A one-line warning when the bundle's code may not be the checkout's: `meta.tool.commit` names the
 * commit the bundle was built from (`meta.tool.bundle`), not the checkout it runs in. Null when they
 * agree (or either is unknown).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const a = "a".repeat(40), b = "b".repeat(40);
 * assert.equal(staleBundleWarning({ commit: a, dirty: false }, a), null);
 * assert.match(staleBundleWarning({ commit: a, dirty: false }, b) ?? "", /rebuild/);
 * assert.match(staleBundleWarning({ commit: a, dirty: true }, a) ?? "", /uncommitted/);
 * ```
 */
export function staleBundleWarning(stamp: BundleStamp, checkout: string | null): string | null {
  if (stamp.dirty) {
    return `bench bundle: built from ${stamp.commit} with uncommitted changes; ` +
      "meta.tool.commit will not name its code exactly (meta.tool.dirty)";
  }
  if (stamp.commit && checkout && stamp.commit !== checkout) {
    return `bench bundle: built from ${stamp.commit}, but the checkout is at ${checkout}: ` +
      "the results name the bundle's commit; rebuild it (deno task bench:bundle) to run the checkout's code";
  }
  return null;
}
