/**
 * Expression methods against hand-computed values: quantiles, percentile_between, NaN checks,
 * fillna, clip, arithmetic, comparisons, filter logic, if_else, alias and downsample.
 */
import { describe, expect, test } from "vitest";
import { PipelineError } from "../../runtime/pipeline/mod.ts";
import { compute, makeAssets, round, rowsFrom, testDataSet } from "./helpers.ts";

const N = NaN;

describe("quantiles and percentiles", () => {
  const T = testDataSet(
    rowsFrom("2014-01-02", {
      a: [[1, 2, 3, 4, 5, 6, 7, 8, 9, N]],
      flag: [[1, 1, 1, 1, 1, 1, 1, 1, 0, 1]],
    }),
  );
  const f = T.a.latest, ten = makeAssets(10);

  test("quartiles: pandas qcut labels, NaN → −1", async () => {
    const r = await compute(
      { q: f.quartiles(), d: f.quantiles(2) },
      "2014-01-02",
      "2014-01-02",
      ten,
    );
    expect(r.q).toEqual([[0, 0, 0, 1, 1, 2, 2, 3, 3, -1]]);
    expect(r.d).toEqual([[0, 0, 0, 0, 0, 1, 1, 1, 1, -1]]);
  });

  test("quintiles and deciles with a mask", async () => {
    const r = await compute(
      { q: f.quintiles({ mask: T.flag.latest }) },
      "2014-01-02",
      "2014-01-02",
      ten,
    );
    // edges of 1…8: 1, 2.4, 3.8, 5.2, 6.6, 8
    expect(r.q).toEqual([[0, 0, 1, 2, 2, 3, 4, 4, -1, -1]]);
    expect(f.deciles().toString()).toContain("Quantiles(bins=10)");
  });

  test("percentile_between: numpy linear percentiles, bounds included", async () => {
    const r = await compute({ p: f.percentile_between(25, 75) }, "2014-01-02", "2014-01-02", ten);
    expect(r.p).toEqual([[0, 0, 1, 1, 1, 1, 1, 0, 0, 0]]);
    expect(() => f.percentile_between(50, 10)).toThrow(/percentile bounds/);
  });
});

describe("missing values, clip and arithmetic", () => {
  const T = testDataSet(
    rowsFrom("2014-01-02", {
      a: [[1, N, Infinity, -Infinity, 5]],
      b: [[2, 3, 4, 5, -3]],
      flag: [[1, 0, 1, 0, 1]],
    }),
  );
  const a = T.a.latest, b = T.b.latest, five = makeAssets(5);

  test("isnan / notnan / isfinite / notnull / fillna", async () => {
    const r = await compute(
      {
        isnan: a.isnan(),
        notnan: a.notnan(),
        isfinite: a.isfinite(),
        notnull: a.notnull(),
        fill0: a.fillna(0),
        fillB: a.fillna(b),
      },
      "2014-01-02",
      "2014-01-02",
      five,
    );
    expect(r.isnan).toEqual([[0, 1, 0, 0, 0]]);
    expect(r.notnan).toEqual([[1, 0, 1, 1, 1]]);
    expect(r.isfinite).toEqual([[1, 0, 0, 0, 1]]);
    expect(r.notnull).toEqual([[1, 0, 1, 1, 1]]);
    expect(r.fill0).toEqual([[1, 0, Infinity, -Infinity, 5]]);
    expect(r.fillB).toEqual([[1, 3, Infinity, -Infinity, 5]]);
  });

  test("clip", async () => {
    const r = await compute({ c: a.clip(0, 2) }, "2014-01-02", "2014-01-02", five);
    expect(r.c).toEqual([[1, N, 2, 0, 2]]);
  });

  test("arithmetic as numexpr: IEEE division, Python modulo, powers", async () => {
    const r = await compute(
      {
        sum: a.add(b),
        diff: b.sub(1),
        rdiff: b.rsub(1),
        sq: b.mul(b),
        div0: b.div(0),
        mod: b.mod(-2),
        pow: b.pow(2),
        neg: b.neg(),
        abs: b.abs(),
        log: b.log(),
      },
      "2014-01-02",
      "2014-01-02",
      five,
    );
    expect(r.sum).toEqual([[3, N, Infinity, -Infinity, 2]]);
    expect(r.diff).toEqual([[1, 2, 3, 4, -4]]);
    expect(r.rdiff).toEqual([[-1, -2, -3, -4, 4]]);
    expect(r.sq).toEqual([[4, 9, 16, 25, 9]]);
    expect(r.div0).toEqual([[Infinity, Infinity, Infinity, Infinity, -Infinity]]);
    expect(r.mod).toEqual([[0, -1, 0, -1, -1]]);
    expect(r.pow).toEqual([[4, 9, 16, 25, 9]]);
    expect(r.neg).toEqual([[-2, -3, -4, -5, 3]]);
    expect(r.abs).toEqual([[2, 3, 4, 5, 3]]);
    expect(round(r.log)).toEqual(round([[Math.log(2), Math.log(3), Math.log(4), Math.log(5), N]]));
  });

  test("comparisons and filter logic are and-ed with the mask", async () => {
    const flag = T.flag.latest;
    const r = await compute(
      {
        gt: b.gt(2),
        le: a.le(b),
        and: b.gt(2).and(flag),
        or: b.lt(0).or(flag),
        not: flag.not(),
        ne: a.ne(a),
      },
      "2014-01-02",
      "2014-01-02",
      five,
    );
    expect(r.gt).toEqual([[0, 1, 1, 1, 0]]);
    expect(r.le).toEqual([[1, 0, 0, 1, 0]]);
    expect(r.and).toEqual([[0, 0, 1, 0, 0]]);
    expect(r.or).toEqual([[1, 0, 1, 0, 1]]);
    expect(r.not).toEqual([[0, 1, 0, 1, 0]]);
    expect(r.ne).toEqual([[0, 1, 0, 0, 0]]);
  });

  test("if_else picks per asset; alias keeps the values", async () => {
    const r = await compute(
      { pick: T.flag.latest.if_else(a, b), named: b.alias("named") },
      "2014-01-02",
      "2014-01-02",
      five,
    );
    expect(r.pick).toEqual([[1, 3, Infinity, 5, 5]]);
    expect(r.named).toEqual([[2, 3, 4, 5, -3]]);
    expect(() => T.flag.latest.if_else(a, T.flag.latest as never)).toThrow(PipelineError);
  });
});

describe("downsample", () => {
  test("week_start computes on the first session of each ISO week and carries it", async () => {
    // Sessions 2013-12-30, 12-31, 2014-01-02, 01-03 (ISO week 1), 01-06, 01-07 (week 2).
    const T = testDataSet(rowsFrom("2013-12-30", { a: [[1], [2], [3], [4], [5], [6]] }));
    const r = await compute(
      { w: T.a.latest.downsample("week_start") },
      "2014-01-03",
      "2014-01-07",
      makeAssets(1),
    );
    expect(r.w).toEqual([[1], [5], [5]]);
  });

  test("month_start", async () => {
    const T = testDataSet(rowsFrom("2013-12-30", { a: [[1], [2], [3], [4], [5], [6]] }));
    // 2013-12-31 carries the value of December's first session (2013-12-02: no data here).
    const r = await compute(
      { m: T.a.latest.downsample("month_start") },
      "2013-12-31",
      "2014-01-06",
      makeAssets(1),
    );
    expect(r.m).toEqual([[N], [3], [3], [3]]);
  });
});
