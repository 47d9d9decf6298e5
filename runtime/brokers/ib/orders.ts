/**
 * Orders between our shapes and IB's, as pure functions: an OrderRequest becomes an IB order
 * (MKT, LMT, STP, STP LMT; DAY or GTC; `orderRef` = our client order id), and every IB order
 * status maps onto the order state machine.
 */
import { type Order, OrderAction, OrderType, TimeInForce } from "@stoqey/ib";
import type { OrderEvent, OrderState } from "../../orders/state.ts";
import type { OrderRequest } from "../broker.ts";

/** Why a request cannot be sent, or null when it can. */
export function requestProblem(r: OrderRequest): string | null {
  if (!Number.isInteger(r.amount) || r.amount === 0) {
    return `amount must be a whole number of shares other than 0 (got ${r.amount})`;
  }
  for (const [name, v] of [["limit_price", r.limit_price], ["stop_price", r.stop_price]] as const) {
    if (v !== null && !(Number.isFinite(v) && v > 0)) {
      return `${name} must be a positive price (got ${v})`;
    }
  }
  if (r.time_in_force !== "day" && r.time_in_force !== "gtc") {
    return `time_in_force must be "day" or "gtc" (got ${r.time_in_force})`;
  }
  return null;
}

/** IB's order type for a limit and stop price. */
export function orderTypeOf(limit: number | null, stop: number | null): OrderType {
  if (limit !== null && stop !== null) return OrderType.STP_LMT;
  if (limit !== null) return OrderType.LMT;
  if (stop !== null) return OrderType.STP;
  return OrderType.MKT;
}

/** The IB order for a request. */
export function ibOrderOf(r: OrderRequest, account: string | null): Order {
  return {
    action: r.amount > 0 ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: Math.abs(r.amount),
    orderType: orderTypeOf(r.limit_price, r.stop_price),
    lmtPrice: r.limit_price ?? undefined,
    auxPrice: r.stop_price ?? undefined,
    tif: r.time_in_force === "gtc" ? TimeInForce.GTC : TimeInForce.DAY,
    orderRef: r.client_order_id,
    account: account ?? undefined,
    transmit: true,
  };
}

/** Limit and stop prices of an IB order (by its type; IB leaves unused prices unset). */
export function pricesOf(o: Order): { limit: number | null; stop: number | null } {
  const t = String(o.orderType ?? "").toUpperCase();
  const lmt = o.lmtPrice ?? null, aux = o.auxPrice ?? null;
  if (t === "LMT") return { limit: lmt, stop: null };
  if (t === "STP") return { limit: null, stop: aux };
  if (t === "STP LMT") return { limit: lmt, stop: aux };
  return { limit: null, stop: null };
}

/** Our id for an order: its orderRef, or for orders entered without one, `ib-perm-<permId>`. */
export function clientIdOf(orderRef: string | undefined, permId: number | undefined): string {
  return orderRef ? orderRef : `ib-perm-${permId ?? 0}`;
}

/** The state an IB status stands for, for orders seen for the first time (snapshots). */
export function stateOfStatus(status: string, filled: number): OrderState {
  switch (status) {
    case "PendingSubmit":
    case "ApiPending":
      return "SUBMITTED";
    case "PreSubmitted":
    case "Submitted":
      return filled > 0 ? "PARTIALLY_FILLED" : "WORKING";
    case "PendingCancel":
      return "PENDING_CANCEL";
    case "ApiCancelled":
    case "Cancelled":
      return "CANCELED";
    case "Filled":
      return "FILLED";
    // Received, but held inactive (not final: see eventOfStatus).
    case "Inactive":
    default:
      return "WORKING";
  }
}

/** What the adapter knows of an order when a status arrives. */
export interface StatusContext {
  state: OrderState;
  /** The text of the last error TWS reported for the order ("" when none). */
  lastError: string;
  /** Why TWS holds the order (orderStatus whyHeld). */
  whyHeld: string;
}

/**
 * The event an orderStatus stands for, or null when it changes nothing by itself. Fills are not
 * events of statuses: they come from executions (with their commissions), so `Filled` maps to
 * nothing here.
 */
export function eventOfStatus(
  status: string,
  c: StatusContext,
): { event: OrderEvent; reason?: string } | null {
  switch (status) {
    case "PendingSubmit": // sent to IB, not yet acknowledged
    case "ApiPending": // held by the API, not yet transmitted
    case "Filled":
      return null;
    case "PreSubmitted": // accepted, held until its conditions (a stop, the session) are met
    case "Submitted":
      return { event: "ack" };
    case "PendingCancel":
      return { event: "cancel_request", reason: "cancel pending at IB" };
    case "ApiCancelled":
      return { event: "canceled", reason: "canceled before it was transmitted" };
    case "Cancelled":
      // An order that was never acknowledged and ends Cancelled after an error was rejected.
      if (c.state === "SUBMITTED" && c.lastError) return { event: "rejected", reason: c.lastError };
      return { event: "canceled", reason: c.lastError || undefined };
    // Not final. The TWS API documents Inactive as an order "accepted by the system … but
    // currently inactive due to system, exchange or other issues" (a short sale waiting for a
    // locate, a venue closed): it can become Submitted again and fill, or end Cancelled (which
    // TWS then reports). ib_insync leaves it out of OrderStatus.DoneStates. IB received it, so a
    // SUBMITTED order is acknowledged; the adapter reports the reason as an error event.
    case "Inactive":
      return c.state === "SUBMITTED" ? { event: "ack" } : null;
    default:
      return null;
  }
}
