/**
 * Sydney (XASX) and Wellington (XNZE), as exchange_calendars states them.
 */
import type { ExchangeSpec } from "./exchange.ts";
import {
  boxingDay,
  christmas,
  easterMonday,
  goodFriday,
  weekendBoxingDay,
  weekendChristmas,
} from "./europe_common.ts";
import { MONDAY } from "./days.ts";
import {
  fixed,
  nextMonday,
  nextMondayOrTuesday,
  nthWeekday,
  previousFriday,
  previousWorkday,
  sundayToMonday,
  weekdayFrom,
  weekendToMonday,
} from "./rules.ts";

const anzacDay = (o: Parameters<typeof fixed>[3] = {}) => fixed("Anzac Day", 4, 25, o);
/** Sydney's early close: the last trading day before Christmas and of the year. */
const lastDayBefore = (name: string, month: number, day: number, start: string, end?: string) =>
  fixed(name, month, day, { start, end, observance: previousFriday });

export const XASX_SPEC: ExchangeSpec = {
  name: "XASX",
  tz: "Australia/Sydney",
  open: "10:00",
  close: "16:00",
  holidays: [
    fixed("New Year's Day", 1, 1, { observance: weekendToMonday }),
    fixed("Australia Day", 1, 26, { start: "1994-01-01", observance: weekendToMonday }),
    fixed("Australia Day", 1, 26, { start: "1988-01-01", end: "1988-12-31" }),
    weekdayFrom("Australia Day", 1, 26, MONDAY, 1, { start: "1989-01-01", end: "1992-12-31" }),
    goodFriday(),
    easterMonday(),
    anzacDay({ end: "2010" }),
    anzacDay({ observance: sundayToMonday, start: "2010", end: "2011" }),
    anzacDay({ start: "2011" }),
    nthWeekday("King's (Queen's) Birthday", 6, MONDAY, 2),
    christmas(),
    weekendChristmas(),
    boxingDay(),
    weekendBoxingDay(),
  ],
  adhocHolidays: [
    "2011-04-26", // Easter Tuesday 2011 (Anzac Day on Easter Monday)
    "1990-12-31",
    "1999-12-31", // Y2K testing
    "2022-09-22", // mourning for Queen Elizabeth II
  ],
  specialCloses: [{
    time: "14:10",
    rules: [
      lastDayBefore("Last Trading Day Before Christmas", 12, 24, "2010", "2022"),
      lastDayBefore("Last Trading Day of the Year", 12, 31, "2010", "2022"),
      lastDayBefore("Last Trading Day Before Christmas", 12, 24, "2023"),
      lastDayBefore("Last Trading Day of the Year", 12, 31, "2023"),
    ],
  }],
};

/** New Zealand "Mondayised" Waitangi and Anzac Days from 2015. */
const MONDAYISATION = "2015-01-01";

export const XNZE_SPEC: ExchangeSpec = {
  name: "XNZE",
  tz: "Pacific/Auckland",
  open: "10:00",
  close: "16:45",
  holidays: [
    fixed("New Year's Day", 1, 1, { observance: nextMonday }),
    fixed("Day after New Year's Day", 1, 2, { observance: nextMondayOrTuesday }),
    fixed("Waitangi Day", 2, 6, { end: MONDAYISATION }),
    fixed("Waitangi Day", 2, 6, { observance: weekendToMonday, start: MONDAYISATION }),
    goodFriday(),
    easterMonday(),
    anzacDay({ end: MONDAYISATION }),
    anzacDay({ observance: weekendToMonday, start: MONDAYISATION }),
    nthWeekday("King's (Queen's) Birthday", 6, MONDAY, 1),
    nthWeekday("Labour Day", 10, MONDAY, 4),
    christmas({ observance: nextMonday }),
    boxingDay({ observance: nextMondayOrTuesday }),
  ],
  adhocHolidays: [
    "1990-12-24",
    "1990-12-31",
    "1991-12-27",
    "1992-01-03",
    "1999-12-31",
    "2022-09-26", // mourning for Queen Elizabeth II
    // Matariki (set by the Matariki Public Holiday Act 2022 to 2052).
    "2022-06-24",
    "2023-07-14",
    "2024-06-28",
    "2025-06-20",
    "2026-07-10",
    "2027-06-25",
    "2028-07-14",
    "2029-07-06",
    "2030-06-21",
    "2031-07-11",
    "2032-07-02",
    "2033-06-24",
    "2034-07-07",
    "2035-06-29",
    "2036-07-21",
    "2037-07-10",
    "2038-06-25",
    "2039-07-15",
    "2040-07-06",
    "2041-07-19",
    "2042-07-11",
    "2043-07-03",
    "2044-06-24",
    "2045-07-07",
    "2046-06-29",
    "2047-07-19",
    "2048-07-03",
    "2049-06-25",
  ],
  specialCloses: [{
    time: "12:45",
    rules: [
      fixed("Business Day Before Christmas", 12, 25, {
        observance: previousWorkday,
        start: "2011-01-01",
      }),
      fixed("Business Day Before New Year's Day", 1, 1, {
        observance: previousWorkday,
        start: "2011-01-01",
      }),
    ],
  }],
};
