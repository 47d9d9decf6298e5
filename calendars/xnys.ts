/**
 * New York Stock Exchange (XNYS), 09:30–16:00 America/New_York, with the holiday and early-close
 * rules NYSE has followed since 1990 (as exchange_calendars states them).
 */
import { FRIDAY, MONDAY, THURSDAY, TUESDAY, WEDNESDAY } from "./days.ts";
import type { ExchangeSpec } from "./exchange.ts";
import { after, easter, fixed, nearestWorkday, nthWeekday, sundayToMonday } from "./rules.ts";

const thanksgiving = nthWeekday("Thanksgiving", 11, THURSDAY, 4);

/** US market holidays as NYSE observes them (also used by CMES). */
export const usHolidays = {
  // Jan 1 on a Saturday is not observed on the Friday before.
  newYearsDay: fixed("New Year's Day", 1, 1, { observance: sundayToMonday }),
  mlkDay: nthWeekday("Martin Luther King Jr. Day", 1, MONDAY, 3, { start: "1998-01-01" }),
  presidentsDay: nthWeekday("Presidents' Day", 2, MONDAY, 3, { start: "1971-01-01" }),
  goodFriday: easter("Good Friday", -2),
  memorialDay: nthWeekday("Memorial Day", 5, MONDAY, -1, { start: "1971-01-01" }),
  juneteenth: fixed("Juneteenth", 6, 19, { observance: nearestWorkday, start: "2022-01-01" }),
  independenceDay: fixed("Independence Day", 7, 4, { observance: nearestWorkday }),
  laborDay: nthWeekday("Labor Day", 9, MONDAY, 1),
  thanksgiving,
  christmas: fixed("Christmas", 12, 25, { observance: nearestWorkday }),
} as const;

/** NYSE's one-off full-day closures from 1990 on. */
export const XNYS_ADHOC_HOLIDAYS = [
  "1994-04-27", // Richard Nixon's funeral
  "2001-09-11",
  "2001-09-12",
  "2001-09-13",
  "2001-09-14", // September 11
  "2004-06-11", // Ronald Reagan's funeral
  "2007-01-02", // Gerald Ford's funeral
  "2012-10-29",
  "2012-10-30", // Hurricane Sandy
  "2018-12-05", // George H. W. Bush's funeral
  "2025-01-09", // Jimmy Carter's funeral
] as const;

const MON_TUE_THU = [MONDAY, TUESDAY, THURSDAY];
const MON_TO_THU = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY];

export const XNYS_SPEC: ExchangeSpec = {
  name: "XNYS",
  tz: "America/New_York",
  open: "09:30",
  close: "16:00",
  holidays: Object.values(usHolidays),
  adhocHolidays: XNYS_ADHOC_HOLIDAYS,
  specialCloses: [
    {
      time: "13:00",
      rules: [
        fixed("July 3rd (Mon, Tue, Thu)", 7, 3, { daysOfWeek: MON_TUE_THU, start: "1995-01-01" }),
        // Before 2013 a Thursday July 4th made Friday the half day; since then, Wednesday.
        fixed("Friday July 5th", 7, 5, {
          daysOfWeek: [FRIDAY],
          start: "1995-01-01",
          end: "2012-12-31",
        }),
        fixed("Wednesday July 3rd", 7, 3, { daysOfWeek: [WEDNESDAY], start: "2013-01-01" }),
        after("Day after Thanksgiving", thanksgiving, 1, { start: "1993-01-01" }),
        fixed("Christmas Eve", 12, 24, { daysOfWeek: MON_TO_THU, start: "1993-01-01" }),
      ],
      adhoc: ["1997-12-26", "1999-12-31", "2003-12-26"],
    },
    {
      // Until 1993 NYSE's early close was 14:00.
      time: "14:00",
      rules: [
        fixed("Christmas Eve", 12, 24, { daysOfWeek: MON_TO_THU, end: "1992-12-31" }),
        after("Day after Thanksgiving", thanksgiving, 1, {
          start: "1992-01-01",
          end: "1992-12-31",
        }),
      ],
    },
  ],
};
