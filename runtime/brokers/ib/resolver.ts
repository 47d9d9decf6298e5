/**
 * What TWS says about an order, asked instead of answered from the adapter's own book: its open
 * orders first (reqAllOpenOrders), then its finished ones (reqCompletedOrders) and executions. The
 * answers arrive through the global handlers (order_flow.ts), which move the book; what TWS does
 * not know is decided here: an order it never received is unknown (null), one it received and no
 * longer lists is finished.
 *
 * Below server version 177 (TWS 10.19) `@stoqey/ib` 1.6.10 cannot read completedOrder (see
 * COMPLETED_ORDERS_READABLE_FROM): finished orders are then told apart by their executions alone
 * — fully executed: FILLED; otherwise CANCELED, its executions booked — and an order a new
 * process never saw is rebuilt from today's executions that carry its orderRef.
 */
import { isOpen } from "../../orders/state.ts";
import type { TrackedOrder } from "./order_book.ts";
import type { OrderFlow } from "./order_flow.ts";
import type { Snapshots } from "./snapshots.ts";

export interface ResolverDeps {
  flow: OrderFlow;
  snaps: Snapshots;
  now(): number;
  /** UTC ms when TWS's day began (reqExecutions covers nothing older). */
  dayStart(): number;
}

export class OrderResolver {
  private completedAt = -Infinity;

  constructor(private readonly d: ResolverDeps) {}

  private get book() {
    return this.d.flow.book;
  }

  /**
   * Our order as TWS reports it now; undefined when TWS has no record of it (never received).
   * Open orders are asked every time; finished orders at most once a second.
   */
  async lookup(coid: string): Promise<TrackedOrder | undefined> {
    const open = await this.openAtTws();
    let t = this.book.byCoid.get(coid);
    if (t && open.has(t)) return t;
    if (!t || isOpen(t.state)) await this.finished(t ? [t] : [], coid);
    t = this.book.byCoid.get(coid);
    if (!t) return undefined;
    return isOpen(t.state) ? this.silence(t) : t;
  }

  /**
   * Every order TWS has received since a time that it still reports (its open orders, today's
   * finished ones, orders rebuilt from today's executions): one round of requests for all.
   */
  async since(sinceMs: number): Promise<TrackedOrder[]> {
    await this.openAtTws();
    await this.finished([]);
    if (!this.d.flow.completedReadable) {
      for (const r of await this.d.snaps.executions(this.d.dayStart())) {
        if (r.orderRef && !this.book.byCoid.has(r.orderRef)) await this.rebuild(r.orderRef);
      }
    }
    return [...this.book.byCoid.values()].filter((t) => !(t.submittedAt <= sinceMs));
  }

  /**
   * An order TWS answered an error about and then said nothing: asked about; one TWS lists is
   * left to its statuses, one it does not is resolved.
   */
  async settle(t: TrackedOrder): Promise<void> {
    const open = await this.openAtTws();
    if (open.has(t) || !isOpen(t.state)) return;
    await this.finished([t]);
    if (isOpen(t.state)) this.silence(t);
  }

  /** The tracked orders TWS lists as open (its answer also updates their statuses). */
  private async openAtTws(): Promise<Set<TrackedOrder>> {
    const out = new Set<TrackedOrder>();
    for (const k of await this.d.snaps.openOrders()) {
      const t = this.book.find(k);
      if (t) out.add(t);
    }
    return out;
  }

  /**
   * Finished orders: completed orders (they move the book through the handlers) or, where those
   * cannot be read, executions; plus the executions not booked yet. `coid`: an order this process
   * has not seen, to be found among them.
   */
  async finished(orders: TrackedOrder[], coid?: string): Promise<void> {
    const readable = this.d.flow.completedReadable;
    if (readable && this.d.now() - this.completedAt > 1000) {
      await this.d.snaps.completedOrders();
      this.completedAt = this.d.now();
    }
    const floor = Math.min(this.d.flow.since(this.d.now()), this.d.dayStart());
    await this.d.flow.fills.syncFills(floor);
    if (readable) return;
    if (coid && !this.book.byCoid.has(coid)) await this.rebuild(coid);
    for (const t of orders) {
      // Not open at TWS and its status unreadable: what filled is booked; the rest is gone.
      // (One placed before today may have finished on an earlier day: see `silence`.)
      if (!isOpen(t.state) || t.permId <= 0 || t.submittedAt < this.d.dayStart()) continue;
      this.book.advance(
        t,
        t.booked >= Math.abs(t.amount) ? "fill" : "canceled",
        "finished at TWS (no longer among its open orders; completed orders cannot be read at " +
          "server version below 177)",
      );
    }
  }

  /** An order a new process never saw, from today's executions carrying its orderRef. */
  private async rebuild(coid: string): Promise<void> {
    const recs = (await this.d.snaps.executions(this.d.dayStart())).filter((r) =>
      r.orderRef === coid
    );
    if (!recs.length) return;
    const shares = recs.reduce((s, r) => s + r.amount, 0);
    const value = recs.reduce((s, r) => s + Math.abs(r.amount) * r.price, 0);
    this.book.add({
      coid,
      orderId: recs[0].orderId,
      clientId: recs[0].clientId,
      permId: recs[0].permId,
      symbol: recs[0].symbol,
      amount: shares,
      limit: null,
      stop: null,
      tif: "day",
      state: "FILLED",
      ibStatus: "",
      ibFilled: Math.abs(shares),
      booked: Math.abs(shares),
      value,
      baseline: false,
      submittedAt: Math.min(...recs.map((r) => r.time)),
      lastError: "",
      whyHeld: "",
      statusSeq: 0,
      pending: null,
    });
  }

  /**
   * TWS lists the order neither open nor finished. One it never acknowledged was never received:
   * REJECTED with the error TWS sent (if any), else unknown. One it acknowledged and that should be
   * among today's finished orders is gone: CANCELED, as ib_insync does on an order error TWS
   * follows with no status. One placed before TWS's day began may have finished on an earlier day,
   * which TWS no longer reports: unknown, left to the restart's reconciliation of positions.
   */
  private silence(t: TrackedOrder): TrackedOrder | undefined {
    if (t.state === "SUBMITTED" && t.permId <= 0) {
      if (!t.lastError) {
        this.book.mirror(t, "rejected"); // the caller decides; the book stays in step
        return undefined;
      }
      this.book.advance(t, "rejected", t.lastError);
      return t;
    }
    if (!t.lastError && t.submittedAt < this.d.dayStart()) return undefined;
    this.book.advance(
      t,
      "canceled",
      `no longer known to TWS${t.lastError ? ` after ${t.lastError}` : ""}`,
    );
    return t;
  }
}
