import { describe, expect, test } from "vitest";
import { minutePositions, placeMinuteRows } from "../../bundles/reader/minute_rows.ts";

const MIN = 60_000;

describe("minutePositions: where a query's row goes in a minute range", () => {
  // Two XTKS-like sessions with a lunch break: 09:01–11:30 and 12:31–15:00 UTC+0 minutes.
  const day = Date.UTC(2024, 6, 1) / MIN;
  const minutes: number[] = [];
  for (const d of [0, 1]) {
    for (let m = 541; m <= 690; m++) minutes.push((day + d * 1440 + m) * MIN);
    for (let m = 751; m <= 900; m++) minutes.push((day + d * 1440 + m) * MIN);
  }
  const ms = Float64Array.from(minutes);

  test("each trading minute maps to its position; break, night and outside minutes to -1", () => {
    const place = minutePositions(ms);
    minutes.forEach((m, k) => expect(place(m / MIN)).toBe(k));
    expect(place(day + 700)).toBe(-1); // lunch break
    expect(place(day + 1200)).toBe(-1); // after the close
    expect(place(day + 540)).toBe(-1); // before the first minute
    expect(place(day + 1440 + 901)).toBe(-1); // after the last
  });

  test("a span too long for a table is searched, with the same answers", () => {
    // Eight years between two minutes: past the table's limit.
    const far = Float64Array.from([...minutes, (day + 8 * 366 * 1440) * MIN]);
    const place = minutePositions(far);
    far.forEach((m, k) => expect(place(m / MIN)).toBe(k));
    expect(place(day + 700)).toBe(-1);
    expect(place(day + 5000)).toBe(-1);
    expect(place(day - 5)).toBe(-1);
  });

  test("no minutes: nothing is placed", () => {
    expect(minutePositions(new Float64Array(0))(day)).toBe(-1);
  });

  test("rows are placed in runs, in storage order or any other, off-minute rows skipped", () => {
    const place = minutePositions(ms);
    const n = minutes.length, sids = [3, 7];
    // Every asset's every minute, plus a row in the lunch break, then a duplicate that wins.
    const rows: [number, number, number][] = [];
    for (const sid of sids) {
      for (const m of minutes) rows.push([sid, m / MIN, sid * 1e6 + m / MIN]);
      rows.push([sid, day + 700, -1]);
    }
    rows.push([7, minutes[5] / MIN, 42]);
    const expected = (order: [number, number, number][]) => {
      const out = new Float64Array(2 * n).fill(NaN);
      for (const [sid, m, v] of order) {
        const k = place(m);
        if (k >= 0) out[sids.indexOf(sid) * n + k] = v;
      }
      return out;
    };
    let seed = 7;
    const shuffled = rows.slice(0, -1).sort(() =>
      (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5
    )
      .concat([rows[rows.length - 1]]);
    for (const order of [rows, shuffled]) {
      const target = new Float64Array(2 * n).fill(NaN), doubled = new Float64Array(2 * n).fill(NaN);
      const vals = Float64Array.from(order, (r) => r[2]);
      placeMinuteRows(
        place,
        Int32Array.from(order, (r) => r[0]),
        Int32Array.from(order, (r) => r[1]),
        [vals, vals.map((v) => 2 * v)],
        [target, doubled],
        (sid) => sids.indexOf(sid) * n,
      );
      expect(target).toEqual(expected(order));
      expect(doubled).toEqual(expected(order).map((v) => 2 * v));
      expect(target[n + 5]).toBe(42);
    }
  });
});
