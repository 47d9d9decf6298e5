/**
 * TWS's order messages turned into order events: openOrder (orders seen for the first time, and
 * the confirmation of a modification), orderStatus (state changes), completedOrder, and errors
 * about an order (rejections, cancel confirmations and refusals, refused modifications, warnings,
 * and errors TWS follows with no status at all — those are resolved by asking TWS, see
 * `resolver.ts`). Executions and commissions are `fill_flow.ts`'s.
 */
import {
  type CommissionReport,
  type Contract,
  EventName,
  type Execution,
  type Order,
  type OrderState as IbOrderState,
} from "@stoqey/ib";
import { isOpen } from "../../orders/state.ts";
import type { BrokerEvent } from "../broker.ts";
import type { IbConnection } from "./connection.ts";
import type { ContractBook } from "./contracts.ts";
import { type IbCodeKind, reasonOf } from "./errors.ts";
import { execRecordOf } from "./executions.ts";
import { FillFlow } from "./fill_flow.ts";
import { OrderBook, type OrderKey, type TrackedOrder } from "./order_book.ts";
import { clientIdOf, pricesOf, stateOfStatus } from "./orders.ts";
import type { Snapshots } from "./snapshots.ts";

/** The arguments of IB's orderStatus event. */
type OrderStatusArgs = [
  orderId: number,
  status: string,
  filled: number,
  remaining: number,
  avgFillPrice: number,
  permId: number,
  parentId: number,
  lastFillPrice: number,
  clientId: number,
  whyHeld: string,
];

/**
 * The first server version whose completedOrder `@stoqey/ib` 1.6.10 reads right: below it TWS
 * still sends faProfile in completedOrder (IB's EOrderDecoder reads it below
 * FA_PROFILE_DESUPPORT), which that decoder skips, so the message is misread or dropped.
 */
export const COMPLETED_ORDERS_READABLE_FROM = 177;

/** Codes that refuse a modification and leave the order as it was (TWS API message codes). */
const MODIFY_REFUSED = new Set([104, 105]);

export interface OrderFlowOptions {
  clientId: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  commissionTimeoutMs: number;
  /** How long an error about an order waits for an orderStatus before TWS is asked. */
  errorGraceMs: number;
  emit(e: BrokerEvent): void;
  error(message: string, code: string, client_order_id?: string): void;
  /** An error about an order that TWS followed with no status: ask TWS what became of it. */
  silent(t: TrackedOrder): Promise<void>;
}

export class OrderFlow {
  readonly book: OrderBook;
  readonly fills: FillFlow;
  private fillCheck: Promise<void> | null = null;

  constructor(
    private readonly conn: IbConnection,
    private readonly contracts: ContractBook,
    snaps: Snapshots,
    private readonly o: OrderFlowOptions,
  ) {
    this.book = new OrderBook(o.clientId, o.emit, o.now);
    this.fills = new FillFlow(this.book, snaps, o);
    this.wire();
  }

  /** Whether this connection's completed orders can be read (see COMPLETED_ORDERS_READABLE_FROM). */
  get completedReadable(): boolean {
    return this.conn.serverVersion >= COMPLETED_ORDERS_READABLE_FROM;
  }

  private wire(): void {
    const c = this.conn;
    c.on(EventName.openOrder, (orderId: number, k: Contract, o: Order, st: IbOrderState) => {
      const key: OrderKey = {
        orderRef: o.orderRef,
        orderId,
        clientId: o.clientId,
        permId: o.permId,
      };
      // Statuses are taken from orderStatus, which follows (and carries filled and whyHeld).
      const t = this.book.find(key);
      if (!t) this.discover(key, k, o, String(st?.status ?? ""), 0, true);
      else if (t.pending) this.confirmModify(t, o);
    });
    c.on(EventName.orderStatus, (...a: OrderStatusArgs) => {
      const [orderId, status, filled, , avg, permId, , , clientId, whyHeld] = a;
      const t = this.book.find({ orderId, clientId, permId });
      if (!t) return;
      const was = t.ibStatus;
      this.book.status(t, status, filled ?? 0, avg ?? 0, whyHeld ?? "");
      if (status === "Inactive" && was !== "Inactive") {
        this.o.error(
          `order ${t.coid} is inactive at IB (not final; it may resume, fill or be cancelled): ` +
            (t.whyHeld || t.lastError || "no reason given"),
          "inactive",
          t.coid,
        );
      }
      if (status === "Filled" && t.booked < (filled ?? 0)) this.checkFillsSoon();
    });
    c.on(EventName.completedOrder, (k: Contract, o: Order, st: IbOrderState) => {
      if (!this.completedReadable) return; // misread at this version: resolver.ts copes
      const key: OrderKey = { orderRef: o.orderRef, permId: o.permId };
      const filled = o.filledQuantity ?? 0, status = String(st?.status ?? "");
      const t = this.book.find(key);
      if (!t) return void this.discover(key, k, o, status, filled, false);
      if (isOpen(t.state)) this.book.status(t, status, filled, 0);
      if (t.booked < filled) this.checkFillsSoon();
    });
    c.on(EventName.execDetails, (reqId: number, k: Contract, e: Execution) => {
      if (reqId !== -1) return;
      this.fills.live(execRecordOf(e, this.contracts.symbolOf(k), this.o.now()));
    });
    c.on(EventName.commissionReport, (r: CommissionReport) => {
      if (r?.execId) this.fills.join.commission(r.execId, r.commission ?? 0);
    });
  }

