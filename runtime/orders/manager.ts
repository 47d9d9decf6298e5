/**
 * The order manager: the one path every order takes, in every mode. Before sending, the risk gate
 * (when the session has one); then a client order id from the run's id family (reserved durably
 * in live sessions, before the order leaves the process); the audit log (the live journal, or
 * nothing in a backtest); the broker. What happens to the order comes back as broker events,
 * applied through the transition table (`orders/state.ts`): fills, deduplicated by execution id,
 * are the only way anything reaches the ledger.
 *
 * Events the broker sends while one of our calls to it runs synchronously (an in-process venue's
 * acknowledgement or cancel) are applied at once; events arriving on their own (a venue's stream)
 * wait in a queue for the engine to drain at a bar boundary. Commissions of a drain are booked
 * after its fills, as zipline books a bar's commissions after its transactions.
 */
import type { Asset } from "../assets/asset.ts";
import type { BrokerEvent, BrokerOrder, OrderRequest } from "../model/broker.ts";
import { asClientOrderId, type ClientOrderId } from "../model/ids.ts";
import type { OrderEvent } from "../model/order_state.ts";
import { applyFill, applyOrderEvent, timeOf } from "./broker_events.ts";
import { OrderCounters } from "./counters.ts";
import { FillBooking } from "./fill_booking.ts";
import type { ClientOrderIds } from "./ids.ts";
import { InFlightWatch } from "./inflight.ts";
import type { ManagerDeps, Report } from "./manager_deps.ts";
import {
  adoptOrder,
  type OrdersSnapshot,
  reattachOrder,
  restoreOrders,
  settleOrder,
  snapshotOrders,
} from "./manager_recovery.ts";
import { type OrderRecord, recentExecs } from "./manager_state.ts";
import { OpenOrders } from "./open_orders.ts";
import { riskAllows } from "./risk_check.ts";
import { compactFinished, OrderTable } from "./order_table.ts";
import { ManagedOrder, unknownQuality } from "./order.ts";
import { TERMINAL, transition } from "./state.ts";

export type { ManagedOrder, ManagerDeps, OrderRecord, OrdersSnapshot, Report };

const DAY_MS = 86_400_000;

export class OrderManager {
  /** Every order of the run, by client order id. */
  readonly orders: OrderTable;
  private readonly openIndex = new OpenOrders();
  private queue: BrokerEvent[] = [];
  /** Executions into the ledger (deduplicated, commissions after fills). */
  readonly fills: FillBooking;
  /** Totals and latencies for monitoring, counted as events happen. */
  readonly counters = new OrderCounters();
  readonly inflight: InFlightWatch;
  /** Depth of our synchronous calls into the broker: its events then apply at once. */
  private inCall = 0;
  private reportMode: Report = "now";
  private readonly deferred: ManagedOrder[] = [];
  /**
   * Orders found at the broker after a restart whose placement the restarted session has not
   * made again yet (its interrupted bar is re-decided): hidden from the strategy until then.
   */
  readonly recovered = new Map<string, BrokerOrder>();
  /**
   * After a restart: a finished state the broker reports for one of our orders (a cancel made in
   * the interrupted bar), taken over after the re-run bar unless the bar makes the change itself.
   */
  readonly held = new Map<string, BrokerOrder>();
  /** The engine's own venue, never asked again: finished orders can give up their objects. */
  private readonly compacting: boolean;

  constructor(readonly d: ManagerDeps) {
    this.orders = new OrderTable(d.ids);
    this.compacting = d.inProcessVenue === true && d.broker.reportsOnce === true && !d.quality;
    this.inflight = new InFlightWatch(d.inflight);
    this.fills = new FillBooking(
      d.ledger,
      d.audit,
      d.broker.reportsOnce === true,
      d.now,
      d.inProcessVenue === true,
    );
    d.broker.onEvent((e) => {
      if (this.inCall > 0) this.apply(e);
      else this.queue.push(e);
    });
    // An in-process venue calls in directly (VenueSink): applied at once, no event objects.
    if (d.inProcessVenue) {
      d.broker.attachSink?.({
        order: (event, b, time, reason) => applyOrderEvent(this, event, b, reason, time),
        fill: (coid, venueId, exec, symbol, amount, price, commission, time, seq) =>
          applyFill(this, coid, venueId, exec, symbol, amount, price, commission, time, null, seq),
      });
    }
  }

  // --- the strategy side ---

