/**
 * The order manager after a restart: taking over the broker's view of an order, through the
 * transition table (the events the broker would have sent, marked as reconciliation) — never by
 * writing a state over another — and the orders a state file keeps. The session's restart
 * (live/restart.ts) decides what to do with each order; these carry it out.
 */
import type { BrokerOrder } from "../model/broker.ts";
import { asClientOrderId, asVenueOrderId, type ClientOrderId } from "../model/ids.ts";
import type { OrderEvent, OrderState } from "../model/order_state.ts";
import type { OrderManager } from "./manager.ts";
import { fromRecord, type OrderRecord, recentExecs, savedOrders } from "./manager_state.ts";
import { ManagedOrder } from "./order.ts";

/** Finished orders a state file keeps (see `snapshotOrders`). */
const KEEP_FINISHED = 200;
const DAY_MS = 86_400_000;

/**
 * The order a restarted session's re-decided bar placed again is the one already at the
 * broker: its broker state is taken over, and it is not sent twice. A different decision (a
 * strategy that is not deterministic) cannot claim it: the broker's order is adopted as it is
 * and the new one goes out under the next id.
 */
export function reattachOrder(
  m: OrderManager,
  o: ManagedOrder,
  b: BrokerOrder,
): ClientOrderId | null | Promise<ClientOrderId | null> {
  m.recovered.delete(o.id);
  const same = b.symbol === o.asset.symbol && b.amount === o.amount &&
    b.limit_price === o.limit && b.stop_price === o.stop;
  if (!same) {
    m.forget(o);
    adoptOrder(m, b, false);
    m.d.warn("redecided_differently", {
      message: `the interrupted bar was decided differently after the restart: order ${o.id} ` +
        `at the broker (${b.amount} ${b.symbol}) is kept; the new decision is sent separately`,
    });
    return m.place(o.asset, o.amount, o.limit, o.stop);
  }
  m.d.audit.write("order_reattached", {
    client_order_id: o.id,
    symbol: o.asset.symbol,
    amount: o.amount,
    limit: o.limit,
    stop: o.stop,
    state: b.state,
  });
  m.move(o, "submit");
  settleOrder(m, o, b);
  return o.id;
}

/** What a state file keeps of the order manager. */
export interface OrdersSnapshot {
  orders: OrderRecord[];
  execs: string[];
  ids: { tag: string; next: number };
}

/**
 * Takes the broker's view of an order: one we do not hold is added (ours, or `external`), then
 * brought to the broker's state. Its id moves our id family's sequence past it.
 */
export function adoptOrder(
  m: OrderManager,
  b: BrokerOrder,
  external: boolean,
): ManagedOrder | null {
  let o = m.orders.get(b.client_order_id);
  if (!o) {
    const asset = m.d.assetOf(b.symbol);
    if (!asset) return null;
    o = new ManagedOrder(
      asClientOrderId(b.client_order_id),
      asset,
      b.amount,
      b.limit_price,
      b.stop_price,
      b.submitted_at,
    );
    o.external = external;
    o.filled = b.filled;
    o.avg_fill_price = b.avg_fill_price;
    m.track(o);
    m.d.ids.observe(o.id);
    m.d.audit.write("order_adopted", { client_order_id: o.id, external, state: b.state });
  }
  settleOrder(m, o, b);
  return o;
}

/**
 * Brings an order to the broker's state through the table: the events the broker would have
 * sent (an acknowledgement, then a partial fill, fill, cancel or rejection), each journaled as a
 * transition with the reason "reconciliation". Executions are never made up here: they are
 * booked when they arrive (a restart queues the broker's since the last save).
 */
export function settleOrder(m: OrderManager, o: ManagedOrder, b: BrokerOrder): void {
  if (b.broker_order_id) o.broker_order_id = asVenueOrderId(b.broker_order_id);
  if (b.limit_reached !== undefined) o.limit_reached = b.limit_reached;
  if (b.stop_reached !== undefined) o.stop_reached = b.stop_reached;
  for (const event of eventsTowards(o.state, b.state)) {
    if (o.state === b.state) break;
    m.move(o, event, "reconciliation");
  }
}

/** The events that take an order from `state` to the broker's `target`, in order. */
export function eventsTowards(state: OrderState, target: OrderState): OrderEvent[] {
  const out: OrderEvent[] = [];
  if (state === "NEW") out.push("submit");
  if ((state === "NEW" || state === "SUBMITTED") && target !== "SUBMITTED") {
    if (target !== "REJECTED") out.push("ack");
  }
  const last: Partial<Record<OrderState, OrderEvent>> = {
    PARTIALLY_FILLED: "partial_fill",
    FILLED: "fill",
    CANCELED: "canceled",
    EXPIRED: "expired",
    REJECTED: "rejected",
    PENDING_CANCEL: "cancel_request",
  };
  const e = last[target];
  if (e) out.push(e);
  return out;
}

/**
 * What the state file keeps: every order not finished, the newest finished ones (for
 * `get_order` after a restart) and the last day's execution ids (a restart is re-sent only
 * executions since the last saved bar). Bounded, so a save costs the same in month six as on
 * day one; the full history is in the journal.
 */
export function snapshotOrders(m: OrderManager): OrdersSnapshot {
  return {
    orders: savedOrders(m.orders.values(), KEEP_FINISHED),
    execs: recentExecs(m.fills.execs, DAY_MS),
    ids: { tag: m.d.ids.tag, next: m.d.ids.sequence },
  };
}

/** The orders and execution ids of a state file back into the manager. */
export function restoreOrders(m: OrderManager, s: Pick<OrdersSnapshot, "orders" | "execs">): void {
  for (const r of s.orders) {
    const asset = m.d.assetOf(r.symbol);
    if (asset) m.track(fromRecord(r, asset));
  }
  // Saved ids count as seen now: they are kept until a day of newer fills has passed.
  const now = m.d.now();
  for (const e of s.execs) m.fills.execs.set(e, now);
}

/** A journaled `order_submitted` line, as read back (fields untyped: it is parsed JSON). */
export interface InFlightLine {
  client_order_id?: unknown;
  symbol?: unknown;
  amount?: unknown;
  limit?: unknown;
  stop?: unknown;
  ts?: unknown;
}

/**
 * An order the journal shows was sent after the last save, taken as SUBMITTED: whether the
 * broker got it is for reconciliation to find out.
 */
export function trackInFlight(m: OrderManager, e: InFlightLine): void {
  const coid = String(e.client_order_id), asset = m.d.assetOf(String(e.symbol));
  m.d.ids.observe(coid);
  if (!asset || m.orders.has(coid)) return;
  const o = new ManagedOrder(
    asClientOrderId(coid),
    asset,
    Number(e.amount),
    (e.limit as number | null) ?? null,
    (e.stop as number | null) ?? null,
    Date.parse(String(e.ts)),
  );
  m.track(o);
  m.move(o, "submit", "reconciliation");
}

/** An order the broker never received after a restart: REJECTED through the table, never re-sent. */
export function markLost(m: OrderManager, coid: string): void {
  const o = m.orders.get(coid);
  if (o) m.move(o, "rejected", "unknown to the broker after restart");
}
