/**
 * What the order manager does with each broker event: an execution reaches the ledger (through
 * `FillBooking`) and its order; an order event moves the order through the transition table. The
 * venue's view is the truth for what only it knows (its id, triggers, a split's new amounts).
 */
import {
  type BrokerEvent,
  type BrokerFill,
  brokerFill,
  type BrokerOrder,
} from "../model/broker.ts";
import { asVenueOrderId } from "../model/ids.ts";
import type { OrderEvent } from "../model/order_state.ts";
import type { OrderManager } from "./manager.ts";

/** Stands for the journal line when nothing is journaled (`FillBooking` never calls it then). */
function noLine(): BrokerFill {
  throw new Error("no journal line without a journal");
}

/** One execution: booked in the ledger, added to its order (`f`: the event's own object). */
export function applyFill(
  m: OrderManager,
  coid: string,
  venueId: string,
  exec: string,
  symbol: string,
  amount: number,
  price: number,
  commission: number,
  time: number,
  f: BrokerFill | null,
  /** The order's number as the manager sent it, when the venue says (in-process venues). */
  seq = -1,
): void {
  if (!m.fills.firstReport(exec, time)) return; // reported twice (re-sync, restart)
  if (m.recovered.size && coid && !m.orders.has(coid)) {
    const hidden = m.recovered.get(coid);
    if (hidden) {
      m.recovered.delete(coid);
      m.adopt(hidden, false);
    }
  }
  const o = coid ? m.orders.get(coid, seq) : undefined;
  const asset = o?.asset ?? m.d.assetOf(symbol);
  if (!asset) {
    m.d.warn("fill_unknown_asset", {
      message: `fill for ${symbol}, which is not in the bundle`,
      exec_id: exec,
    });
    return;
  }
  const q = o?.quality;
  const first = q != null && Number.isNaN(q.wall_fill);
  m.fills.book(
    asset,
    o,
    coid,
    amount,
    price,
    commission,
    time,
    // The journal line, made only when there is a journal (no closure per fill in a backtest).
    m.d.audit.enabled
      ? () => f ?? brokerFill(coid, venueId, exec, symbol, amount, price, commission, time)
      : noLine,
  );
  m.counters.fills++;
  if (first) m.counters.firstFillLatency.observe((q.wall_fill - q.wall_sent) / 1000);
}

export function applyOrderEvent(
  m: OrderManager,
  event: OrderEvent,
  b: BrokerOrder,
  reason = "",
  time = NaN,
): void {
  const o = m.orders.get(b.client_order_id);
  if (!o) {
    if (m.recovered.has(b.client_order_id)) {
      m.recovered.set(b.client_order_id, b); // its newest view, for when it is re-placed
      return;
    }
    m.d.audit.write("unknown_order_event", { client_order_id: b.client_order_id, event });
    return;
  }
  const q = o.quality;
  if (event === "ack" && q && Number.isNaN(q.acked_at)) {
    q.acked_at = time;
    q.wall_ack = performance.now();
    m.counters.ackLatency.observe((q.wall_ack - q.wall_sent) / 1000);
  }
  if (m.inflight.confirms(o, event, m.d.audit)) return; // reported after a query
  if (b.broker_order_id) o.broker_order_id = asVenueOrderId(b.broker_order_id);
  // A venue that reports triggers (zipline's order fields) is their truth on every event.
  if (b.limit_reached !== undefined) o.limit_reached = b.limit_reached;
  if (b.stop_reached !== undefined) o.stop_reached = b.stop_reached;
  if (event === "updated") {
    // The venue rescaled the order (a split) or moved its prices (a stop-limit triggered).
    o.amount = b.amount;
    o.limit = b.limit_price;
    o.stop = b.stop_price;
    if (time === time) o.dt = time;
  }
  m.move(o, event, reason, time);
}

/** The time of an event (NaN for those without one: they are never held back). */
export function timeOf(e: BrokerEvent): number {
  return e.type === "fill" ? e.fill.time : e.time;
}
