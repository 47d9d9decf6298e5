/**
 * Turns what Alpaca says about orders — `trade_updates` events and REST snapshots — into broker
 * events, each exactly once: fills are deduped by execution id, and a mirror of each order's
 * state (through the same transition table the order manager uses) drops the benign repeats
 * (an acknowledgement after the fill, our own cancel echoed back) and keeps REST snapshots from
 * moving an order backwards. Anything else the table refuses still reaches the manager, which
 * logs and counts it. The two orders of a reversal (reversal.ts) are reported as the one order
 * the strategy placed; busted and corrected trades book their difference (amendments.ts).
 */
import { trading } from "@alpacahq/alpaca-trade-api";
import type { BrokerEvent, BrokerFill, BrokerOrder, OrderRequest } from "../broker.ts";
import { type OrderEvent, type OrderState, TERMINAL, transition } from "../../orders/state.ts";
import { amendmentsOf, type Covered } from "./amendments.ts";
import {
  baseClientOrderId,
  execId,
  fillFromUpdate,
  ms,
  num,
  stateOf,
  toBrokerOrder,
  TRADE_UPDATE_EVENTS,
} from "./mapping.ts";
import type { AlpacaOrder } from "./rest.ts";
import { type Leg, legOf, reasonOfSplit, Reversals, type Split, stateOfSplit } from "./reversal.ts";

/** How far along an order is: REST snapshots never move one back. */
const RANK: Record<OrderState, number> = {
  NEW: 0,
  SUBMITTED: 0,
  WORKING: 1,
  PARTIALLY_FILLED: 2,
  PENDING_CANCEL: 2,
  FILLED: 3,
  CANCELED: 3,
  REJECTED: 3,
  EXPIRED: 3,
};

/** The event that brings an order to a state Alpaca reports. */
const EVENT_TO: Partial<Record<OrderState, OrderEvent>> = {
  WORKING: "ack",
  PARTIALLY_FILLED: "partial_fill",
  PENDING_CANCEL: "cancel_request",
  FILLED: "fill",
  CANCELED: "canceled",
  REJECTED: "rejected",
  EXPIRED: "expired",
};

export class OrderTracker {
  private readonly states = new Map<string, OrderState>();
  private readonly ours = new Map<string, string>(); // Alpaca order id → our client order id
  private readonly current = new Map<string, string>(); // our id → Alpaca id of the live order
  private readonly execs = new Set<string>();
  /** What the fills sent so far cover, per Alpaca order id. */
  private readonly covered = new Map<string, Covered>();
  readonly reversals = new Reversals();

  constructor(
    private readonly emit: (e: BrokerEvent) => void,
    private readonly now: () => number,
    /** The closing leg of a reversal has filled: send the opening one. */
    private readonly sendOpen: (s: Split) => void = () => {},
  ) {}

  /** Our client order id for an Alpaca order id, when seen before. */
  clientIdOf(alpacaOrderId: string): string | undefined {
    return this.ours.get(alpacaOrderId);
  }

  /** Alpaca's id of the order currently standing for ours (the latest replacement or leg). */
  alpacaIdOf(clientOrderId: string): string | undefined {
    const s = this.reversals.get(clientOrderId);
    return (s && this.reversals.liveId(s)) || this.current.get(clientOrderId);
  }

  /** Our orders that may still change: what a re-sync must ask about. */
  unsettled(): string[] {
    return [...this.states].filter(([, s]) => !TERMINAL.has(s)).map(([id]) => id);
  }

  /** Learns an Alpaca order's ids; returns our client order id for it. */
  learn(o: AlpacaOrder): string {
    const coid = baseClientOrderId(o.clientOrderId ?? o.id ?? "");
    if (o.id) this.ours.set(o.id, coid);
    if (o.status === "replaced") {
      if (o.replacedBy) this.current.set(coid, o.replacedBy);
    } else if (o.id) this.current.set(coid, o.id);
    return coid;
  }

  /** Notes an order seen in a query (restart, lookups) without reporting anything. */
  observe(o: AlpacaOrder): BrokerOrder {
    const coid = this.learn(o);
    let b = toBrokerOrder(o, coid);
    const leg = legOf(o.clientOrderId);
    const s = leg ? this.reversals.observe(coid, leg, b) : undefined;
    if (s) b = this.reversals.view(s);
    if (!this.states.has(coid)) this.states.set(coid, b.state);
    return b;
  }

  /** Our request went out (the manager holds it SUBMITTED). A reversal's leg is part of it. */
  submitted(r: OrderRequest): void {
    if (!legOf(r.client_order_id)) this.states.set(r.client_order_id, "SUBMITTED");
  }

