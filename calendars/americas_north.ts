/**
 * North American and Atlantic markets besides NYSE and CME: Toronto (XTSE), Mexico (XMEX),
 * Bermuda (XBDA), ICE US futures (IEPA) and Cboe Futures (XCBF), as exchange_calendars states
 * them.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { christmas, labourDay, maundyThursday, newYearsDay } from "./europe_common.ts";
import { dayFromYmd, FRIDAY, MONDAY, SATURDAY, THURSDAY, WEDNESDAY } from "./days.ts";
import {
  computed,
  easter,
  fixed,
  nextMonday,
  nextMondayOrTuesday,
  nthWeekday,
  onOrAfter,
  onOrBefore,
  previousFriday,
  weekdayFrom,
  weekendToMonday,
} from "./rules.ts";
import { after } from "./rules.ts";
import { usHolidays } from "./xnys.ts";
import { MONDAY as MON, TUESDAY } from "./days.ts";

/** US national days of mourning from 1990 (exchange_calendars' `USNationalDaysofMourning`). */
export const US_DAYS_OF_MOURNING = [
  "1994-04-27", // Richard Nixon
  "2004-06-11", // Ronald Reagan
  "2007-01-02", // Gerald Ford
  "2018-12-05", // George H. W. Bush
  "2025-01-09", // Jimmy Carter
] as const;

export const XTSE_SPEC: ExchangeSpec = {
  name: "XTSE",
  tz: "America/Toronto",
  open: "09:30",
  close: "16:00",
  holidays: [
    newYearsDay({ observance: weekendToMonday }),
    nthWeekday("Family Day", 2, MONDAY, 3, { start: "2008-01-01" }),
    easter("Good Friday", -2),
    weekdayFrom("Victoria Day", 5, 24, MONDAY, -1),
    fixed("Canada Day", 7, 1, { observance: weekendToMonday }),
    nthWeekday("Civic Holiday", 8, MONDAY, 1),
    nthWeekday("Labour Day", 9, MONDAY, 1),
    nthWeekday("Canadian Thanksgiving", 10, MONDAY, 2),
    christmas(),
    fixed("Weekend Christmas", 12, 27, { daysOfWeek: [MON, TUESDAY] }),
    fixed("Boxing Day", 12, 26),
    fixed("Weekend Boxing Day", 12, 28, { daysOfWeek: [MON, TUESDAY] }),
  ],
  adhocHolidays: ["2001-09-11", "2001-09-12"],
  specialCloses: [{
    time: "13:00",
    rules: [fixed("Christmas Eve", 12, 24, {
      daysOfWeek: [MON, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY],
      start: "2010-01-01",
    })],
  }],
};

export const XMEX_SPEC: ExchangeSpec = {
  name: "XMEX",
  tz: "America/Mexico_City",
  open: "08:30",
  close: "15:00",
  holidays: [
    newYearsDay(),
    fixed("Constitution Day", 2, 5, { end: "2007" }),
    nthWeekday("Constitution Day (observed)", 2, MONDAY, 1, { start: "2007" }),
    fixed("Juarez's Birthday", 3, 21, { end: "2007" }),
    nthWeekday("Juarez's Birthday (observed)", 3, MONDAY, 3, { start: "2007" }),
    maundyThursday(),
    easter("Good Friday", -2),
    labourDay(),
    fixed("Independence Day", 9, 16),
    fixed("All Souls' Day", 11, 2, { start: "2006" }),
    fixed("Revolution Day", 11, 20, { end: "2007" }),
    nthWeekday("Revolution Day (observed)", 11, MONDAY, 3, { start: "2007" }),
    fixed("Banking Holiday", 12, 12),
    christmas(),
  ],
  adhocHolidays: ["2010-09-17"],
};

/** Bermuda Day: May 24 (or the Monday after) until 2017 and in 2019; then Fridays. */
const bermudaDay = computed("Bermuda Day", (y) => {
  const may31 = dayFromYmd(y, 5, 31);
  if (y <= 2017 || y === 2019) return nextMonday(dayFromYmd(y, 5, 24));
  if (y <= 2020) return onOrBefore(may31, FRIDAY);
  return onOrBefore(onOrBefore(may31, MONDAY), FRIDAY);
});

