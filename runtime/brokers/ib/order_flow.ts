/**
 * TWS's order messages turned into order and fill events: openOrder (orders seen for the first
 * time), orderStatus (state changes), completedOrder, execDetails joined with commissionReport
 * into fills (each booked once, by execId; a correction — a higher revision of an execId, see
 * corrections.ts — books as a reversal of the revision booked before, then itself), and errors
 * about an order (rejections, cancel confirmations and refusals, warnings).
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
import type { BrokerEvent, BrokerFill } from "../broker.ts";
import type { IbConnection } from "./connection.ts";
import type { ContractBook } from "./contracts.ts";
import { chainOf, isReversal, latestOf, newer, reversalOf, Revisions } from "./corrections.ts";
import { type IbCodeKind, reasonOf } from "./errors.ts";
import { type ExecRecord, execRecordOf, FillJoin } from "./executions.ts";
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

export interface OrderFlowOptions {
  clientId: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  commissionTimeoutMs: number;
  emit(e: BrokerEvent): void;
  error(message: string, code: string, client_order_id?: string): void;
}

export class OrderFlow {
  readonly book: OrderBook;
  readonly join: FillJoin;
  /** Executions already booked (as events, or handed to reconciliation). */
  readonly booked = new Set<string>();
  /** Revisions of executions (corrections): the latest seen and booked per execId base. */
  readonly revs = new Revisions();
  private fillCheck: Promise<void> | null = null;

  constructor(
    private readonly conn: IbConnection,
    private readonly contracts: ContractBook,
    private readonly snaps: Snapshots,
    private readonly o: OrderFlowOptions,
  ) {
    this.book = new OrderBook(o.clientId, o.emit, o.now);
    this.join = new FillJoin({
      timeoutMs: o.commissionTimeoutMs,
      sleep: o.sleep,
      final: (r, commission, complete) => this.final(r, commission, complete),
      late: (r, commission) =>
        o.error(
          `commission ${commission} of execution ${r.execId} arrived after its fill was booked`,
          "late_commission",
          clientIdOf(r.orderRef, r.permId),
        ),
    });
    this.wire();
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
      if (!this.book.find(key)) this.discover(key, k, o, String(st?.status ?? ""), 0, true);
    });
    c.on(EventName.orderStatus, (...a: OrderStatusArgs) => {
      const [orderId, status, filled, , avg, permId, , , clientId, whyHeld] = a;
      const t = this.book.find({ orderId, clientId, permId });
      if (!t) return;
      this.book.status(t, status, filled ?? 0, avg ?? 0, whyHeld ?? "");
      if (status === "Filled" && t.booked < (filled ?? 0)) this.checkFillsSoon();
    });
    c.on(EventName.completedOrder, (k: Contract, o: Order, st: IbOrderState) => {
      const key: OrderKey = { orderRef: o.orderRef, permId: o.permId };
      const filled = o.filledQuantity ?? 0, status = String(st?.status ?? "");
      const t = this.book.find(key);
      if (!t) return void this.discover(key, k, o, status, filled, false);
      if (isOpen(t.state)) this.book.status(t, status, filled, 0);
      if (t.booked < filled) this.checkFillsSoon();
    });
    c.on(EventName.execDetails, (reqId: number, k: Contract, e: Execution) => {
      if (reqId === -1) this.live(execRecordOf(e, this.contracts.symbolOf(k), this.o.now()));
    });
    c.on(EventName.commissionReport, (r: CommissionReport) => {
      if (r?.execId) this.join.commission(r.execId, r.commission ?? 0);
    });
  }

  /**
   * A live execution: new, a correction of the one seen (which, if still waiting for its
   * commission, will never book), or an older revision than one seen (ignored, reported).
   */
  private live(r: ExecRecord): void {
    const s = this.revs.seenOf(r.execId);
    if (s && s.execId !== r.execId) {
      if (!newer(r.execId, s.execId)) return this.stale(r, s.execId);
      this.join.drop(s.execId);
    }
    this.revs.see(r);
    this.join.exec(r);
  }

  private stale(r: ExecRecord, latest: string): void {
    this.o.error(
      `execution ${r.execId} is an older revision than ${latest}, already reported: ignored`,
      "stale_execution",
      clientIdOf(r.orderRef, r.permId),
    );
  }

  /** An order seen for the first time (placed before this process, or outside Harvester). */
  private discover(
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
    });
  }

  /** The fill of an execution, in our terms. */
  fillOf(r: ExecRecord, commission: number): BrokerFill {
    const t = this.book.find(r);
    return {
      client_order_id: t?.coid ?? clientIdOf(r.orderRef, r.permId),
      broker_order_id: t ? this.book.view(t).broker_order_id : String(r.orderId),
      exec_id: r.execId,
      symbol: r.symbol || (t?.symbol ?? ""),
      amount: r.amount,
      price: r.price,
      commission,
      time: r.time,
    };
  }

  /**
   * Books a final fill once: the fill event, then the order's fill event. A correction first
   * books the reversal of the revision booked before; a revision older than one booked is not.
   */
  private final(r: ExecRecord, commission: number, complete: boolean): void {
    if (this.booked.has(r.execId)) return;
    const prev = this.revs.bookedOf(r.execId);
    if (prev && !newer(r.execId, prev.execId)) return this.stale(r, prev.execId);
    this.booked.add(r.execId);
    this.revs.book(r);
    if (prev) this.reverse(prev, r.time);
    const fill = this.fillOf(r, commission);
    this.o.emit({ type: "fill", fill });
    if (!complete) {
      this.o.error(
        `no commission for execution ${r.execId} within ${this.o.commissionTimeoutMs} ms: ` +
          "booked without it",
        "commission_timeout",
        fill.client_order_id,
      );
    }
    const t = this.book.find(r);
    if (t) this.book.fill(t, Math.abs(r.amount), r.price);
  }

  /** Undoes a booked execution superseded by a correction (commission 0; no order event). */
  private reverse(prev: ExecRecord, time: number): void {
    this.join.drop(prev.execId); // its late commission, if any, is no longer news
    const rev = reversalOf(prev, time);
    if (this.booked.has(rev.execId)) return;
    this.booked.add(rev.execId);
    this.o.emit({ type: "fill", fill: this.fillOf(rev, 0) });
    const t = this.book.find(prev);
    if (t) this.book.unfill(t, Math.abs(prev.amount), prev.price);
  }

  /** An error or notice TWS sent about one of the orders. */
  orderMessage(t: TrackedOrder, kind: IbCodeKind, code: number, text: string): void {
    const reason = `${reasonOf(text)} (IB ${code})`;
    if (kind === "order_rejected") {
      t.lastError = reason;
      this.book.advance(t, "rejected", reason);
    } else if (kind === "order_canceled") this.book.advance(t, "canceled", reason);
    else if (kind === "cancel_rejected") this.book.advance(t, "cancel_reject", reason);
    else {
      if (kind !== "warning") t.lastError = reason;
      this.o.error(`order ${t.coid}: ${text} (IB ${code})`, String(code), t.coid);
    }
  }

  /**
   * Books executions TWS has that were not booked yet (of each, only the latest revision; one
   * correcting a booked revision books with its reversal); returns how many.
   */
  async syncFills(sinceMs: number): Promise<number> {
    const recs = latestOf(await this.snaps.executions(sinceMs)).filter((r) => {
      if (this.booked.has(r.execId) || this.join.has(r.execId)) return false;
      const s = this.revs.seenOf(r.execId);
      if (s && s.execId !== r.execId) {
        if (!newer(r.execId, s.execId)) return false; // a newer revision is on its way
        this.join.drop(s.execId);
      }
      this.revs.see(r);
      return true;
    });
    const fees = await this.join.commissionsOf(recs.map((r) => r.execId));
    for (const r of recs) {
      const c = fees.get(r.execId) ?? null;
      this.final(r, c ?? 0, c !== null);
    }
    return recs.length;
  }

  /**
   * Executions since a time as fills for a caller that books them (deduplicating by exec id),
   * e.g. after a restart: every revision TWS reports, each but the latest followed by its
   * reversal (see `chainOf`), so the caller ends with the latest revision alone whether or not it
   * booked an earlier one before. None of these is emitted again.
   */
  async replay(sinceMs: number): Promise<BrokerFill[]> {
    const recs = chainOf(await this.snaps.executions(sinceMs), (b) => this.revs.bookedBase(b));
    const real = recs.filter((r) => !isReversal(r.execId));
    const fees = await this.join.commissionsOf(real.map((r) => r.execId));
    for (const r of real) this.revs.book(r); // ascending per base: the latest ends booked
    for (const r of real) {
      if (this.revs.seenOf(r.execId)?.execId !== r.execId) this.join.drop(r.execId);
    }
    return recs.map((r) => {
      this.booked.add(r.execId);
      return this.fillOf(r, isReversal(r.execId) ? 0 : fees.get(r.execId) ?? 0);
    });
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
      if (short && this.conn.up) await this.syncFills(this.since(this.o.now()));
    }).catch((e) => this.o.error(`fill check failed: ${(e as Error).message}`, "resync"));
  }
}
