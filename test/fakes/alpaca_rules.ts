/**
 * The fake Alpaca venue's checks on a new order, each as Alpaca answers it (HTTP 403 with Alpaca's
 * code and message), and the shares of a position not held by open orders (`qty_available`).
 * - Shares: a sell of more than the long position has free (what open sells do not already hold),
 *   or a buy of more than the short position has free, is refused: "insufficient qty available for
 *   order (requested: X, available: Y)" (code 40310000). This is also how Alpaca refuses an order
 *   crossing zero (long to short in one step): alpacahq/Alpaca-API #90, alpaca-trade-api-python
 *   #129 ("You need to close your open position before you can submit an order that would open a
 *   short position. The same is true for going from a short position to a long one."), and
 *   Alpaca-API #276 on qty_available ("Those orders in-flight could consume available qty").
 * - Pattern day trading: an order closing a position opened today, on an account under $25,000
 *   with 3 day trades in the last 5 business days, is refused with 40310100 "trade denied due to
 *   pattern day trading protection" (docs.alpaca.markets, User Protection: "the order is
 *   rejected, and API returns error with HTTP status code 403").
 * - The account: a trading-blocked account ("account is not authorized to trade") and one without
 *   shorting ("account is not allowed to short") are refused with 403 (alpaca.markets/learn, "How
 *   to fix common trading API errors": "Many 403s are account-level restrictions").
 * - Money: a buy costing more than the cash is refused: "insufficient buying power".
 */
import type { FakeOrder, Holding } from "./alpaca_shapes.ts";
import { OPEN } from "./alpaca_shapes.ts";

/** What the checks read of the venue. */
export interface VenueState {
  orders: readonly FakeOrder[];
  positions: ReadonlyMap<string, Holding>;
  cash: number;
  prices: Record<string, number>;
  equity: number;
  /** Day trades in the last 5 business days (PDT protection counts them). */
  dayTrades: number;
  /** Symbols whose position was opened or added to today. */
  openedToday: ReadonlySet<string>;
  tradingBlocked: boolean;
  shortingEnabled: boolean;
}

/** A refusal: HTTP 403 with Alpaca's JSON body. */
export interface Refusal {
  status: 403;
  body: { code: number; message: string };
}

const refuse = (code: number, message: string): Refusal => ({
  status: 403,
  body: { code, message },
});

/** Shares of a position free for a closing order: its size less what open orders already hold. */
export function qtyAvailable(v: VenueState, symbol: string): number {
  const held = v.positions.get(symbol)?.qty ?? 0;
  const closing = held > 0 ? "sell" : "buy";
  let reserved = 0;
  for (const o of v.orders) {
    if (o.symbol === symbol && o.side === closing && OPEN.has(o.status)) {
      reserved += Number(o.qty) - Number(o.filled_qty);
    }
  }
  return Math.max(0, Math.abs(held) - reserved);
}

/** Why Alpaca would refuse an order (body as posted), or null when it takes it. */
export function orderRefusal(
  v: VenueState,
  b: { symbol: string; side: string; qty: number; limit_price?: string },
): Refusal | null {
  if (v.tradingBlocked) return refuse(40310000, "account is not authorized to trade");
  const held = v.positions.get(b.symbol)?.qty ?? 0;
  const closes = (b.side === "sell" && held > 0) || (b.side === "buy" && held < 0);
  if (closes) {
    const available = qtyAvailable(v, b.symbol);
    if (b.qty > available) {
      return refuse(
        40310000,
        `insufficient qty available for order (requested: ${b.qty}, available: ${available})`,
      );
    }
    if (v.equity < 25_000 && v.dayTrades >= 3 && v.openedToday.has(b.symbol)) {
      return refuse(40310100, "trade denied due to pattern day trading protection");
    }
    return null;
  }
  if (b.side === "sell") {
    return v.shortingEnabled ? null : refuse(40310000, "account is not allowed to short");
  }
  const price = Number(b.limit_price ?? v.prices[b.symbol] ?? 0);
  return b.qty * price > v.cash ? refuse(40310000, "insufficient buying power") : null;
}
