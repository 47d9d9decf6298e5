/**
 * Series against hand-computed numbers and pandas. Expected values marked "pandas" were
 * printed by pandas 3.0.6 / numpy 2 (`pd.Series(...).<method>().tolist()`); where pandas and
 * this Series share an algorithm the test asks for the very same bits (`toBe`/`toEqual`).
 */
import { describe, expect, test } from "vitest";
import { Series } from "../../runtime/api/series.ts";
import {
  KeyNotFoundError,
  LengthMismatchError,
  PositionOutOfRangeError,
} from "../../runtime/api/series_index.ts";
import { HarvesterError, InvalidInputError } from "../../runtime/errors.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const times = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => day("2024-01-01") + i * 86_400_000);
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

/** Stands in for an Equity: an asset is its sid (`valueOf`). */
class FakeAsset {
  constructor(readonly sid: number, readonly symbol: string) {}
  valueOf(): number {
    return this.sid;
  }
  toString(): string {
    return `Equity(${this.sid} [${this.symbol}])`;
  }
}

// 12 made-up daily closes; expected values below are pandas' output for them.
const PX = [100, 101.5, 99.25, 102, 103.75, 102.5, 104, 105.25, 103, 106.5, 107, 105.75];

describe("construction and access", () => {
  test("values and index must have one length", () => {
    expect(() => new Series(Float64Array.of(1, 2), Float64Array.of(1))).toThrow(
      LengthMismatchError,
    );
    expect(() => new Series(Float64Array.of(1, 2), [1])).toThrow(HarvesterError);
  });
  test("from() labels 0..n-1 and copies into a Float64Array", () => {
    const x = Series.from([5, 6], undefined, "x");
    expect(x.values).toBeInstanceOf(Float64Array);
    expect(Array.from(x.index)).toEqual([0, 1]);
    expect(x.name).toBe("x");
    expect(x.length).toBe(2);
  });
  test("iloc counts from the end when negative and throws out of range", () => {
    const x = s(10, 20, 30);
    expect(x.iloc(0)).toBe(10);
    expect(x.iloc(-1)).toBe(30);
    expect(x.iloc(-3)).toBe(10);
    expect(() => x.iloc(3)).toThrow(PositionOutOfRangeError);
    expect(() => x.iloc(-4)).toThrow(PositionOutOfRangeError);
    expect(() => x.iloc(0.5)).toThrow(PositionOutOfRangeError);
  });
  test("at is Array.prototype.at; first/last give NaN when empty", () => {
    const x = s(10, 20, 30);
    expect(x.at(-2)).toBe(20);
    expect(x.at(5)).toBeUndefined();
    expect(x.first()).toBe(10);
    expect(x.last()).toBe(30);
    expect(s().first()).toBeNaN();
    expect(s().last()).toBeNaN();
    expect(s(1, NaN).last()).toBeNaN(); // positional, like iloc[-1]
  });
  test("get/loc/has by time: UTC ms or Date", () => {
    const x = new Series(Float64Array.of(1, 2, 3), times(3));
    expect(x.get(day("2024-01-02"))).toBe(2);
    expect(x.get(new Date("2024-01-03T00:00:00Z"))).toBe(3);
    expect(x.get(day("2023-01-01"))).toBeUndefined();
    expect(x.has(day("2024-01-01"))).toBe(true);
    expect(x.loc(day("2024-01-01"))).toBe(1);
    expect(() => x.loc(day("2025-01-01"))).toThrow(KeyNotFoundError);
  });
  test("get by asset: identity, or the same sid in another object", () => {
    const aapl = new FakeAsset(24, "AAPL"), msft = new FakeAsset(5061, "MSFT");
    const x = new Series(Float64Array.of(190, 410), [aapl, msft]);
    expect(x.get(aapl)).toBe(190);
    expect(x.get(new FakeAsset(5061, "MSFT"))).toBe(410);
    expect(x.get(new FakeAsset(1, "X"))).toBeUndefined();
  });
  test("objects without a numeric valueOf match by identity only", () => {
    const a = { k: 1 }, b = { k: 1 };
    const x = new Series(Float64Array.of(7), [a]);
    expect(x.get(a)).toBe(7);
    expect(x.get(b)).toBeUndefined();
  });
  test("long indexes are looked up through a map, first label winning", () => {
    const assets = Array.from({ length: 100 }, (_, i) => new FakeAsset(i, `S${i}`));
    const x = new Series(Float64Array.from(assets, (a) => a.sid * 2), assets);
    expect(x.get(new FakeAsset(77, "S77"))).toBe(154);
    expect(x.get(77 as unknown as FakeAsset)).toBe(154);
    const dup = new Series(Float64Array.from({ length: 40 }, (_, i) => i), Array(40).fill("k"));
    expect(dup.get("k")).toBe(0);
  });
});

