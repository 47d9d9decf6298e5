/**
 * CME Globex (CMES), as exchange_calendars states it: sessions run 17:00–17:00 America/Chicago,
 * opening the evening before the session's date.
 *
 * CME's holiday hours differ by product (e.g. on July 4th 2016 equity, rate, FX, energy and metal
 * products closed at 12:00 CT while grain and livestock products were shut all day). Like
 * exchange_calendars we keep a single calendar and take the most conservative reading that still
 * trades: only New Year's Day, Good Friday and Christmas are full holidays; the other US market
 * holidays (and the days around them NYSE shortens) are sessions closing at 12:00.
 */
import { MONDAY, THURSDAY, TUESDAY, WEDNESDAY } from "./days.ts";
import type { ExchangeSpec } from "./exchange.ts";
import { after, fixed } from "./rules.ts";
import { usHolidays } from "./xnys.ts";

/**
 * National days of mourning: full closures. Unlike NYSE, CME stayed open (on these rules)
 * after September 11th 2001 and Hurricane Sandy, so those are not here.
 */
export const CMES_ADHOC_HOLIDAYS = [
  "1994-04-27", // Richard Nixon's funeral
  "2004-06-11", // Ronald Reagan's funeral
  "2007-01-02", // Gerald Ford's funeral
  "2018-12-05", // George H. W. Bush's funeral
  "2025-01-09", // Jimmy Carter's funeral
] as const;

export const CMES_SPEC: ExchangeSpec = {
  name: "CMES",
  tz: "America/Chicago",
  open: "17:00",
  openDayOffset: -1,
  close: "17:00",
  holidays: [usHolidays.newYearsDay, usHolidays.goodFriday, usHolidays.christmas],
  adhocHolidays: CMES_ADHOC_HOLIDAYS,
  specialCloses: [
    {
      // The US holidays are trading days that end at noon. Where one of these coincides with a
      // full holiday or a day of mourning (e.g. Christmas Eve observed as Christmas on a Friday),
      // the closure wins.
      time: "12:00",
      rules: [
        usHolidays.mlkDay,
        usHolidays.presidentsDay,
        usHolidays.memorialDay,
        usHolidays.juneteenth,
        usHolidays.independenceDay,
        usHolidays.laborDay,
        usHolidays.thanksgiving,
        // Black Friday only from 1993 (NYSE's 1992 early close is not carried over to CME).
        after("Black Friday", usHolidays.thanksgiving, 1, { start: "1993-01-01" }),
        // Christmas Eve Monday to Thursday; a Friday 24th is Christmas observed.
        fixed("Christmas Eve", 12, 24, { daysOfWeek: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY] }),
      ],
    },
  ],
};
