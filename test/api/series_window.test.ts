/**
 * Series' rolling and ewm windows against hand-computed numbers and pandas (the rest of Series
 * is in series.test.ts). Expected values marked "pandas" were
 * printed by pandas 3.0.6 / numpy 2 (`pd.Series(...).<method>().tolist()`); where pandas and
 * this Series share an algorithm the test asks for the very same bits (`toBe`/`toEqual`).
 */
import { describe, expect, test } from "vitest";
import { Series } from "../../runtime/frames/series.ts";
import { InvalidInputError } from "../../runtime/errors.ts";

const s = (...v: number[]) => Series.from(v);
const arr = (x: Series<unknown>) => Array.from(x.values);

/** Element-wise closeness (NaN matches NaN), for results that are not bit-identical by design. */
function expectClose(actual: ArrayLike<number>, expected: number[], digits = 12) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) expect(actual[i]).toBeNaN();
    else expect(actual[i]).toBeCloseTo(expected[i], digits);
  }
}

// 12 made-up daily closes; expected values below are pandas' output for them.
const PX = [100, 101.5, 99.25, 102, 103.75, 102.5, 104, 105.25, 103, 106.5, 107, 105.75];

describe("rolling", () => {
  const x = s(1, 2, NaN, 4, 5, 6);
  const y = s(3, 1, 4, 1, 5, 9, 2, 6);
  test("NaN until the window holds min_periods values (default: the window)", () => {
    expect(arr(s(1, 2, 3).rolling(2).mean())).toEqual([NaN, 1.5, 2.5]);
    expect(arr(x.rolling(3).mean())).toEqual([NaN, NaN, NaN, NaN, NaN, 5]); // pandas
    expect(arr(x.rolling(3, { min_periods: 1 }).mean())).toEqual([1, 1.5, 1.5, 3, 4.5, 5]);
    expect(arr(x.rolling(2).sum())).toEqual([NaN, 3, NaN, NaN, 9, 11]);
    expect(arr(x.rolling(2, { min_periods: 0 }).sum())).toEqual([1, 3, 2, 4, 9, 11]);
    expect(arr(x.rolling(2, { min_periods: 1 }).max())).toEqual([1, 2, 2, 4, 5, 6]);
  });
  test("std, var(ddof), min, max (pandas)", () => {
    expectClose(y.rolling(3).std().values, [
      NaN,
      NaN,
      1.5275252316519468,
      1.7320508075688772,
      2.0816659994661326,
      4,
      3.511884584284246,
      3.511884584284246,
    ], 13);
    expectClose(y.rolling(3).var(0).values, [
      NaN,
      NaN,
      1.5555555555555556,
      2,
      2.888888888888889,
      10.666666666666666,
      8.222222222222221,
      8.222222222222221,
    ], 13);
    expect(arr(y.rolling(3).min())).toEqual([NaN, NaN, 1, 1, 1, 1, 2, 2]);
    expect(arr(y.rolling(3).max())).toEqual([NaN, NaN, 4, 4, 5, 9, 9, 9]);
  });
  test("moving average of prices: pandas' exact bits", () => {
    expect(arr(Series.from(PX).rolling(5).mean())).toEqual([
      NaN,
      NaN,
      NaN,
      NaN,
      101.3,
      101.8,
      102.3,
      103.5,
      103.7,
      104.25,
      105.15,
      105.5,
    ]);
    expectClose(Series.from(PX).rolling(5).std().values.subarray(4), [
      1.7624556732014574,
      1.6526493881038422,
      1.8990129014832957,
      1.2869537676233782,
      1.0517841983981355,
      1.639359631075503,
      1.6733200530681527,
      1.5512092057488582,
    ], 13);
  });
  test("a window of equal values has exactly that mean and 0 deviation", () => {
    const c = Series.from(Array(6).fill(0.1));
    expect(arr(c.rolling(3).mean())).toEqual([NaN, NaN, 0.1, 0.1, 0.1, 0.1]);
    expect(arr(c.rolling(3).std())).toEqual([NaN, NaN, 0, 0, 0, 0]);
    const spike = Series.from([1000, 0, 0, 0, 0, 0]); // pandas GH#42064
    expect(arr(spike.rolling(3).std()).slice(3)).toEqual([0, 0, 0]);
  });
  test("stays accurate far from zero (prices × 1e9)", () => {
    const big = Series.from([1e9 + 0.5, 1e9 + 1.5, 1e9 + 0.25, 1e9 + 2, 1e9 + 1]);
    expectClose(big.rolling(3).var().values, [NaN, NaN, 0.4375, 0.8125, 0.7708333333333334], 9);
  });
  test("apply gets each window as a view", () => {
    const views: Float64Array[] = [];
    const r = s(1, 2, 4).rolling(2).apply((w) => (views.push(w), w[1] - w[0]));
    expect(arr(r)).toEqual([NaN, 1, 2]);
    expect(views.every((w) => w.length === 2)).toBe(true);
  });
  test("a bad window is an InvalidInputError", () => {
    expect(() => s(1).rolling(0)).toThrow(InvalidInputError);
    expect(() => s(1).rolling(2.5)).toThrow(InvalidInputError);
    expect(() => s(1).rolling(2, { min_periods: 3 })).toThrow(InvalidInputError);
  });
});