describe("reductions (pandas semantics)", () => {
  test("std/var with ddof, NaN when too few values", () => {
    const x = s(1, 2, 3, 4);
    expect(x.mean()).toBe(2.5);
    expect(x.std()).toBe(1.2909944487358056); // pandas
    expect(x.std(0)).toBe(1.118033988749895); // pandas
    expect(x.var()).toBe(1.6666666666666667);
    expect(x.var(0)).toBe(1.25);
    expect(s(5).std()).toBeNaN();
    expect(s(5).std(0)).toBe(0);
    expect(s().std()).toBeNaN();
  });
  test("NaN is skipped; empty and all-NaN follow pandas", () => {
    const x = s(3, NaN, 1, 2);
    expect(x.sum()).toBe(6);
    expect(x.mean()).toBe(2);
    expect(x.count()).toBe(3);
    expect(x.min()).toBe(1);
    expect(x.max()).toBe(3);
    expect(x.median()).toBe(2);
    expect(x.std()).toBe(1);
    expect(s().sum()).toBe(0);
    expect(s(NaN).sum()).toBe(0);
    expect(s(NaN).mean()).toBeNaN();
    expect(s(NaN).min()).toBeNaN();
    expect(s(NaN).median()).toBeNaN();
    expect(s(3, 1, 2, 10).median()).toBe(2.5);
  });
  test("two-pass and pairwise: pandas' exact bits", () => {
    expect(s(1e9 + 1, 1e9 + 2, 1e9 + 3).var()).toBe(1); // naive sum of squares gives 0 or 2
    expect(s(0.1, 0.2, 0.3).mean()).toBe(0.20000000000000004); // pandas
    expect(Series.from(Array(10).fill(0.1)).sum()).toBe(1); // numpy pairwise; naive gives 0.9999…
    const px = Series.from(PX);
    expect(px.mean()).toBe(103.375);
    expect(px.std()).toBe(2.473725567199842); // pandas
    expect(px.var(0)).toBe(5.609375); // pandas
  });
});

describe("changes over time", () => {
  test("pct_change does not fill NaN (pandas ≥ 3); ffill first for the old behaviour", () => {
    const x = s(100, NaN, 110, 99);
    expect(arr(x.pct_change())).toEqual([NaN, NaN, NaN, -0.09999999999999998]); // pandas 3
    expectClose(x.ffill().pct_change().values, [NaN, 0, 0.1, -0.1]);
    expect(arr(s(1, 2, 4, 8).pct_change(2))).toEqual([NaN, NaN, 3, 3]);
    expect(arr(s(1, 2, 4, 8).pct_change(-1))).toEqual([-0.5, -0.5, -0.5, NaN]);
    expect(arr(s(0, 1).pct_change())).toEqual([NaN, Infinity]);
  });
  test("pct_change of prices (pandas bits)", () => {
    expect(arr(Series.from(PX).pct_change()).slice(0, 4)).toEqual([
      NaN,
      0.014999999999999902,
      -0.022167487684729092,
      0.027707808564231717,
    ]);
  });
  test("diff and shift, both directions (pandas)", () => {
    const y = s(3, 1, 4, 1, 5, 9, 2, 6);
    expect(arr(y.diff())).toEqual([NaN, -2, 3, -3, 4, 4, -7, 4]);
    expect(arr(y.diff(-2))).toEqual([-1, 0, -1, -8, 3, 3, NaN, NaN]);
    expect(arr(y.shift(2))).toEqual([NaN, NaN, 3, 1, 4, 1, 5, 9]);
    expect(arr(y.shift(-1))).toEqual([1, 4, 1, 5, 9, 2, 6, NaN]);
    expect(y.shift(0)).toBe(y);
    expect(y.diff().index).toBe(y.index);
  });
  test("cumsum and cumprod keep NaN in place and carry on after it (pandas)", () => {
    expect(arr(s(1, NaN, 2, 3).cumsum())).toEqual([1, NaN, 3, 6]);
    expect(arr(s(1, NaN, 2, 3).cumprod())).toEqual([1, NaN, 2, 6]);
  });
});

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

describe("missing values", () => {
  const t = times(4);
  const x = new Series(Float64Array.of(1, NaN, NaN, 4), t, "x");
  test("dropna keeps the labels of the rows it keeps", () => {
    const d = x.dropna();
    expect(arr(d)).toEqual([1, 4]);
    expect(Array.from(d.index)).toEqual([t[0], t[3]]);
    expect(d.index).toBeInstanceOf(Float64Array);
    expect(d.name).toBe("x");
    const full = s(1, 2);
    expect(full.dropna()).toBe(full);
  });
  test("fillna, ffill, isna, hasnans", () => {
    expect(arr(x.fillna(0))).toEqual([1, 0, 0, 4]);
    expect(arr(x.ffill())).toEqual([1, 1, 1, 4]);
    expect(arr(s(NaN, 2, NaN).ffill())).toEqual([NaN, 2, 2]);
    expect(x.isna()).toEqual([false, true, true, false]);
    expect(x.hasnans).toBe(true);
    expect(s(1).hasnans).toBe(false);
  });
});

