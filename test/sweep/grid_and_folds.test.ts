/** Grids and walk-forward folds, checked against boundaries worked out by hand. */
import { describe, expect, test } from "vitest";
import { combinations, gridAxes, parseGrid } from "../../runtime/sweep/grid.ts";
import { parseWalkForward, splitFolds } from "../../runtime/sweep/folds.ts";
import { get_calendar } from "../../calendars/mod.ts";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("grids", () => {
  test("every combination, the first axis varying slowest", () => {
    const axes = parseGrid(["short=5,10", "long=20,40,80"]);
    expect(combinations(axes)).toEqual([
      { short: "5", long: "20" },
      { short: "5", long: "40" },
      { short: "5", long: "80" },
      { short: "10", long: "20" },
      { short: "10", long: "40" },
      { short: "10", long: "80" },
    ]);
    expect(gridAxes({ a: [1, 2], b: [true] })).toEqual([
      { name: "a", values: ["1", "2"] },
      { name: "b", values: ["true"] },
    ]);
  });

  test("bad grids are refused with the argument named", () => {
    expect(() => parseGrid(["short"])).toThrow(/"short" is not NAME=V1,V2/);
    expect(() => parseGrid(["1x=2"])).toThrow(/"1x" is not a parameter name/);
    expect(() => parseGrid(["a=1,,2"])).toThrow(/--grid a: an empty value/);
    expect(() => parseGrid(["a=1,1"])).toThrow(/--grid a: a value is repeated/);
    expect(() => parseGrid(["a=1", "a=2"])).toThrow(/--grid a is given twice/);
  });
});

describe("walk-forward folds", () => {
  test("session counts: train just before each test part, test parts end to end", () => {
    const sessions = Array.from({ length: 11 }, (_, i) => i * DAY);
    const { train, test: t } = parseWalkForward("4:3");
    // By hand: tests start after 4 sessions and follow each other (the last one is short).
    expect(splitFolds(sessions, train, t)).toEqual([
      { index: 0, train: [0, 4], test: [4, 7] },
      { index: 1, train: [3, 7], test: [7, 10] },
      { index: 2, train: [6, 10], test: [10, 11] },
    ]);
    expect(splitFolds(sessions.slice(0, 4), train, t)).toEqual([]);
  });

  test("calendar lengths on NYSE sessions: 1y:6m over 2010–2012", () => {
    const cal = get_calendar("XNYS");
    const sessions = Array.from(
      cal.sessions_in_range(Date.UTC(2010, 0, 1), Date.UTC(2012, 11, 31)),
    );
    const { train, test: t } = parseWalkForward("1y:6m");
    expect(train).toEqual({ months: 12 });
    expect(t).toEqual({ months: 6 });
    const folds = splitFolds(sessions, train, t).map((f) => ({
      train: [iso(sessions[f.train[0]]), iso(sessions[f.train[1] - 1])],
      test: [iso(sessions[f.test[0]]), iso(sessions[f.test[1] - 1])],
    }));
    // The first session is 2010-01-04; one year on is 2011-01-04, six months after that
    // 2011-07-04 (a holiday: the test part ends on the 1st) and so on.
    expect(folds).toEqual([
      { train: ["2010-01-04", "2011-01-03"], test: ["2011-01-04", "2011-07-01"] },
      { train: ["2010-07-06", "2011-07-01"], test: ["2011-07-05", "2012-01-04"] },
      { train: ["2011-01-05", "2012-01-04"], test: ["2012-01-05", "2012-07-03"] },
      { train: ["2011-07-05", "2012-07-03"], test: ["2012-07-05", "2012-12-31"] },
    ]);
  });

  test("bad splits are refused", () => {
    expect(() => parseWalkForward("2y")).toThrow(/is not TRAIN:TEST/);
    expect(() => parseWalkForward("2q:1m")).toThrow(/is not TRAIN:TEST/);
    expect(() => parseWalkForward("0:5")).toThrow(/is not TRAIN:TEST/);
  });
});
