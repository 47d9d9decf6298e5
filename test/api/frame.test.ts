/**
 * Frame and HistoryPanel. Expected values marked "pandas" were printed by pandas 3.0.6 for
 * `pd.DataFrame({"A": [10, 11, 12, 13, nan], "B": [20, 19, nan, 22, 23], "C": [1] * 5})`.
 */
import { describe, expect, test } from "vitest";
import { Equity } from "../../runtime/assets/asset.ts";
import { Frame } from "../../runtime/frames/frame.ts";
import { HistoryPanel } from "../../runtime/frames/history_panel.ts";
import { Series } from "../../runtime/frames/series.ts";
import { KeyNotFoundError, LengthMismatchError } from "../../runtime/frames/series_index.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const T = Float64Array.of(
  day("2024-01-02"),
  day("2024-01-03"),
  day("2024-01-04"),
  day("2024-01-05"),
  day("2024-01-08"),
);
const arr = (x: Series<unknown>) => Array.from(x.values);
const rows = (f: Frame<unknown, unknown>) =>
  Array.from({ length: f.length }, (_, i) => arr(f.iloc(i)));

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

const abc = () =>
  Frame.fromRecord({
    A: Float64Array.of(10, 11, 12, 13, NaN),
    B: Float64Array.of(20, 19, NaN, 22, 23),
    C: Float64Array.of(1, 1, 1, 1, 1),
  }, T);

describe("Frame construction and access", () => {
  test("columns and index lengths are checked", () => {
    expect(() => new Frame(["a"], [], T)).toThrow(LengthMismatchError);
    expect(() => new Frame(["a"], [new Float64Array(2)], T)).toThrow(LengthMismatchError);
    expect(() => Frame.fromBuffer(new Float64Array(9), ["a", "b"], T)).toThrow(LengthMismatchError);
  });
  test("shape, columns, get by name", () => {
    const f = abc();
    expect(f.shape).toEqual([5, 3]);
    expect(f.columns).toEqual(["A", "B", "C"]);
    expect(arr(f.get("B"))).toEqual([20, 19, NaN, 22, 23]);
    expect(f.get("B").name).toBe("B");
    expect(f.get("B").index).toBe(T);
    expect(f.has("Z")).toBe(false);
    expect(() => f.get("Z")).toThrow(KeyNotFoundError);
  });
  test("asset columns: identity, same sid, or the sid number", () => {
    const aapl = new FakeAsset(24, "AAPL"), msft = new FakeAsset(5061, "MSFT");
    const f = new Frame(
      [aapl, msft],
      [Float64Array.of(1, 2), Float64Array.of(3, 4)],
      T.subarray(0, 2),
    );
    expect(arr(f.get(aapl))).toEqual([1, 2]);
    expect(arr(f.get(new FakeAsset(5061, "MSFT")))).toEqual([3, 4]);
    expect(arr(f.get(5061))).toEqual([3, 4]);
    expect(f.get(msft).name).toBe("Equity(5061 [MSFT])");
  });
  test("a column's Series is named as String(label) names it, for assets and any other label", () => {
    const aapl = new Equity(24, "AAPL", "Apple", "NASDAQ", NaN, NaN, NaN);
    class Renamed extends Equity {
      override toString(): string {
        return `renamed ${this.symbol}`;
      }
    }
    const odd = new Renamed(7, "ODD", "Odd", "NYSE", NaN, NaN, NaN);
    const labels: unknown[] = [aapl, odd, "close", 3, null, new FakeAsset(5, "F")];
    const f = new Frame(labels, labels.map(() => Float64Array.of(1)), T.subarray(0, 1));
    labels.forEach((c, j) => {
      expect(f.get(j === 3 ? 3 : (c as never)).name).toBe(String(c));
      expect([...f.entries()][j][1].name).toBe(String(c));
    });
    expect(f.get(aapl).name).toBe("Equity(24 [AAPL])");
    expect(f.get(odd).name).toBe("renamed ODD");
  });

  test("fromBuffer: every column is a view of one buffer", () => {
    const buf = Float64Array.from({ length: 10 }, (_, i) => i);
    const f = Frame.fromBuffer(buf, ["x", "y"], T);
    expect(arr(f.get("y"))).toEqual([5, 6, 7, 8, 9]);
    expect(f.get("y").values.buffer).toBe(buf.buffer);
  });
  test("iloc gives a row indexed by column; loc finds a row by time", () => {
    const f = abc();
    const last = f.iloc(-1);
    expect(arr(last)).toEqual([NaN, 23, 1]);
    expect(Array.from(last.index)).toEqual(["A", "B", "C"]);
    expect(last.get("B")).toBe(23);
    expect(arr(f.loc(day("2024-01-03")))).toEqual([11, 19, 1]);
    expect(arr(f.loc(new Date("2024-01-05T00:00:00Z")))).toEqual([13, 22, 1]);
    expect(() => f.loc(day("2024-01-06"))).toThrow(KeyNotFoundError);
    expect(() => f.iloc(5)).toThrow();
  });
  test("entries iterates columns in order", () => {
    expect([...abc().entries()].map(([c, s]) => [c, s.count()])).toEqual([["A", 4], ["B", 4], [
      "C",
      5,
    ]]);
  });
});

