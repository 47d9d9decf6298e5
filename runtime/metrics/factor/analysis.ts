/**
 * alphalens' factor analysis over clean factor data (`factor_data.ts`): the information
 * coefficient per date and its summary, mean (demeaned) forward return by quantile, the
 * top-minus-bottom spread, cumulative returns by quantile, quantile turnover and factor rank
 * autocorrelation — each as the alphalens function named in its comment computes it.
 *
 * @module
 */
import { nanmean, nanstd } from "../empyrical.ts";
import { kurtosis, skew } from "../stats.ts";
import type { FactorData } from "./factor_data.ts";
import { pearson, rank, spearman, ttest_1samp } from "./stats_math.ts";

/** Rows grouped by date: `[start, end)` offsets (rows are in date order). */
function byDate(data: FactorData): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < data.date.length;) {
    let b = a;
    while (b < data.date.length && data.date[b] === data.date[a]) b++;
    out.push([a, b]);
    a = b;
  }
  return out;
}

/**
 * alphalens `factor_information_coefficient`: per date and period, Spearman's correlation of
 * the factor with the forward returns. `ic[k][t]` for `periods[k]`, date `t`.
 */
export function information_coefficient(data: FactorData): Float64Array[] {
  const groups = byDate(data);
  return data.forward.map((fwd) =>
    Float64Array.from(
      groups,
      ([a, b]) => spearman(Array.from(data.factor.subarray(a, b)), Array.from(fwd.subarray(a, b))),
    )
  );
}

/** alphalens' "Information Analysis" table for one period. */
export interface IcSummary {
  ic_mean: number;
  ic_std: number;
  risk_adjusted_ic: number;
  t_stat: number;
  p_value: number;
  ic_skew: number;
  ic_kurtosis: number;
}

/** alphalens `plot_information_table` for one period's IC series. */
export function ic_summary(ic: Float64Array): IcSummary {
  const mean = nanmean(ic), std = nanstd(ic, 1);
  const { t, p } = ttest_1samp(Array.from(ic));
  return {
    ic_mean: mean,
    ic_std: std,
    risk_adjusted_ic: mean / std,
    t_stat: t,
    p_value: p,
    ic_skew: skew(ic),
    ic_kurtosis: kurtosis(ic),
  };
}

/**
 * alphalens `mean_return_by_quantile(by_date=True, demeaned)`: for each period, quantile and
 * date, the mean forward return of the quantile's assets (less that date's mean over all assets
 * when demeaned) and its standard error. `mean[k][q-1][t]`; NaN where the quantile is empty.
 */
export function mean_return_by_quantile_by_date(
  data: FactorData,
  demeaned = true,
): { mean: Float64Array[][]; std_err: Float64Array[][] } {
  const groups = byDate(data), Q = data.quantiles;
  const mean: Float64Array[][] = [], std_err: Float64Array[][] = [];
  for (const fwd of data.forward) {
    const m = Array.from({ length: Q }, () => new Float64Array(groups.length).fill(NaN));
    const s = Array.from({ length: Q }, () => new Float64Array(groups.length).fill(NaN));
    groups.forEach(([a, b], t) => {
      const dayMean = demeaned ? nanmean(fwd.subarray(a, b)) : 0;
      for (let q = 1; q <= Q; q++) {
        const x: number[] = [];
        for (let r = a; r < b; r++) if (data.quantile[r] === q) x.push(fwd[r] - dayMean);
        if (!x.length) continue;
        m[q - 1][t] = nanmean(x);
        s[q - 1][t] = nanstd(x, 1) / Math.sqrt(x.length);
      }
    });
    mean.push(m);
    std_err.push(s);
  }
  return { mean, std_err };
}

/**
 * alphalens `utils.rate_of_return`: a `period`-session return as the per-`base`-session rate
 * `(1 + r)^(base / period) − 1` (what "Mean Period Wise Return" shows).
 */
export function rate_of_return(r: number, period: number, base: number): number {
  return (1 + r) ** (base / period) - 1;
}

/**
 * alphalens `mean_return_by_quantile(by_date=False)` then `rate_of_return`: per period and
 * quantile, the mean over dates of the daily quantile means, as a rate per base period, with
 * the standard error of those daily means.
 */
