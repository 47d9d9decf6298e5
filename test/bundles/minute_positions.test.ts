import { describe, expect, test } from "vitest";
import { minutePositions, placeAssetRows } from "../../bundles/reader/minute_rows.ts";

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

  test("one asset's rows are placed in runs, in storage order or any other, off-minute rows skipped", () => {
    const place = minutePositions(ms);
    const n = minutes.length;
    // Every minute, plus a row in the lunch break, then a duplicate that wins.
    const rows: [number, number][] = minutes.map((m) => [m / MIN, m / MIN / 7]);
    rows.push([day + 700, -1]);
    const expected = (order: [number, number][]) => {
      const out = new Float64Array(n).fill(NaN);
      for (const [m, v] of order) if (place(m) >= 0) out[place(m)] = v;
      return out;
    };
    let seed = 7;
    const shuffled = [...rows].sort(() => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    for (const order of [rows, shuffled]) {
      const all = [...order, [minutes[5] / MIN, 42] as [number, number]];
      // The asset's slot is the second of two; its rows sit at 3…3 + all.length in the columns.
      const target = new Float64Array(2 * n).fill(NaN), doubled = new Float64Array(2 * n).fill(NaN);
      const mins = Int32Array.from([0, 0, 0, ...all.map((r) => r[0])]);
      const vals = Float64Array.from([0, 0, 0, ...all.map((r) => r[1])]);
      placeAssetRows(
        place,
        mins,
        [vals, Array.from(vals, (v) => 2 * v)],
        [target, doubled],
        n,
        3,
        3 + all.length,
      );
      expect(target.subarray(0, n).every((v) => v !== v)).toBe(true);
      expect(target.subarray(n)).toEqual(expected(all));
      expect(doubled.subarray(n)).toEqual(expected(all).map((v) => 2 * v));
      expect(target[n + 5]).toBe(42);
    }
  });
});
