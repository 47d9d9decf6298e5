/**
 * Round trips as pyfolio finds them (`round_trips.extract_round_trips`): fills of one asset in
 * the same direction less than 8 hours apart are merged (at their VWAP), then shares are matched
 * first in, first out; every fill that reduces a position closes a round trip with its profit,
 * its opening time (the oldest share it closed) and its return on the capital it had invested.
 * Positions still open at the end are closed at their last value first
 * (`add_closing_transactions`). The statistics are pyfolio's `gen_round_trip_stats`.
 *
 * @module
 */

/** A fill: time (UTC ms), symbol, signed shares, price. */
export interface Fill {
  dt: number;
  symbol: string;
  amount: number;
  price: number;
}

/** One closed round trip. */
export interface RoundTrip {
  symbol: string;
  /** Time of the oldest share closed, and of the closing fill (UTC ms). */
  open_dt: number;
  close_dt: number;
  /** `close_dt − open_dt` in ms. */
  duration: number;
  /** True when it closed a long position. */
  long: boolean;
  /** Profit in dollars. */
  pnl: number;
  /** `pnl / invested`: the return on the shares' opening value. */
  rt_returns: number;
  /** `pnl / portfolio value at the start of the closing day` (NaN when not given). */
  returns: number;
}

const MERGE_WITHIN_MS = 8 * 3600_000;

/** pyfolio `_groupby_consecutive`: same-direction fills of an asset < 8 h apart, merged. */
function mergeConsecutive(fills: readonly Fill[]): Fill[] {
  const bySymbol = new Map<string, Fill[]>();
  for (const f of fills) {
    const list = bySymbol.get(f.symbol) ?? [];
    list.push(f);
    bySymbol.set(f.symbol, list);
  }
  const out: Fill[] = [];
  for (const [symbol, list] of [...bySymbol].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.dt - b.dt);
    let block: Fill[] = [];
    const flush = () => {
      if (!block.length) return;
      let shares = 0, value = 0;
      for (const f of block) {
        shares += f.amount;
        value += f.amount * f.price;
      }
      out.push({
        dt: block[0].dt,
        symbol,
        amount: shares,
        price: shares === 0 ? NaN : value / shares,
      });
      block = [];
    };
    for (let i = 0; i < list.length; i++) {
      const prev = list[i - 1], f = list[i];
      if (prev && ((prev.amount > 0) !== (f.amount > 0) || f.dt - prev.dt > MERGE_WITHIN_MS)) {
        flush();
      }
      block.push(f);
    }
    flush();
  }
  return out;
}

/**
 * pyfolio `add_closing_transactions`: a fill closing each position still held on the last
 * session, one second after `end_dt`, at `value / shares`.
 *
 * @example
 * ```ts
 * with_closing_fills(fills, { AAPL: 10_500 }, lastClose);
 * ```
 */
export function with_closing_fills(
  fills: readonly Fill[],
  open_values: Readonly<Record<string, number>>,
  end_dt: number,
): Fill[] {
  const out = [...fills];
  for (const [symbol, value] of Object.entries(open_values)) {
    if (value === 0) continue;
    let shares = 0;
    for (const f of fills) if (f.symbol === symbol) shares += f.amount;
    out.push({ dt: end_dt + 1000, symbol, amount: -shares, price: value / shares });
  }
  return out.filter((f) => f.amount !== 0);
}

/** Shares of one price and time on the FIFO stack (a run of pyfolio's per-share entries). */
interface Lot {
  signedPrice: number;
  dt: number;
  shares: number;
}

/**
 * pyfolio `extract_round_trips`. `startValue(dt)` gives the portfolio value at the start of
 * the closing day, for `returns` (omit it for NaN).
 *
 * @example
 * ```ts
 * const trips = extract_round_trips(results.transactions);
 * ```
 */
