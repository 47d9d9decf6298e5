import { describe, expect, test } from "vitest";
import { calendar_listing } from "../../calendars/mod.ts";
import { buildExchangeCalendar } from "../../calendars/exchange.ts";
import { intlOffset, ZoneOffsets } from "../../calendars/timezone.ts";

const MINUTE = 60_000, HOUR = 3_600_000;
const from = Date.UTC(1985, 0, 1), to = Date.UTC(2035, 0, 1);
const zones = [
  ...new Set(calendar_listing().flatMap((c) => (c.spec ? [c.spec.tz] : []))),
  "UTC",
  "Australia/Lord_Howe", // a half-hour daylight-saving shift
  "Asia/Kathmandu", // a 5:45 offset
];

describe("ZoneOffsets (Temporal's transitions)", () => {
  test("every calendar's zone has many transitions or none, and the catalogue has them all", () => {
    expect(zones.length).toBeGreaterThan(40);
    expect(new ZoneOffsets("UTC", from, to).offsetAt(Date.UTC(2020, 6, 1))).toBe(0);
  });

  for (const tz of zones) {
    test(`${tz}: the offset Intl gives, every 6 days and to the minute at each change`, () => {
      const z = new ZoneOffsets(tz, from, to);
      const wrong: string[] = [];
      const check = (t: number) => {
        const o = intlOffset(tz, t);
        if (z.offsetAt(t) !== o) wrong.push(`${new Date(t).toISOString()}: ${z.offsetAt(t)}≠${o}`);
        return o;
      };
      let last = NaN;
      for (let t = from; t <= to; t += 6 * 24 * HOUR) {
        const o = check(t);
        if (last === last && o !== last) {
          // Intl bisected to the minute of the change; then either side of it, minute and hour.
          let lo = t - 6 * 24 * HOUR, hi = t;
          while (hi - lo > MINUTE) {
            const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
            if (intlOffset(tz, mid) === o) hi = mid;
            else lo = mid;
          }
          for (const u of [lo, hi, hi - HOUR, hi + HOUR, hi - HOUR / 2, hi + HOUR / 2]) check(u);
        }
        last = o;
      }
      expect(wrong).toEqual([]);
    });
  }

  test("a name that is not a time zone is refused naming it", () => {
    expect(() => new ZoneOffsets("Mars/Olympus", from, to)).toThrow(
      'tz: is not a time zone; use an IANA name such as America/New_York, or UTC (got "Mars/Olympus")',
    );
    expect(() =>
      buildExchangeCalendar({ name: "MARS", tz: "Mars/Olympus", open: "09:00", close: "17:00" })
    )
      .toThrow(/tz: is not a time zone.*Mars\/Olympus/);
  });

  test("wall time to UTC across New York's changes", () => {
    const z = new ZoneOffsets("America/New_York", from, to);
    // 09:30 local on the days either side of 2024's spring-forward (10 March).
    expect(z.wallToUtc(Date.UTC(2024, 2, 8, 9, 30))).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(z.wallToUtc(Date.UTC(2024, 2, 11, 9, 30))).toBe(Date.UTC(2024, 2, 11, 13, 30));
  });
});
