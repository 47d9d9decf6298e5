/**
 * The order manager's orders as a state file keeps them, and back: `OrderRecord` is the persisted
 * form of a `ManagedOrder`. None of this runs while trading; it lives apart from manager.ts so the
 * manager reads as the trading path only.
 */
import type { Asset } from "../assets/asset.ts";
import { asClientOrderId, asVenueOrderId } from "../model/ids.ts";
import { type OrderState, TERMINAL } from "../model/order_state.ts";
import { ManagedOrder } from "./order.ts";

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
  limit_reached?: boolean;
  stop_reached?: boolean;
  reason?: string | null;
  created: number;
  dt: number;
  avg_fill_price: number;
  external: boolean;
}

export function toRecord(o: ManagedOrder): OrderRecord {
  return {
    client_order_id: o.id,
    broker_order_id: o.broker_order_id,
    symbol: o.asset.symbol,
    state: o.state,
    amount: o.amount,
    filled: o.filled,
    commission: o.commission,
    limit: o.limit,
    stop: o.stop,
    limit_reached: o.limit_reached,
    stop_reached: o.stop_reached,
    reason: o.reason,
    created: o.created,
    dt: o.dt,
    avg_fill_price: o.avg_fill_price,
    external: o.external,
  };
}

/**
 * The inverse of `toRecord`. What only the sending process saw (decision price, acknowledgement
 * and fill times, wall-clock latencies) is gone, so it stays NaN rather than a made-up value.
 */
export function fromRecord(r: OrderRecord, asset: Asset): ManagedOrder {
  const o = new ManagedOrder(
    asClientOrderId(r.client_order_id),
    asset,
    r.amount,
    r.limit,
    r.stop,
    r.created,
  );
  o.broker_order_id = r.broker_order_id === null ? null : asVenueOrderId(r.broker_order_id);
  o.state = r.state;
  o.filled = r.filled;
  o.commission = r.commission;
  o.limit_reached = r.limit_reached ?? false;
  o.stop_reached = r.stop_reached ?? false;
  o.reason = r.reason ?? null;
  o.dt = r.dt;
  o.avg_fill_price = r.avg_fill_price;
  o.external = r.external;
  o.last_event_at = r.dt;
  return o;
}

/**
 * The orders a state file keeps: every one not finished, after the newest `keep` finished ones
 * (in placement order). One pass with a ring: no array of every order ever placed.
 */
export function savedOrders(orders: Iterable<ManagedOrder>, keep: number): OrderRecord[] {
  const live: OrderRecord[] = [];
  const ring: ManagedOrder[] = [];
  let next = 0;
  for (const o of orders) {
    if (!TERMINAL.has(o.state)) live.push(toRecord(o));
    else if (ring.length < keep) ring.push(o);
    else {
      ring[next] = o;
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