  /** We asked for a cancel (the manager holds it PENDING_CANCEL). */
  cancelRequested(clientOrderId: string): void {
    const s = this.states.get(clientOrderId);
    const next = s && transition(s, "cancel_request");
    if (next) this.states.set(clientOrderId, next);
    const split = this.reversals.get(clientOrderId);
    if (split) split.canceled = true; // the opening order is not sent any more
  }

  /** Our request never reached Alpaca (or Alpaca refused it): REJECTED, with why. */
  reject(r: OrderRequest, reason: string, code?: string): void {
    const time = this.now(), coid = baseClientOrderId(r.client_order_id);
    if (code) this.emit({ type: "error", message: reason, code, client_order_id: coid, time });
    const view: BrokerOrder = {
      client_order_id: coid,
      broker_order_id: "",
      symbol: r.symbol,
      amount: r.amount,
      filled: 0,
      avg_fill_price: 0,
      state: "REJECTED",
      limit_price: r.limit_price,
      stop_price: r.stop_price,
      submitted_at: time,
    };
    const leg = legOf(r.client_order_id), s = this.reversals.get(coid);
    if (leg && s) {
      if (leg === "open") s.open.refused = reason;
      return this.legUpdate(coid, leg, view, "rejected", time, reason);
    }
    this.order(coid, "rejected", view, time, reason);
  }

  /** A state event for one of our orders, through the mirror. */
  order(coid: string, event: OrderEvent, o: BrokerOrder, time: number, reason?: string): void {
    const cur = this.states.get(coid);
    if (cur !== undefined) {
      if (event === "ack" && TERMINAL.has(cur)) return; // a late acknowledgement
      if (event === "cancel_request" && cur === "PENDING_CANCEL") return; // our cancel, echoed
      const next = transition(cur, event);
      if (event === "ack" && next === cur) return; // acknowledged already (stream and REST)
      if (next !== null) this.states.set(coid, next);
    } else this.states.set(coid, o.state);
    this.emit({ type: "order", event, order: o, reason, time });
  }

  /**
   * What one leg of a reversal did, as the order the strategy placed: its state follows
   * `stateOfSplit`; the closing leg's fill sends the opening leg.
   */
  private legUpdate(
    coid: string,
    leg: Leg,
    view: BrokerOrder,
    event: OrderEvent,
    time: number,
    reason?: string,
  ): void {
    const s = this.reversals.observe(coid, leg, view);
    if (!s) return this.order(coid, event, view, time, reason);
    if (event === "cancel_request" || event === "cancel_reject") {
      return this.order(coid, event, this.reversals.view(s), time, reason);
    }
    const opening = leg === "close" && s.close.state === "FILLED" && !s.open.sent &&
      !s.canceled && !s.open.refused;
    if (opening) s.open.sent = true;
    const target = stateOfSplit(s), cur = this.states.get(coid);
    const next = EVENT_TO[target];
    if (target !== cur && next) {
      this.order(coid, next, this.reversals.view(s), time, reasonOfSplit(s) ?? reason);
    }
    if (opening) this.sendOpen(s);
  }

  /** A reversal's state looked at again (after a cancel asked between its two orders). */
  reconsider(coid: string): void {
    const s = this.reversals.get(coid);
    if (!s) return;
    const target = stateOfSplit(s), next = EVENT_TO[target];
    if (next && target !== this.states.get(coid)) {
      this.order(coid, next, this.reversals.view(s), this.now(), reasonOfSplit(s));
    }
  }

  /** Sends a fill unless its execution was sent before; whether it was new. */
  fill(f: BrokerFill): boolean {
    if (this.execs.has(f.exec_id)) return false;
    this.execs.add(f.exec_id);
    const c = this.covered.get(f.broker_order_id) ?? { qty: 0, notional: 0 };
    c.qty += Math.abs(f.amount);
    c.notional += Math.abs(f.amount) * f.price;
    this.covered.set(f.broker_order_id, c);
    this.emit({ type: "fill", fill: f });
    return true;
  }

