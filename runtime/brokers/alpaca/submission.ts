/**
 * Sending one order so that it reaches Alpaca at most once. A POST that fails without a definite
 * answer (network error, timeout, 429, 5xx) is followed by a lookup by client order id before
 * anything is sent again; Alpaca refuses a second order with the same client order id anyway.
 * When even the lookup cannot answer, the order stays SUBMITTED and is looked up again in the
 * background until Alpaca says.
 */
import type { BrokerEvent, OrderRequest } from "../broker.ts";
import { orderBody, requestProblem } from "./mapping.ts";
import type { OrderTracker } from "./order_tracker.ts";
import {
  type AlpacaOrder,
  type AlpacaRest,
  isBuyingPower,
  isRetryable,
  messageOf,
  statusOf,
} from "./rest.ts";

export interface SubmitContext {
  rest: AlpacaRest;
  tracker: OrderTracker;
  attempts: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  emit: (e: BrokerEvent) => void;
  /** Records that Alpaca refused the keys (health reports it). */
  refused: (message: string) => void;
}

/** Sends `r`; every outcome (ack, fills, REJECTED with the reason) arrives as events. */
export async function submitOrder(c: SubmitContext, r: OrderRequest): Promise<void> {
  c.tracker.submitted(r);
  const problem = requestProblem(r);
  if (problem) return c.tracker.reject(r, `not sent: ${problem}`, "invalid_order");
  const body = orderBody(r);
  const lookup = () => c.rest.orderByClientId(r.client_order_id);
  let last = "";
  for (let attempt = 1; attempt <= c.attempts; attempt++) {
    let placed: AlpacaOrder;
    try {
      placed = await c.rest.postOrder(body);
    } catch (e) {
      if (attempt > 1 && statusOf(e) === 422 && /unique|exist|duplicate/i.test(messageOf(e))) {
        const arrived = await lookup().catch(() => null);
        if (arrived) return c.tracker.sync(arrived); // an earlier attempt got there after all
      }
      if (!isRetryable(e)) return refuse(c, r, e);
      last = messageOf(e);
      await c.sleep(c.rest.delay(e, attempt));
      // Never send again before asking whether the last one arrived.
      let arrived: AlpacaOrder | null;
      try {
        arrived = await lookup();
      } catch (le) {
        c.emit({
          type: "error",
          message: `order ${r.client_order_id} was sent but Alpaca could not say whether it ` +
            `arrived (${messageOf(le)}); it stays SUBMITTED until Alpaca answers`,
          code: "submit_in_doubt",
          client_order_id: r.client_order_id,
          time: c.now(),
        });
        void settle(c, r);
        return;
      }
      if (arrived) return c.tracker.sync(arrived);
      continue;
    }
    return c.tracker.sync(placed);
  }
  c.tracker.reject(
    r,
    `Alpaca did not accept the order after ${c.attempts} attempts (last: ${last})`,
    "submit_failed",
  );
}

/** Keeps asking about an order in doubt; it ends known, or REJECTED when Alpaca never had it. */
async function settle(c: SubmitContext, r: OrderRequest): Promise<void> {
  for (let round = 1; round <= c.attempts; round++) {
    await c.sleep(c.rest.delay(undefined, round));
    try {
      const o = await c.rest.orderByClientId(r.client_order_id);
      if (o) return c.tracker.sync(o);
      if (round === c.attempts) break;
    } catch {
      continue; // still no answer
    }
  }
  c.tracker.reject(r, "Alpaca has no record of the order", "submit_failed");
}

function refuse(c: SubmitContext, r: OrderRequest, e: unknown): void {
  const s = statusOf(e), msg = messageOf(e);
  if (isBuyingPower(e)) {
    return c.tracker.reject(r, `Alpaca refused the order: ${msg}`, "insufficient_buying_power");
  }
  if (s === 401 || s === 403) {
    const message = c.rest.fail("POST /v2/orders", e).message;
    c.refused(message);
    return c.tracker.reject(r, message, "unauthorized");
  }
  if (s === 400 || s === 422) return c.tracker.reject(r, msg, "invalid_order");
  c.tracker.reject(r, `Alpaca refused the order${s ? ` (HTTP ${s})` : ""}: ${msg}`, "refused");
}