describe("ewm (pandas formulas)", () => {
  const x = s(1, 2, 3, 4);
  const y = s(3, 1, 4, 1, 5, 9, 2, 6);
  test("span=2 mean and std, adjusted", () => {
    expect(arr(x.ewm({ span: 2 }).mean())).toEqual([1, 1.75, 2.615384615384615, 3.55]);
    expect(arr(x.ewm({ span: 2 }).std())).toEqual([
      NaN,
      0.7071067811865475,
      0.9198662110077998,
      1.0597532368796632,
    ]);
    expect(arr(x.ewm({ span: 2 }).var(true))).toEqual([
      0,
      0.18749999999999997,
      0.39053254437869817,
      0.5475000000000002,
    ]);
  });
  test("adjust=false is the recursive form", () => {
    const e = x.ewm({ span: 2 }, { adjust: false });
    expect(arr(e.mean())).toEqual([1, 1.6666666666666665, 2.5555555555555554, 3.518518518518518]);
    expectClose(
      e.std().values,
      [NaN, 0.7071067811865476, 0.9746794344808966, 1.1143420667632729],
      14,
    );
  });
  test("com, alpha and halflife give pandas' numbers", () => {
    expect(arr(y.ewm({ com: 0.5 }).mean())).toEqual([
      3,
      1.4999999999999998,
      3.2307692307692304,
      1.725,
      3.9173553719008267,
      7.31043956043956,
      3.768526989935956,
      5.256402439024391,
    ]);
    const a = y.ewm({ alpha: 0.3 }, { adjust: false });
    expect(a.mean().last()).toBe(4.613571599999998);
    expect(a.std().last()).toBeCloseTo(2.8167657426973784, 14);
    const h = y.ewm({ halflife: 2 });
    expectClose(h.mean().values, [
      3,
      1.8284271247461903,
      2.8123273572878915,
      2.104569499661587,
      3.134729790617328,
      5.098041643002177,
      4.102666708405609,
      4.695430500338413,
    ], 14);
    expect(h.std().last()).toBeCloseTo(2.894163399501249, 13);
  });
  test("span=5 over prices: pandas' exact bits", () => {
    const e = Series.from(PX).ewm({ span: 5 });
    expect(arr(e.mean()).slice(0, 4)).toEqual([100, 100.9, 100.11842105263158, 100.89999999999999]);
    expect(e.mean().last()).toBe(105.46939716883635);
    expect(e.std().last()).toBe(1.748825890093816);
  });
  test("NaN carries the last mean; ignore_na and min_periods", () => {
    const z = s(NaN, 1, NaN, 3, 4);
    expect(arr(z.ewm({ span: 3 }).mean())).toEqual([NaN, 1, 1, 2.6, 3.4615384615384617]);
    expectClose(z.ewm({ span: 3 }, { ignore_na: true }).mean().values, [
      NaN,
      1,
      1,
      2.3333333333333335,
      3.2857142857142856,
    ]);
    expectClose(z.ewm({ span: 3 }).std().values, [
      NaN,
      NaN,
      NaN,
      1.4142135623730951,
      1.1677484162422844,
    ]);
    expect(arr(z.ewm({ span: 3 }, { min_periods: 2 }).mean())).toEqual([
      NaN,
      NaN,
      NaN,
      2.6,
      3.4615384615384617,
    ]);
  });
  test("exactly one valid decay", () => {
    expect(() => x.ewm({} as { span: number })).toThrow(InvalidInputError);
    expect(() => x.ewm({ span: 2, com: 1 } as unknown as { span: number })).toThrow(
      InvalidInputError,
    );
    expect(() => x.ewm({ span: 0.5 })).toThrow(InvalidInputError);
    expect(() => x.ewm({ alpha: 0 })).toThrow(InvalidInputError);
    expect(() => x.ewm({ alpha: 1.5 })).toThrow(InvalidInputError);
    expect(() => x.ewm({ com: -1 })).toThrow(InvalidInputError);
    expect(() => x.ewm({ halflife: 0 })).toThrow(InvalidInputError);
    expect(x.ewm({ alpha: 1 }).mean().last()).toBe(4);
  });
});
