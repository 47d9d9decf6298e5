/**
 * Ranking and normalising methods against hand-computed values: rank (every method, both
 * directions, ties, NaN, masks), top/bottom (also per group), zscore/demean/winsorize (zipline's
 * own hand-computed examples).
 */
import { describe, expect, test } from "vitest";
import { PipelineError, type Term } from "../../runtime/pipeline/mod.ts";
import { compute, makeAssets, round, rowsFrom, testDataSet } from "./helpers.ts";

const N = NaN;

describe("rank", () => {
  // zipline's test data: arange(25).reshape(5, 5).transpose() % 4
  const data = [[0, 1, 2, 3, 0], [1, 2, 3, 0, 1], [2, 3, 0, 1, 2], [3, 0, 1, 2, 3], [
    0,
    1,
    2,
    3,
    0,
  ]];
  const T = testDataSet(rowsFrom("2014-01-02", { a: data }));
  const f = T.a.latest;
  const five = makeAssets(5);

  test("ascending, each tie method (scipy's rankdata; ordinal by asset order)", async () => {
    const r = await compute(
      {
        ordinal: f.rank(),
        average: f.rank({ method: "average" }),
        min: f.rank({ method: "min" }),
        max: f.rank({ method: "max" }),
        dense: f.rank({ method: "dense" }),
      },
      "2014-01-02",
      "2014-01-08",
      five,
    );
    expect(r.ordinal).toEqual([[1, 3, 4, 5, 2], [2, 4, 5, 1, 3], [3, 5, 1, 2, 4], [4, 1, 2, 3, 5], [
      1,
      3,
      4,
      5,
      2,
    ]]);
    expect(r.average[0]).toEqual([1.5, 3, 4, 5, 1.5]);
    expect(r.average[3]).toEqual([4.5, 1, 2, 3, 4.5]);
    expect(r.min[1]).toEqual([2, 4, 5, 1, 2]);
    expect(r.max[0]).toEqual([2, 3, 4, 5, 2]);
    expect(r.dense[0]).toEqual([1, 2, 3, 4, 1]);
  });

  test("descending: ties still go to the lower sid first", async () => {
    const r = await compute(
      {
        ordinal: f.rank({ ascending: false }),
        average: f.rank({ ascending: false, method: "average" }),
      },
      "2014-01-02",
      "2014-01-08",
      five,
    );
    expect(r.ordinal).toEqual([[4, 3, 2, 1, 5], [3, 2, 1, 5, 4], [2, 1, 5, 4, 3], [1, 5, 4, 3, 2], [
      4,
      3,
      2,
      1,
      5,
    ]]);
    expect(r.average[0]).toEqual([4.5, 3, 2, 1, 4.5]);
  });

  test("NaN and masked-out assets rank NaN and do not count", async () => {
    const U = testDataSet(rowsFrom("2014-01-02", { a: [[3, N, 1, 2]], flag: [[1, 1, 1, 0]] }));
    const r = await compute(
      { r: U.a.latest.rank({ mask: U.flag.latest }) },
      "2014-01-02",
      "2014-01-02",
      makeAssets(4),
    );
    expect(r.r).toEqual([[2, N, 1, N]]);
  });

  test("top and bottom, also per group; top(1) takes the first of equal maxima", async () => {
    const U = testDataSet(
      rowsFrom("2014-01-02", { a: [[1, 2, 3, 6, 5, 4, 6]], label: [[1, 1, 1, 2, 2, 2, 2]] }),
    );
    const a = U.a.latest, g = U.label.latest;
    const r = await compute(
      {
        top2: a.top(2),
        bottom2: a.bottom(2),
        top1: a.top(1),
        groupTop1: a.top(1, { groupby: g }),
        groupTop2: a.top(2, { groupby: g }),
      },
      "2014-01-02",
      "2014-01-02",
      makeAssets(7),
    );
    expect(r.top2).toEqual([[0, 0, 0, 1, 0, 0, 1]]);
    expect(r.bottom2).toEqual([[1, 1, 0, 0, 0, 0, 0]]);
    expect(r.top1).toEqual([[0, 0, 0, 1, 0, 0, 0]]);
    expect(r.groupTop1).toEqual([[0, 0, 1, 1, 0, 0, 0]]);
    expect(r.groupTop2).toEqual([[0, 1, 1, 1, 0, 0, 1]]);
  });

  test("top(k) / bottom(k) select exactly what rank() <= k does (ties, NaN, masks)", async () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const rows = Array.from({ length: 6 }, () =>
      Array.from({ length: 40 }, () => {
        const u = rnd();
        return u < 0.1 ? NaN : Math.floor(u * 12); // many ties
      }));
    const flags = rows.map((r) => r.map(() => (rnd() < 0.8 ? 1 : 0)));
    const U = testDataSet(rowsFrom("2014-01-02", { a: rows, flag: flags }));
    const a = U.a.latest, m = U.flag.latest;
    const cols: Record<string, Term> = {};
    for (const k of [2, 7, 25, 60]) {
      cols[`top${k}`] = a.top(k);
      cols[`rtop${k}`] = a.rank({ ascending: false }).le(k);
      cols[`bot${k}`] = a.bottom(k, { mask: m });
      cols[`rbot${k}`] = a.rank({ mask: m }).le(k);
    }
    const r = await compute(cols, "2014-01-02", "2014-01-09", makeAssets(40));
    for (const k of [2, 7, 25, 60]) {
      expect(r[`top${k}`]).toEqual(r[`rtop${k}`]);
      expect(r[`bot${k}`]).toEqual(r[`rbot${k}`]);
    }
  });

  test("unknown method is an error", () => {
    const T2 = testDataSet({});
    // deno-lint-ignore no-explicit-any
    expect(() => T2.a.latest.rank({ method: "first" as any })).toThrow(PipelineError);
  });
});

