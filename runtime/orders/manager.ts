/**
 * The order manager: the one place live orders go through. Before sending, the risk gate; then a
 * client order id is minted and journaled durably *before* the order leaves the process; broker
 * events are queued and applied at bar boundaries through the transition table; fills (deduped by
 * execution id) reach the ledger exactly as simulated fills do. Strategies see zipline `Order`
 * objects whose id is the client order id.
 */
import { DAY_MS } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import type { Broker, BrokerEvent, BrokerOrder } from "../brokers/broker.ts";
import type { Ledger } from "../finance/ledger.ts";
import { Order } from "../finance/order.ts";
import type { Journal } from "../live/journal.ts";
import type { ClientOrderIds } from "./ids.ts";
import { type InFlightPolicy, InFlightWatch } from "./inflight.ts";
import {
  adoptBrokerOrder,
  fromRecord,
  type InFlightLine,
  inFlightOrder,
  type ManagedOrder,
  markLostOrder,
  type OrderRecord,
  recentExecs,
  savedOrders,
  ZIPLINE_STATUS_CHANGES,
} from "./manager_state.ts";
import type { RiskGate } from "./risk.ts";
import { isOpen, type OrderEvent, TERMINAL, transition } from "./state.ts";

// The record types moved to manager_state.ts with the restart code; re-exported so importers of
// the manager keep working.
export type { ManagedOrder, OrderRecord };

export interface ManagerDeps {
  broker: Broker;
  journal: Journal;
  risk: RiskGate;
  ids: ClientOrderIds;
  ledger: Ledger;
  assetOf(symbol: string): Asset | undefined;
  priceOf(asset: Asset): number;
  now(): number;
  warn(event: string, fields: Record<string, unknown>): void;
  /** Log and journal would-be orders, send nothing. */
  dryRun?: boolean;
  /** Write the journal out before each order is sent (see Journal). */
  journalBeforeSend?: boolean;
  /** When orders waiting on the broker are asked about (see `checkInFlight`). */
  inflight?: InFlightPolicy;
}

/** Finished orders a state file keeps (see `snapshot`). */
const KEEP_FINISHED = 200;
/** Execution ids are remembered for a day past the newest fill (a restart asks for less). */
const EXEC_MEMORY_MS = DAY_MS;

export class OrderManager {
  readonly orders = new Map<string, ManagedOrder>();
  private readonly queue: BrokerEvent[] = [];
  /** Execution ids seen, with their fill times (deduplication of re-reported executions). */
  private readonly execs = new Map<string, number>();
  /** Events the table refused (counted, journaled, never applied). */
  refused = 0;
  readonly inflight: InFlightWatch; // in-flight queries: policy, throttle, count

  constructor(private readonly d: ManagerDeps) {
    this.inflight = new InFlightWatch(d.inflight);
    d.broker.onEvent((e) => this.queue.push(e));
  }

  // --- the strategy side ---

  /** Risk-checks, journals and sends an order; the id, or null when refused or zero. */
  async place(
    asset: Asset,
    amount: number,
    limit: number | null,
    stop: number | null,
  ): Promise<string | null> {
    if (amount === 0) return null;
    const d = this.d, now = d.now(), price = d.priceOf(asset);
    const position = d.ledger.position(asset)?.amount ?? 0;
    const decision = d.risk.check({
      symbol: asset.symbol,
      amount,
      price,
      limit_price: limit,
      position,
      // Only reducing-only needs the open orders (a scan of our orders, off the usual path).
      pending: d.risk.state === "REDUCING" ? this.pendingIn(asset) : 0,
      now,
    });
    if (!decision.ok) {
      d.journal.write("risk_denied", {
        symbol: asset.symbol,
        amount,
        reason: decision.reason,
        detail: decision.detail,
      });
      d.warn("order_denied", {
        message: `order for ${amount} ${asset.symbol} denied: ${decision.detail}`,
        reason: decision.reason,
      });
      return null;
    }
    const coid = d.ids.mint();
    const view = new Order({ dt: now, asset, amount, limit, stop, id: coid });
    const m: ManagedOrder = {
      client_order_id: coid,
      broker_order_id: null,
      symbol: asset.symbol,
      state: "NEW",
      view,
      avg_fill_price: 0,
      external: false,
      decision_price: price,
      submitted_at: now,
      acked_at: NaN,
      filled_at: NaN,
      last_event_at: now,
      wall: { sent: performance.now(), ack: NaN, fill: NaN },
    };
    this.orders.set(coid, m);
    d.ledger.process_order(view);
    // The id is durable already (reserved in a block); this line is flushed with the bar.
    d.journal.write("order_submitted", {
      client_order_id: coid,
      symbol: asset.symbol,
      amount,
      limit,
      stop,
      decision_price: price,
      dry_run: Boolean(d.dryRun),
    });
    if (d.dryRun) {
      this.move(m, "rejected", "dry run: not sent");
      return coid;
    }
    this.move(m, "submit");
    // Optionally, every order that leaves the process is in the journal file first (a crash right
    // after sending still leaves its audit line), at a write per order.
    if (d.journalBeforeSend) d.journal.writeOut();
    await d.broker.submit({
      client_order_id: coid,
      symbol: asset.symbol,
      amount,
      limit_price: limit,
      stop_price: stop,
      time_in_force: "day",
    });
    return coid;
  }

