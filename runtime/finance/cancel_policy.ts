/**
 * Cancel policies (zipline's `finance/cancel_policy.py`): whether the engine cancels every open
 * order at an event. zipline asks only at the end of each session (`"session_end"`), after the
 * auto-close of expired assets and before the account controls are checked.
 */

/** The events a policy is asked about. */
export type CancelEvent = "session_end" | "bar";

/** Decides when all open orders are cancelled. */
export interface CancelPolicy {
  /** Whether the engine should log a warning for each order it cancels under this policy. */
  readonly warn_on_cancel: boolean;
  /** Whether all open orders should be cancelled at `event`. */
  should_cancel(event: CancelEvent): boolean;
}

/**
 * Cancels open orders at the end of each session.
 *
 * @example
 * ```ts
 * new EODCancel().should_cancel("session_end"); // true
 * new EODCancel({ warn_on_cancel: false }).warn_on_cancel; // false
 * ```
 */
export class EODCancel implements CancelPolicy {
  /** @default true */
  readonly warn_on_cancel: boolean;

  constructor(opts: { warn_on_cancel?: boolean } = {}) {
    this.warn_on_cancel = opts.warn_on_cancel ?? true;
  }

  should_cancel(event: CancelEvent): boolean {
    return event === "session_end";
  }
}

/**
 * Never cancels open orders (zipline's default policy).
 *
 * @example
 * ```ts
 * new NeverCancel().should_cancel("session_end"); // false
 * ```
 */
export class NeverCancel implements CancelPolicy {
  readonly warn_on_cancel = false;

  should_cancel(_event: CancelEvent): boolean {
    return false;
  }
}
