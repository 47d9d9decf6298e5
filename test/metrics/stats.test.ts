/**
 * The tearsheet's statistics against the definitions they follow — scipy's biased skew and
 * excess kurtosis, numpy's linear percentiles, empyrical's omega and tail ratios, pyfolio's value
 * at risk, drawdown table, turnover, leverage, top positions and round trips — on small cases
 * worked out by hand in the comments.
 */
import { describe, expect, test } from "vitest";
import {
  aggregate_returns,
  best_worst,
  kurtosis,
  omega_ratio,
  percentile,
  rolling_volatility,
  skew,
  tail_ratio,
  value_at_risk,
} from "../../runtime/metrics/stats.ts";
import { business_days, drawdown_table } from "../../runtime/metrics/drawdowns.ts";
import {
  daily_turnover,
  gross_leverage,
  holdings_count,
  type PositionValues,
  top_positions,
} from "../../runtime/metrics/positions.ts";
import {
  extract_round_trips,
  round_trip_stats,
  with_closing_fills,
} from "../../runtime/metrics/round_trips.ts";
import { duration, money, percent } from "../../runtime/metrics/format.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const HOUR = 3600_000;

describe("return statistics", () => {
  test("percentile interpolates linearly between order statistics (numpy's default)", () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5); // halfway between 2 and 3
    // position 0.95 × 4 = 3.8: 4 + 0.8 × (5 − 4)
    expect(percentile([1, 2, 3, 4, 5, NaN], 95)).toBeCloseTo(4.8, 12);
  });

  test("skew and kurtosis are scipy's biased moments", () => {
    // mean 4, deviations −3 −2 −1 6: m2 = 50/4, m3 = 180/4, m4 = 1394/4
    expect(skew([1, 2, 3, 10])).toBeCloseTo(1.0182337649086284, 12);
    expect(kurtosis([1, 2, 3, 10])).toBeCloseTo(348.5 / 156.25 - 3, 12);
    expect(skew([0.01, 0.01])).toBeNaN();
  });

  test("omega is gains over losses; tail ratio is |p95| / |p5|; VaR is mean − 2σ", () => {
    expect(omega_ratio([0.02, -0.01, 0.01, -0.01])).toBeCloseTo(0.03 / 0.02, 12);
    expect(omega_ratio([0.01, 0.02])).toBeNaN(); // no loss
    const r = Array.from({ length: 20 }, (_, i) => (i + 1) / 100);
    // p95 at position 18.05 → 0.1905; p5 at 0.95 → 0.0195
    expect(tail_ratio(r)).toBeCloseTo(0.1905 / 0.0195, 12);
    // mean 0.02, sample std 0.01
    expect(value_at_risk([0.01, 0.02, 0.03])).toBeCloseTo(0, 12);
  });

  test("calendar aggregation compounds within a period; best and worst day and month", () => {
    const sessions = [day("2013-12-30"), day("2013-12-31"), day("2014-01-02"), day("2014-02-03")];
    const r = [0.1, -0.1, 0.05, -0.2];
    const years = aggregate_returns(sessions, r, "yearly");
    expect(years.map((y) => y.period)).toEqual(["2013", "2014"]);
    expect(years[0].return).toBeCloseTo(1.1 * 0.9 - 1, 12);
    expect(years[1].return).toBeCloseTo(1.05 * 0.8 - 1, 12);
    const { day: d, month } = best_worst(sessions, r);
    expect(d.best).toEqual({ period: "2013-12-30", return: 0.1 });
    expect(d.worst).toEqual({ period: "2014-02-03", return: -0.2 });
    expect(month.best?.period).toBe("2014-01");
    expect(month.worst?.period).toBe("2014-02");
  });

  test("rolling volatility is the window's sample std × √252", () => {
    const v = rolling_volatility(new Float64Array([0.01, 0.03, 0.02, 0.04]), 2);
    expect(v[0]).toBeNaN();
    expect(v[1]).toBeCloseTo(Math.SQRT2 * 0.01 * Math.sqrt(252), 12);
    expect(v[3]).toBeCloseTo(Math.SQRT2 * 0.01 * Math.sqrt(252), 12);
  });
});

describe("pyfolio's drawdown table", () => {
  // Values 1, 1.1, 0.99, 1.21, 1.089, 0.9801, 1.21, 1.331 on weekdays from Monday 2024-01-01:
  // underwater 0, 0, −10%, 0, −10%, −19%, 0, 0.
  const values = [1, 1.1, 0.99, 1.21, 1.089, 0.9801, 1.21, 1.331];
  const returns = values.map((v, i) => (i === 0 ? 0 : v / values[i - 1] - 1));
  const sessions = ["01", "02", "03", "04", "05", "08", "09", "10"].map((d) => day(`2024-01-${d}`));

  test("deepest first, each period cut out before the next is found", () => {
    const rows = drawdown_table(sessions, returns, 10);
    expect(rows).toHaveLength(2); // after two cuts nothing is under water
    expect(rows[0]).toMatchObject({ peak: 3, valley: 5, recovery: 6 });
    expect(rows[0].net_drawdown_pct).toBeCloseTo(19, 9);
    expect(rows[0].duration).toBe(4); // Thu 4, Fri 5, Mon 8, Tue 9
    expect(rows[1]).toMatchObject({ peak: 1, valley: 2, recovery: 3, duration: 3 });
    expect(rows[1].net_drawdown_pct).toBeCloseTo(10, 9);
  });

  test("an unrecovered drawdown has no recovery and no duration", () => {
    const rows = drawdown_table(sessions.slice(0, 6), returns.slice(0, 6), 10);
    expect(rows[0]).toMatchObject({ peak: 3, valley: 5, recovery: null, duration: null });
    expect(business_days(day("2024-01-05"), day("2024-01-08"))).toBe(2); // Fri, Mon
  });
});