  /** One `trade_updates` message. */
  onTradeUpdate(data: Record<string, unknown>): void {
    const o = trading.OrderFromJSON(data.order);
    const coid = this.learn(o);
    const event = String(data.event ?? "");
    const time = ms(data.timestamp) || this.now();
    const leg = this.reversals.get(coid) ? legOf(o.clientOrderId) : null;
    const report = (e: OrderEvent, reason?: string) =>
      leg
        ? this.legUpdate(coid, leg, toBrokerOrder(o, coid), e, time, reason)
        : this.order(coid, e, toBrokerOrder(o, coid), time, reason);
    if (event === "fill" || event === "partial_fill") {
      const c = this.covered.get(o.id ?? "") ?? { qty: 0, notional: 0 };
      const cumulative = num(o.filledQty) || c.qty + num(data.qty);
      const qty = num(data.qty) || cumulative - c.qty;
      const price = data.price !== undefined && data.price !== null
        ? num(data.price)
        : (num(o.filledAvgPrice) * cumulative - c.notional) / (qty || 1);
      const f = fillFromUpdate(o, coid, { qty, price, cumulative, time });
      // A replayed fill: booked already, and its state change was sent with it.
      if (!this.fill(f)) return;
      return report(event);
    }
    if (event === "trade_bust" || event === "trade_correct") return this.amend(o, coid, data, time);
    const mapped = TRADE_UPDATE_EVENTS[event];
    const reason = typeof data.reason === "string" ? data.reason : undefined;
    if (mapped === undefined || mapped === null) {
      this.emit({
        type: "error",
        message: mapped === undefined
          ? `unknown trade_updates event "${event}" for order ${coid}`
          : `${event} for order ${coid}${reason ? `: ${reason}` : ""}`,
        code: event || "unknown_event",
        client_order_id: coid,
        time,
      });
      return;
    }
    report(mapped, reason);
  }

  /** A busted or corrected trade: the difference to what was booked, booked (amendments.ts). */
  private amend(o: AlpacaOrder, coid: string, data: Record<string, unknown>, time: number): void {
    const id = o.id ?? "", event = String(data.event);
    const c = this.covered.get(id) ?? { qty: 0, notional: 0 };
    const tag = String(data.execution_id ?? time);
    const side = String(o.side).startsWith("sell") ? -1 : 1;
    const filled = num(o.filledQty), avg = num(o.filledAvgPrice);
    const fills = amendmentsOf(c, filled, avg);
    for (const a of fills) {
      const exec = `${execId(id, filled)}:${event}:${tag}:${a.tag}`;
      if (this.execs.has(exec)) continue; // the same amendment again (a replay)
      this.execs.add(exec);
      this.emit({
        type: "fill",
        fill: {
          client_order_id: coid,
          broker_order_id: id,
          exec_id: exec,
          symbol: o.symbol ?? "",
          amount: side * a.shares,
          price: a.price,
          commission: 0,
          time,
        },
      });
    }
    this.covered.set(id, { qty: filled, notional: filled * avg });
    this.emit({
      type: "error",
      message: `${event} for order ${coid}: Alpaca now reports ${num(o.filledQty)} filled at ` +
        `${num(o.filledAvgPrice)}; ${
          fills.length ? "the difference is booked" : "nothing to book"
        }`,
      code: event,
      client_order_id: coid,
      time,
    });
  }

  /**
   * Brings an order up to Alpaca's REST view of it, forward only. With `missedFills` (a re-sync
   * after the stream was down, activities already read), fills no event covered are sent as one
   * execution first. Without it, the stream is trusted to deliver the fills: a snapshot that is
   * ahead of them moves the order no further than WORKING, so no state outruns its fills.
   */
  sync(o: AlpacaOrder, missedFills = false): void {
    const coid = this.learn(o);
    const time = ms(o.updatedAt) || this.now();
    const c = this.covered.get(o.id ?? "") ?? { qty: 0, notional: 0 };
    const filled = num(o.filledQty);
    let target = stateOf(o);
    if (filled > c.qty + 1e-9) {
      if (missedFills) {
        const qty = filled - c.qty;
        this.fill(fillFromUpdate(o, coid, {
          qty,
          price: (num(o.filledAvgPrice) * filled - c.notional) / qty,
          cumulative: filled,
          time: ms(o.filledAt) || time,
        }));
      } else if (target === "FILLED" || target === "PARTIALLY_FILLED") target = "WORKING";
    }
    const leg = this.reversals.get(coid) ? legOf(o.clientOrderId) : null;
    if (leg) {
      const view = { ...toBrokerOrder(o, coid), state: target };
      if (!missedFills && target === "WORKING") view.filled = Math.sign(view.amount) * c.qty;
      const event = EVENT_TO[target];
      return event && this.legUpdate(coid, leg, view, event, time);
    }
    const cur = this.states.get(coid);
    if (cur === undefined) {
      this.states.set(coid, target);
      return;
    }
    if (cur === target || TERMINAL.has(cur) || RANK[target] < RANK[cur]) return;
    const event = EVENT_TO[target];
    if (event) this.order(coid, event, toBrokerOrder(o, coid), time);
  }
}
