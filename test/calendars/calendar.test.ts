import { describe, expect, test } from "vitest";
import {
  CalendarRangeError,
  get_calendar,
  MinuteOutOfSessionError,
  NotSessionError,
  register_calendar,
  UnknownCalendarError,
} from "../../calendars/mod.ts";
import {
  dayFromYmd,
  easterSunday,
  parseIsoDate,
  weekday,
  ymdFromDay,
} from "../../calendars/days.ts";

const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const t = (iso: string) => Date.parse(iso);
const nyse = get_calendar("XNYS");

describe("day arithmetic", () => {
  test("round-trips every day from 1900 to 2100", () => {
    for (let day = dayFromYmd(1900, 1, 1); day <= dayFromYmd(2100, 12, 31); day++) {
      const [y, m, dd] = ymdFromDay(day);
      expect(dayFromYmd(y, m, dd)).toBe(day);
    }
    expect(weekday(dayFromYmd(2024, 7, 4))).toBe(4); // Thursday
  });
  test("Easter Sunday", () => {
    expect(ymdFromDay(easterSunday(2024))).toEqual([2024, 3, 31]);
    expect(ymdFromDay(easterSunday(2038))).toEqual([2038, 4, 25]);
    expect(ymdFromDay(easterSunday(2050))).toEqual([2050, 4, 10]);
  });
  test("strict ISO dates", () => {
    expect(parseIsoDate("2024-02-29")).toBe(dayFromYmd(2024, 2, 29));
    expect(parseIsoDate("2023-02-29")).toBeUndefined();
    expect(parseIsoDate("2024-7-4")).toBeUndefined();
  });
});

describe("XNYS rules beyond the answer file", () => {
  test("one-off closures and Juneteenth", () => {
    for (
      const s of [
        "2001-09-11",
        "2001-09-14",
        "2012-10-29",
        "2018-12-05",
        "2025-01-09",
        "2022-06-20",
      ]
    ) {
      expect(nyse.is_session(d(s)), s).toBe(false);
    }
    expect(nyse.is_session(d("2021-06-18"))).toBe(true); // before Juneteenth was observed
    expect(nyse.is_session(d("2027-06-18"))).toBe(false); // Saturday the 19th → Friday
  });
  test("holidays far ahead come from rules", () => {
    expect(nyse.is_session(d("2050-04-08"))).toBe(false); // Good Friday 2050
    expect(nyse.is_session(d("2049-11-25"))).toBe(false); // Thanksgiving 2049
    expect(nyse.is_session(d("2045-01-02"))).toBe(false); // Jan 1 2045 is a Sunday
    expect(nyse.is_session(d("2021-12-31"))).toBe(true); // Jan 1 2022, a Saturday: not moved
  });
  test("early closes at 13:00 New York", () => {
    expect(nyse.session_close(d("2024-07-03"))).toBe(t("2024-07-03T17:00:00Z"));
    expect(nyse.session_close(d("2024-11-29"))).toBe(t("2024-11-29T18:00:00Z"));
    expect(nyse.is_early_close(d("2002-07-05"))).toBe(true);
    expect(nyse.is_early_close(d("2013-07-05"))).toBe(false);
    expect(nyse.is_early_close(d("2013-07-03"))).toBe(true);
    expect(nyse.early_closes(d("2012-01-01"), d("2012-12-31"))).toEqual(
      Float64Array.from([d("2012-07-03"), d("2012-11-23"), d("2012-12-24")]),
    );
  });
});

