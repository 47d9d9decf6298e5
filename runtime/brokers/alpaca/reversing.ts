/**
 * Sending a reversal (see reversal.ts): on Alpaca's "insufficient qty available" the position is
 * read; an order that crosses it through zero is sent as its closing order now and its opening
 * order once the closing one has filled (the tracker calls `sendOpening`). An order that only
 * asks for more shares than are free (others are held by open orders) is not a reversal: it is
 * REJECTED with Alpaca's reason. A restarted process finds a reversal's legs by their ids.
 */
import type { BrokerOrder, OrderRequest } from "../broker.ts";
import type { OrderTracker } from "./order_tracker.ts";
import { num, toBrokerOrder } from "./mapping.ts";
import type { AlpacaRest } from "./rest.ts";
import { legId, legOf, type Split } from "./reversal.ts";
import { type SubmitContext, submitOrder } from "./submission.ts";

/**
 * Whether `r` crosses the position through zero and was sent as a reversal. The closing order
 * needs the whole position free: with part of it held by other open orders, no split can work.
 */
export async function tryReversal(c: SubmitContext, r: OrderRequest): Promise<boolean> {
  if (legOf(r.client_order_id)) return false; // a leg of a reversal is never split again
  const p = await c.rest.position(r.symbol);
  if (!p) return false;
  const held = (p.side === "short" ? -1 : 1) * Math.abs(num(p.qty));
  const crosses = held !== 0 && Math.sign(held) !== Math.sign(r.amount) &&
    Math.abs(r.amount) > Math.abs(held);
  const free = p.qtyAvailable === undefined ? Math.abs(held) : Math.abs(num(p.qtyAvailable));
  if (!crosses || free < Math.abs(held)) return false;
  const close = c.tracker.reversals.start(r, held, c.now());
  c.emit({
    type: "error",
    message: `order ${r.client_order_id} crosses the ${held}-share position through zero, ` +
      `which Alpaca refuses in one order: sent as ${-held} to close, then ${r.amount + held} ` +
      "to open once the first has filled",
    code: "reversal_split",
    client_order_id: r.client_order_id,
    time: c.now(),
  });
  await submitOrder(c, close);
  return true;
}

/** Sends a reversal's opening order (the closing one has filled). */
export async function sendOpening(
  c: SubmitContext,
  s: Split,
  cancel: (alpacaId: string) => Promise<void>,
): Promise<void> {
  await submitOrder(c, c.tracker.reversals.openRequest(s));
  // A cancel asked for while the opening order was on its way reaches it now.
  if (s.canceled && s.open.alpacaId) await cancel(s.open.alpacaId).catch(() => {});
}

/**
 * A reversal's legs at Alpaca, found by their ids (after a restart, or to answer a lookup):
 * the order the strategy placed as one view, or null when there are none.
 */
export async function findReversal(
  rest: AlpacaRest,
  tracker: OrderTracker,
  coid: string,
): Promise<BrokerOrder | null> {
  const close = await rest.orderByClientId(legId(coid, "close"));
  if (!close) return null;
  const open = await rest.orderByClientId(legId(coid, "open"));
  const r = tracker.reversals;
  const split = r.get(coid) ??
    r.restore(coid, toBrokerOrder(close, coid), open ? toBrokerOrder(open, coid) : null);
  tracker.observe(close);
  if (open) tracker.observe(open);
  return r.view(split);
}
