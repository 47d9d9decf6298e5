/**
 * The order as the order manager owns it, in every mode: its state in the transition table, its
 * fills, and zipline's fields (the perf table's order rows and `get_order` read them). Only the
 * manager changes it, and only through the table (`orders/state.ts`); strategies get frozen
 * snapshots (`snapshotOf`), as zipline's `get_order` returns `to_api_obj()` copies.
 */
import type { Asset } from "../assets/asset.ts";
import { ORDER_STATUS, type OrderStatus, type TrackedOrder } from "../finance/order.ts";
import type { ClientOrderId, VenueOrderId } from "../model/ids.ts";
import type { OrderState } from "../model/order_state.ts";

/** What a live session measures of an order (live/quality.ts reports it). */
export interface OrderQuality {
  /** The price when the strategy decided (for slippage reports); NaN when unknown. */
  decision_price: number;
  /** Session-clock ms of the broker's acknowledgement and of the last fill. */
  acked_at: number;
  filled_at: number;
  /** Wall-clock ms (performance.now) of sending, acknowledgement and last fill: latencies. */
  wall_sent: number;
  wall_ack: number;
  wall_fill: number;
}

/** Figures of an order whose sending was not seen (restored, adopted): all unknown. */
export function unknownQuality(): OrderQuality {
  return {
    decision_price: NaN,
    acked_at: NaN,
    filled_at: NaN,
    wall_sent: NaN,
    wall_ack: NaN,
    wall_fill: NaN,
  };
}

/** zipline's status of each of our states. */
/**
 * zipline's status of an order state. A switch over the (interned) state strings compares
 * pointers; a lookup table keyed by them is a megamorphic keyed load on every read, and the
 * recorder reads the status of every order row.
 */
function statusOf(state: OrderState): OrderStatus {
  switch (state) {
    case "FILLED":
      return ORDER_STATUS.FILLED;
    case "CANCELED":
    case "EXPIRED":
      return ORDER_STATUS.CANCELLED;
    case "REJECTED":
      return ORDER_STATUS.REJECTED;
    default: // NEW, SUBMITTED, WORKING, PARTIALLY_FILLED, PENDING_CANCEL
      return ORDER_STATUS.OPEN;
  }
}

export class ManagedOrder implements TrackedOrder {
  readonly id: ClientOrderId;
  readonly asset: Asset;
  /** When the strategy placed it (UTC ms). */
  readonly created: number;
  /** When it last changed (a fill's time, a cancel's, a trigger's). */
  dt: number;
  amount: number;
  filled = 0;
  commission = 0;
  limit: number | null;
  stop: number | null;
  limit_reached = false;
  stop_reached = false;
  reason: string | null = null;
  broker_order_id: VenueOrderId | null = null;
  state: OrderState = "NEW";
  avg_fill_price = 0;
  /** Not ours: adopted from the broker (another client's, or found at a restart). */
  external = false;
  /**
   * Session-clock ms (`now()`) of the order's last event — sent, any transition, a fill — for the
   * in-flight queries (inflight.ts).
   */
  last_event_at: number;
  /** Execution-quality figures, kept by live sessions only (null in a backtest). */
  quality: OrderQuality | null = null;
  /** The ledger's bookkeeping of where this order sits in today's list (internal). */
  ledgerSession = -1;
  ledgerSlot = -1;
  /** Its sequence number in the run's order table when the id is the run's own (internal). */
  tableSeq = -1;

  constructor(
    id: ClientOrderId,
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
    created: number,
  ) {
    this.id = id;
    this.asset = asset;
    this.amount = amount;
    this.limit = limit;
    this.stop = stop;
    this.created = created;
    this.dt = created;
    this.last_event_at = created;
  }

  get client_order_id(): ClientOrderId {
    return this.id;
  }

  get symbol(): string {
    return this.asset.symbol;
  }

  get sid(): number {
    return this.asset.sid;
  }

  /** When it was sent (the same as created: an order leaves the process when it is placed). */
  get submitted_at(): number {
    return this.created;
  }

  /** zipline's status code. */
  get status(): OrderStatus {
    return statusOf(this.state);
  }

  /** Still open for the strategy: not finished (NEW included: it is about to be sent). */
  get open(): boolean {
    return this.status === ORDER_STATUS.OPEN;
  }

  get open_amount(): number {
    return this.amount - this.filled;
  }
}

/** What `get_order` and `get_open_orders` return: zipline's order fields, frozen at the call. */
export interface OrderSnapshot {
  readonly id: string;
  readonly dt: Date;
  readonly created: Date;
  readonly asset: Asset;
  readonly sid: number;
  readonly amount: number;
  readonly filled: number;
  readonly commission: number;
  readonly limit: number | null;
  readonly stop: number | null;
  readonly limit_reached: boolean;
  readonly stop_reached: boolean;
  /** +1 for buys, -1 for sells. */
  readonly direction: number;
  readonly status: OrderStatus;
  /** Whether the order can still fill (zipline's `open` orders: status OPEN). */
  readonly open: boolean;
  readonly open_amount: number;
  readonly reason: string | null;
  readonly broker_order_id: string | null;
  /** The state in Harvester's order state machine (NEW … FILLED, CANCELED, REJECTED, EXPIRED). */
  readonly state: OrderState;
}

/** A frozen copy of an order as it is now. */
export function snapshotOf(o: ManagedOrder): OrderSnapshot {
  return Object.freeze({
    id: o.id,
    dt: new Date(o.dt),
    created: new Date(o.created),
    asset: o.asset,
    sid: o.asset.sid,
    amount: o.amount,
    filled: o.filled,
    commission: o.commission,
    limit: o.limit,
    stop: o.stop,
    limit_reached: o.limit_reached,
    stop_reached: o.stop_reached,
    direction: o.amount > 0 ? 1 : -1,
    status: o.status,
    open: o.open,
    open_amount: o.amount - o.filled,
    reason: o.reason,
    broker_order_id: o.broker_order_id,
    state: o.state,
  });
}
