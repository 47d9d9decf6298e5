/**
 * The simulation's order (zipline's `finance/order.py`): amount, fills, triggers for limit and
 * stop prices, status, and the split adjustment — the order a simulated venue works. The order
 * manager's own order (orders/order.ts) carries the same zipline fields.
 */
import type { Asset } from "../assets/asset.ts";

/** zipline's ORDER_STATUS codes, as they appear in results. */
export const ORDER_STATUS = { OPEN: 0, FILLED: 1, CANCELLED: 2, REJECTED: 3, HELD: 4 } as const;
export type OrderStatus = typeof ORDER_STATUS[keyof typeof ORDER_STATUS];

/**
 * What the ledger and the results recorder read of an order, whichever object carries it: the
 * order manager's order (orders/order.ts) in every mode, or this simulation order in tests.
 */
export interface TrackedOrder {
  readonly id: string;
  readonly asset: Asset;
  readonly created: number;
  readonly dt: number;
  readonly amount: number;
  readonly filled: number;
  readonly commission: number;
  readonly limit: number | null;
  readonly stop: number | null;
  readonly limit_reached: boolean;
  readonly stop_reached: boolean;
  readonly reason: string | null;
  readonly status: OrderStatus;
  /** The ledger's bookkeeping of where this order sits in today's list (internal). */
  ledgerSession: number;
  ledgerSlot: number;
  /**
   * The number ending the id when the id is the run's own (`hv<tag>-<n>`), else -1 (internal):
   * the results recorder keys the order's rows by it without reading the id's digits again.
   */
  readonly tableSeq: number;
}

/**
 * An order as a simulated venue works it (zipline's `finance/order.py`), and what slippage and
 * commission models see. Prices in the asset's currency; times UTC ms.
 */
export class Order implements TrackedOrder {
  /** The venue's id of the order (32 hex digits, like zipline's uuid4 hex, unless given). */
  readonly id: string;
  /** Last time the order changed. */
  dt: number;
  readonly created: number;
  readonly asset: Asset;
  amount: number;
  filled = 0;
  commission = 0;
  stop: number | null;
  limit: number | null;
  stop_reached = false;
  limit_reached = false;
  reason: string | null = null;
  private _status: OrderStatus = ORDER_STATUS.OPEN;
  /** The ledger's bookkeeping of where this order sits in today's list (internal). */
  ledgerSession = -1;
  ledgerSlot = -1;

  constructor(opts: {
    dt: number;
    asset: Asset;
    amount: number;
    stop?: number | null;
    limit?: number | null;
    id?: string;
  }) {
    this.id = opts.id ?? crypto.randomUUID().replaceAll("-", "");
    this.dt = opts.dt;
    this.created = opts.dt;
    this.asset = opts.asset;
    this.amount = opts.amount;
    this.stop = opts.stop ?? null;
    this.limit = opts.limit ?? null;
  }

  /** Never the run's own id family (a simulation order's id is its venue's): no field for it. */
  get tableSeq(): number {
    return -1;
  }

  get sid(): number {
    return this.asset.sid;
  }

  /** +1 for buys, -1 for sells. */
  get direction(): number {
    return this.amount > 0 ? 1 : -1;
  }

  get open_amount(): number {
    return this.amount - this.filled;
  }

  get status(): OrderStatus {
    if (this.open_amount === 0) return ORDER_STATUS.FILLED;
    if (this._status === ORDER_STATUS.HELD && this.filled) return ORDER_STATUS.OPEN;
    return this._status;
  }

  set status(s: OrderStatus) {
    this._status = s;
  }

  /** OPEN or HELD. */
  get open(): boolean {
    const s = this.status;
    return s === ORDER_STATUS.OPEN || s === ORDER_STATUS.HELD;
  }

  /** A market order is always triggered; a stop or limit order once its price is reached. */
  get triggered(): boolean {
    if (this.stop !== null && !this.stop_reached) return false;
    if (this.limit !== null && !this.limit_reached) return false;
    return true;
  }

  /** Updates the triggers for a trade at `price` (zipline's check_triggers). */
  check_triggers(price: number, dt: number): void {
    if (this.triggered) return;
    let stop = false, limit = false, slStop = false;
    const buy = this.amount > 0;
    if (this.stop !== null && this.limit !== null) {
      if (buy ? price >= this.stop : price <= this.stop) {
        slStop = true;
        if (buy ? price <= this.limit : price >= this.limit) limit = true;
      }
    } else if (this.stop !== null) {
      if (buy ? price >= this.stop : price <= this.stop) stop = true;
    } else if (this.limit !== null) {
      if (buy ? price <= this.limit : price >= this.limit) limit = true;
    }
    if (stop !== this.stop_reached || limit !== this.limit_reached) this.dt = dt;
    this.stop_reached = stop;
    this.limit_reached = limit;
    // A stop-limit whose stop is hit becomes a plain limit order.
    if (slStop) this.stop = null;
  }

  /** A split of `ratio` (price multiplier): shares ÷ ratio, prices × ratio rounded to cents. */
  handle_split(ratio: number): void {
    this.amount = Math.trunc(this.amount / ratio);
    if (this.limit !== null) this.limit = Math.round(this.limit * ratio * 100) / 100;
    if (this.stop !== null) this.stop = Math.round(this.stop * ratio * 100) / 100;
  }

  cancel(): void {
    this._status = ORDER_STATUS.CANCELLED;
  }

  reject(reason = ""): void {
    this._status = ORDER_STATUS.REJECTED;
    this.reason = reason;
  }

  hold(reason = ""): void {
    this._status = ORDER_STATUS.HELD;
    this.reason = reason;
  }
}

/** A fill. `order_id` is null for the automatic close of a delisted position. */
export interface Transaction {
  asset: Asset;
  amount: number;
  dt: number;
  price: number;
  order_id: string | null;
  /**
   * Internal: the order's number in the run's order table (`ManagedOrder.tableSeq`, -1 for none),
   * which the results recorder keys the run's own ids by.
   */
  order_seq?: number;
}

/** zipline's `create_transaction`: whole shares only. */
export function createTransaction(
  order: Order,
  dt: number,
  price: number,
  amount: number,
): Transaction {
  const magnitude = Math.trunc(Math.abs(amount));
  if (magnitude < 1) throw new RangeError("Transaction magnitude must be at least 1.");
  return { asset: order.asset, amount: Math.trunc(amount), dt, price, order_id: order.id };
}
