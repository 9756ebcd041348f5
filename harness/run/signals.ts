/**
 * Interruption of a command line: SIGINT and SIGTERM handlers installed before any GPU work and
 * kept until the last file is written. On a signal the current saver (the results so far) runs,
 * then the process exits with the shell's code for that signal: 130 for SIGINT, 143 for SIGTERM.
 *
 * Handlers run on the event loop, so a signal never lands inside a synchronous write: the files
 * being written are finished first (each is also written atomically).
 *
 * @module
 */

/** The signals handled, with their exit codes (128 + the signal number). */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** A signal handled by {@link SignalGuard}. */
export type HandledSignal = keyof typeof SIGNAL_EXIT;

/**
 * Installs the handlers and holds what to save when a signal comes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const notes: string[] = [];
 * const exits: number[] = [];
 * const guard = new SignalGuard((m) => notes.push(m), (code) => exits.push(code));
 * guard.install();
 * guard.setSaver(() => "results so far saved"); // e.g. flush the results writer
 * // ... run, write the reports ...
 * guard.handle("SIGINT"); // what a Ctrl-C does: save, say so, exit 130
 * guard.remove();
 * assert.deepEqual(exits, [130]);
 * assert.ok(notes.some((n) => n.includes("results so far saved")));
 * ```
 */
export class SignalGuard {
  #saver: (() => string | null) | null = null;
  #handlers: [HandledSignal, () => void][] = [];
  #note: (message: string) => void;
  #exit: (code: number) => void;

  /**
   * Creates a guard; `note` prints its messages, `exit` ends the process (replaceable in tests).
   */
  constructor(
    note: (message: string) => void = (m) => console.error(m),
    exit: (code: number) => void = (code) => Deno.exit(code),
  ) {
    this.#note = note;
    this.#exit = exit;
  }

  /**
   * Sets what runs on a signal before exiting: it saves what it can and returns a line saying
   * what was saved (or null). Replaces the previous saver; null saves nothing.
   */
  setSaver(saver: (() => string | null) | null): void {
    this.#saver = saver;
  }

  /** Handles `signal` now: runs the saver, prints what it saved, exits with the signal's code. */
  handle(signal: HandledSignal): void {
    let said: string | null = null;
    try {
      said = this.#saver?.() ?? null;
    } catch (e) {
      said = `could not save the results so far: ${(e as Error).message}`;
    } finally {
      this.#note(`\ninterrupted by ${signal}${said ? `: ${said}` : "; nothing was written yet"}`);
      this.#exit(SIGNAL_EXIT[signal]);
    }
  }

  /** Installs the SIGINT and SIGTERM handlers (SIGTERM not on Windows). */
  install(): void {
    if (this.#handlers.length) return;
    const signals: HandledSignal[] = Deno.build.os === "windows"
      ? ["SIGINT"]
      : ["SIGINT", "SIGTERM"];
    for (const s of signals) {
      const h = () => this.handle(s);
      Deno.addSignalListener(s, h);
      this.#handlers.push([s, h]);
    }
  }

  /** Removes the handlers. */
  remove(): void {
    for (const [s, h] of this.#handlers) Deno.removeSignalListener(s, h);
    this.#handlers = [];
  }
}