  async cancel(coid: string): Promise<void> {
    const m = this.orders.get(coid);
    if (!m || TERMINAL.has(m.state) || m.state === "PENDING_CANCEL") return;
    if (m.state === "NEW") {
      this.move(m, "canceled", "withdrawn before sending");
      return;
    }
    this.move(m, "cancel_request");
    await this.d.broker.cancel(coid);
  }

  get(coid: string): Order | null {
    return this.orders.get(coid)?.view ?? null;
  }

  /** Signed shares our open orders in `asset` have still to fill. */
  private pendingIn(asset: Asset): number {
    let n = 0;
    for (const m of this.open(asset)) n += m.view.amount - m.view.filled;
    return n;
  }

  /** Open orders (ours, not external), optionally of one asset. */
  open(asset?: Asset): ManagedOrder[] {
    const out: ManagedOrder[] = [];
    for (const m of this.orders.values()) {
      if (m.external || !(isOpen(m.state) || m.state === "NEW")) continue;
      if (!asset || m.view.asset.sid === asset.sid) out.push(m);
    }
    return out;
  }

  // --- the broker side ---

  /** Between bars: order ids reserved ahead (see ClientOrderIds.refill). */
  prepareIds(): void {
    this.d.ids.refill();
  }

  /** Applies queued broker events; returns how many. Called at bar boundaries. */
  drain(): number {
    let n = 0;
    while (this.queue.length) {
      this.apply(this.queue.shift()!);
      n++;
    }
    return n;
  }

  private apply(e: BrokerEvent): void {
    const d = this.d;
    if (e.type === "fill") {
      const f = e.fill;
      if (this.execs.has(f.exec_id)) return; // the same execution reported twice (re-sync)
      this.execs.set(f.exec_id, f.time);
      const m = this.orders.get(f.client_order_id);
      const asset = d.assetOf(f.symbol);
      if (!asset) {
        d.warn("fill_unknown_asset", {
          message: `fill for ${f.symbol}, which is not in the bundle`,
          exec_id: f.exec_id,
        });
        return;
      }
      d.ledger.process_transaction({
        asset,
        amount: f.amount,
        dt: f.time,
        price: f.price,
        order_id: f.client_order_id,
      });
      if (f.commission) d.ledger.process_commission(asset, f.commission);
      if (m) {
        const v = m.view, prev = v.filled;
        v.filled += f.amount;
        v.commission += f.commission;
        v.dt = f.time;
        m.avg_fill_price = (m.avg_fill_price * prev + f.price * f.amount) / (v.filled || 1);
        m.filled_at = f.time;
        m.last_event_at = d.now();
        m.wall.fill = performance.now();
        d.ledger.process_order(v);
      }
      d.journal.write("fill", { ...f, external: m?.external ?? true });
      return;
    }
    if (e.type === "order") {
      const m = this.orders.get(e.order.client_order_id);
      if (!m) {
        d.journal.write("unknown_order_event", {
          client_order_id: e.order.client_order_id,
          event: e.event,
        });
        return;
      }
      if (e.event === "ack") {
        m.acked_at = e.time;
        if (Number.isNaN(m.wall.ack)) m.wall.ack = performance.now();
      }
      if (this.inflight.confirms(m, e.event, d.journal)) return; // reported after a query
      m.broker_order_id = e.order.broker_order_id;
      this.move(m, e.event, e.reason);
      return;
    }
    d.journal.write(e.type, { ...e });
  }

