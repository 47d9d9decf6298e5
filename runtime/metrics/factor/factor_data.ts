/**
 * alphalens' `get_clean_factor_and_forward_returns`: factor values on (date, asset), forward
 * returns over each period from the prices, rows with any missing value dropped, and each
 * date's factor cut into quantiles (`pd.qcut`: edges at linearly interpolated quantiles, bins
 * closed on the right, the first including its lower edge).
 *
 * @module
 */
import { HarvesterError } from "../../errors.ts";
import { percentile } from "../stats.ts";

/** Factor values: `values[t × assets.length + j]` for date `t` and asset `j` (NaN: none). */
export interface FactorMatrix {
  /** Dates (UTC-midnight ms), ascending. */
  dates: ArrayLike<number>;
  /** Asset symbols. */
  assets: readonly string[];
  values: ArrayLike<number>;
}

/** Prices: one column per symbol over dates (UTC-midnight ms), ascending. */
export interface PriceTable {
  dates: ArrayLike<number>;
  symbols: readonly string[];
  columns: readonly ArrayLike<number>[];
}

/** The clean (date, asset) rows factor analysis works on. */
export interface FactorData {
  /** Periods of the forward returns, in sessions, ascending. */
  periods: number[];
  quantiles: number;
  /** Distinct dates of the rows, ascending. */
  dates: number[];
  assets: readonly string[];
  /** Per row: index into `dates`, index into `assets`, factor value, quantile (1…quantiles). */
  date: Int32Array;
  asset: Int32Array;
  factor: Float64Array;
  quantile: Int32Array;
  /** `forward[k][row]`: the row's return over `periods[k]` sessions. */
  forward: Float64Array[];
}

/** The factor cannot be cut into the quantiles asked for (alphalens raises the same). */
export class FactorQuantileError extends HarvesterError {
  override name = "FactorQuantileError";
  constructor(readonly date: string, readonly quantiles: number, readonly assets: number) {
    super(
      `factor on ${date}: cannot cut ${assets} values into ${quantiles} quantiles (bin edges repeat); ` +
        "ask for fewer quantiles, or a factor with fewer ties",
    );
  }
}

/**
 * `pd.qcut(x, q, labels=False) + 1` for one date's values.
 *
 * @example
 * ```ts
 * qcut([3, 1, 4, 1.5, 9, 2], 3); // [2, 1, 3, 1, 3, 2]
 * ```
 */
export function qcut(x: readonly number[], q: number): number[] | null {
  const edges = Array.from({ length: q + 1 }, (_, k) => percentile(x, (100 * k) / q));
  for (let k = 1; k < edges.length; k++) if (!(edges[k] > edges[k - 1])) return null;
  return x.map((v) => {
    if (v === edges[0]) return 1;
    let lo = 0, hi = edges.length; // first edge ≥ v (searchsorted, side left)
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/**
 * Factor values and forward returns, cleaned and quantised as alphalens does.
 *
 * @example
 * ```ts
 * const data = factor_data(matrix, prices, { periods: [1, 5, 10], quantiles: 5 });
 * ```
 */
export function factor_data(
  factor: FactorMatrix,
  prices: PriceTable,
  opts: { periods?: number[]; quantiles?: number } = {},
): FactorData {
  const periods = [...(opts.periods ?? [1, 5, 10])].sort((a, b) => a - b);
  const quantiles = opts.quantiles ?? 5;
  const priceRow = new Map<number, number>();
  Array.from(prices.dates).forEach((d, i) => priceRow.set(d, i));
  const priceCol = new Map(prices.symbols.map((s, j) => [s, j]));
  const A = factor.assets.length;
  const rows: { t: number; j: number; f: number; fwd: number[] }[] = [];
  for (let t = 0; t < factor.dates.length; t++) {
    const i = priceRow.get(factor.dates[t]);
    if (i === undefined) continue; // alphalens keeps only dates the prices have
    for (let j = 0; j < A; j++) {
      const f = factor.values[t * A + j], c = priceCol.get(factor.assets[j]);
      if (f !== f || c === undefined) continue;
      const p = prices.columns[c];
      // pct_change(period).shift(-period): the price `period` rows later over today's.
      const fwd = periods.map((k) => (i + k < prices.dates.length ? p[i + k] / p[i] - 1 : NaN));
      if (fwd.every((r) => Number.isFinite(r))) rows.push({ t, j, f, fwd });
    }
  }
  const dates: number[] = [], date: number[] = [], quantile: number[] = [];
  for (let a = 0; a < rows.length;) {
    let b = a;
    while (b < rows.length && rows[b].t === rows[a].t) b++;
    const q = qcut(rows.slice(a, b).map((r) => r.f), quantiles);
    const day = factor.dates[rows[a].t];
    if (!q) {
      throw new FactorQuantileError(new Date(day).toISOString().slice(0, 10), quantiles, b - a);
    }
    dates.push(day);
    for (let k = a; k < b; k++) {
      date.push(dates.length - 1);
      quantile.push(q[k - a]);
    }
    a = b;
  }
  return {
    periods,
    quantiles,
    dates,
    assets: factor.assets,
    date: Int32Array.from(date),
    asset: Int32Array.from(rows, (r) => r.j),
    factor: Float64Array.from(rows, (r) => r.f),
    quantile: Int32Array.from(quantile),
    forward: periods.map((_, k) => Float64Array.from(rows, (r) => r.fwd[k])),
  };
}