describe("Frame reductions per column (pandas)", () => {
  const f = abc();
  test("mean, sum, std, var, median, count", () => {
    expect(arr(f.mean())).toEqual([11.5, 21, 1]);
    expect(arr(f.sum())).toEqual([46, 84, 5]);
    expect(arr(f.std())).toEqual([1.2909944487358056, 1.8257418583505538, 0]);
    expect(arr(f.var(0))).toEqual([1.25, 2.5, 0]);
    expect(arr(f.median())).toEqual([11.5, 21, 1]);
    expect(arr(f.count())).toEqual([4, 4, 5]);
    expect(arr(f.min())).toEqual([10, 19, 1]);
    expect(arr(f.max())).toEqual([13, 23, 1]);
    expect(arr(f.first())).toEqual([10, 20, 1]);
    expect(arr(f.last())).toEqual([NaN, 23, 1]);
    expect(f.mean().get("B")).toBe(21);
  });
  test("asset-indexed results look up by asset", () => {
    const a = new FakeAsset(1, "A"), b = new FakeAsset(2, "B");
    const prices = new Frame(
      [a, b],
      [Float64Array.of(10, 11), Float64Array.of(20, 22)],
      T.subarray(0, 2),
    );
    const returns = prices.pct_change().iloc(-1);
    expect(returns.get(b)).toBeCloseTo(0.1, 15);
    expect(returns.get(new FakeAsset(1, "A"))).toBeCloseTo(0.1, 15);
  });
});

describe("Frame transforms (pandas)", () => {
  const f = abc();
  test("pct_change without filling NaN", () => {
    expect(rows(f.pct_change())).toEqual([
      [NaN, NaN, NaN],
      [0.10000000000000009, -0.050000000000000044, 0],
      [0.09090909090909083, NaN, 0],
      [0.08333333333333326, NaN, 0],
      [NaN, 0.045454545454545414, 0],
    ]);
  });
  test("rolling(2).mean and ewm(com=1).mean", () => {
    expect(rows(f.rolling(2).mean())).toEqual([
      [NaN, NaN, NaN],
      [10.5, 19.5, 1],
      [11.5, NaN, 1],
      [12.5, NaN, 1],
      [NaN, 22.5, 1],
    ]);
    expect(rows(f.ewm({ com: 1 }).mean())).toEqual([
      [10, 20, 1],
      [10.666666666666666, 19.333333333333332, 1],
      [11.428571428571429, 19.333333333333332, 1],
      [12.266666666666667, 21.272727272727273, 1],
      [12.266666666666667, 22.296296296296298, 1],
    ]);
    expect(f.rolling(2).mean().index).toBe(f.index);
  });
  test("diff, shift, fillna, ffill, cumsum, cumprod", () => {
    expect(arr(f.diff().get("A"))).toEqual([NaN, 1, 1, 1, NaN]);
    expect(arr(f.shift(1).get("C"))).toEqual([NaN, 1, 1, 1, 1]);
    expect(arr(f.fillna(0).get("B"))).toEqual([20, 19, 0, 22, 23]);
    expect(arr(f.ffill().get("B"))).toEqual([20, 19, 19, 22, 23]);
    expect(arr(f.cumsum().get("A"))).toEqual([10, 21, 33, 46, NaN]);
    expect(arr(f.cumprod().get("C"))).toEqual([1, 1, 1, 1, 1]);
  });
  test("dropna: rows with any NaN, columns, how=all", () => {
    const rowsKept = f.dropna();
    expect(Array.from(rowsKept.index)).toEqual([T[0], T[1], T[3]]);
    expect(rows(rowsKept)).toEqual([[10, 20, 1], [11, 19, 1], [13, 22, 1]]);
    const colsKept = f.dropna({ axis: "columns" });
    expect(colsKept.columns).toEqual(["C"]);
    expect(colsKept.get("C").values).toBe(f.get("C").values);
    expect(f.dropna({ how: "all" })).toBe(f);
    const allNan = new Frame(
      ["x", "y"],
      [Float64Array.of(1, NaN), Float64Array.of(2, NaN)],
      T.subarray(0, 2),
    );
    expect(allNan.dropna({ how: "all" }).length).toBe(1);
    expect(allNan.dropna({ axis: 1 }).columns).toEqual([]);
  });
  test("tail/head/slice are views", () => {
    const t = f.tail(2);
    expect(t.shape).toEqual([2, 3]);
    expect(t.get("A").values.buffer).toBe(f.get("A").values.buffer);
    expect((t.index as Float64Array).buffer).toBe(T.buffer);
    expect(arr(t.get("B"))).toEqual([22, 23]);
    expect(arr(f.head(2).get("A"))).toEqual([10, 11]);
    expect(f.slice(1, 3).length).toBe(2);
  });
});