describe("arithmetic", () => {
  test("with numbers, and abs", () => {
    expect(arr(s(1, -2).add(1))).toEqual([2, -1]);
    expect(arr(s(1, -2).sub(1))).toEqual([0, -3]);
    expect(arr(s(1, -2).mul(3))).toEqual([3, -6]);
    expect(arr(s(1, -2).div(2))).toEqual([0.5, -1]);
    expect(arr(s(1, -2).abs())).toEqual([1, 2]);
  });
  test("Series operands align by label, over the left labels", () => {
    const a = new FakeAsset(1, "A"), b = new FakeAsset(2, "B"), c = new FakeAsset(3, "C");
    const qty = new Series(Float64Array.of(10, 20, 30), [a, b, c]);
    const px = new Series(Float64Array.of(2.5, 1), [new FakeAsset(3, "C"), a]);
    const value = qty.mul(px);
    expect(arr(value)).toEqual([10, NaN, 75]);
    expect(value.index).toBe(qty.index);
    expect(arr(s(1, 2).add(s(10, 20)))).toEqual([11, 22]);
  });
});

describe("zero-copy views", () => {
  const buffer = new Float64Array(10).map((_, i) => i);
  const x = new Series(buffer.subarray(2, 8), times(6), "v");
  test("tail/head/slice share the buffer, values and index", () => {
    expect(x.values.buffer).toBe(buffer.buffer);
    expect(x.tail(3).values.buffer).toBe(x.values.buffer);
    expect((x.tail(3).index as Float64Array).buffer).toBe((x.index as Float64Array).buffer);
    expect(arr(x.tail(3))).toEqual([5, 6, 7]);
    expect(arr(x.head(2))).toEqual([2, 3]);
    expect(x.head(2).values.buffer).toBe(buffer.buffer);
    expect(arr(x.slice(1, -1))).toEqual([3, 4, 5, 6]);
    expect(arr(x.tail(-4))).toEqual([6, 7]);
    expect(arr(x.head(-4))).toEqual([2, 3]);
    expect(x.tail(100).length).toBe(6);
    expect(x.slice(4, 2).length).toBe(0);
  });
  test("operations never write to the source", () => {
    const before = Array.from(buffer);
    x.pct_change(), x.cumsum(), x.abs(), x.rolling(2).std(), x.ewm({ span: 3 }).mean(), x.fillna(0);
    expect(Array.from(buffer)).toEqual(before);
  });
  test("object indexes slice too", () => {
    const y = new Series(Float64Array.of(1, 2, 3), ["a", "b", "c"]);
    expect(Array.from(y.tail(2).index)).toEqual(["b", "c"]);
  });
});

describe("output", () => {
  test("toArray and iteration", () => {
    expect(s(1, 2).toArray()).toEqual([1, 2]);
    expect([...s(3, 4)]).toEqual([3, 4]);
  });
  test("toString reads like pandas", () => {
    const x = new Series(Float64Array.of(1.5, NaN, 3), times(3), "AAPL");
    expect(x.toString()).toBe(
      "2024-01-01    1.5\n2024-01-02    NaN\n2024-01-03    3.0\nName: AAPL, dtype: float64",
    );
    const intraday = new Series(
      Float64Array.of(1),
      Float64Array.of(Date.parse("2024-01-02T14:31:00Z")),
    );
    expect(intraday.toString()).toBe("2024-01-02 14:31:00+00:00    1.0\ndtype: float64");
    const long = Series.from(Array.from({ length: 100 }, (_, i) => i / 3));
    const text = long.toString();
    expect(text.split("\n")).toHaveLength(12);
    expect(text).toContain("\n...");
    expect(text).toContain("\n99     33.000000\n");
    expect(text.endsWith("Length: 100, dtype: float64")).toBe(true);
  });
  test("toArrow: timestamp index, values sharing the buffer, NaN as null", async () => {
    const values = Float64Array.of(1.5, NaN, 3);
    const table = await new Series(values, times(3), "AAPL").toArrow();
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "index:Timestamp<MILLISECOND, UTC>",
      "values:Float64",
    ]);
    const col = table.getChild("values")!;
    expect(col.data[0].values.buffer).toBe(values.buffer);
    expect(col.toArray()[0]).toBe(1.5);
    expect(col.get(1)).toBeNull();
    expect(Number(table.getChild("index")!.get(0))).toBe(day("2024-01-01"));
  });
  test("toArrow: asset labels become strings", async () => {
    const table = await new Series(Float64Array.of(1), [new FakeAsset(24, "AAPL")]).toArrow();
    expect(table.getChild("index")!.get(0)).toBe("Equity(24 [AAPL])");
  });
});
