/**
 * What the order manager records of every order's life: the audit log. A live session's journal
 * (live/journal.ts) implements it; a backtest uses the null log, which costs a property read per
 * order (callers check `enabled` before building a line's fields).
 */
export interface AuditLog {
  /** False for the null log: nothing is recorded, so fields need not be built. */
  readonly enabled: boolean;
  /**
   * Appends one entry; `sync` makes it and every line before it durable before returning.
   * `fields` may be serialised later: pass an object that is not changed afterwards.
   */
  write(type: string, fields?: Record<string, unknown>, sync?: boolean): void;
  /** Hands pending entries to the OS (a crash of the process then keeps them). */
  writeOut(): void;
}

/** The audit log of a backtest: records nothing. */
export const NULL_AUDIT_LOG: AuditLog = {
  enabled: false,
  write(): void {},
  writeOut(): void {},
};
