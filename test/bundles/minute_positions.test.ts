import { describe, expect, test } from "vitest";
import { minutePositions } from "../../bundles/reader/bundle_reader.ts";

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
});