/** The Thursday before the first Monday of August (Cup Match's first day). */
const cupMatchThursday = (y: number) =>
  onOrBefore(onOrAfter(dayFromYmd(y, 8, 1), MONDAY), THURSDAY);

export const XBDA_SPEC: ExchangeSpec = {
  name: "XBDA",
  tz: "Atlantic/Bermuda",
  open: "09:00",
  close: "16:30",
  holidays: [
    newYearsDay({ observance: weekendToMonday }),
    easter("Good Friday", -2),
    bermudaDay,
    computed("National Heroes Day", (y) => nthWeekdayOfJune(y, 3), { start: "2018-01-01" }),
    computed(
      "Queen's Birthday",
      (y) =>
        y <= 1999
          ? nthWeekdayOfJune(y, 3)
          : y <= 2008
          ? onOrAfter(dayFromYmd(y, 6, 1), SATURDAY) + 7 + 2
          : NaN,
      { end: "2008-12-31" },
    ),
    computed("Emancipation Day", cupMatchThursday, { start: "2000-01-01" }),
    computed("Cup Match Day", cupMatchThursday, { end: "1999-12-31" }),
    computed("Mary Prince Day", (y) => cupMatchThursday(y) + 1, { start: "2020-01-01" }),
    computed("Somers Day", (y) => cupMatchThursday(y) + 1, { end: "2019-12-31" }),
    nthWeekday("Labour Day", 9, MONDAY, 1),
    fixed("Remembrance Day", 11, 11, { observance: weekendToMonday }),
    christmas({ observance: nextMonday }),
    fixed("Boxing Day", 12, 26, { observance: nextMondayOrTuesday }),
  ],
  adhocHolidays: ["2007-01-05", "2019-11-04", "2021-10-18", "2022-09-19", "2023-05-08"],
  specialCloses: [{
    time: "14:00",
    rules: [fixed("Christmas Eve", 12, 24, { observance: previousFriday })],
  }],
};

function nthWeekdayOfJune(y: number, n: number): number {
  return onOrAfter(dayFromYmd(y, 6, 1), MONDAY) + (n - 1) * 7;
}

/** ICE US (IEPA): 20:00 the evening before to 18:00 New York; US holidays close at 13:00. */
export const IEPA_SPEC: ExchangeSpec = {
  name: "IEPA",
  tz: "America/New_York",
  open: "20:00",
  openDayOffset: -1,
  close: "18:00",
  holidays: [usHolidays.newYearsDay, usHolidays.goodFriday, usHolidays.christmas],
  adhocHolidays: [...US_DAYS_OF_MOURNING, "2012-10-29"],
  specialCloses: [{
    time: "13:00",
    rules: [
      usHolidays.mlkDay,
      usHolidays.presidentsDay,
      usHolidays.memorialDay,
      usHolidays.independenceDay,
      usHolidays.laborDay,
      usHolidays.thanksgiving,
    ],
  }],
};

/** Cboe Futures Exchange (XCBF), 08:30–15:15 Chicago. */
export const XCBF_SPEC: ExchangeSpec = {
  name: "XCBF",
  tz: "America/Chicago",
  open: "08:30",
  close: "15:15",
  holidays: [
    usHolidays.newYearsDay,
    usHolidays.mlkDay,
    usHolidays.presidentsDay,
    usHolidays.goodFriday,
    usHolidays.independenceDay,
    usHolidays.memorialDay,
    usHolidays.juneteenth,
    usHolidays.laborDay,
    usHolidays.thanksgiving,
    usHolidays.christmas,
  ],
  adhocHolidays: ["2012-10-29", "2012-10-30", ...US_DAYS_OF_MOURNING],
  specialCloses: [{
    time: "12:15",
    rules: [after("Black Friday", usHolidays.thanksgiving, 1, { start: "1993-01-01" })],
  }],
};