export function mean_return_by_quantile(
  data: FactorData,
  demeaned = true,
): { mean: number[][]; std_err: number[][] } {
  const byDay = mean_return_by_quantile_by_date(data, demeaned).mean;
  const base = data.periods[0];
  return {
    mean: byDay.map((qs, k) => qs.map((x) => rate_of_return(nanmean(x), data.periods[k], base))),
    std_err: byDay.map((qs) =>
      qs.map((x) => nanstd(x, 1) / Math.sqrt(x.filter((v) => v === v).length))
    ),
  };
}

/**
 * alphalens `compute_mean_returns_spread` on the per-date rates: top quantile minus bottom,
 * per period and date. `spread[k][t]`.
 */
export function quantile_spread(data: FactorData, demeaned = true): Float64Array[] {
  const byDay = mean_return_by_quantile_by_date(data, demeaned).mean, base = data.periods[0];
  return byDay.map((qs, k) => {
    const top = qs[qs.length - 1], bottom = qs[0];
    return top.map((x, t) =>
      rate_of_return(x, data.periods[k], base) - rate_of_return(bottom[t], data.periods[k], base)
    );
  });
}

/**
 * alphalens `plot_cumulative_returns_by_quantile`: each quantile's daily (first-period) mean
 * return compounded from 1 (empyrical `cum_returns(…, starting_value=1)`, NaN as 0).
 * `cumulative[q-1][t]`.
 */
export function cumulative_returns_by_quantile(data: FactorData, demeaned = true): Float64Array[] {
  const first = mean_return_by_quantile_by_date(data, demeaned).mean[0];
  return first.map((x) => {
    let g = 1;
    return x.map((r) => (g *= 1 + (r === r ? r : 0)));
  });
}

/**
 * alphalens `quantile_turnover(quantile_factor, q, period)`: the share of a quantile's assets
 * on a date that were not in it `period` dates before. `turnover[q-1][t]` (NaN for the first
 * `period` dates).
 */
export function quantile_turnover(data: FactorData, period: number): Float64Array[] {
  const groups = byDate(data);
  const sets = groups.map(([a, b]) => {
    const s = new Map<number, Set<number>>();
    for (let r = a; r < b; r++) {
      const q = data.quantile[r];
      if (!s.has(q)) s.set(q, new Set());
      s.get(q)!.add(data.asset[r]);
    }
    return s;
  });
  return Array.from({ length: data.quantiles }, (_, qi) =>
    Float64Array.from(sets, (s, t) => {
      const now = s.get(qi + 1), before = t >= period ? sets[t - period].get(qi + 1) : undefined;
      if (t < period || !now || !before) return NaN;
      let fresh = 0;
      for (const a of now) if (!before.has(a)) fresh++;
      return fresh / now.size;
    }));
}

/**
 * alphalens `factor_rank_autocorrelation(period)`: per date, the correlation of the assets'
 * factor ranks with their ranks `period` dates before (assets present on both dates).
 */
export function factor_rank_autocorrelation(data: FactorData, period: number): Float64Array {
  const groups = byDate(data);
  const ranks = groups.map(([a, b]) => {
    const r = rank(Array.from(data.factor.subarray(a, b)));
    return new Map(Array.from(data.asset.subarray(a, b), (asset, k) => [asset, r[k]]));
  });
  return Float64Array.from(ranks, (now, t) => {
    if (t < period) return NaN;
    const x: number[] = [], y: number[] = [];
    for (const [asset, r] of now) {
      const old = ranks[t - period].get(asset);
      if (old !== undefined) {
        x.push(r);
        y.push(old);
      }
    }
    return pearson(x, y);
  });
}

/** alphalens `plot_quantile_statistics_table`: the factor's range and spread per quantile. */
export function quantile_statistics(data: FactorData): {
  quantile: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  count: number;
  count_pct: number;
}[] {
  return Array.from({ length: data.quantiles }, (_, qi) => {
    const x = Array.from(data.factor).filter((_, r) => data.quantile[r] === qi + 1);
    return {
      quantile: qi + 1,
      min: x.length ? x.reduce((a, b) => Math.min(a, b)) : NaN,
      max: x.length ? x.reduce((a, b) => Math.max(a, b)) : NaN,
      mean: nanmean(x),
      std: nanstd(x, 1),
      count: x.length,
      count_pct: (100 * x.length) / data.factor.length,
    };
  });
}