  /**
   * Risk-checks, records and sends an order; its id, or null when refused or zero. An in-process
   * venue answers at once (no Promise); a remote broker's answer is awaited.
   */
  place(
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
  ): ClientOrderId | null | Promise<ClientOrderId | null> {
    if (amount === 0) return null;
    const d = this.d, now = d.now();
    const price = d.risk || d.quality ? d.priceOf(asset) : NaN;
    // (The order's fields go to the gate only when there is one: nothing made per order without.)
    const gate = d.risk;
    if (
      gate &&
      !riskAllows(d, gate, this.counters, this.openIndex, { asset, amount, limit, price, now })
    ) {
      return null;
    }
    const seq = d.ids.sequence, id = asClientOrderId(d.ids.mint());
    const o = new ManagedOrder(id, asset, amount, limit, stop, now);
    if (d.quality) {
      o.quality = unknownQuality();
      o.quality.decision_price = price;
      o.quality.wall_sent = performance.now();
    }
    this.orders.setMinted(seq, o);
    this.openIndex.add(o);
    d.ledger.process_order(o);
    const found = this.recovered.size ? this.recovered.get(id) : undefined;
    if (found) return reattachOrder(this, o, found);
    if (d.audit.enabled) {
      d.audit.write("order_submitted", {
        client_order_id: id,
        symbol: asset.symbol,
        amount,
        limit,
        stop,
        decision_price: price,
        dry_run: Boolean(d.dryRun),
      });
    }
    if (d.dryRun) {
      this.move(o, "rejected", "dry run: not sent");
      return id;
    }
    this.move(o, "submit");
    this.counters.submitted++;
    if (d.journalBeforeSend) d.audit.writeOut();
    const request: OrderRequest = {
      client_order_id: id,
      symbol: asset.symbol,
      amount,
      limit_price: limit,
      stop_price: stop,
      time_in_force: "day",
      client_seq: seq,
    };
    this.inCall++;
    let sent: Promise<void> | void;
    try {
      sent = d.broker.submit(request);
    } finally {
      this.inCall--;
    }
    return sent === undefined ? id : sent.then(() => id);
  }

  /** Requests a cancel; `report` says when the cancellation reaches the day's order list. */
  cancel(coid: string, report: Report = "now"): void | Promise<void> {
    const o = this.orders.get(coid);
    if (!o || TERMINAL.has(o.state) || o.state === "PENDING_CANCEL") return;
    if (o.state === "NEW") {
      this.move(o, "canceled", "withdrawn before sending");
      return;
    }
    this.move(o, "cancel_request");
    this.counters.cancelRequests++;
    this.held.delete(coid); // the re-run bar asks for the cancel again: the broker reports it
    this.inCall++;
    this.reportMode = report;
    try {
      return this.d.broker.cancel(coid);
    } finally {
      this.inCall--;
      this.reportMode = "now";
    }
  }

  /** Events the table refused (counted, journaled, never applied). */
  get refused(): number {
    return this.counters.refusedTransitions;
  }

  get(coid: string): ManagedOrder | undefined {
    return this.orders.get(coid);
  }

  /** Our open orders (not external), of one asset or all, in placement order. */
  open(asset?: Asset): ManagedOrder[] {
    return this.openIndex.list(asset);
  }

  /** Whether any of our orders is open. */
  get hasOpen(): boolean {
    return this.openIndex.size > 0;
  }

  // --- the broker side ---

  /** Between bars: order ids reserved ahead (see ClientOrderIds.refill). */
  prepareIds(): void {
    this.d.ids.refill();
  }

  /**
   * Applies queued broker events whose time is not after `upTo` (all by default; a restart
   * holds back executions that happened later than the bar being re-run); returns how many.
   */
  drain(upTo = Infinity): number {
    const q = this.queue;
    if (q.length === 0) {
      this.fills.bookCommissions();
      return 0;
    }
    let n = 0;
    if (upTo === Infinity) {
      this.queue = [];
      for (; n < q.length; n++) this.apply(q[n]);
    } else {
      const later: BrokerEvent[] = [];
      for (const e of q) {
        if (timeOf(e) > upTo) later.push(e);
        else {
          this.apply(e);
          n++;
        }
      }
      this.queue = later;
    }
    this.fills.bookCommissions();
    return n;
  }

  /** Changes held for the next bar (the daily cancel policy's) reach the day's order list. */
  reportDeferred(): void {
    const list = this.deferred;
    for (let k = 0; k < list.length; k++) this.d.ledger.process_order(list[k]);
    list.length = 0;
  }

  /** Queues an event as if the broker had sent it (a restart's missed executions). */
  ingest(e: BrokerEvent): void {
    this.queue.push(e);
  }