  /** One transition through the table, journaled; refused events are counted, not applied. */
  private move(m: ManagedOrder, event: OrderEvent, reason = ""): void {
    const to = transition(m.state, event);
    if (to === null) {
      this.refused++;
      this.d.journal.write("transition_refused", {
        client_order_id: m.client_order_id,
        from: m.state,
        event,
      });
      this.d.warn("transition_refused", {
        message: `order ${m.client_order_id}: ${event} is not allowed in ${m.state}`,
      });
      return;
    }
    const from = m.state;
    m.state = to;
    m.last_event_at = this.d.now();
    if (from !== to) {
      this.d.journal.write("order_transition", {
        client_order_id: m.client_order_id,
        from,
        to,
        event,
        reason: reason || undefined,
      });
    }
    const z = ZIPLINE_STATUS_CHANGES[to];
    if (z && from !== to) {
      z(m.view, reason);
      m.view.dt = this.d.now();
      this.d.ledger.process_order(m.view);
    }
  }

  /** After a bar's decisions: asks about orders long waiting on the broker (inflight.ts). */
  checkInFlight(): Promise<number> {
    return this.inflight.check(this.d, {
      orders: this.orders,
      drain: () => this.drain(),
      settle: (m, event, reason, b) =>
        b
          ? this.apply({ type: "order", event, order: b, reason, time: this.d.now() })
          : this.move(m, event, reason),
    });
  }

  /** Queues an event as if the broker had sent it (reconciliation feeds missed executions). */
  ingest(e: BrokerEvent): void {
    this.queue.push(e);
  }

  /** The next id sequence to mint, and the id of a sequence (restart scans). */
  nextSeq(): number {
    return this.d.ids.sequence;
  }
  idOf(seq: number): string {
    return this.d.ids.idOf(seq);
  }
  observe(coid: string): void {
    this.d.ids.observe(coid);
  }

  /** Whether an id belongs to this session's id family. */
  owns(coid: string): boolean {
    return this.d.ids.owns(coid);
  }

  /** An order the journal shows was sent (or about to be) after the last state save. */
  trackInFlight(e: InFlightLine): void {
    const coid = String(e.client_order_id), asset = this.d.assetOf(String(e.symbol));
    this.d.ids.observe(coid);
    if (!asset || this.orders.has(coid)) return;
    this.orders.set(coid, inFlightOrder(coid, asset, e));
  }

  /** Takes the broker's view of an order after a restart (reconciliation). */
  adoptState(b: BrokerOrder, external: boolean): void {
    adoptBrokerOrder(this.orders, b, external, this.d);
    const m = this.orders.get(b.client_order_id);
    if (m) m.last_event_at = this.d.now(); // the broker has just told us about it
  }

  /** Marks an order the broker never received (never re-sent). */
  markLost(coid: string): void {
    markLostOrder(this.orders, coid, this.d.journal);
  }

  async cancelAll(): Promise<number> {
    const open = [...this.orders.values()].filter((m) => !m.external && isOpen(m.state));
    for (const m of open) await this.cancel(m.client_order_id);
    return open.length;
  }

  // --- persistence (record conversions in manager_state.ts) ---

  /**
   * What the state file keeps: every order not yet finished, the most recent finished ones (for
   * `get_order` after a restart) and the ids of the last day's executions (a restart asks the
   * broker only for executions since the last saved bar). Bounded, so saving after a bar costs
   * the same in month six as on day one; the full history is in the journal.
   */
  snapshot(): { orders: OrderRecord[]; execs: string[]; ids: { tag: string; next: number } } {
    return {
      orders: savedOrders(this.orders.values(), KEEP_FINISHED),
      execs: recentExecs(this.execs, EXEC_MEMORY_MS),
      ids: { tag: this.d.ids.tag, next: this.d.ids.sequence },
    };
  }

  restore(s: { orders: OrderRecord[]; execs: string[] }): void {
    for (const r of s.orders) {
      const asset = this.d.assetOf(r.symbol);
      if (!asset) continue;
      this.orders.set(r.client_order_id, fromRecord(r, asset));
    }
    // Saved ids count as seen now: they are kept until a day of newer fills has passed.
    const now = this.d.now();
    for (const e of s.execs) this.execs.set(e, now);
  }
}
