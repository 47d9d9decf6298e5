/**
 * A backtest that failed after its outputs were written, as the command hands it to the CLI's
 * error report: the error itself and the simulation time it happened at. Kept apart from the
 * output writing so the CLI's entry loads nothing more than it needs.
 */
import type { Results } from "../metrics/results.ts";

/** A run that failed: the error, when it happened, and the sessions completed before. */
export class RunFailed extends Error {
  override name = "RunFailed";
  constructor(
    readonly error: unknown,
    readonly time: number,
    readonly results: Results | null = null,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The simulation time of a failed run (undefined for other errors).
 *
 * @example
 * ```ts
 * failureTime(new RunFailed(new Error("x"), 0)); // 0
 * ```
 */
export function failureTime(e: unknown): number | undefined {
  return e instanceof RunFailed ? e.time : undefined;
}

/**
 * The error itself, unwrapped from a `RunFailed`.
 *
 * @example
 * ```ts
 * failureError(new RunFailed(cause, t)) === cause; // true
 * ```
 */
export function failureError(e: unknown): unknown {
  return e instanceof RunFailed ? e.error : e;
}
