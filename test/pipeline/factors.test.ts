/** Built-in factors against hand-computed values (numpy's NaN rules, zipline's formulas). */
import { describe, expect, test } from "vitest";
import {
  AnnualizedVolatility,
  AverageDollarVolume,
  BollingerBands,
  DailyReturns,
  EWMA,
  EWMSTD,
  LinearWeightedMovingAverage,
  MaxDrawdown,
  PercentChange,
  Returns,
  RSI,
  SimpleMovingAverage,
  VWAP,
} from "../../runtime/pipeline/mod.ts";
import { compute, round, rowsFrom, testDataSet } from "./helpers.ts";

const N = NaN;
// Six sessions from 2014-01-02 (…01-03, 01-06, 01-07, 01-08, 01-09), three assets.
const T = testDataSet(rowsFrom("2014-01-02", {
  a: [[10, 20, 5], [11, N, 5], [12, 22, 5], [11, 21, 5], [13, 19, 5], [14, 18, 5]],
  b: [[100, 10, 1], [200, 10, 2], [300, N, 3], [400, 10, 4], [500, 10, 5], [600, 10, 6]],
}));

describe("moving averages", () => {
  test("SimpleMovingAverage skips NaN", async () => {
    const r = await compute(
      { sma: new SimpleMovingAverage({ inputs: [T.a], window_length: 3 }) },
      "2014-01-06",
      "2014-01-09",
    );
    expect(round(r.sma)).toEqual(
      round([[11, 21, 5], [34 / 3, 43 / 2, 5], [12, 62 / 3, 5], [38 / 3, 58 / 3, 5]]),
    );
  });

  test("EWMA weights decay^(W+1-t) and propagates NaN", async () => {
    const r = await compute(
      { ewma: new EWMA({ inputs: [T.a], window_length: 3, decay_rate: 0.5 }) },
      "2014-01-06",
      "2014-01-06",
    );
    // (10/16 + 11/8 + 12/4) / (7/16)
    expect(round(r.ewma)).toEqual(round([[80 / 7, N, 5]]));
  });

  test("EWMSTD is bias-corrected", async () => {
    const r = await compute(
      { s: new EWMSTD({ inputs: [T.a], window_length: 3, decay_rate: 0.5 }) },
      "2014-01-06",
      "2014-01-06",
    );
    // variance 26/49 × correction (49/256)/(28/256)
    expect(round(r.s)).toEqual(round([[Math.sqrt(13 / 14), N, 0]]));
  });

  test("EWMA.from_span / from_halflife / from_center_of_mass", () => {
    const a = EWMA.from_span({ inputs: [T.a], window_length: 3, span: 3 });
    expect(a.params.decay_rate).toBe(0.5);
    const h = EWMA.from_halflife({ inputs: [T.a], window_length: 3, halflife: 1 });
    expect(h.params.decay_rate).toBeCloseTo(0.5, 15);
    const c = EWMSTD.from_center_of_mass({ inputs: [T.a], window_length: 3, center_of_mass: 1 });
    expect(c.params.decay_rate).toBe(0.5);
  });

  test("LinearWeightedMovingAverage counts NaN as 0", async () => {
    const r = await compute(
      { l: new LinearWeightedMovingAverage({ inputs: [T.a], window_length: 3 }) },
      "2014-01-06",
      "2014-01-06",
    );
    expect(round(r.l)).toEqual(round([[68 / 6, 86 / 6, 5]]));
  });
});

