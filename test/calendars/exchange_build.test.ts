/**
 * `buildExchangeCalendar` on a made-up exchange using every kind of rule at once: the build marks
 * the days that have anything special and looks nothing up on the others, so each kind of special
 * day is checked here beside ordinary days around it.
 */
import { describe, expect, test } from "vitest";
import { buildExchangeCalendar, type ExchangeSpec } from "../../calendars/exchange.ts";
import { calendarFromSessions } from "../../calendars/mod.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const utc = (iso: string) => Date.parse(`${iso}Z`);

const SPEC: ExchangeSpec = {
  name: "TEST",
  tz: "UTC",
  open: [[null, "09:00"], ["2024-01-10", "10:00"]],
  close: "17:00",
  breakStart: "12:00",
  breakEnd: "13:00",
  // Saturdays are sessions in the second week of January only.
  specialWeekmasks: [{ start: "2024-01-13", end: "2024-01-13", weekmask: [1, 2, 3, 4, 5, 6] }],
  adhocHolidays: ["2024-01-03"],
  specialCloses: [{ time: "15:00", adhoc: ["2024-01-04"] }],
  specialOpens: [{ time: "11:00", adhoc: ["2024-01-05"] }],
  specialOffsets: [{ open: 30, close: -30, adhoc: ["2024-01-08"] }],
  firstYear: 2024,
  lastYear: 2024,
};

describe("buildExchangeCalendar: every kind of special day", () => {
  const cal = buildExchangeCalendar(SPEC);
  const i = (iso: string) => cal.session_index(day(iso));

  test("weekends, a holiday and a special weekmask decide which days are sessions", () => {
    expect(cal.is_session(day("2024-01-02"))).toBe(true);
    expect(cal.is_session(day("2024-01-03"))).toBe(false); // the adhoc holiday
    expect(cal.is_session(day("2024-01-06"))).toBe(false); // a Saturday
    expect(cal.is_session(day("2024-01-13"))).toBe(true); // the Saturday with a session
    expect(cal.is_session(day("2024-01-14"))).toBe(false);
    expect(cal.first_session).toBe(day("2024-01-01"));
    expect(cal.last_session).toBe(day("2024-12-31"));
  });

  test("regular times, and an open time that changed", () => {
    expect(cal.opens[i("2024-01-02")]).toBe(utc("2024-01-02T09:00:00"));
    expect(cal.opens[i("2024-01-10")]).toBe(utc("2024-01-10T10:00:00"));
    expect(cal.closes[i("2024-01-02")]).toBe(utc("2024-01-02T17:00:00"));
    expect(cal.break_starts[i("2024-01-02")]).toBe(utc("2024-01-02T12:00:00"));
    expect(cal.break_ends[i("2024-01-02")]).toBe(utc("2024-01-02T13:00:00"));
    expect(cal.has_break).toBe(true);
  });

  test("a special close ends the session early and removes its break", () => {
    const k = i("2024-01-04");
    expect(cal.closes[k]).toBe(utc("2024-01-04T15:00:00"));
    expect(cal.break_starts[k]).toBeNaN();
    expect(cal.is_early_close(day("2024-01-04"))).toBe(true);
    expect(cal.is_early_close(day("2024-01-02"))).toBe(false);
  });

  test("a special open opens late", () => {
    expect(cal.opens[i("2024-01-05")]).toBe(utc("2024-01-05T11:00:00"));
    expect(cal.is_late_open(day("2024-01-05"))).toBe(true);
    expect(cal.is_late_open(day("2024-01-04"))).toBe(false);
  });

  test("offsets move the open and close by minutes, without counting as early or late", () => {
    const k = i("2024-01-08");
    expect(cal.opens[k]).toBe(utc("2024-01-08T09:30:00"));
    expect(cal.closes[k]).toBe(utc("2024-01-08T16:30:00"));
    expect(cal.is_early_close(day("2024-01-08"))).toBe(false);
    expect(cal.is_late_open(day("2024-01-08"))).toBe(false);
  });

  test("the arrays are exactly as long as the sessions (a buffer of their own)", () => {
    const n = cal.all_sessions.length;
    for (const a of [cal.opens, cal.closes, cal.break_starts, cal.break_ends]) {
      expect(a.length).toBe(n);
      expect(a.buffer.byteLength).toBe(n * 8);
    }
  });
});

describe("has_break", () => {
  test("false without break times and when every break time is missing", () => {
    expect(buildExchangeCalendar({ ...SPEC, breakStart: undefined, breakEnd: undefined }).has_break)
      .toBe(false);
    const noBreaks = buildExchangeCalendar({
      ...SPEC,
      breakStart: [[null, null]],
      breakEnd: [[null, null]],
    });
    expect(noBreaks.has_break).toBe(false);
    const fromSessions = calendarFromSessions("S", "UTC", [
      { session: "2024-01-02", open: "2024-01-02T09:00:00Z", close: "2024-01-02T17:00:00Z" },
    ]);
    expect(fromSessions.has_break).toBe(false);
  });
});
