/**
 * Built-in filters and classifiers, and user-defined CustomFactor / CustomFilter /
 * CustomClassifier (defaults, parameters, several outputs, mask compaction, errors).
 */
import { describe, expect, test } from "vitest";
import {
  All,
  AllPresent,
  Any,
  AtLeastN,
  CustomClassifier,
  CustomFactor,
  CustomFilter,
  Everything,
  NotNullFilter,
  NullFilter,
  PercentileFilter,
  Quantiles,
  SingleAsset,
  StaticAssets,
  StaticSids,
  UnexpectedTermArgument,
  type Window,
  WindowLengthNotPositive,
} from "../../runtime/pipeline/mod.ts";
import { compute, makeAssets, rowsFrom, testDataSet } from "./helpers.ts";

const N = NaN;
// Four sessions from 2014-01-02 (…01-03, 01-06, 01-07), three assets.
const T = testDataSet(rowsFrom("2014-01-02", {
  a: [[1, 2, 3], [4, N, 6], [7, 8, 9], [10, 11, 12]],
  flag: [[1, 0, 1], [1, 1, 0], [1, 0, 0], [1, 1, 0]],
  label: [[1, 2, -1], [1, 2, 2], [3, 3, 3], [1, 1, 2]],
}));
const three = makeAssets(3);

describe("asset sets", () => {
  test("StaticAssets, StaticSids, SingleAsset", async () => {
    const r = await compute(
      {
        assets: new StaticAssets([three[2]]),
        sids: new StaticSids([0, 2, 99]),
        single: new SingleAsset(three[1]),
      },
      "2014-01-02",
      "2014-01-03",
    );
    expect(r.assets).toEqual([[0, 0, 1], [0, 0, 1]]);
    expect(r.sids).toEqual([[1, 0, 1], [1, 0, 1]]);
    expect(r.single).toEqual([[0, 1, 0], [0, 1, 0]]);
  });

  test("SingleAsset needs the asset alive on every day computed", async () => {
    const short = makeAssets(3, { 1: ["2000-01-03", "2014-01-02"] });
    await expect(compute({ s: new SingleAsset(short[1]) }, "2014-01-02", "2014-01-06", short))
      .rejects
      .toThrow(/does not exist/);
  });
});

