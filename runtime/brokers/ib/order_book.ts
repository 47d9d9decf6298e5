/**
 * The adapter's view of every IB order it has seen, indexed by our client order id (orderRef), by
 * IB order id (ours) and by permId, with each order's state kept in step with the order manager's
 * through the same transition table: an IB message becomes an event only when the table allows it
 * from the state the manager is in, so duplicates and late echoes are dropped here, not refused
 * there. Quantities come from fills (with their commissions), never from orderStatus alone.
 */
import { type OrderEvent, type OrderState, transition } from "../../orders/state.ts";
import type { BrokerEvent, BrokerOrder } from "../broker.ts";
import { eventOfStatus, stateOfStatus } from "./orders.ts";

/** One order as the adapter tracks it. */
export interface TrackedOrder {
  coid: string;
  orderId: number;
  clientId: number;
  permId: number;
  symbol: string;
  /** Signed shares ordered. */
  amount: number;
  limit: number | null;
  stop: number | null;
  tif: "day" | "gtc";
  state: OrderState;
  /** IB's last status and filled quantity (orderStatus). */
  ibStatus: string;
  ibFilled: number;
  /** Shares (absolute) and their value booked through fill events. */
  booked: number;
  value: number;
  /** Seen first in a snapshot: its filled quantity is taken from the first status. */
  baseline: boolean;
  submittedAt: number;
  lastError: string;
  whyHeld: string;
  /** Counts the order statuses TWS sent (an error TWS never follows with one is resolved). */
  statusSeq: number;
  /** A modification sent and not yet confirmed by TWS (openOrder with the new values). */
  pending: { amount: number; limit: number | null; stop: number | null } | null;
}

/** How an IB message refers to an order. */
export interface OrderKey {
  orderRef?: string;
  orderId?: number;
  clientId?: number;
  permId?: number;
}

export class OrderBook {
  readonly byCoid = new Map<string, TrackedOrder>();
  private readonly byOrderId = new Map<number, TrackedOrder>();
  private readonly byPermId = new Map<number, TrackedOrder>();

  constructor(
    private readonly clientId: number,
    private readonly emit: (e: BrokerEvent) => void,
    private readonly now: () => number,
  ) {}

  /** Starts tracking an order (and indexes what is known of it). */
  add(t: TrackedOrder): TrackedOrder {
    this.byCoid.set(t.coid, t);
    this.index(t, t);
    return t;
  }

  /** The order a message refers to: orderRef first, then our order id, then permId. */
  find(k: OrderKey): TrackedOrder | undefined {
    const t = (k.orderRef ? this.byCoid.get(k.orderRef) : undefined) ??
      (k.orderId && k.clientId === this.clientId ? this.byOrderId.get(k.orderId) : undefined) ??
      (k.permId ? this.byPermId.get(k.permId) : undefined);
    if (t) this.index(t, k);
    return t;
  }

  /** Records ids learnt from a message. */
  index(t: TrackedOrder, k: OrderKey): void {
    if (k.permId) {
      t.permId = k.permId;
      this.byPermId.set(k.permId, t);
    }
    if (k.orderId && k.clientId === this.clientId && t.clientId === this.clientId) {
      t.orderId = k.orderId;
      this.byOrderId.set(k.orderId, t);
    }
  }

  /** The broker-neutral view. */
  view(t: TrackedOrder): BrokerOrder {
    return {
      client_order_id: t.coid,
      broker_order_id: t.orderId > 0 ? String(t.orderId) : `perm-${t.permId}`,
      symbol: t.symbol,
      amount: t.amount,
      filled: Math.sign(t.amount) * t.booked,
      avg_fill_price: t.booked ? t.value / t.booked : 0,
      state: t.state,
      limit_price: t.limit,
      stop_price: t.stop,
      submitted_at: t.submittedAt,
    };
  }

  /** Applies an event through the table; emits it when the state moves (fills always). */
  advance(t: TrackedOrder, event: OrderEvent, reason?: string): boolean {
    const to = transition(t.state, event);
    if (to === null) return false;
    const moved = to !== t.state;
    t.state = to;
    if (moved || event === "partial_fill" || event === "fill") {
      this.emit({ type: "order", event, order: this.view(t), reason, time: this.now() });
    }
    return true;
  }

  /** Moves the state the way the order manager already did on its own (submit, cancel request). */
  mirror(t: TrackedOrder, event: OrderEvent): void {
    t.state = transition(t.state, event) ?? t.state;
  }

  /** An orderStatus (or the status inside openOrder / completedOrder). */
  status(t: TrackedOrder, status: string, filled: number, avgPrice: number, whyHeld = ""): void {
    t.statusSeq++;
    t.ibStatus = status;
    t.ibFilled = filled;
    if (whyHeld) t.whyHeld = whyHeld;
    if (t.baseline) {
      // First sight of an order placed before this process: take IB's word for all of it.
      t.baseline = false;
      t.booked = filled;
      t.value = filled * avgPrice;
      t.state = stateOfStatus(status, filled);
      return;
    }
    const e = eventOfStatus(status, t);
    if (e) this.advance(t, e.event, e.reason);
  }

  /**
   * A booked fill undone (its execution was corrected): no event, the state stays (the corrected
   * fill that follows moves it, if the table allows).
   */
  unfill(t: TrackedOrder, shares: number, price: number): void {
    t.booked -= shares;
    t.value -= shares * price;
  }

  /** A final fill of `shares` (absolute) at `price`. */
  fill(t: TrackedOrder, shares: number, price: number): void {
    t.booked += shares;
    t.value += shares * price;
    this.advance(t, t.booked >= Math.abs(t.amount) ? "fill" : "partial_fill");
  }
}
