/**
 * How the fake TWS answers placeOrder and cancelOrder, each behaviour as TWS shows it (the TWS API
 * documentation's "Placing Orders", "Modifying Orders", "Cancelling Orders" and message-code
 * pages). New orders: PreSubmitted then Submitted (openOrder + orderStatus each), or a verdict a
 * test chose: a fill, a rejection (201, then Cancelled), an error TWS follows with no status at
 * all (e.g. 10311, a direct-routing precaution: the order never exists at TWS), or Inactive.
 * Modifications (placeOrder again with a working order's id): confirmed with openOrder and
 * orderStatus carrying the new values; refused with 104 (the order is filled) or 105 (the change
 * alters what cannot be modified: side, order type, contract), the order left as it was.
 */
import type { FakeBook } from "./book.ts";
import { errorMessage } from "./messages.ts";
import type { TwsOrder } from "./messages.ts";
import type { PlaceOrderRequest } from "./place_order.ts";
import type { Field } from "./wire.ts";

/**
 * What happens to a new order: rest (default), fill at once, a rejection with its reason (201 then
 * Cancelled), an error with no status after it (TWS never accepts the order), or Inactive with a
 * reason (whyHeld) after it was received.
 */
export type PlaceVerdict =
  | "rest"
  | "fill"
  | { reject: string }
  | { error: number; text: string }
  | { inactive: string };

/** What the handlers need from the server. */
export interface OrderDesk {
  readonly book: FakeBook;
  verdict(o: TwsOrder): PlaceVerdict;
  holdCancels: boolean;
  /** Sends to the connection that asked. */
  reply(fields: Field[]): void;
  /** openOrder + orderStatus to the order's client. */
  sendOrderState(o: TwsOrder): void;
  fill(ref: number): void;
  confirmCancel(ref: number): void;
}

/** A placeOrder from the connection of `clientId`. */
export function placeOrder(d: OrderDesk, clientId: number, r: PlaceOrderRequest): void {
  const book = d.book;
  const existing = book.orders.find((o) => o.orderId === r.orderId && o.clientId === clientId);
  if (existing) return modify(d, existing, r);
  const stock = book.match(r.contract)[0];
  if (!stock) {
    return d.reply(
      errorMessage(r.orderId, 200, "No security definition has been found for the request"),
    );
  }
  const o = book.newOrder({
    orderId: r.orderId,
    clientId,
    stock,
    exchange: r.contract.exchange || "SMART",
    action: r.action === "SELL" ? "SELL" : "BUY",
    quantity: r.quantity,
    orderType: r.orderType,
    lmtPrice: r.lmtPrice,
    auxPrice: r.auxPrice,
    tif: r.tif,
    account: r.account || book.accounts[0],
    orderRef: r.orderRef,
  });
  const verdict = d.verdict(o);
  if (typeof verdict === "object" && "error" in verdict) {
    // TWS refused the order before it existed: an error, and no status ever follows.
    book.orders.splice(book.orders.indexOf(o), 1);
    return d.reply(errorMessage(o.orderId, verdict.error, verdict.text));
  }
  if (typeof verdict === "object" && "reject" in verdict) {
    d.reply(errorMessage(o.orderId, 201, `Order rejected - reason:${verdict.reject}`));
    book.complete(o, "Cancelled", "Rejected");
    return d.sendOrderState(o);
  }
  o.status = "PreSubmitted";
  d.sendOrderState(o);
  if (typeof verdict === "object") {
    // Received, then held inactive (e.g. a short sale waiting for a locate): not final at TWS.
    o.status = "Inactive";
    o.whyHeld = verdict.inactive;
    return d.sendOrderState(o);
  }
  if (o.orderType !== "MKT" && o.orderType !== "LMT") return; // stops wait, simulated at IB
  o.status = "Submitted";
  d.sendOrderState(o);
  if (verdict === "fill") d.fill(o.permId);
}

/** placeOrder with the id of an order TWS has: a modification. */
function modify(d: OrderDesk, o: TwsOrder, r: PlaceOrderRequest): void {
  if (o.status === "Filled") {
    return d.reply(errorMessage(o.orderId, 104, "Can't modify a filled order."));
  }
  if (!d.book.isOpen(o)) return d.reply(errorMessage(o.orderId, 103, "Duplicate order id"));
  const stock = d.book.match(r.contract)[0];
  if (r.action !== o.action || r.orderType !== o.orderType || stock !== o.stock) {
    return d.reply(
      errorMessage(o.orderId, 105, "Order being modified does not match original order."),
    );
  }
  if (r.quantity < o.filled) {
    return d.reply(
      errorMessage(
        o.orderId,
        105,
        "Order being modified does not match original order. (quantity below the filled)",
      ),
    );
  }
  o.quantity = r.quantity;
  o.lmtPrice = r.lmtPrice;
  o.auxPrice = r.auxPrice;
  d.sendOrderState(o);
}

/** A cancelOrder from the connection of `clientId`. */
export function cancelOrder(d: OrderDesk, clientId: number, orderId: number): void {
  const book = d.book;
  const o = book.orders.find((x) => x.orderId === orderId && x.clientId === clientId);
  if (!o) {
    return d.reply(
      errorMessage(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`),
    );
  }
  if (!book.isOpen(o)) {
    return d.reply(
      errorMessage(
        orderId,
        10148,
        `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`,
      ),
    );
  }
  o.status = "PendingCancel";
  d.sendOrderState(o);
  if (!d.holdCancels) d.confirmCancel(o.permId);
}