describe("lookups", () => {
  test("next and previous session skip weekends and holidays", () => {
    expect(nyse.next_session(d("2024-07-03"))).toBe(d("2024-07-05"));
    expect(nyse.previous_session(d("2024-07-08"))).toBe(d("2024-07-05"));
    expect(nyse.next_session(d("2024-07-06"))).toBe(d("2024-07-08")); // from a Saturday
    expect(nyse.date_to_session(d("2024-07-04"), "previous")).toBe(d("2024-07-03"));
    expect(() => nyse.date_to_session(d("2024-07-04"))).toThrow(NotSessionError);
  });
  test("sessions_in_range is a view over the calendar's array", () => {
    const r = nyse.sessions_in_range(d("2024-07-01"), d("2024-07-08"));
    expect(Array.from(r)).toEqual(
      ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-05", "2024-07-08"].map(d),
    );
    expect(r.buffer).toBe(nyse.all_sessions.buffer);
  });
  test("minutes follow zipline's right side: (open, close]", () => {
    const s = d("2024-07-03");
    const m = nyse.session_minutes(s);
    expect(m.length).toBe(210);
    expect(m[0]).toBe(t("2024-07-03T13:31:00Z"));
    expect(m[m.length - 1]).toBe(t("2024-07-03T17:00:00Z"));
    expect(nyse.is_open_on_minute(t("2024-07-03T13:30:00Z"))).toBe(false);
    expect(nyse.is_open_on_minute(t("2024-07-03T13:31:00Z"))).toBe(true);
    expect(nyse.is_open_on_minute(t("2024-07-03T17:00:00Z"))).toBe(true);
    expect(nyse.is_open_on_minute(t("2024-07-03T17:01:00Z"))).toBe(false);
  });
  test("minute_to_session with directions", () => {
    expect(nyse.minute_to_session(t("2024-07-03T15:00:00Z"))).toBe(d("2024-07-03"));
    expect(nyse.minute_to_session(t("2024-07-04T15:00:00Z"), "next")).toBe(d("2024-07-05"));
    expect(nyse.minute_to_session(t("2024-07-04T15:00:00Z"), "previous")).toBe(d("2024-07-03"));
    expect(() => nyse.minute_to_session(t("2024-07-04T15:00:00Z"), "none")).toThrow(
      MinuteOutOfSessionError,
    );
  });
  test("CME sessions open the evening before", () => {
    const cme = get_calendar("CME");
    expect(cme.minute_to_session(t("2024-07-01T23:30:00Z"))).toBe(d("2024-07-02"));
  });
  test("24/7 has 1,440 minutes a day", () => {
    const c = get_calendar("24/7");
    expect(c.session_minute_count(d("2024-02-29"))).toBe(1440);
    expect(c.session_last_minute(d("2024-02-29"))).toBe(t("2024-03-01T00:00:00Z"));
  });
  test("out of range is an error", () => {
    expect(() => nyse.is_session(d("1980-01-02"))).toThrow(CalendarRangeError);
  });
});

describe("registry", () => {
  test("aliases resolve to the same calendar, case-insensitively", () => {
    for (const a of ["NYSE", "nasdaq", "XNAS", "BATS", "ARCX", "XASE", "CSVDIR"]) {
      expect(get_calendar(a)).toBe(nyse);
    }
    for (const a of ["CME", "CBOT", "COMEX", "NYMEX"]) {
      expect(get_calendar(a)).toBe(get_calendar("CMES"));
    }
    expect(get_calendar("US_FUTURES")).toBe(get_calendar("us_futures"));
    expect(get_calendar("us_futures")).not.toBe(get_calendar("CMES"));
  });
  test("unknown names list the known ones", () => {
    expect(() => get_calendar("NOPE")).toThrow(UnknownCalendarError);
    expect(() => get_calendar("NOPE")).toThrow(/XNYS/);
  });
  test("a user calendar from a list of sessions", () => {
    register_calendar("TESTEX", {
      tz: "UTC",
      sessions: [
        { session: "2024-01-03", open: "2024-01-03T09:00:00Z", close: "2024-01-03T17:00:00Z" },
        { session: "2024-01-02", open: "2024-01-02T09:00:00Z", close: "2024-01-02T12:00:00Z" },
      ],
    }, { aliases: ["TX"] });
    const c = get_calendar("tx");
    expect(c.next_session(d("2024-01-02"))).toBe(d("2024-01-03"));
    expect(c.session_minute_count(d("2024-01-02"))).toBe(180);
    expect(() => register_calendar("TESTEX", nyse)).toThrow(/already registered/);
    register_calendar("TESTEX", nyse, { force: true });
    expect(get_calendar("TESTEX")).toBe(nyse);
  });
});