  /** Events waiting to be applied. */
  get pending(): readonly BrokerEvent[] {
    return this.queue;
  }

  private apply(e: BrokerEvent): void {
    if (e.type === "fill") {
      const f = e.fill;
      applyFill(
        this,
        f.client_order_id,
        f.broker_order_id,
        f.exec_id,
        f.symbol,
        f.amount,
        f.price,
        f.commission,
        f.time,
        f,
      );
    } else if (e.type === "order") applyOrderEvent(this, e.event, e.order, e.reason, e.time);
    else {
      if (e.type === "connection") this.counters.connection(e.status);
      this.d.audit.write(e.type, { ...e });
    }
    if (this.inCall > 0) this.fills.bookCommissions();
  }

  /** One transition through the table, audited; refused events are counted, not applied. */
  move(o: ManagedOrder, event: OrderEvent, reason = "", time = NaN): void {
    const from = o.state, to = transition(from, event);
    if (to === null) {
      this.counters.refusedTransitions++;
      this.d.audit.write("transition_refused", { client_order_id: o.id, from, event });
      this.d.warn("transition_refused", {
        message: `order ${o.id}: ${event} is not allowed in ${from}`,
      });
      return;
    }
    o.state = to;
    o.last_event_at = this.d.now();
    if (from === to) return;
    if (this.d.audit.enabled) {
      this.d.audit.write("order_transition", {
        client_order_id: o.id,
        from,
        to,
        event,
        reason: reason || undefined,
      });
    }
    if (TERMINAL.has(to)) {
      if (to === "REJECTED") this.counters.rejects++;
      this.openIndex.remove(o);
      if (to !== "FILLED") this.finish(o, to === "REJECTED" ? reason : null, time);
    }
  }

  /** A cancel, expiry or rejection: zipline's fields, and the day's order list. */
  private finish(o: ManagedOrder, reason: string | null, time: number): void {
    if (reason !== null) o.reason = reason;
    o.dt = time === time ? time : this.d.now();
    const mode = this.inCall > 0 ? this.reportMode : "now";
    if (mode === "now") this.d.ledger.process_order(o);
    else if (mode === "next_bar") this.deferred.push(o);
  }

  /** After a bar's decisions: asks about orders long waiting on the broker (inflight.ts). */
  checkInFlight(): Promise<number> {
    return this.inflight.check(this.d, {
      orders: this.orders,
      drain: () => this.drain(),
      settle: (o, event, reason, b) =>
        b ? applyOrderEvent(this, event, b, reason, this.d.now()) : this.move(o, event, reason),
    });
  }

  // --- restarts (the procedures are in manager_recovery.ts) ---

  /** Takes the broker's view of an order: a new one is added (ours or external). */
  adopt(b: BrokerOrder, external: boolean): ManagedOrder | null {
    return adoptOrder(this, b, external);
  }

  /** Brings an order to the broker's state through the table (marked as reconciliation). */
  settleFrom(o: ManagedOrder, b: BrokerOrder): void {
    settleOrder(this, o, b);
  }

  /** An order out of the run's book (a re-decided bar's order that is not the broker's). */
  forget(o: ManagedOrder): void {
    this.orders.delete(o.id);
    this.openIndex.remove(o);
  }

  /** An order back into the run's book (restart): the open index follows its state. */
  track(o: ManagedOrder): void {
    this.orders.set(o.id, o);
    if (!o.external && !TERMINAL.has(o.state)) this.openIndex.add(o);
  }

  /** The id family's next sequence, an id of it, whether an id is ours (restart scans). */
  get ids(): ClientOrderIds {
    return this.d.ids;
  }

  /** What the state file keeps of the orders (see manager_recovery.ts `snapshotOrders`). */
  snapshot(): OrdersSnapshot {
    return snapshotOrders(this);
  }

  /** The orders and execution ids of a state file. */
  restore(s: OrdersSnapshot): void {
    restoreOrders(this, s);
  }

  /** At a session's end (rows recorded): old execution ids forgotten, finished orders compacted. */
  endOfSession(): void {
    if (this.fills.execs.size > 4096) recentExecs(this.fills.execs, DAY_MS);
    if (this.compacting) {
      const today = this.d.ledger.ordersToday() as readonly ManagedOrder[];
      compactFinished(this.orders, today, this.deferred);
    }
  }

  async cancelAll(): Promise<number> {
    const open = this.open();
    for (const o of open) await this.cancel(o.id);
    return open.length;
  }
}
