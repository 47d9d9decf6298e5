/**
 * One of our orders as Alpaca has it now. A replaced order (PATCH /v2/orders/{id}) lives on under
 * a new Alpaca id with the same client order id's history behind it
 * (https://docs.alpaca.markets/reference/patchorderbyorderid-1): the chain of `replaced_by` is
 * followed to the current one.
 */
import type { BrokerOrder } from "../broker.ts";
import type { OrderTracker } from "./order_tracker.ts";
import type { AlpacaOrder, AlpacaRest } from "./rest.ts";

/** Alpaca's current order for one of ours, following replacements; null when unknown. */
export async function currentOrder(
  rest: AlpacaRest,
  tracker: OrderTracker,
  coid: string,
): Promise<AlpacaOrder | null> {
  const known = tracker.alpacaIdOf(coid);
  let o = (known ? await rest.orderById(known) : null) ?? await rest.orderByClientId(coid);
  for (let hop = 0; o && o.status === "replaced" && o.replacedBy && hop < 100; hop++) {
    tracker.learn(o);
    const next = await rest.orderById(o.replacedBy);
    if (!next) break;
    o = next;
  }
  return o;
}

/** An order Alpaca has no record of, as the contract shows it: finished, nothing filled. */
export function unknownOrder(coid: string): BrokerOrder {
  return {
    client_order_id: coid,
    broker_order_id: "",
    symbol: "",
    amount: 0,
    filled: 0,
    avg_fill_price: 0,
    state: "CANCELED",
    limit_price: null,
    stop_price: null,
    submitted_at: NaN,
  };
}
