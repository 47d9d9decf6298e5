/**
 * The order manager's records and how they survive a restart: the in-memory `ManagedOrder`, its
 * persisted form `OrderRecord`, and the ways a `ManagedOrder` is rebuilt after a restart (from the
 * saved state, from a journal line sent after the last save, from the broker's own view during
 * reconciliation). None of this runs while trading; it lives apart from manager.ts so the manager
 * reads as the trading path only. The functions take the map and the few dependencies they touch
 * rather than the manager, so the manager stays the one owner of its state.
 */
import type { Asset } from "../assets/asset.ts";
import type { BrokerOrder } from "../brokers/broker.ts";
import { Order } from "../finance/order.ts";
import type { Journal } from "../live/journal.ts";
import { type OrderState, TERMINAL } from "./state.ts";

export interface ManagedOrder {
  client_order_id: string;
  broker_order_id: string | null;
  symbol: string;
  state: OrderState;
  /** The zipline view strategies read (id = client order id). */
  view: Order;
  avg_fill_price: number;
  external: boolean;
  /** Price when the strategy decided (for slippage reports). */
  decision_price: number;
  submitted_at: number;
  acked_at: number;
  filled_at: number;
  /**
   * Session-clock ms (`now()`) of the order's last event — sent, any transition, a fill — for
   * the in-flight queries (inflight.ts). Not persisted: a rebuilt order takes its view's `dt`.
   */
  last_event_at: number;
  /** Wall-clock ms (performance.now) of sending, acknowledgement and last fill: latencies. */
  wall: { sent: number; ack: number; fill: number };
}