describe("presence and smoothing", () => {
  test("AllPresent over a window; NullFilter / NotNullFilter", async () => {
    const r = await compute(
      {
        present: new AllPresent({ inputs: [T.a], window_length: 2 }),
        nulls: new NullFilter(T.label.latest),
        notnulls: new NotNullFilter(T.label.latest),
      },
      "2014-01-03",
      "2014-01-06",
    );
    expect(r.present).toEqual([[1, 0, 1], [1, 0, 1]]);
    expect(r.nulls).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(r.notnulls).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  test("All, Any, AtLeastN over a filter's window", async () => {
    const f = T.flag.latest;
    const r = await compute(
      {
        all: new All({ inputs: [f], window_length: 3 }),
        any: new Any({ inputs: [f], window_length: 3 }),
        two: new AtLeastN({ inputs: [f], window_length: 3, N: 2 }),
      },
      "2014-01-06",
      "2014-01-07",
    );
    expect(r.all).toEqual([[1, 0, 0], [1, 0, 0]]);
    expect(r.any).toEqual([[1, 1, 1], [1, 1, 0]]);
    expect(r.two).toEqual([[1, 0, 0], [1, 1, 0]]);
  });

  test("PercentileFilter is percentile_between", () => {
    const f = T.a.latest;
    const p = new PercentileFilter({ factor: f, min_percentile: 10, max_percentile: 90 });
    expect(p.uid).toBe(f.percentile_between(10, 90).uid);
  });
});

describe("classifiers", () => {
  test("eq / ne / element_of / isnull / notnull / peer_count", async () => {
    const c = T.label.latest;
    const r = await compute(
      {
        eq: c.eq(1),
        ne: c.ne(1),
        in: c.element_of([2, 3]),
        isnull: c.isnull(),
        notnull: c.notnull(),
        peers: c.peer_count(),
      },
      "2014-01-02",
      "2014-01-03",
    );
    expect(r.eq).toEqual([[1, 0, 0], [1, 0, 0]]);
    expect(r.ne).toEqual([[0, 1, 0], [0, 1, 1]]);
    expect(r.in).toEqual([[0, 1, 0], [0, 1, 1]]);
    expect(r.isnull).toEqual([[0, 0, 1], [0, 0, 0]]);
    expect(r.notnull).toEqual([[1, 1, 0], [1, 1, 1]]);
    expect(r.peers).toEqual([[1, 1, N], [1, 2, 2]]);
    expect(() => c.eq(-1)).toThrow(/isnull/);
  });

  test("Everything and Quantiles", async () => {
    const r = await compute(
      {
        all: new Everything({ mask: T.flag.latest }),
        halves: new Quantiles({ inputs: [T.a.latest], bins: 2 }),
      },
      "2014-01-02",
      "2014-01-02",
    );
    expect(r.all).toEqual([[0, -1, 0]]);
    expect(r.halves).toEqual([[0, 0, 1]]);
  });
});

describe("custom terms", () => {
  class Range extends CustomFactor {
    static override inputs = [T.a];
    static override window_length = 2;
    static override params = { scale: 1 };
    override compute(_today: number, assets: Int32Array, out: Float64Array, a: Window) {
      for (let j = 0; j < assets.length; j++) {
        out[j] = (Math.max(a.get(0, j), a.get(1, j)) - Math.min(a.get(0, j), a.get(1, j))) *
          (this.params.scale as number);
      }
    }
  }

  test("class defaults, parameters, NaN passed through", async () => {
    const r = await compute(
      { range: new Range(), scaled: new Range({ scale: 10 }) },
      "2014-01-03",
      "2014-01-06",
    );
    expect(r.range).toEqual([[3, N, 3], [3, N, 3]]);
    expect(r.scaled).toEqual([[30, N, 30], [30, N, 30]]);
  });

  test("compute sees only the masked-in assets, as zipline passes them", async () => {
    const seen: number[][] = [];
    const f = new CustomFactor({
      inputs: [T.a],
      window_length: 1,
      mask: T.flag.latest,
      compute(_today: number, assets: Int32Array, out: Float64Array, a: Window) {
        seen.push([...assets]);
        expect(a.cols).toBe(assets.length);
        for (let j = 0; j < assets.length; j++) out[j] = a.get(0, j) * 100 + assets[j];
      },
    });
    const r = await compute({ f }, "2014-01-02", "2014-01-03");
    expect(seen).toEqual([[0, 2], [0, 1]]);
    expect(r.f).toEqual([[100, N, 302], [400, N, N]]);
  });

  test("several outputs", async () => {
    class MinMax extends CustomFactor {
      static override inputs = [T.a];
      static override window_length = 2;
      static override outputs = ["lo", "hi"];
      override compute(
        _t: number,
        assets: Int32Array,
        out: { lo: Float64Array; hi: Float64Array },
        a: Window,
      ) {
        for (let j = 0; j < assets.length; j++) {
          out.lo[j] = Math.min(a.get(0, j), a.get(1, j));
          out.hi[j] = Math.max(a.get(0, j), a.get(1, j));
        }
      }
    }
    const m = new MinMax();
    const r = await compute({ lo: m.output("lo"), hi: m.output("hi") }, "2014-01-06", "2014-01-06");
    expect(r.lo).toEqual([[4, N, 6]]);
    expect(r.hi).toEqual([[7, N, 9]]);
    expect(() => m.output("mid")).toThrow(/no output/);
  });

  test("CustomFilter and CustomClassifier", async () => {
    const big = new CustomFilter({
      inputs: [T.a],
      window_length: 1,
      compute: (_t: number, _s: Int32Array, out: Uint8Array, a: Window) => {
        for (let j = 0; j < out.length; j++) out[j] = a.get(0, j) > 5 ? 1 : 0;
      },
    });
    const parity = new CustomClassifier({
      inputs: [T.a],
      window_length: 1,
      compute: (_t: number, _s: Int32Array, out: Int32Array, a: Window) => {
        for (let j = 0; j < out.length; j++) {
          out[j] = a.get(0, j) === a.get(0, j) ? a.get(0, j) % 2 : -1;
        }
      },
    });
    const r = await compute({ big, parity }, "2014-01-03", "2014-01-03");
    expect(r.big).toEqual([[0, 0, 1]]);
    expect(r.parity).toEqual([[0, -1, 0]]);
  });

  test("unknown options and missing window lengths are errors", () => {
    expect(() => new Range({ scal: 2 })).toThrow(UnexpectedTermArgument);
    expect(() => new CustomFactor({ inputs: [T.a] })).toThrow(WindowLengthNotPositive);
    expect(() => new CustomFactor({ window_length: 2 })).toThrow(/needs inputs/);
  });
});