describe("normalisations (zipline's hand-computed examples)", () => {
  // zipline's Factor.demean docstring: AAPL, MSFT, MCD, BK over four days.
  const T = testDataSet(rowsFrom("2014-01-02", {
    a: [[1, 2, 3, 4], [1.5, 2.5, 3.5, 1], [2, 3, 4, 1.5], [2.5, 3.5, 1, 2]],
    label: [[1, 1, 2, 2], [1, 1, 2, 2], [1, 1, 2, 2], [1, 1, 2, 2]],
    flag: [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 1], [1, 1, 1, 0]],
  }));
  const f = T.a.latest, c = T.label.latest, m = T.flag.latest;
  const four = makeAssets(4);

  test("demean: plain, masked, grouped, masked and grouped", async () => {
    const r = await compute(
      {
        plain: f.demean(),
        masked: f.demean({ mask: m }),
        grouped: f.demean({ groupby: c }),
        both: f.demean({ mask: m, groupby: c }),
      },
      "2014-01-02",
      "2014-01-07",
      four,
    );
    expect(round(r.plain, 3)).toEqual([[-1.5, -0.5, 0.5, 1.5], [-0.625, 0.375, 1.375, -1.125], [
      -0.625,
      0.375,
      1.375,
      -1.125,
    ], [0.25, 1.25, -1.25, -0.25]]);
    expect(round(r.masked, 3)).toEqual([[N, -1, 0, 1], [-0.5, N, 1.5, -1], [
      -0.167,
      0.833,
      N,
      -0.667,
    ], [
      0.167,
      1.167,
      -1.333,
      N,
    ]]);
    expect(r.grouped).toEqual([[-0.5, 0.5, -0.5, 0.5], [-0.5, 0.5, 1.25, -1.25], [
      -0.5,
      0.5,
      1.25,
      -1.25,
    ], [
      -0.5,
      0.5,
      -0.5,
      0.5,
    ]]);
    expect(r.both).toEqual([[N, 0, -0.5, 0.5], [0, N, 1.25, -1.25], [-0.5, 0.5, N, 0], [
      -0.5,
      0.5,
      0,
      N,
    ]]);
  });

  test("zscore: (x − mean) / std with ddof 0; a lone value gives NaN", async () => {
    const r = await compute(
      { z: f.zscore(), g: f.zscore({ groupby: c, mask: m }) },
      "2014-01-02",
      "2014-01-02",
      four,
    );
    const s = Math.sqrt(1.25);
    expect(round(r.z)).toEqual(round([[-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]]));
    expect(r.g).toEqual([[N, N, -1, 1]]);
  });

  test("winsorize (zipline's test_winsorize_hand_computed)", async () => {
    const U = testDataSet(rowsFrom("2014-01-02", {
      a: [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 5, 6, N, N, N],
        [1, 8, 27, 64, 125, 216, N, N, N],
        [6, 5, 4, 3, 2, 1, N, N, N],
        [N, N, N, N, N, N, N, N, N],
      ],
      flag: [
        [1, 1, 1, 1, 1, 1, 1, 1, 1],
        [0, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 0, 1, 1, 1, 1, 1, 1, 1],
        [
          1,
          1,
          0,
          1,
          1,
          1,
          1,
          1,
          1,
        ],
        [1, 1, 1, 0, 1, 1, 1, 1, 1],
      ],
      label: Array.from({ length: 5 }, () => [1, 1, 1, 2, 2, 2, 1, 1, 1]),
    }));
    const g = U.a.latest;
    const r = await compute(
      {
        w1: g.winsorize(0.33, 0.67),
        w2: g.winsorize(0.49, 1),
        w3: g.winsorize(0, 0.67),
        masked: g.winsorize(0.33, 0.67, { mask: U.flag.latest }),
        grouped: g.winsorize(0.34, 0.66, { groupby: U.label.latest }),
      },
      "2014-01-02",
      "2014-01-08",
      makeAssets(9),
    );
    const nine = [N, N, N, N, N, N, N, N, N];
    expect(r.w1).toEqual([[3, 3, 3, 4, 5, 6, 7, 7, 7], [2, 2, 3, 4, 5, 5, N, N, N], [
      8,
      8,
      27,
      64,
      125,
      125,
      N,
      N,
      N,
    ], [
      5,
      5,
      4,
      3,
      2,
      2,
      N,
      N,
      N,
    ], nine]);
    expect(r.w2).toEqual([[5, 5, 5, 5, 5, 6, 7, 8, 9], [3, 3, 3, 4, 5, 6, N, N, N], [
      27,
      27,
      27,
      64,
      125,
      216,
      N,
      N,
      N,
    ], [
      6,
      5,
      4,
      3,
      3,
      3,
      N,
      N,
      N,
    ], nine]);
    expect(r.w3).toEqual([[1, 2, 3, 4, 5, 6, 7, 7, 7], [1, 2, 3, 4, 5, 5, N, N, N], [
      1,
      8,
      27,
      64,
      125,
      125,
      N,
      N,
      N,
    ], [
      5,
      5,
      4,
      3,
      2,
      1,
      N,
      N,
      N,
    ], nine]);
    expect(r.masked).toEqual([[3, 3, 3, 4, 5, 6, 7, 7, 7], [N, 3, 3, 4, 5, 5, N, N, N], [
      27,
      N,
      27,
      64,
      125,
      125,
      N,
      N,
      N,
    ], [
      5,
      5,
      N,
      3,
      2,
      2,
      N,
      N,
      N,
    ], nine]);
    expect(r.grouped).toEqual([[3, 3, 3, 5, 5, 5, 7, 7, 7], [2, 2, 2, 5, 5, 5, N, N, N], [
      8,
      8,
      8,
      125,
      125,
      125,
      N,
      N,
      N,
    ], [
      5,
      5,
      5,
      2,
      2,
      2,
      N,
      N,
      N,
    ], nine]);
  });

  test("winsorize bounds are checked", () => {
    expect(() => f.winsorize(0.6, 0.4)).toThrow(/percentile bounds/);
  });
});
