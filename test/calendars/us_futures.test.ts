/**
 * `us_futures` as exchange_calendars' `QuantopianUSFuturesCalendar` defines it
 * (`exchange_calendars/us_futures_calendar.py` at 5308ce2): 18:00 to 18:00 America/New_York,
 * opening the evening before; holidays New Year's Day (Sunday → Monday, a Saturday is not moved),
 * Good Friday and Christmas (nearest workday); nothing else.
 */
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";

const fut = get_calendar("us_futures");
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const utc = (iso: string) => Date.parse(iso);

describe("us_futures", () => {
  test("is its own calendar, named as zipline names it", () => {
    expect(fut.name).toBe("us_futures");
    expect(fut.tz).toBe("America/New_York");
    expect(fut).not.toBe(get_calendar("CMES"));
  });

  test("sessions run 18:00 the evening before to 18:00 New York time; first minute 18:01", () => {
    const s = day("2024-03-12"); // EDT
    expect(fut.session_open(s)).toBe(utc("2024-03-11T22:00:00Z"));
    expect(fut.session_close(s)).toBe(utc("2024-03-12T22:00:00Z"));
    expect(fut.session_first_minute(s)).toBe(utc("2024-03-11T22:01:00Z"));
    expect(fut.session_minute_count(s)).toBe(1440);
    const w = day("2024-01-16"); // EST
    expect(fut.session_open(w)).toBe(utc("2024-01-15T23:00:00Z"));
    // Monday's session opens on Sunday evening.
    expect(fut.session_open(day("2024-01-22"))).toBe(utc("2024-01-21T23:00:00Z"));
  });

  test("only New Year's Day, Good Friday and Christmas are holidays", () => {
    for (const closed of ["2024-01-01", "2024-03-29", "2024-12-25", "2023-01-02", "2021-12-24"]) {
      expect(fut.is_session(day(closed)), closed).toBe(false);
    }
    // US holidays CME shortens and NYSE closes are full sessions here, and so are NYSE's closures.
    for (
      const open of [
        "2024-01-15",
        "2024-07-04",
        "2024-11-28",
        "2001-09-11",
        "2012-10-29",
        "2022-12-31",
      ]
    ) {
      if (new Date(day(open)).getUTCDay() % 6 === 0) continue;
      expect(fut.is_session(day(open)), open).toBe(true);
      expect(fut.is_early_close(day(open)), open).toBe(false);
    }
    expect(fut.is_session(day("2010-12-31"))).toBe(true); // Jan 1 2011, a Saturday: not moved
    expect(fut.is_session(day("2050-04-08"))).toBe(false); // Good Friday 2050
  });

  test("differs from CMES, which opens at 17:00 Chicago and closes US holidays at noon", () => {
    const cme = get_calendar("CMES");
    const s = day("2024-07-04");
    expect(cme.session_close(s)).toBe(utc("2024-07-04T17:00:00Z"));
    expect(fut.session_close(s)).toBe(utc("2024-07-04T22:00:00Z"));
    expect(cme.is_session(day("2018-12-05"))).toBe(false); // G. H. W. Bush's funeral
    expect(fut.is_session(day("2018-12-05"))).toBe(true);
  });
});
