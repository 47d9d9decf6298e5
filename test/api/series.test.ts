/**
 * Series against hand-computed numbers and pandas. Expected values marked "pandas" were
 * printed by pandas 3.0.6 / numpy 2 (`pd.Series(...).<method>().tolist()`); where pandas and
 * this Series share an algorithm the test asks for the very same bits (`toBe`/`toEqual`).
 */
import { describe, expect, test } from "vitest";
import { Series } from "../../runtime/frames/series.ts";
import {
  KeyNotFoundError,
  LengthMismatchError,
  PositionOutOfRangeError,
} from "../../runtime/frames/series_index.ts";
import { HarvesterError } from "../../runtime/errors.ts";

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
