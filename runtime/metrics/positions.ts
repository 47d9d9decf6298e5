/**
 * A run's positions and transactions in pyfolio's shapes, and what pyfolio computes from them:
 * dollar positions per session and asset plus cash (`positions`), fills with their dollar value
 * (`transactions`), gross leverage, daily turnover, holdings per day and the top positions of
 * all time. Each follows the pyfolio function named in its comment.
 *
 * @module
 */
import type { Results } from "./results.ts";

/** pyfolio's `positions` frame: one dollar column per asset and `cash`, one row per session. */
export interface PositionValues {
  /** Session dates (UTC-midnight ms). */
  dates: Float64Array;
  /** Asset symbols, in order of first holding. */
  symbols: string[];
  /** `values[k][i]`: dollars held in `symbols[k]` at the end of session `i` (short < 0). */
  values: Float64Array[];
  /** Cash at the end of each session. */
  cash: Float64Array;
}

/**
 * Dollar positions per session (`amount × last_sale_price`) and cash, as zipline's perf frame
 * gives them to pyfolio (`pyfolio.utils.extract_rets_pos_txn_from_zipline`).
 *
 * @example
 * ```ts
 * const { symbols, values, cash } = position_values(results);
 * ```
 */
export function position_values(results: Results): PositionValues {
  const n = results.length, index = new Map<number, number>();
  results.sessions.forEach((s, i) => index.set(s, i));
  const bySymbol = new Map<string, Float64Array>();
  for (const p of results.positions) {
    const i = index.get(p.date);
    if (i === undefined) continue;
    let v = bySymbol.get(p.symbol);
    if (!v) bySymbol.set(p.symbol, v = new Float64Array(n));
    v[i] += p.amount * p.last_sale_price;
  }
  return {
    dates: results.sessions,
    symbols: [...bySymbol.keys()],
    values: [...bySymbol.values()],
    cash: results.perf.ending_cash,
  };
}

/** Σ|positions| per session (pyfolio's "actual gross book", AGB). */
function grossBook(p: PositionValues): Float64Array {
  const out = new Float64Array(p.dates.length);
  for (const v of p.values) for (let i = 0; i < v.length; i++) out[i] += Math.abs(v[i]);
  return out;
}

/** Σ positions + cash per session: the portfolio value pyfolio divides by. */
function totalValue(p: PositionValues): Float64Array {
  const out = Float64Array.from(p.cash);
  for (const v of p.values) for (let i = 0; i < v.length; i++) out[i] += v[i];
  return out;
}

/**
 * pyfolio `timeseries.gross_lev`: `Σ|positions| / (Σ positions + cash)` per session.
 *
 * @example
 * ```ts
 * gross_leverage(position_values(results)); // one value per session
 * ```
 */
export function gross_leverage(p: PositionValues): Float64Array {
  const book = grossBook(p), total = totalValue(p);
  return book.map((b, i) => b / total[i]);
}

/**
 * pyfolio `txn.get_turnover(positions, transactions, "AGB")`: each session's traded dollar
 * volume (Σ|amount| × price) over the mean of this and the previous session's gross book (half
 * the first session's book on the first day); 0 on a day without fills, as pyfolio's `fillna(0)`.
 *
 * @example
 * ```ts
 * const t = daily_turnover(position_values(results), results.transactions);
 * ```
 */
export function daily_turnover(
  p: PositionValues,
  transactions: readonly { date: number; amount: number; price: number }[],
): Float64Array {
  const n = p.dates.length, index = new Map<number, number>();
  p.dates.forEach((d, i) => index.set(d, i));
  const traded = new Float64Array(n);
  for (const t of transactions) {
    const i = index.get(t.date);
    if (i !== undefined) traded[i] += Math.abs(t.amount) * t.price;
  }
  const book = grossBook(p), out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const denom = i === 0 ? book[0] / 2 : (book[i - 1] + book[i]) / 2;
    const x = traded[i] / denom;
    // pandas: 0 / 0 is NaN, filled with 0; x / 0 stays ±inf.
    out[i] = Number.isNaN(x) ? 0 : x;
  }
  return out;
}

/** Number of assets held (non-zero dollar position) per session (pyfolio `plot_holdings`). */
export function holdings_count(p: PositionValues): Float64Array {
  const out = new Float64Array(p.dates.length);
  for (const v of p.values) for (let i = 0; i < v.length; i++) if (v[i] !== 0) out[i]++;
  return out;
}

/** One asset's extreme allocation (a fraction of the portfolio value). */
export interface TopPosition {
  symbol: string;
  /** pyfolio's "max" column: the largest (long), smallest (short) or largest absolute weight. */
  max: number;
}

/**
 * pyfolio `pos.get_top_long_short_abs(get_percent_alloc(positions), top)`: each asset's weight
 * (its dollars over positions plus cash) at its most long, most short and largest in size.
 *
 * @example
 * ```ts
 * const { long, short, gross } = top_positions(position_values(results), 10);
 * ```
 */
export function top_positions(
  p: PositionValues,
  top = 10,
): { long: TopPosition[]; short: TopPosition[]; gross: TopPosition[] } {
  const total = totalValue(p);
  const stats = p.symbols.map((symbol, k) => {
    let hi = -Infinity, lo = Infinity, abs = -Infinity;
    const v = p.values[k];
    for (let i = 0; i < v.length; i++) {
      const w = v[i] / total[i];
      if (w !== w) continue;
      hi = Math.max(hi, w);
      lo = Math.min(lo, w);
      abs = Math.max(abs, Math.abs(w));
    }
    return { symbol, hi, lo, abs };
  });
  const pick = (key: "hi" | "lo" | "abs", keep: (x: number) => boolean, dir: 1 | -1) =>
    stats.filter((s) => keep(s[key])).sort((a, b) => dir * (b[key] - a[key])).slice(0, top)
      .map((s) => ({ symbol: s.symbol, max: s[key] }));
  return {
    long: pick("hi", (x) => x > 0, 1),
    short: pick("lo", (x) => x < 0, -1),
    gross: pick("abs", (x) => Number.isFinite(x), 1),
  };
}

/** A fill in pyfolio's `transactions` shape. */
export interface PyfolioTransaction {
  /** Fill time (UTC ms). */
  dt: number;
  symbol: string;
  amount: number;
  price: number;
  /** `−amount × price`: cash in (sells) positive, cash out (buys) negative. */
  txn_dollars: number;
}

/**
 * The fills as pyfolio's `transactions` frame, in time order.
 *
 * @example
 * ```ts
 * pyfolio_transactions(results)[0]; // { dt, symbol: "AAPL", amount: 100, price: 35.1, txn_dollars: -3510 }
 * ```
 */
export function pyfolio_transactions(results: Results): PyfolioTransaction[] {
  return results.transactions.map((t) => ({
    dt: t.dt,
    symbol: t.symbol,
    amount: t.amount,
    price: t.price,
    txn_dollars: -t.amount * t.price,
  }));
}
