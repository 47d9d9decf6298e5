/**
 * Sending one order so that it reaches Alpaca at most once. A POST that fails without a definite
 * answer (network error, timeout, 429, 5xx) is followed by a lookup by client order id before
 * anything is sent again; Alpaca refuses a second order with the same client order id anyway.
 * When even the lookup cannot answer, the order stays SUBMITTED and is looked up again in the
 * background: it ends REJECTED ("Alpaca has no record") only when a lookup answers 404, never
 * because lookups failed. A 403 ends the order REJECTED with Alpaca's reason (buying power,
 * shares, pattern day trading, what the account may not do) — only a 401 says the keys are wrong —
 * except a reversal Alpaca refuses in one step, which is sent as two (reversal.ts).
 */
import type { BrokerEvent, OrderRequest } from "../broker.ts";
import { orderBody, requestProblem } from "./mapping.ts";
import type { OrderTracker } from "./order_tracker.ts";
import {
  type AlpacaOrder,
  type AlpacaRest,
  isRetryable,
  messageOf,
  refusalOf,
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
  /**
   * An order Alpaca refused for the shares ("insufficient qty available"): sent as a reversal
   * when it crosses zero; false when it does not (it is then REJECTED).
   */
  reverse?: (r: OrderRequest) => Promise<boolean>;
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
      if (!isRetryable(e)) return await refuse(c, r, e);
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

/**
 * Keeps asking about an order in doubt. It ends known, or REJECTED when a lookup answers that
 * Alpaca has no record of it (404). Lookups that fail (an outage) prove nothing: after the rounds
 * the order stays SUBMITTED, and the in-flight check asks again later.
 */
async function settle(c: SubmitContext, r: OrderRequest): Promise<void> {
  let last = "";
  for (let round = 1; round <= c.attempts; round++) {
    await c.sleep(c.rest.delay(undefined, round));
    let o: AlpacaOrder | null;
    try {
      o = await c.rest.orderByClientId(r.client_order_id);
    } catch (e) {
      last = messageOf(e);
      continue; // still no answer
    }
    if (o) return c.tracker.sync(o);
    return c.tracker.reject(r, "Alpaca has no record of the order", "submit_failed");
  }
  c.emit({
    type: "error",
    message: `order ${r.client_order_id}: Alpaca still cannot say whether it arrived (${last}); ` +
      "it stays SUBMITTED and is asked about again by the in-flight check",
    code: "submit_in_doubt",
    client_order_id: r.client_order_id,
    time: c.now(),
  });
}

/** Codes of the error events for each kind of 403 (see `refusalOf`). */
const REFUSAL_CODES = {
  buying_power: "insufficient_buying_power",
  insufficient_qty: "insufficient_qty",
  pattern_day_trading: "pattern_day_trading",
  plan: "forbidden",
  forbidden: "forbidden",
} as const;

async function refuse(c: SubmitContext, r: OrderRequest, e: unknown): Promise<void> {
  const s = statusOf(e), msg = messageOf(e), kind = refusalOf(e);
  if (kind === "insufficient_qty" && c.reverse && await c.reverse(r).catch(() => false)) return;
  if (kind) {
    // The account, the money or the shares: this order ends; the keys are fine.
    return c.tracker.reject(r, `Alpaca refused the order: ${msg}`, REFUSAL_CODES[kind]);
  }
  if (s === 401 || s === 403) {
    const message = c.rest.fail("POST /v2/orders", e).message;
    c.refused(message);
    return c.tracker.reject(r, message, "unauthorized");
  }
  if (s === 400 || s === 422) return c.tracker.reject(r, msg, "invalid_order");
  c.tracker.reject(r, `Alpaca refused the order${s ? ` (HTTP ${s})` : ""}: ${msg}`, "refused");
}