describe("pyfolio's positions and turnover", () => {
  // Day 0: A 100 long; day 1: A 200, B −100 (short); day 2: flat.
  const p: PositionValues = {
    dates: new Float64Array([day("2024-01-02"), day("2024-01-03"), day("2024-01-04")]),
    symbols: ["A", "B"],
    values: [new Float64Array([100, 200, 0]), new Float64Array([0, -100, 0])],
    cash: new Float64Array([900, 900, 1000]),
  };

  test("gross leverage, holdings and top positions", () => {
    // Σ|pos| / (Σpos + cash): 100/1000, 300/1000, 0
    expect(Array.from(gross_leverage(p))).toEqual([0.1, 0.3, 0]);
    expect(Array.from(holdings_count(p))).toEqual([1, 2, 0]);
    const top = top_positions(p);
    expect(top.long).toEqual([{ symbol: "A", max: 0.2 }]);
    expect(top.short).toEqual([{ symbol: "B", max: -0.1 }]);
    expect(top.gross).toEqual([{ symbol: "A", max: 0.2 }, { symbol: "B", max: 0.1 }]);
  });

  test("turnover: traded dollars over the mean of yesterday's and today's gross book", () => {
    const fills = [
      { date: p.dates[0], amount: 10, price: 10 }, // 100 traded; book 100, halved on day 0
      { date: p.dates[1], amount: 5, price: 20 }, // 100 + 100 traded; mean book (100 + 300) / 2
      { date: p.dates[1], amount: -5, price: 20 },
    ];
    expect(Array.from(daily_turnover(p, fills))).toEqual([2, 1, 0]);
  });
});

describe("pyfolio's round trips", () => {
  const t0 = day("2024-01-02") + 15 * HOUR;
  const fills = [
    { dt: t0, symbol: "A", amount: 10, price: 10 },
    { dt: t0 + HOUR, symbol: "A", amount: 10, price: 12 }, // < 8 h later: one buy of 20 at 11
    { dt: t0 + 24 * HOUR, symbol: "A", amount: -5, price: 15 }, // closes 5: +20 on 55
    { dt: t0 + 48 * HOUR, symbol: "A", amount: -25, price: 9 }, // closes 15: −30 on 165, 10 short
    { dt: t0 + 72 * HOUR, symbol: "A", amount: 10, price: 8 }, // closes the short: +10 on 90
  ];

  test("fills merge, then shares match first in, first out", () => {
    const trips = extract_round_trips(fills, () => 1000);
    expect(trips.map((t) => [t.pnl, t.long, t.open_dt, t.close_dt])).toEqual([
      [20, true, t0, t0 + 24 * HOUR],
      [-30, true, t0, t0 + 48 * HOUR],
      [10, false, t0 + 48 * HOUR, t0 + 72 * HOUR],
    ]);
    expect(trips.map((t) => t.rt_returns)).toEqual([20 / 55, -30 / 165, 10 / 90]);
    expect(trips.map((t) => t.returns)).toEqual([0.02, -0.03, 0.01]);
    const s = round_trip_stats(trips);
    expect(s).toMatchObject({ count: 3, winning: 2, losing: 1, even: 0, total_profit: 0 });
    expect(s.percent_profitable).toBeCloseTo(2 / 3, 12);
    expect(s.profit_factor).toBe(1); // 30 won, 30 lost
    expect(s.win_loss_ratio).toBe(0.5); // average win 15, average loss 30
    expect(s.median_duration).toBe(24 * HOUR); // 24 h, 48 h, 24 h
  });

  test("open positions are closed at their last value one second after the end", () => {
    const end = t0 + 40 * HOUR;
    const closed = with_closing_fills(fills.slice(0, 3), { A: 15 * 14 }, end);
    expect(closed.at(-1)).toEqual({ dt: end + 1000, symbol: "A", amount: -15, price: 14 });
    const trips = extract_round_trips(closed);
    expect(trips.map((t) => t.pnl)).toEqual([20, 45]); // 15 × (14 − 11)
    // A closing fill < 8 h after a sell merges with it, as any two same-direction fills do.
    const soon = with_closing_fills(fills.slice(0, 3), { A: 15 * 14 }, t0 + 30 * HOUR);
    expect(extract_round_trips(soon).map((t) => t.pnl)).toEqual([65]);
  });
});

test("report formats: separators, fixed decimals, no negative zero", () => {
  expect(money(1234567.891)).toBe("1,234,567.89");
  expect(percent(4085.424)).toBe("408,542.40%");
  expect(percent(-0.00001)).toBe("0.00%");
  expect(duration(2 * 86_400_000 + 3 * HOUR + 61_000)).toBe("2 days 03:01:01");
});
