/**
 * Lunch breaks (exchange_calendars' semantics, `exchange_calendar.py`): on zipline's right side a
 * session's minutes are (open, break_start] and (break_end, close]; minutes in the break are not
 * trading minutes but belong to their session; a special close removes the break.
 */
import { describe, expect, test } from "vitest";
import { get_calendar, MINUTE_MS, PrecomputedCalendar } from "../../calendars/mod.ts";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const utc = (iso: string) => Date.parse(iso);

describe("Tokyo's lunch break (11:30-12:30 Tokyo, UTC+9)", () => {
  const xtks = get_calendar("XTKS");
  const s = day("2024-07-01");

  test("the break and the session's minutes, which skip it", () => {
    expect(xtks.has_break).toBe(true);
    expect(xtks.session_has_break(s)).toBe(true);
    expect(xtks.session_break_start(s)).toBe(utc("2024-07-01T02:30:00Z"));
    expect(xtks.session_break_end(s)).toBe(utc("2024-07-01T03:30:00Z"));
    const m = xtks.session_minutes(s);
    expect(m.length).toBe(300); // 09:01-11:30 and 12:31-15:00
    expect(xtks.session_minute_count(s)).toBe(300);
    expect(m[0]).toBe(utc("2024-07-01T00:01:00Z"));
    expect(m[149]).toBe(utc("2024-07-01T02:30:00Z")); // 11:30, the morning's last minute
    expect(m[150]).toBe(utc("2024-07-01T03:31:00Z")); // 12:31, the afternoon's first
    expect(m[299]).toBe(utc("2024-07-01T06:00:00Z"));
    for (let k = 1; k < m.length; k++) {
      expect(m[k] - m[k - 1] === MINUTE_MS || k === 150).toBe(true);
    }
  });

  test("is_open_on_minute is false in the break; the minute still belongs to the session", () => {
    expect(xtks.is_open_on_minute(utc("2024-07-01T02:30:00Z"))).toBe(true); // 11:30
    expect(xtks.is_open_on_minute(utc("2024-07-01T02:31:00Z"))).toBe(false); // 11:31
    expect(xtks.is_break_minute(utc("2024-07-01T02:31:00Z"))).toBe(true);
    expect(xtks.is_open_on_minute(utc("2024-07-01T03:30:00Z"))).toBe(false); // 12:30
    expect(xtks.is_open_on_minute(utc("2024-07-01T03:31:00Z"))).toBe(true); // 12:31
    expect(xtks.is_break_minute(utc("2024-07-01T03:31:00Z"))).toBe(false);
    expect(xtks.minute_to_session(utc("2024-07-01T03:00:00Z"), "none")).toBe(s);
    expect(xtks.minute_to_session(utc("2024-07-01T03:00:00Z"), "previous")).toBe(s);
  });

  test("the close moved to 15:30 from 2024-11-05", () => {
    expect(xtks.session_close(day("2024-11-05"))).toBe(utc("2024-11-05T06:30:00Z"));
    expect(xtks.session_minute_count(day("2024-11-05"))).toBe(330);
  });

  test("the left side includes the open and break end and excludes break start and close", () => {
    const left = (xtks as PrecomputedCalendar).withSide("left");
    const m = left.session_minutes(s);
    expect(m[0]).toBe(utc("2024-07-01T00:00:00Z"));
    expect(m[149]).toBe(utc("2024-07-01T02:29:00Z"));
    expect(m[150]).toBe(utc("2024-07-01T03:30:00Z"));
    expect(left.is_open_on_minute(utc("2024-07-01T02:30:00Z"))).toBe(false);
    expect(left.is_open_on_minute(utc("2024-07-01T03:30:00Z"))).toBe(true);
  });
});

describe("half days and history", () => {
  test("Hong Kong's Christmas Eve closes at noon, with no break", () => {
    const xhkg = get_calendar("HKEX");
    const eve = day("2024-12-24");
    expect(xhkg.session_has_break(eve)).toBe(false);
    expect(Number.isNaN(xhkg.session_break_start(eve))).toBe(true);
    expect(xhkg.session_minute_count(eve)).toBe(150); // 09:31-12:00
    expect(xhkg.is_early_close(eve)).toBe(true);
    expect(xhkg.is_open_on_minute(utc("2024-12-24T04:30:00Z"))).toBe(false);
  });

  test("Seoul's break ended on 2000-05-22; exam days open an hour late", () => {
    const xkrx = get_calendar("XKRX");
    expect(xkrx.session_has_break(day("2000-05-19"))).toBe(true);
    expect(xkrx.session_has_break(day("2000-05-22"))).toBe(false);
    // 2024-11-14 was the College Scholastic Ability Test: 10:00-16:30 Seoul (UTC+9).
    expect(xkrx.session_open(day("2024-11-14"))).toBe(utc("2024-11-14T01:00:00Z"));
    expect(xkrx.session_close(day("2024-11-14"))).toBe(utc("2024-11-14T07:30:00Z"));
  });

  test("late opens: São Paulo opens at 13:00 on Ash Wednesday", () => {
    const bvmf = get_calendar("BVMF");
    expect(bvmf.is_late_open(day("2024-02-14"))).toBe(true);
    expect(bvmf.session_open(day("2024-02-14"))).toBe(utc("2024-02-14T16:00:00Z"));
    expect(Array.from(bvmf.late_opens(day("2024-01-01"), day("2024-12-31")))).toEqual([
      day("2024-02-14"),
    ]);
  });

  test("a calendar without breaks reports none", () => {
    const nyse = get_calendar("XNYS");
    expect(nyse.has_break).toBe(false);
    expect(nyse.session_has_break(day("2024-07-01"))).toBe(false);
    expect(nyse.is_break_minute(utc("2024-07-01T16:00:00Z"))).toBe(false);
  });
});
