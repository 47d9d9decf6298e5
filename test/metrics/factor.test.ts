/**
 * Factor analysis against alphalens' definitions on a case small enough to work by hand: four
 * assets, three factor dates, two quantiles, one-day forward returns. Every expected number is
 * derived in the comments from the prices and factor values below.
 */
import { describe, expect, test } from "vitest";
import { factor_data, qcut } from "../../runtime/metrics/factor/factor_data.ts";
import {
  cumulative_returns_by_quantile,
  factor_rank_autocorrelation,
  ic_summary,
  information_coefficient,
  mean_return_by_quantile,
  quantile_spread,
  quantile_turnover,
  rate_of_return,
} from "../../runtime/metrics/factor/analysis.ts";
import { rank, spearman, ttest_1samp } from "../../runtime/metrics/factor/stats_math.ts";
import { factor_analysis, factorTables } from "../../runtime/metrics/report/factor_tearsheet.ts";

const D = (k: number) => Date.UTC(2024, 0, 2 + k);
const prices = {
  dates: [D(0), D(1), D(2), D(3)],
  symbols: ["A", "B", "C", "D"],
  columns: [[10, 11, 11, 12.1], [10, 10, 9, 9], [10, 9, 9.9, 9.9], [10, 12, 12, 10.8]],
};
// Forward 1-day returns:  A   B     C     D
//                   d0:  .1   0   −.1    .2    (mean .05)
//                   d1:   0 −.1    .1     0    (mean 0)
//                   d2:  .1   0     0   −.1    (mean 0)
const factor = {
  dates: [D(0), D(1), D(2)],
  assets: ["A", "B", "C", "D"],
  values: [4, 1, 2, 3, 1, 2, 3, 4, 3, 1, 4, 2],
};
const data = factor_data(factor, prices, { periods: [1], quantiles: 2 });

describe("clean factor data", () => {
  test("qcut: edges at interpolated quantiles, right-closed bins, lowest edge included", () => {
    // edges [1, 2.5, 4]: 1 and 2 in the first half, 3 and 4 in the second
    expect(qcut([4, 1, 2, 3], 2)).toEqual([2, 1, 1, 2]);
    // sorted 1 1.5 2 3 4 9: tertile edges 1, 1.833, 3.333, 9 (pandas agrees: [2 1 3 1 3 2])
    expect(qcut([3, 1, 4, 1.5, 9, 2], 3)).toEqual([2, 1, 3, 1, 3, 2]);
    expect(qcut([1, 1, 1, 2], 2)).toBeNull(); // repeated edges: alphalens raises
  });

  test("rows, quantiles and forward returns", () => {
    expect(data.dates).toEqual([D(0), D(1), D(2)]);
    expect(Array.from(data.quantile)).toEqual([2, 1, 1, 2, 1, 1, 2, 2, 2, 1, 2, 1]);
    expect(Array.from(data.forward[0], (x) => Math.round(x * 1e9) / 1e9)).toEqual([
      0.1,
      0,
      -0.1,
      0.2,
      0,
      -0.1,
      0.1,
      0,
      0.1,
      0,
      0,
      -0.1,
    ]);
  });
});

describe("information analysis", () => {
  test("ranks average ties; Spearman is Pearson on ranks", () => {
    expect(rank([0, -0.1, 0.1, 0])).toEqual([2.5, 1, 4, 2.5]);
    expect(spearman([4, 1, 2, 3], [0.1, 0, -0.1, 0.2])).toBeCloseTo(0.6, 12);
  });

  test("IC per date and its summary", () => {
    // d0: ranks (4 1 2 3) vs (3 2 1 4): Σdxdy 3 / √(5·5) = 0.6
    // d1: (1 2 3 4) vs (2.5 1 4 2.5): 1.5 / √(5·4.5); d2 likewise
    const ic = information_coefficient(data)[0];
    const r = 1.5 / Math.sqrt(22.5);
    expect(Array.from(ic)).toEqual([
      expect.closeTo(0.6, 12),
      expect.closeTo(r, 12),
      expect.closeTo(r, 12),
    ]);
    const s = ic_summary(ic);
    const mean = (0.6 + 2 * r) / 3, std = Math.sqrt(((0.6 - mean) ** 2 + 2 * (r - mean) ** 2) / 2);
    expect(s.ic_mean).toBeCloseTo(mean, 12);
    expect(s.ic_std).toBeCloseTo(std, 12);
    expect(s.risk_adjusted_ic).toBeCloseTo(mean / std, 12);
    expect(s.t_stat).toBeCloseTo(mean / (std / Math.sqrt(3)), 12);
  });

  test("ttest_1samp's two-sided p-value (df = 2 has a closed form: 1 − t/√(2 + t²))", () => {
    const { t, p } = ttest_1samp([0.1, 0.2, 0.3]);
    expect(t).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(p).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 10);
  });
});

describe("returns analysis", () => {
  test("demeaned mean return by quantile, spread and cumulative returns", () => {
    // demeaned quantile means: Q1 −.1, −.05, −.05; Q2 .1, .05, .05
    const { mean } = mean_return_by_quantile(data);
    expect(mean[0][0]).toBeCloseTo(-0.2 / 3, 12);
    expect(mean[0][1]).toBeCloseTo(0.2 / 3, 12);
    expect(Array.from(quantile_spread(data)[0])).toEqual([
      expect.closeTo(0.2, 12),
      expect.closeTo(0.1, 12),
      expect.closeTo(0.1, 12),
    ]);
    const cum = cumulative_returns_by_quantile(data);
    expect(cum[1][2]).toBeCloseTo(1.1 * 1.05 * 1.05, 12);
    expect(cum[0][2]).toBeCloseTo(0.9 * 0.95 * 0.95, 12);
    // a 5-day return of 10% is 1.1^(1/5) − 1 a day
    expect(rate_of_return(0.1, 5, 1)).toBeCloseTo(1.1 ** 0.2 - 1, 12);
  });
});

describe("turnover analysis", () => {
  test("quantile turnover and factor rank autocorrelation", () => {
    // Q1: {B,C} → {A,B} → {B,D}: one new of two each day; Q2 likewise
    const t = quantile_turnover(data, 1);
    expect(Array.from(t[0])).toEqual([NaN, 0.5, 0.5]);
    expect(Array.from(t[1])).toEqual([NaN, 0.5, 0.5]);
    // ranks (1 2 3 4) vs (4 1 2 3): −1/5; (3 1 4 2) vs (1 2 3 4): 0
    const ac = factor_rank_autocorrelation(data, 1);
    expect(ac[0]).toBeNaN();
    expect(ac[1]).toBeCloseTo(-0.2, 12);
    expect(ac[2]).toBeCloseTo(0, 12);
  });

  test("the tables carry alphalens' row names and these numbers", () => {
    const html = factorTables(factor_analysis(data));
    expect(html).toContain("<th>IC Mean</th><td>0.411</td>");
    expect(html).toContain("<th>Mean Period Wise Spread (bps)</th><td>1,333.333</td>");
    expect(html).toContain("<th>Quantile 1 Mean Turnover</th><td>0.500</td>");
    expect(html).toContain("<th>Mean Factor Rank Autocorrelation</th><td>-0.100</td>");
  });
});
