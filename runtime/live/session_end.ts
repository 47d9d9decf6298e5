/**
 * The end of a live trading day and the kill switch: the scheduled end-of-day flatten
 * (`flatten_before_close`) and the cancel-and-close it shares with the kill switch. (A session's
 * close — the cancel policy, auto-close — is the engine's, the same in every mode:
 * engine/session_close.ts.)
 *
 * Everything here goes through the order manager, never the broker: a cancel or an order is then
 * risk-checked, moved through the order state table and journaled like any other, and a restart
 * finds it in the journal.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { InvalidInputError } from "../errors.ts";
import { clearResume } from "./kill_switch.ts";
import type { Session } from "./session.ts";

/**
 * The risk gate's reason while an end-of-day flatten holds it in REDUCING. Only a REDUCING with
 * this reason is lifted at the next session's start: one set for another cause (a stale feed)
 * keeps its own rule.
 */
export const EOD_FLATTEN_REASON = "end-of-day flatten";

/** A market order sent to close a position (`client_order_id` null: the risk gate refused it). */
export interface ClosingOrder {
  symbol: string;
  amount: number;
  client_order_id: string | null;
}

/** What a cancel-and-close did. */
export interface FlattenResult {
  /** Open orders a cancel was requested for. */
  cancelled: number;
  closing: ClosingOrder[];
}

/**
 * Cancels every open order through the order manager and, with `close`, sends a market order
 * closing each position. The gate goes to REDUCING first (a stricter state is kept), so each
 * closing order is checked as a reduction and nothing can add exposure meanwhile. Shared by the
 * kill switch (`flatten_on_kill`) and the end-of-day flatten.
 *
 * A cancel is a request: an order filling at the venue before the cancel lands still moves the
 * position after the closing order was sized, and the fill is booked when it arrives.
 *
 * @example
 * ```ts
 * const { cancelled, closing } = await cancelAndFlatten(s, "kill switch", true);
 * ```
 */
export async function cancelAndFlatten(
  s: Session,
  reason: string,
  close: boolean,
): Promise<FlattenResult> {
  const cancelled = await s.manager.cancelAll();
  // Events already queued (cancel acks, fills) reach the ledger before positions are sized.
  s.manager.drain();
  const closing: ClosingOrder[] = [];
  if (!close) return { cancelled, closing };
  if (s.risk.state === "ACTIVE") s.risk.setState("REDUCING", reason);
  for (const p of [...s.algo.ledger.positions.values()]) {
    if (p.amount === 0) continue;
    const id = await s.manager.place(p.asset, -p.amount, null, null);
    closing.push({ symbol: p.asset.symbol, amount: -p.amount, client_order_id: id });
  }
  return { cancelled, closing };
}

/**
 * `flatten_before_close` of the session's options, checked: minutes (≥ 0) before each close,
 * or null when the end-of-day flatten is off.
 *
 * @example
 * ```ts
 * flattenMinutes({ flatten_before_close: 15 }); // 15
 * ```
 */
export function flattenMinutes(opts: { flatten_before_close?: number }): number | null {
  const n = opts.flatten_before_close;
  if (n === undefined) return null;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new InvalidInputError("flatten_before_close", n, "must be a number of minutes ≥ 0");
  }
  return n;
}

/**
 * The scheduled end-of-day flatten: open orders cancelled, every position closed by a market
 * order, an `eod_flatten` journal line, and the gate REDUCING for the rest of the session
 * (lifted by `resumeAfterFlatten` at the next session's start).
 *
 * @example
 * ```ts
 * if (bar.time >= close - 15 * 60_000) await eodFlatten(s, session, bar.time);
 * ```
 */
export async function eodFlatten(s: Session, session: number, at: number): Promise<FlattenResult> {
  // HALTED lets only cancels through (the kill switch's contract; flatten_on_kill decided about
  // positions when it was thrown), so a halted session cancels and keeps its positions.
  const halted = s.risk.state === "HALTED";
  const r = await cancelAndFlatten(s, EOD_FLATTEN_REASON, !halted);
  s.journal.write("eod_flatten", {
    session: isoDate(session / DAY_MS),
    at,
    minutes_before_close: s.opts.flatten_before_close,
    cancelled: r.cancelled,
    closing: r.closing,
    trading_state: s.risk.state,
  }, true);
  s.log.info("eod_flatten", {
    message: halted
      ? `end-of-day flatten: ${r.cancelled} orders cancelled; halted, positions kept`
      : `end-of-day flatten: ${r.cancelled} orders cancelled, ${r.closing.length} positions closing; reducing-only until the next session`,
  });
  return r;
}

/**
 * At a session's start: trading is ACTIVE again after the previous session's end-of-day flatten.
 * A HALTED gate, or REDUCING for another reason, is left as it is.
 */
export function resumeAfterFlatten(s: Session): void {
  if (s.risk.state !== "REDUCING" || s.risk.stateReason !== EOD_FLATTEN_REASON) return;
  s.risk.setState("ACTIVE", "");
  s.journal.write("trading_state", {
    from: "REDUCING",
    to: "ACTIVE",
    reason: "new session after the end-of-day flatten",
  }, true);
}

/** Throws the kill switch: cancel everything, optionally flatten, then only cancels pass. */
/**
 * `harvester resume`: trading is ACTIVE again after a kill switch, a halt (a restart's drift, a
 * loss limit) or a reducing state; journaled with what it lifted.
 */
export function resumeTrading(s: Session, reason: string): void {
  clearResume(s.opts.state_path);
  s.killed = null;
  if (s.risk.state === "ACTIVE") return;
  s.journal.write(
    "trading_resumed",
    { reason, from: s.risk.state, lifted: s.risk.stateReason },
    true,
  );
  s.log.warn("trading_resumed", {
    message: `trading resumed (${reason}); it was ${s.risk.state}: ${s.risk.stateReason}`,
  });
  s.risk.setState("ACTIVE", "");
}

export async function throwKill(s: Session, reason: string): Promise<void> {
  if (s.risk.state === "HALTED") return;
  s.journal.write("kill_switch", { reason, flatten: Boolean(s.opts.flatten_on_kill) }, true);
  s.log.warn("kill_switch", {
    message: `kill switch: ${reason}; cancelling open orders${
      s.opts.flatten_on_kill ? " and flattening" : ""
    }`,
  });
  s.killed = reason; // what threw it (a file, the signal, the loss limit), for telemetry
  await cancelAndFlatten(s, reason, Boolean(s.opts.flatten_on_kill));
  s.risk.setState("HALTED", reason);
}