describe("Frame output", () => {
  test("toString reads like pandas", () => {
    expect(abc().toString()).toBe(
      [
        "                 A       B      C",
        "2024-01-02    10.0    20.0    1.0",
        "2024-01-03    11.0    19.0    1.0",
        "2024-01-04    12.0     NaN    1.0",
        "2024-01-05    13.0    22.0    1.0",
        "2024-01-08     NaN    23.0    1.0",
        "",
        "[5 rows x 3 columns]",
      ].join("\n"),
    );
  });
  test("wide frames elide middle columns", () => {
    const cols = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const f = new Frame(cols, cols.map(() => Float64Array.of(1)), T.subarray(0, 1));
    const header = f.toString().split("\n")[0];
    expect(header).toContain("c9    ...    c20");
    expect(header).not.toContain("c10 ");
  });
  test("toArrow: index plus one column per column, sharing buffers", async () => {
    const f = abc();
    const table = await f.toArrow();
    expect(table.schema.fields.map((x) => x.name)).toEqual(["index", "A", "B", "C"]);
    expect(table.numRows).toBe(5);
    expect(table.getChild("C")!.data[0].values.buffer).toBe(f.get("C").values.buffer);
    expect(table.getChild("B")!.get(2)).toBeNull();
  });
});

describe("HistoryPanel", () => {
  const aapl = new FakeAsset(24, "AAPL"), msft = new FakeAsset(5061, "MSFT");
  // field-major: open(AAPL), open(MSFT), close(AAPL), close(MSFT), 3 rows each
  const buf = Float64Array.of(1, 2, 3, 10, 20, 30, 1.5, 2.5, 3.5, 15, 25, 35);
  const h = HistoryPanel.fromBuffer(buf, ["open", "close"], [aapl, msft], T.subarray(0, 3));
  test("field() gives time × assets", () => {
    const close = h.field("close");
    expect(close.columns).toEqual([aapl, msft]);
    expect(arr(close.get(msft))).toEqual([15, 25, 35]);
    expect(close.get(aapl).values.buffer).toBe(buf.buffer);
    expect(close.index).toBe(h.index);
  });
  test("get(asset) gives time × fields, by identity or sid", () => {
    const m = h.get(new FakeAsset(5061, "MSFT"));
    expect(m.columns).toEqual(["open", "close"]);
    expect(arr(m.get("open"))).toEqual([10, 20, 30]);
    expect(m.get("close").last()).toBe(35);
    expect(m.get("close").values.buffer).toBe(buf.buffer);
  });
  test("shape, missing labels, bad buffers", () => {
    expect(h.shape).toEqual([3, 2, 2]);
    expect(() => h.field("volume")).toThrow(KeyNotFoundError);
    expect(() => h.get(new FakeAsset(1, "X"))).toThrow(KeyNotFoundError);
    expect(() => HistoryPanel.fromBuffer(buf, ["open"], [aapl, msft], T.subarray(0, 3))).toThrow(
      LengthMismatchError,
    );
    expect(() => new HistoryPanel(["open"], [aapl], T.subarray(0, 3), [[new Float64Array(2)]]))
      .toThrow(LengthMismatchError);
  });
  test("toString lists each field", () => {
    const text = h.toString();
    expect(text.startsWith("HistoryPanel: 3 rows x 2 assets x 2 fields")).toBe(true);
    expect(text).toContain("close:\n");
    expect(text).toContain("Equity(24 [AAPL])");
  });
});
