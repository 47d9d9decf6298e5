/**
 * The end of a live trading day: the scheduled end-of-day flatten (`flatten_before_close`), the
 * cancel-and-close it shares with the kill switch, and a minute session's close — the algorithm's
 * cancel policy and the auto-close of assets past their `auto_close_date`, as the minute backtest
 * does at its session end (engine/simulation.ts `endSession`).
 *
 * Everything here goes through the order manager, never the broker: a cancel or an order is then
 * risk-checked, moved through the order state table and journaled like any other, and a restart
 * finds it in the journal.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import { InvalidInputError } from "../errors.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
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

/** A session-end event of the realtime clock (the fields used here). */
export interface SessionEndEvent {
  session: number;
  /** The close, or the run's end when it stops before the close. */
  time: number;
  /** Whether `time` is the venue's close (false: the run ended early). */
  complete: boolean;
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

/**
 * Whether a live minute session's end applies the cancel policy: only at the venue's close, and
 * never when the session is stopping — on SIGINT/SIGTERM open orders are `cancel_on_stop`'s
 * decision (cancelled once there, or deliberately kept at the broker), not the policy's.
 *
 * @example
 * ```ts
 * cancelsAtSessionEnd(new EODCancel(), { complete: true }, false); // true
 * cancelsAtSessionEnd(new EODCancel(), { complete: true }, true); // false: cancel_on_stop decides
 * ```
 */
export function cancelsAtSessionEnd(
  policy: CancelPolicy,
  e: Pick<SessionEndEvent, "complete">,
  stopRequested: boolean,
): boolean {
  return e.complete && !stopRequested && policy.should_cancel("session_end");
}

/**
 * A live minute session's close, in the minute backtest's order: the algorithm's cancel policy
 * (EODCancel cancels every open order, NeverCancel keeps them), then positions in assets past
 * their auto-close date. Nothing runs when the run ends before the close (the session goes on at
 * the venue) or is stopping (see `cancelsAtSessionEnd`).
 */
export async function closeMinuteSession(s: Session, e: SessionEndEvent): Promise<void> {
  if (!e.complete || s.stopRequested) return;
  const policy = s.algo.blotter.cancel_policy;
  if (cancelsAtSessionEnd(policy, e, s.stopRequested)) await cancelByPolicy(s, e, policy);
  await autoClose(s, e);
}

async function cancelByPolicy(s: Session, e: SessionEndEvent, policy: CancelPolicy) {
  const ids: string[] = [];
  for (const m of s.manager.open()) {
    if (m.state === "PENDING_CANCEL") continue; // already asked for
    await s.manager.cancel(m.client_order_id);
    ids.push(m.client_order_id);
    if (policy.warn_on_cancel) {
      const o = m.view;
      // The backtest's (and zipline's) warning, word for word.
      s.log.warn("order_cancelled", {
        message:
          `Your order for ${o.amount} shares of ${o.asset.symbol} has been partially filled. ${o.filled} shares were successfully purchased. ${
            o.amount - o.filled
          } shares were not filled by the end of day and were canceled.`,
      });
    }
  }
  s.journal.write("eod_cancel", {
    session: isoDate(e.session / DAY_MS),
    policy: policy.constructor.name,
    cancelled: ids,
  }, true);
}

/**
 * Positions in assets whose auto-close date has passed (the backtest's test: the date is at or
 * before this close).
 *
 * The backtest books a closing transaction at the last price. Live, the ledger follows only what
 * the broker reports, so a close booked here that the venue never made would be drift the next
 * reconciliation halts on. Instead the asset's open orders are cancelled through the manager
 * (as the backtest cancels them), and then:
 * - if the engine still counts the asset as tradable (`data.can_trade`: alive this session by its
 *   metadata and a fresh bar from the feed — its last day), a market order closing the position
 *   goes through the manager; the venue executes it when it can or rejects it, and either
 *   outcome arrives as broker events;
 * - otherwise no order could execute (the venue no longer trades it, or the bundle says it
 *   stopped), so none is sent: the position is logged as a warning and journaled
 *   `auto_close_untradable` for the operator. The broker settles a delisting (cash-out or a
 *   transfer), and the next start's reconciliation books what it did.
 *
 * Bundles default the date to the day after their last bar, so with a bundle that ends before
 * today every asset looks past it; `can_trade` calls such an asset dead too (its end_date is
 * behind us), so it takes the second branch: warned about each session, never liquidated on the
 * strength of stale metadata.
 */
async function autoClose(s: Session, e: SessionEndEvent): Promise<void> {
  const past = (a: Asset) => !Number.isNaN(a.auto_close_date) && a.auto_close_date <= e.time;
  for (const m of s.manager.open()) {
    if (past(m.view.asset)) await s.manager.cancel(m.client_order_id);
  }
  s.manager.drain();
  for (const p of [...s.algo.ledger.positions.values()]) {
    if (p.amount === 0 || !past(p.asset)) continue;
    const fields = {
      session: isoDate(e.session / DAY_MS),
      symbol: p.asset.symbol,
      amount: p.amount,
      auto_close_date: isoDate(p.asset.auto_close_date / DAY_MS),
    };
    if (await s.data.can_trade(p.asset)) {
      const id = await s.manager.place(p.asset, -p.amount, null, null);
      s.journal.write("auto_close", { ...fields, client_order_id: id }, true);
      continue;
    }
    s.journal.write(
      "auto_close_untradable",
      { ...fields, last_sale_price: p.last_sale_price },
      true,
    );
    s.log.warn("auto_close_untradable", {
      message:
        `${p.amount} ${p.asset.symbol} is past its auto-close date ${fields.auto_close_date} ` +
        `and no longer trades: no order sent; check how the broker settles it (reconciliation ` +
        `at the next start books it)`,
    });
  }
}