describe("returns", () => {
  test("Returns: (last − first) / first, NaN propagates", async () => {
    const r = await compute(
      { r: new Returns({ inputs: [T.a], window_length: 3 }) },
      "2014-01-06",
      "2014-01-07",
    );
    expect(round(r.r)).toEqual(round([[0.2, 0.1, 0], [0, N, 0]]));
  });

  test("DailyReturns and PercentChange", async () => {
    const r = await compute(
      {
        d: new DailyReturns({ inputs: [T.a] }),
        p: new PercentChange({ inputs: [T.a], window_length: 2 }),
      },
      "2014-01-03",
      "2014-01-03",
    );
    expect(round(r.d)).toEqual(round([[0.1, N, 0]]));
    expect(round(r.p)).toEqual(round([[0.1, N, 0]]));
  });

  test("Returns needs a window of at least 2", () => {
    expect(() => new Returns({ window_length: 1 })).toThrow(/window_length ≥ 2/);
  });

  test("AnnualizedVolatility: nanstd (ddof 0) of daily returns × √252", async () => {
    const r = await compute(
      {
        v: new AnnualizedVolatility({
          inputs: [new Returns({ inputs: [T.a], window_length: 2 })],
          window_length: 3,
        }),
      },
      "2014-01-07",
      "2014-01-07",
    );
    const x = [0.1, 12 / 11 - 1, 11 / 12 - 1], m = (x[0] + x[1] + x[2]) / 3;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / 3);
    expect(r.v[0][0]).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(r.v[0][2]).toBe(0);
  });
});

describe("volume-weighted", () => {
  test("AverageDollarVolume: nansum(close × volume) / window", async () => {
    const r = await compute(
      { adv: new AverageDollarVolume({ inputs: [T.a, T.b], window_length: 2 }) },
      "2014-01-03",
      "2014-01-03",
    );
    expect(r.adv).toEqual([[1600, 100, 7.5]]);
  });

  test("VWAP: nansum(close × volume) / nansum(volume)", async () => {
    const r = await compute(
      { v: new VWAP({ inputs: [T.a, T.b], window_length: 2 }) },
      "2014-01-03",
      "2014-01-03",
    );
    expect(round(r.v)).toEqual(round([[3200 / 300, 10, 5]]));
  });
});

describe("technical", () => {
  test("RSI: 100 − 100/(1 + mean gain / mean loss)", async () => {
    const r = await compute(
      { rsi: new RSI({ inputs: [T.a], window_length: 4 }) },
      "2014-01-07",
      "2014-01-07",
    );
    // asset 0: changes +1 +1 −1; asset 1: only −1 is known; asset 2: no change at all (0/0).
    expect(round(r.rsi)).toEqual(round([[200 / 3, 0, N]]));
  });

  test("RSI defaults: EquityPricing.close, 15 days", () => {
    const rsi = new RSI();
    expect(rsi.window_length).toBe(15);
    expect(String(rsi.inputs[0])).toBe("EquityPricing.close::float64");
  });

  test("BollingerBands: middle ± k × nanstd", async () => {
    const bb = new BollingerBands({ inputs: [T.a], window_length: 3, k: 2 });
    const r = await compute(
      { lower: bb.lower, middle: bb.middle, upper: bb.upper },
      "2014-01-06",
      "2014-01-06",
    );
    const d = 2 * Math.sqrt(2 / 3);
    expect(round(r.middle)).toEqual(round([[11, 21, 5]]));
    expect(round(r.upper)).toEqual(round([[11 + d, 23, 5]])); // asset 1: std of 20, 22 is 1
    expect(round(r.lower)).toEqual(round([[11 - d, 19, 5]]));
  });

  test("MaxDrawdown: largest fall from a running peak, over the trough", async () => {
    const r = await compute(
      { dd: new MaxDrawdown({ inputs: [T.a], window_length: 6 }) },
      "2014-01-09",
      "2014-01-09",
    );
    expect(round(r.dd)).toEqual(round([[1 / 11, 4 / 18, 0]]));
  });
});

describe("latest", () => {
  test("column.latest is the day's row", async () => {
    const r = await compute(
      { a: T.a.latest, flag: T.flag.latest, label: T.label.latest },
      "2014-01-06",
      "2014-01-06",
    );
    expect(r.a).toEqual([[12, 22, 5]]);
    expect(r.flag).toEqual([[0, 0, 0]]);
    expect(r.label).toEqual([[-1, -1, -1]]);
  });
});