  /** An order seen for the first time (placed before this process, or outside Harvester). */
  discover(
    key: OrderKey,
    k: Contract,
    o: Order,
    status: string,
    filled: number,
    baseline: boolean,
  ): TrackedOrder {
    const qty = o.totalQuantity ?? 0, { limit, stop } = pricesOf(o);
    return this.book.add({
      coid: clientIdOf(o.orderRef, o.permId),
      orderId: key.orderId ?? 0,
      clientId: o.clientId ?? 0,
      permId: o.permId ?? 0,
      symbol: this.contracts.symbolOf(k),
      amount: String(o.action).toUpperCase() === "SELL" ? -qty : qty,
      limit,
      stop,
      tif: String(o.tif).toUpperCase() === "GTC" ? "gtc" : "day",
      state: stateOfStatus(status, filled),
      ibStatus: status,
      ibFilled: filled,
      booked: filled,
      value: 0,
      baseline,
      submittedAt: this.o.now(),
      lastError: "",
      whyHeld: "",
      statusSeq: 0,
      pending: null,
    });
  }

  /**
   * TWS confirms a modification with openOrder carrying the new values: only then do the order's
   * quantity and prices change (a refused one leaves them as they were).
   */
  private confirmModify(t: TrackedOrder, o: Order): void {
    const p = t.pending!, { limit, stop } = pricesOf(o);
    const qty = Math.abs(o.totalQuantity ?? NaN);
    if (qty !== Math.abs(p.amount) || limit !== p.limit || stop !== p.stop) return;
    [t.amount, t.limit, t.stop] = [p.amount, p.limit, p.stop];
    t.pending = null;
  }

  /** An error or notice TWS sent about one of the orders. */
  orderMessage(t: TrackedOrder, kind: IbCodeKind, code: number, text: string): void {
    const reason = `${reasonOf(text)} (IB ${code})`;
    if (t.pending && kind !== "warning" && isOpen(t.state) && t.state !== "SUBMITTED") {
      // The order stands; only the modification was refused (104 filled, 105 not matching…).
      if (MODIFY_REFUSED.has(code) || kind === "order_rejected" || kind === "error") {
        t.pending = null;
        return this.o.error(
          `order ${t.coid}: modification refused, the order stands unchanged: ${reason}`,
          "replace_rejected",
          t.coid,
        );
      }
    }
    if (kind === "order_rejected") {
      t.lastError = reason;
      this.book.advance(t, "rejected", reason);
    } else if (kind === "order_canceled") this.book.advance(t, "canceled", reason);
    else if (kind === "cancel_rejected") this.book.advance(t, "cancel_reject", reason);
    else {
      if (kind !== "warning") t.lastError = reason;
      this.o.error(`order ${t.coid}: ${text} (IB ${code})`, String(code), t.coid);
      if (kind === "error" && isOpen(t.state)) this.awaitStatus(t);
    }
  }

  /**
   * An error that TWS may follow with no status at all (ib_insync cancels the order client-side on
   * any non-warning order error for that reason): if no orderStatus comes within the grace, TWS
   * is asked what became of the order, and the answer (or its silence) resolves it.
   */
  private awaitStatus(t: TrackedOrder): void {
    const seq = t.statusSeq;
    void this.o.sleep(this.o.errorGraceMs).then(async () => {
      if (t.statusSeq !== seq || !isOpen(t.state) || !this.conn.up) return;
      await this.o.silent(t);
    }).catch((e) => this.o.error(`order ${t.coid}: ${(e as Error).message}`, "resync", t.coid));
  }

  /** The earliest time a missed execution could have: `floor` or our oldest open order. */
  since(floor: number): number {
    let t = floor;
    for (const o of this.book.byCoid.values()) if (isOpen(o.state)) t = Math.min(t, o.submittedAt);
    return (Number.isNaN(t) ? this.o.now() : t) - 60_000;
  }

  /** TWS says Filled but executions are missing: ask for them once the commission wait is over. */
  private checkFillsSoon(): void {
    if (this.fillCheck) return;
    this.fillCheck = this.o.sleep(2 * this.o.commissionTimeoutMs).then(async () => {
      this.fillCheck = null;
      const short = [...this.book.byCoid.values()].some((t) => t.booked < t.ibFilled);
      if (short && this.conn.up) await this.fills.syncFills(this.since(this.o.now()));
    }).catch((e) => this.o.error(`fill check failed: ${(e as Error).message}`, "resync"));
  }
}