export function extract_round_trips(
  fills: readonly Fill[],
  startValue: (dt: number) => number = () => NaN,
): RoundTrip[] {
  const merged = mergeConsecutive(fills);
  const trips: RoundTrip[] = [];
  const stacks = new Map<string, Lot[]>();
  for (const f of merged) {
    if (!(f.price >= 0)) continue; // pyfolio skips negative prices
    const stack = stacks.get(f.symbol) ?? [];
    stacks.set(f.symbol, stack);
    const sign = f.amount < 0 ? -1 : 1, price = f.price * Math.sign(f.amount);
    let shares = Math.trunc(Math.abs(f.amount));
    if (stack.length === 0 || Math.sign(stack[stack.length - 1].signedPrice) === sign) {
      if (shares) stack.push({ signedPrice: price, dt: f.dt, shares });
      continue;
    }
    let pnl = 0, invested = 0, openDt = NaN;
    while (shares > 0 && stack.length > 0) {
      const lot = stack[0], k = Math.min(shares, lot.shares);
      if (openDt !== openDt) openDt = lot.dt;
      pnl += -(price + lot.signedPrice) * k;
      invested += Math.abs(lot.signedPrice) * k;
      lot.shares -= k;
      shares -= k;
      if (lot.shares === 0) stack.shift();
    }
    if (shares > 0) stack.push({ signedPrice: price, dt: f.dt, shares }); // the position flipped
    trips.push({
      symbol: f.symbol,
      open_dt: openDt,
      close_dt: f.dt,
      duration: f.dt - openDt,
      long: price < 0,
      pnl,
      rt_returns: pnl / invested,
      returns: pnl / startValue(f.dt),
    });
  }
  return trips;
}

/** Statistics of one group of round trips (pyfolio's "All trades", "Long trades", "Short trades"). */
export interface RoundTripStats {
  count: number;
  /** "Percent profitable" as a fraction. */
  percent_profitable: number;
  winning: number;
  losing: number;
  even: number;
  total_profit: number;
  gross_profit: number;
  gross_loss: number;
  /** Gross profit / |gross loss|; NaN without a loss. */
  profit_factor: number;
  avg_trade_net_profit: number;
  avg_winning_trade: number;
  avg_losing_trade: number;
  /** "Ratio Avg. Win:Avg. Loss". */
  win_loss_ratio: number;
  largest_winning_trade: number;
  largest_losing_trade: number;
  /** Durations in ms. */
  avg_duration: number;
  median_duration: number;
  longest_duration: number;
  shortest_duration: number;
  /** Mean and median of `returns` (the portfolio-relative return). */
  avg_returns: number;
  median_returns: number;
}

const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
const mean = (x: number[]) => (x.length ? sum(x) / x.length : NaN);
function median(x: number[]): number {
  const s = x.filter((v) => v === v).sort((a, b) => a - b), n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const max = (x: number[]) => (x.length ? x.reduce((a, b) => (b > a ? b : a)) : NaN);
const min = (x: number[]) => (x.length ? x.reduce((a, b) => (b < a ? b : a)) : NaN);

/**
 * pyfolio `gen_round_trip_stats` for a group of round trips.
 *
 * @example
 * ```ts
 * round_trip_stats(trips).percent_profitable; // 0.55
 * ```
 */
export function round_trip_stats(trips: readonly RoundTrip[]): RoundTripStats {
  const pnl = trips.map((t) => t.pnl),
    wins = pnl.filter((x) => x > 0),
    losses = pnl.filter((x) => x < 0);
  const durations = trips.map((t) => t.duration), returns = trips.map((t) => t.returns);
  const lossSum = Math.abs(sum(losses)), lossMean = Math.abs(mean(losses));
  return {
    count: trips.length,
    percent_profitable: wins.length / trips.length,
    winning: wins.length,
    losing: losses.length,
    even: pnl.filter((x) => x === 0).length,
    total_profit: sum(pnl),
    gross_profit: sum(wins),
    gross_loss: sum(losses),
    profit_factor: lossSum !== 0 ? sum(wins) / lossSum : NaN,
    avg_trade_net_profit: mean(pnl),
    avg_winning_trade: mean(wins),
    avg_losing_trade: mean(losses),
    win_loss_ratio: lossMean !== 0 ? mean(wins) / lossMean : NaN,
    largest_winning_trade: max(pnl),
    largest_losing_trade: min(pnl),
    avg_duration: mean(durations),
    median_duration: median(durations),
    longest_duration: max(durations),
    shortest_duration: min(durations),
    avg_returns: mean(returns.filter((x) => x === x)),
    median_returns: median(returns),
  };
}
