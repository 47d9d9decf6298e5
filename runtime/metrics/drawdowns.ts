/**
 * pyfolio's "Worst drawdown periods" table (`timeseries.gen_drawdown_table`): the deepest
 * drawdown of the cumulative returns, then the deepest of what is left once that period is cut
 * out, and so on — each with its peak, valley, recovery and duration in business days.
 *
 * @module
 */
import { DAY_MS } from "../../calendars/days.ts";
import { cum_returns } from "./empyrical.ts";

/** One row of pyfolio's drawdown table. */
export interface DrawdownRow {
  /** `(cum[peak] − cum[valley]) / cum[peak] × 100` ("Net drawdown in %"). */
  net_drawdown_pct: number;
  /** Session index of the peak, the valley and the recovery (null: not recovered). */
  peak: number;
  valley: number;
  recovery: number | null;
  /** Business days (Mon–Fri) from peak to recovery, both counted; null when not recovered. */
  duration: number | null;
}

/** Weekdays from day `a` to day `b` inclusive (pandas `date_range(a, b, freq="B")`). */
export function business_days(aMs: number, bMs: number): number {
  const a = Math.floor(aMs / DAY_MS), b = Math.floor(bMs / DAY_MS);
  let n = 0;
  for (let d = a; d <= b; d++) {
    const wd = (d + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

/**
 * pyfolio `get_top_drawdowns` + `gen_drawdown_table` over daily returns.
 *
 * @example
 * ```ts
 * const rows = drawdown_table(results.sessions, results.perf.returns, 5);
 * rows[0].net_drawdown_pct; // the deepest, in percent
 * ```
 */
export function drawdown_table(
  sessions: ArrayLike<number>,
  returns: ArrayLike<number>,
  top = 10,
): DrawdownRow[] {
  const cum = cum_returns(returns, 1);
  const uw = new Float64Array(cum.length);
  let peakValue = -Infinity;
  for (let i = 0; i < cum.length; i++) {
    peakValue = Math.max(peakValue, cum[i]);
    uw[i] = cum[i] / peakValue - 1;
  }
  // The sessions still in play (pyfolio drops each found period from its underwater series).
  let alive = Array.from({ length: uw.length }, (_, i) => i);
  const rows: DrawdownRow[] = [];
  for (let k = 0; k < top && alive.length > 0; k++) {
    let v = 0; // position in `alive` of the first minimum (pandas idxmin)
    for (let j = 1; j < alive.length; j++) if (uw[alive[j]] < uw[alive[v]]) v = j;
    let p = v;
    while (p > 0 && uw[alive[p]] !== 0) p--;
    let r: number | null = v;
    while (r !== null && uw[alive[r]] !== 0) r = r + 1 < alive.length ? r + 1 : null;
    const peak = alive[p], valley = alive[v], recovery = r === null ? null : alive[r];
    rows.push({
      net_drawdown_pct: ((cum[peak] - cum[valley]) / cum[peak]) * 100,
      peak,
      valley,
      recovery,
      duration: recovery === null ? null : business_days(sessions[peak], sessions[recovery]),
    });
    alive = r === null ? alive.slice(0, p + 1) : [...alive.slice(0, p + 1), ...alive.slice(r)];
    let min = Infinity;
    for (const i of alive) min = Math.min(min, uw[i]);
    if (min === 0) break;
  }
  return rows;
}
