/** Alpaca's JSON shapes (docs.alpaca.markets: Orders, Account, Positions) for the fake venue. */

/** A position the venue holds: signed quantity and average cost. */
export interface Holding {
  qty: number;
  cost: number;
}

/** An order as Alpaca's REST API and trade_updates carry it (docs.alpaca.markets, Orders). */
export function newOrder(b: Record<string, string | undefined>, id: string, t: string) {
  return {
    id,
    client_order_id: b.client_order_id ?? crypto.randomUUID(),
    created_at: t,
    updated_at: t,
    submitted_at: t,
    filled_at: null as string | null,
    expired_at: null as string | null,
    canceled_at: null as string | null,
    failed_at: null as string | null,
    replaced_at: null as string | null,
    replaced_by: null as string | null,
    replaces: null as string | null,
    asset_id: `asset-${b.symbol}`,
    symbol: b.symbol!,
    asset_class: "us_equity",
    notional: null,
    qty: b.qty!,
    filled_qty: "0",
    filled_avg_price: null as string | null,
    order_class: "simple",
    order_type: b.type!,
    type: b.type!,
    side: b.side as "buy" | "sell",
    time_in_force: b.time_in_force!,
    limit_price: b.limit_price ?? null,
    stop_price: b.stop_price ?? null,
    status: "accepted",
    extended_hours: false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
  };
}
export type FakeOrder = ReturnType<typeof newOrder>;

export const TYPES = ["market", "limit", "stop", "stop_limit"];
export const TIFS = ["day", "gtc", "opg", "cls", "ioc", "fok"];
export const OPEN = new Set([
  "new",
  "accepted",
  "pending_new",
  "partially_filled",
  "pending_cancel",
]);
export const str = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** `/v2/account` for the venue's cash and positions. */
export function accountJson(
  cash: number,
  positions: ReadonlyMap<string, Holding>,
  prices: Record<string, number>,
  flags: { tradingBlocked?: boolean; shortingEnabled?: boolean } = {},
) {
  let value = 0;
  for (const [s, p] of positions) value += p.qty * (prices[s] ?? p.cost);
  return {
    id: "f5a3b8b4-0000-4000-8000-000000000001",
    account_number: "PA1FAKE",
    status: "ACTIVE",
    currency: "USD",
    cash: str(cash),
    equity: str(cash + value),
    portfolio_value: str(cash + value),
    buying_power: str(Math.max(0, cash)),
    trading_blocked: flags.tradingBlocked ?? false,
    transfers_blocked: false,
    account_blocked: false,
    trade_suspended_by_user: false,
    shorting_enabled: flags.shortingEnabled ?? true,
    multiplier: "1",
    created_at: "2020-01-01T00:00:00Z",
  };
}

/** `/v2/positions` (`available`: the shares open orders do not already hold). */
export function positionsJson(
  positions: ReadonlyMap<string, Holding>,
  prices: Record<string, number>,
  available: (symbol: string) => number = (s) => Math.abs(positions.get(s)?.qty ?? 0),
) {
  return [...positions].map(([symbol, p]) => ({
    asset_id: `asset-${symbol}`,
    symbol,
    exchange: "NASDAQ",
    asset_class: "us_equity",
    asset_marginable: true,
    avg_entry_price: str(p.cost),
    qty: str(p.qty),
    qty_available: str(Math.sign(p.qty) * available(symbol)),
    side: p.qty < 0 ? "short" : "long",
    market_value: str(p.qty * (prices[symbol] ?? p.cost)),
    cost_basis: str(p.qty * p.cost),
    unrealized_pl: "0",
    unrealized_plpc: "0",
    unrealized_intraday_pl: "0",
    unrealized_intraday_plpc: "0",
    current_price: str(prices[symbol] ?? p.cost),
    lastday_price: str(p.cost),
    change_today: "0",
  }));
}
