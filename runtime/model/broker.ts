/**
 * The broker contract: one interface, shaped by what Interactive Brokers and Alpaca both need.
 * Placing an order only means "request accepted"; what happens to it arrives as events (Lean's
 * IBrokerage, nautilus' execution clients). The contract sits in the model so the order manager (below the adapters) can hold a
 * broker without importing one. Adapters live in `runtime/brokers/<name>/` and
 * translate their venue's types into these; nothing outside an adapter knows a venue's types.
 */
import type { Bar } from "./bar.ts";
import type { OrderEvent, OrderState } from "./order_state.ts";

export type { Bar };

/** An order as we send it. `client_order_id` is ours, minted once, carried by the venue. */
export interface OrderRequest {
  client_order_id: string;
  symbol: string;
  /** Signed quantity: positive buys, negative sells. */
  amount: number;
  limit_price: number | null;
  stop_price: number | null;
  time_in_force: "day" | "gtc";
  /**
   * The number `client_order_id` ends with, when the sender minted it (`ClientOrderIds`): an
   * in-process venue files the order by it without reading the id's digits again. Brokers across
   * a network ignore it.
   */
  client_seq?: number;
}

/** An order as the broker reports it. */
export interface BrokerOrder {
  client_order_id: string;
  broker_order_id: string;
  symbol: string;
  amount: number;
  filled: number;
  avg_fill_price: number;
  state: OrderState;
  limit_price: number | null;
  stop_price: number | null;
  /** UTC ms. */
  submitted_at: number;
  /** When the order last changed (UTC ms), where the venue says (the simulated one does). */
  updated_at?: number;
  /** Whether the limit / stop price was reached (venues that report triggers: the simulated one). */
  limit_reached?: boolean;
  stop_reached?: boolean;
}

/**
 * One execution. `exec_id` is unique per venue, so a fill is never booked twice. A fill without an
 * order (`client_order_id` empty) is the venue's own settlement of a position: a delisted asset
 * closed at its last price.
 */
export interface BrokerFill {
  client_order_id: string;
  broker_order_id: string;
  exec_id: string;
  symbol: string;
  /** Signed shares. */
  amount: number;
  price: number;
  commission: number;
  /** UTC ms. */
  time: number;
}

/** A fill from its fields, in the order the contract lists them. */
export function brokerFill(
  client_order_id: string,
  broker_order_id: string,
  exec_id: string,
  symbol: string,
  amount: number,
  price: number,
  commission: number,
  time: number,
): BrokerFill {
  return { client_order_id, broker_order_id, exec_id, symbol, amount, price, commission, time };
}

export interface BrokerPosition {
  symbol: string;
  amount: number;
  avg_cost: number;
}

export interface BrokerAccount {
  cash: number;
  equity: number;
  buying_power: number;
}

export type BrokerEvent =
  | { type: "order"; event: OrderEvent; order: BrokerOrder; reason?: string; time: number }
  | { type: "fill"; fill: BrokerFill }
  | { type: "account"; account: BrokerAccount; time: number }
  | {
    type: "connection";
    status: "connected" | "disconnected" | "reconnected";
    detail?: string;
    time: number;
  }
  | { type: "error"; message: string; code?: string; client_order_id?: string; time: number };

/**
 * How an in-process venue may report its events: by direct calls instead of an event object each
 * (the same events, the same order; a backtest's hundreds of thousands of orders allocate nothing
 * for them). The order manager implements it and applies each at once: an in-process venue only
 * acts when the engine or the manager calls it, at a bar boundary.
 */
export interface VenueSink {
  order(event: OrderEvent, order: BrokerOrder, time: number, reason?: string): void;
  fill(
    client_order_id: string,
    broker_order_id: string,
    exec_id: string,
    symbol: string,
    amount: number,
    price: number,
    commission: number,
    time: number,
    /** The order's `client_seq` as the venue was sent it (-1: not known). */
    client_seq: number,
  ): void;
}

export interface BrokerHealth {
  connected: boolean;
  detail?: string;
}

export interface Broker {
  readonly name: string;
  /**
   * Every execution is reported exactly once and never again (an in-memory venue that cannot be
   * restarted): the order manager then keeps no record of execution ids. Absent: false.
   */
  readonly reportsOnce?: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  health(): BrokerHealth;
  /**
   * Accepts the request for sending; the outcome arrives as events. An in-process venue answers
   * synchronously (no Promise): its events are then applied before the strategy's call returns.
   */
  submit(request: OrderRequest): Promise<void> | void;
  cancel(client_order_id: string): Promise<void> | void;
  replace?(
    client_order_id: string,
    changes: { limit_price?: number; stop_price?: number; amount?: number },
  ): Promise<void>;
  openOrders(): Promise<BrokerOrder[]>;
  /** One order by our id, open or not; null when the broker does not know it. */
  order(client_order_id: string): Promise<BrokerOrder | null>;
  /**
   * Every order the broker received after a time (UTC ms), open or finished, in as few calls as
   * it can: a restart finds the orders of its whole reserved id block with it. Absent: the restart
   * asks `order` id by id (cheap only for an in-process venue).
   */
  ordersSince?(sinceMs: number): Promise<BrokerOrder[]>;
  positions(): Promise<BrokerPosition[]>;
  /** Executions since a time (UTC ms), for reconciliation after a restart. */
  executions(sinceMs: number): Promise<BrokerFill[]>;
  account(): Promise<BrokerAccount>;
  /** Registers the receiver of every event (one; the order manager). */
  onEvent(listener: (event: BrokerEvent) => void): void;
  /** An in-process venue: its events go to `sink` by direct calls instead (see VenueSink). */
  attachSink?(sink: VenueSink): void;
  /** Market data for a universe: bars arrive through `onBar`. */
  subscribeBars?(symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void>;
  latestBars?(symbols: readonly string[]): Promise<Map<string, Bar>>;
  /** Broker clock minus ours (ms), for timestamps and clock checks. */
  timeSkewMs(): number;
}
