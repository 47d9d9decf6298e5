/**
 * Alpaca's vocabulary in ours, as pure functions: order statuses → `OrderState`, `trade_updates`
 * events → `OrderEvent`, orders → `BrokerOrder`, executions → `BrokerFill`, minute bars → `Bar`,
 * and our `OrderRequest` → Alpaca's order body. Nothing here talks to the network.
 */
import type { Bar, BrokerFill, BrokerOrder, OrderRequest } from "../broker.ts";
import type { OrderEvent, OrderState } from "../../orders/state.ts";
import type { AlpacaActivity, AlpacaBarJson, AlpacaOrder, AlpacaOrderBody } from "./rest.ts";
import { stripLeg } from "./reversal.ts";

const MINUTE = 60_000;

/** A number from Alpaca's decimal strings (or numbers); 0 for null/absent. */
export function num(v: unknown): number {
  if (v === null || v === undefined || v === "") return 0;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** UTC ms of an Alpaca time (RFC 3339 string or Date); NaN when absent. */
export function ms(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  return typeof v === "string" ? Date.parse(v) : NaN;
}

/**
 * Every Alpaca order status as an order state. Statuses that mean "alive at Alpaca" are WORKING,
 * or PARTIALLY_FILLED once anything filled.
 */
export function stateOf(o: AlpacaOrder): OrderState {
  const filled = num(o.filledQty), qty = num(o.qty);
  const open: OrderState = filled > 0 ? "PARTIALLY_FILLED" : "WORKING";
  switch (o.status) {
    case "filled":
      return "FILLED";
    case "canceled":
      return "CANCELED";
    case "expired":
      return "EXPIRED";
    case "rejected":
      return "REJECTED";
    case "pending_cancel":
      return "PENDING_CANCEL";
    case "partially_filled":
      return "PARTIALLY_FILLED";
    // Settlement figures pending after the day's trading: done if all of it filled.
    case "calculated":
      return qty > 0 && filled >= qty ? "FILLED" : open;
    // new, accepted, pending_new, accepted_for_bidding, held: received, resting or routing.
    // done_for_day: no more fills today, alive tomorrow (GTC) or about to expire (DAY).
    // stopped, suspended: still Alpaca's to execute. pending_replace / replaced: the order lives
    // on (as its replacement) under our client order id.
    default:
      return open;
  }
}

/**
 * What each `trade_updates` event means for the order state machine. `null`: no state change
 * (reported as an error where it is one).
 */
export const TRADE_UPDATE_EVENTS: Readonly<Record<string, OrderEvent | null>> = {
  new: "ack", // routed and accepted for execution
  pending_new: "ack", // received by Alpaca, routing
  accepted: "ack",
  accepted_for_bidding: "ack",
  held: "ack",
  done_for_day: "ack", // nothing more today; alive (GTC) or expiring (DAY) — still ours
  stopped: "ack", // a trade is guaranteed but has not happened yet
  suspended: "ack",
  calculated: "ack", // settlement figures pending; the fill events already moved the state
  pending_replace: "ack",
  replaced: "ack", // the order continues as its replacement, under the same client order id
  partial_fill: "partial_fill",
  fill: "fill",
  canceled: "canceled",
  expired: "expired",
  rejected: "rejected",
  pending_cancel: "cancel_request", // a cancel we did not ask for (ours is already PENDING_CANCEL)
  order_cancel_rejected: "cancel_reject",
  order_replace_rejected: null, // the original order stands unchanged
};

/** The suffix that names replacements of one of our orders: `<ours>.r1`, `<ours>.r2`, … */
const REPLACEMENT = /\.r(\d+)$/;

/**
 * Our client order id behind an Alpaca client order id (replacements carry a suffix `.r<n>`, the
 * two orders of a reversal `.c` and `.o`: see reversal.ts).
 */
export function baseClientOrderId(alpacaClientOrderId: string): string {
  return stripLeg(alpacaClientOrderId.replace(REPLACEMENT, ""));
}

/** The client order id for the next replacement of an order currently named `current`. */
export function nextReplacementId(current: string): string {
  const m = REPLACEMENT.exec(current);
  return `${baseClientOrderId(current)}.r${m ? Number(m[1]) + 1 : 1}`;
}

const sign = (side: unknown) => (String(side).startsWith("sell") ? -1 : 1);
const price = (v: unknown) => (v === null || v === undefined || v === "" ? null : num(v));

/** An Alpaca order as a `BrokerOrder`, under our client order id. */
export function toBrokerOrder(o: AlpacaOrder, clientOrderId: string): BrokerOrder {
  const s = sign(o.side);
  return {
    client_order_id: clientOrderId,
    broker_order_id: o.id ?? "",
    symbol: o.symbol ?? "",
    amount: s * num(o.qty),
    filled: s * num(o.filledQty),
    avg_fill_price: num(o.filledAvgPrice),
    state: stateOf(o),
    limit_price: price(o.limitPrice),
    stop_price: price(o.stopPrice),
    submitted_at: ms(o.submittedAt ?? o.createdAt),
  };
}

/**
 * The execution id used for every fill, from either source: Alpaca's order id and the order's
 * cumulative quantity after the fill. The stream's `execution_id` and the activity `id` are two
 * different id spaces, so neither could dedupe a fill seen on both; this pair can.
 */
export function execId(orderId: string, cumulativeQty: number): string {
  return `${orderId}:${cumulativeQty}`;
}

/** One execution from a `trade_updates` fill or partial_fill (quantities already resolved). */
export function fillFromUpdate(
  o: AlpacaOrder,
  clientOrderId: string,
  exec: { qty: number; price: number; cumulative: number; time: number },
): BrokerFill {
  return {
    client_order_id: clientOrderId,
    broker_order_id: o.id ?? "",
    exec_id: execId(o.id ?? "", exec.cumulative),
    symbol: o.symbol ?? "",
    amount: sign(o.side) * exec.qty,
    price: exec.price,
    commission: 0,
    time: exec.time,
  };
}

/** One execution from the account activities endpoint (`FILL`). */
export function fillFromActivity(a: AlpacaActivity, clientOrderId: string): BrokerFill {
  return {
    client_order_id: clientOrderId,
    broker_order_id: a.orderId ?? "",
    exec_id: execId(a.orderId ?? "", num(a.cumQty)),
    symbol: a.symbol ?? "",
    amount: sign(a.side) * num(a.qty),
    price: num(a.price),
    commission: 0,
    time: ms(a.transactionTime),
  };
}

/** A minute bar, labelled by its end as the calendars label minutes (09:30 bar → 09:31). */
export function toBar(symbol: string, b: AlpacaBarJson): Bar {
  return {
    symbol,
    time: ms(b.t) + MINUTE,
    open: num(b.o),
    high: num(b.h),
    low: num(b.l),
    close: num(b.c),
    volume: num(b.v),
  };
}

/** What is wrong with a request before it could reach Alpaca, or null. */
export function requestProblem(r: OrderRequest): string | null {
  if (!r.symbol) return "no symbol";
  if (!Number.isFinite(r.amount) || r.amount === 0) return `amount ${r.amount} is not tradable`;
  for (const [name, p] of [["limit", r.limit_price], ["stop", r.stop_price]] as const) {
    if (p !== null && !(Number.isFinite(p) && p > 0)) return `${name} price ${p} is not positive`;
  }
  if (r.time_in_force !== "day" && r.time_in_force !== "gtc") {
    return `time in force "${r.time_in_force}" is not day or gtc`;
  }
  return null;
}

/** A price as Alpaca accepts it: cents from $1, else up to 4 decimals (float noise removed). */
export function priceText(p: number): string {
  return String(Number(p.toFixed(p >= 1 ? 2 : 4)));
}

/** Our request as Alpaca's order: market, limit, stop or stop_limit; day or gtc. */
export function orderBody(r: OrderRequest): AlpacaOrderBody {
  const limit = r.limit_price, stop = r.stop_price;
  const type = limit !== null && stop !== null
    ? "stop_limit"
    : limit !== null
    ? "limit"
    : stop !== null
    ? "stop"
    : "market";
  return {
    symbol: r.symbol,
    qty: String(Math.abs(r.amount)),
    side: r.amount > 0 ? "buy" : "sell",
    type,
    timeInForce: r.time_in_force,
    limitPrice: limit !== null ? priceText(limit) : undefined,
    stopPrice: stop !== null ? priceText(stop) : undefined,
    clientOrderId: r.client_order_id,
  };
}