/** Persisted form of one order. */
export interface OrderRecord {
  client_order_id: string;
  broker_order_id: string | null;
  symbol: string;
  state: OrderState;
  amount: number;
  filled: number;
  commission: number;
  limit: number | null;
  stop: number | null;
  created: number;
  dt: number;
  avg_fill_price: number;
  external: boolean;
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

/** What reconciliation needs from the manager's dependencies (ManagerDeps satisfies it). */
export interface RecoveryDeps {
  journal: Journal;
  assetOf(symbol: string): Asset | undefined;
}

/** The zipline `Order` status calls that mirror our terminal states (shared with live moves). */
export const ZIPLINE_STATUS_CHANGES: Partial<
  Record<OrderState, (o: Order, reason: string) => void>
> = {
  CANCELED: (o) => o.cancel(),
  EXPIRED: (o) => o.cancel(),
  REJECTED: (o, reason) => o.reject(reason),
};

/**
 * A `ManagedOrder` rebuilt after a restart. What only the sending process saw (decision price,
 * ack/fill times, wall-clock latencies) is gone, so it is NaN rather than a made-up value.
 */
function recovered(
  view: Order,
  o: Pick<
    ManagedOrder,
    | "client_order_id"
    | "broker_order_id"
    | "symbol"
    | "state"
    | "avg_fill_price"
    | "external"
    | "submitted_at"
  >,
): ManagedOrder {
  return {
    client_order_id: o.client_order_id,
    broker_order_id: o.broker_order_id,
    symbol: o.symbol,
    state: o.state,
    view,
    avg_fill_price: o.avg_fill_price,
    external: o.external,
    decision_price: NaN,
    submitted_at: o.submitted_at,
    acked_at: NaN,
    filled_at: NaN,
    last_event_at: view.dt,
    wall: { sent: NaN, ack: NaN, fill: NaN },
  };
}

export function toRecord(m: ManagedOrder): OrderRecord {
  return {
    client_order_id: m.client_order_id,
    broker_order_id: m.broker_order_id,
    symbol: m.symbol,
    state: m.state,
    amount: m.view.amount,
    filled: m.view.filled,
    commission: m.view.commission,
    limit: m.view.limit,
    stop: m.view.stop,
    created: m.view.created,
    dt: m.view.dt,
    avg_fill_price: m.avg_fill_price,
    external: m.external,
  };
}

/** The inverse of `toRecord`; the zipline view is brought back to the saved state too. */
export function fromRecord(r: OrderRecord, asset: Asset): ManagedOrder {
  const view = new Order({
    dt: r.created,
    asset,
    amount: r.amount,
    limit: r.limit,
    stop: r.stop,
    id: r.client_order_id,
  });
  view.filled = r.filled;
  view.commission = r.commission;
  view.dt = r.dt;
  const z = ZIPLINE_STATUS_CHANGES[r.state];
  if (z) z(view, "");
  return recovered(view, {
    client_order_id: r.client_order_id,
    broker_order_id: r.broker_order_id,
    symbol: r.symbol,
    state: r.state,
    avg_fill_price: r.avg_fill_price,
    external: r.external,
    submitted_at: r.created,
  });
}

/**
 * An order the journal shows was sent after the last save. It is taken as SUBMITTED: whether the
 * broker got it is for reconciliation to find out.
 */
export function inFlightOrder(coid: string, asset: Asset, e: InFlightLine): ManagedOrder {
  const created = Date.parse(String(e.ts));
  const view = new Order({
    dt: created,
    asset,
    amount: Number(e.amount),
    limit: (e.limit as number | null) ?? null,
    stop: (e.stop as number | null) ?? null,
    id: coid,
  });
  return recovered(view, {
    client_order_id: coid,
    broker_order_id: null,
    symbol: asset.symbol,
    state: "SUBMITTED",
    avg_fill_price: 0,
    external: false,
    submitted_at: created,
  });
}

/**
 * Takes the broker's view of an order (reconciliation): unknown orders are added, known ones take
 * the broker's state. This bypasses the transition table on purpose: the broker is the truth
 * after a restart, whatever path it took while we were down.
 */
export function adoptBrokerOrder(
  orders: Map<string, ManagedOrder>,
  b: BrokerOrder,
  external: boolean,
  d: RecoveryDeps,
): void {
  let m = orders.get(b.client_order_id);
  if (!m) {
    const asset = d.assetOf(b.symbol);
    if (!asset) return;
    const view = new Order({
      dt: b.submitted_at,
      asset,
      amount: b.amount,
      limit: b.limit_price,
      stop: b.stop_price,
      id: b.client_order_id,
    });
    m = recovered(view, {
      client_order_id: b.client_order_id,
      broker_order_id: b.broker_order_id,
      symbol: b.symbol,
      state: b.state,
      avg_fill_price: b.avg_fill_price,
      external,
      submitted_at: b.submitted_at,
    });
    orders.set(b.client_order_id, m);
  }
  m.broker_order_id = b.broker_order_id;
  if (m.state !== b.state) {
    d.journal.write("order_transition", {
      client_order_id: m.client_order_id,
      from: m.state,
      to: b.state,
      event: "reconcile",
    });
    m.state = b.state;
    const z = ZIPLINE_STATUS_CHANGES[b.state];
    if (z) z(m.view, "reconciled");
  }
}

/** Rejects an order the broker never received after a restart; it is not re-sent. */
export function markLostOrder(
  orders: Map<string, ManagedOrder>,
  coid: string,
  journal: Journal,
): void {
  const m = orders.get(coid);
  if (!m || TERMINAL.has(m.state)) return;
  journal.write("order_transition", {
    client_order_id: coid,
    from: m.state,
    to: "REJECTED",
    event: "reconcile",
    reason: "unknown to the broker after restart",
  });
  m.state = "REJECTED";
  m.view.reject("unknown to the broker after restart");
}

/**
 * The orders a state file keeps: every one not finished, after the newest `keep` finished ones
 * (in placement order). One pass with a ring: no array of every order ever placed.
 */
export function savedOrders(orders: Iterable<ManagedOrder>, keep: number): OrderRecord[] {
  const live: OrderRecord[] = [];
  const ring: ManagedOrder[] = [];
  let next = 0;
  for (const m of orders) {
    if (!TERMINAL.has(m.state)) live.push(toRecord(m));
    else if (ring.length < keep) ring.push(m);
    else {
      ring[next] = m;
      next = (next + 1) % keep;
    }
  }
  return [...ring.slice(next), ...ring.slice(0, next)].map(toRecord).concat(live);
}

/**
 * Exec ids of fills within `memoryMs` of the newest one (what a restart can be re-sent); older
 * ones are forgotten from `execs` too, so it stays bounded.
 */
export function recentExecs(execs: Map<string, number>, memoryMs: number): string[] {
  let newest = -Infinity;
  for (const t of execs.values()) if (t > newest) newest = t;
  const out: string[] = [];
  for (const [id, t] of execs) {
    if (t >= newest - memoryMs) out.push(id);
    else execs.delete(id);
  }
  return out;
}
