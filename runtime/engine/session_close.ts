/**
 * A session's end, the same in every mode (zipline's order, `algorithm.py` / `blotter.py`):
 * positions in assets past their auto-close date are closed and their open orders cancelled;
 * then the cancel policy runs. All of it goes through the order manager or the venue, never
 * straight into the ledger.
 *
 * Auto-close means one thing everywhere — the position is closed at the venue at the asset's last
 * price: the simulated venue settles it at once (zipline's auto-close transaction, reported as an
 * execution without an order); a real venue is sent a market order while the asset still trades
 * (`data.can_trade`), and otherwise the operator is told (`auto_close_untradable`) that the
 * broker's own settlement will come.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import type { CancelPolicy } from "../finance/cancel_policy.ts";
import type { ManagedOrder } from "../orders/order.ts";
import type { RunParts, SessionEnd } from "./engine.ts";

/** The session's end steps: auto-close, then the cancel policy (both only at a real close). */
export async function closeSession(
  parts: RunParts,
  e: SessionEnd,
  stopping: boolean,
): Promise<void> {
  if (!e.complete || stopping) return;
  await autoClose(parts, e.time, e.session);
  if (cancelsAtSessionEnd(parts.algo.cancel_policy, e, stopping)) await cancelByPolicy(parts);
}

/**
 * Whether a session's end applies the cancel policy: only at the venue's close, and never when
 * the session is stopping — on SIGINT/SIGTERM open orders are `cancel_on_stop`'s decision
 * (cancelled once there, or deliberately kept at the broker), not the policy's.
 *
 * @example
 * ```ts
 * cancelsAtSessionEnd(new EODCancel(), { complete: true }, false); // true
 * cancelsAtSessionEnd(new EODCancel(), { complete: true }, true); // false: cancel_on_stop decides
 * ```
 */
export function cancelsAtSessionEnd(
  policy: CancelPolicy,
  e: { complete: boolean },
  stopping: boolean,
): boolean {
  return e.complete && !stopping && policy.should_cancel("session_end");
}

async function autoClose(parts: RunParts, dt: number, session: number): Promise<void> {
  const { algo, manager, venue } = parts;
  const ledger = algo.ledger;
  const past = (a: Asset) => !Number.isNaN(a.auto_close_date) && a.auto_close_date <= dt;
  // The ledger knows no held asset auto-closes before `earliestAutoClose`: most sessions skip this.
  if (ledger.earliestAutoClose <= dt) {
    let closing: Asset[] | null = null;
    for (const p of ledger.positions.values()) if (past(p.asset)) (closing ??= []).push(p.asset);
    for (const asset of closing ?? []) {
      const p = ledger.position(asset);
      if (!p || p.amount === 0) continue;
      let price = algo.current(asset, "price");
      if (Number.isNaN(price)) price = p.last_sale_price;
      if (venue) {
        venue.closePosition(asset.symbol, price, dt);
        manager.drain();
      } else await closeAtBroker(parts, asset, p.amount, session);
    }
    ledger.refreshEarliestAutoClose();
  }
  let cancelling: ManagedOrder[] | null = null;
  if (manager.hasOpen) {
    for (const o of manager.open()) if (past(o.asset)) (cancelling ??= []).push(o);
  }
  for (const o of cancelling ?? []) await manager.cancel(o.id);
}

/** A real venue's auto-close: a market order while the asset trades, else a notice. */
async function closeAtBroker(
  parts: RunParts,
  asset: Asset,
  amount: number,
  session: number,
): Promise<void> {
  const { algo, manager, data } = parts;
  for (const o of manager.open(asset)) await manager.cancel(o.id);
  manager.drain();
  const audit = manager.d.audit;
  const fields = {
    session: isoDate(session / DAY_MS),
    symbol: asset.symbol,
    amount,
    auto_close_date: isoDate(asset.auto_close_date / DAY_MS),
  };
  if (await data.can_trade(asset)) {
    const id = await manager.place(asset, -amount, null, null);
    audit.write("auto_close", { ...fields, client_order_id: id }, true);
    return;
  }
  const price = algo.ledger.position(asset)?.last_sale_price;
  audit.write("auto_close_untradable", { ...fields, last_sale_price: price }, true);
  algo.log.warn("auto_close_untradable", {
    message:
      `${amount} ${asset.symbol} is past its auto-close date ${fields.auto_close_date} and no ` +
      `longer trades: no order sent; check how the broker settles it (reconciliation at the ` +
      `next start books it)`,
  });
}

/**
 * The algorithm's cancel policy. In a daily run zipline cancels, for each asset with more than
 * one open order, the oldest (orders of a daily bar cannot fill before the next, so cancelling
 * all would leave none ever filled), reported with the next bar's orders; in a minute run every
 * open order, unreported (zipline's `relay_status=False`).
 */
async function cancelByPolicy(parts: RunParts): Promise<void> {
  const { algo, manager } = parts;
  const policy = algo.cancel_policy;
  if (!manager.hasOpen) return;
  const daily = algo.data_frequency === "daily";
  const cancelled: ManagedOrder[] = [];
  if (daily) {
    const byAsset = new Map<number, ManagedOrder[]>();
    for (const o of manager.open()) {
      const list = byAsset.get(o.asset.sid);
      if (list) list.push(o);
      else byAsset.set(o.asset.sid, [o]);
    }
    for (const list of byAsset.values()) {
      if (list.length < 2) continue;
      await manager.cancel(list[0].id, "next_bar");
      cancelled.push(list[0]);
    }
  } else {
    for (const o of manager.open()) {
      if (o.state === "PENDING_CANCEL") continue; // already asked for
      await manager.cancel(o.id, "never");
      cancelled.push(o);
    }
  }
  if (manager.d.audit.enabled && cancelled.length) {
    manager.d.audit.write("eod_cancel", {
      policy: policy.constructor.name,
      cancelled: cancelled.map((o) => o.id),
    }, true);
  }
  if (!policy.warn_on_cancel) return;
  for (const o of cancelled) {
    algo.log.warn("order_cancelled", {
      message: eodCancelMessage(o.amount, o.filled, o.asset.symbol),
    });
  }
}

/**
 * zipline's three warnings for an order the cancel policy cancelled at the day's end
 * (`finance/blotter/simulation_blotter.py`): partially bought, partially sold, or not filled.
 * Share counts of a sell are shown positive, as zipline shows them; the order's amount keeps its
 * sign.
 *
 * @example
 * ```ts
 * eodCancelMessage(-100, -40, "AAPL");
 * // "Your order for -100 shares of AAPL has been partially filled. 40 shares were successfully
 * //  sold. 60 shares were not filled by the end of day and were canceled."
 * ```
 */
export function eodCancelMessage(amount: number, filled: number, symbol: string): string {
  if (filled > 0) {
    return `Your order for ${amount} shares of ${symbol} has been partially filled. ${filled} shares were successfully purchased. ${
      amount - filled
    } shares were not filled by the end of day and were canceled.`;
  }
  if (filled < 0) {
    return `Your order for ${amount} shares of ${symbol} has been partially filled. ${-filled} shares were successfully sold. ${-(
      amount - filled
    )} shares were not filled by the end of day and were canceled.`;
  }
  return `Your order for ${amount} shares of ${symbol} failed to fill by the end of day and was canceled.`;
}
