/**
 * TWS's executions turned into fill events: execDetails joined with commissionReport (each
 * execution booked once, by execId; a correction — a higher revision of an execId, see
 * corrections.ts — books as a reversal of the revision booked before, then itself), a commission
 * that arrives after its fill was booked without it booked on its own (a fill of no shares that
 * carries only the commission), and the executions TWS has that no event brought (re-sync, the
 * periodic check for other clients' executions, a restart).
 */
import type { BrokerEvent, BrokerFill } from "../broker.ts";
import { chainOf, isReversal, latestOf, newer, reversalOf, Revisions } from "./corrections.ts";
import { type ExecRecord, FillJoin } from "./executions.ts";
import type { OrderBook } from "./order_book.ts";
import { clientIdOf } from "./orders.ts";
import type { Snapshots } from "./snapshots.ts";

/** The exec id suffix of the fill that books a commission that came after its execution. */
export const LATE_COMMISSION = "~commission";

export interface FillFlowOptions {
  now(): number;
  sleep(ms: number): Promise<void>;
  commissionTimeoutMs: number;
  emit(e: BrokerEvent): void;
  error(message: string, code: string, client_order_id?: string): void;
}

export class FillFlow {
  readonly join: FillJoin;
  /** Executions already booked (as events, or handed to reconciliation). */
  readonly booked = new Set<string>();
  /** Revisions of executions (corrections): the latest seen and booked per execId base. */
  readonly revs = new Revisions();

  constructor(
    private readonly book: OrderBook,
    private readonly snaps: Snapshots,
    private readonly o: FillFlowOptions,
  ) {
    this.join = new FillJoin({
      timeoutMs: o.commissionTimeoutMs,
      sleep: o.sleep,
      final: (r, commission, complete) => this.final(r, commission, complete),
      late: (r, commission) => this.late(r, commission),
    });
  }

  /**
   * A live execution: new, a correction of the one seen (which, if still waiting for its
   * commission, will never book), or an older revision than one seen (ignored, reported).
   */
  live(r: ExecRecord): void {
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
          "booked without it; it is booked on its own when it comes",
        "commission_timeout",
        fill.client_order_id,
      );
    }
    const t = this.book.find(r);
    if (t) this.book.fill(t, Math.abs(r.amount), r.price);
  }

  /**
   * A commission that came after its fill was booked without it: booked now as a fill of no
   * shares carrying the commission (exec id `<execId>~commission`), so cash ends as TWS has it.
   */
  private late(r: ExecRecord, commission: number): void {
    const execId = r.execId + LATE_COMMISSION;
    if (this.booked.has(execId)) return;
    this.booked.add(execId);
    const fill = { ...this.fillOf(r, commission), exec_id: execId, amount: 0, time: this.o.now() };
    this.o.emit({ type: "fill", fill });
    this.o.error(
      `commission ${commission} of execution ${r.execId} arrived after its fill was booked: ` +
        "booked on its own",
      "late_commission",
      fill.client_order_id,
    );
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
}
