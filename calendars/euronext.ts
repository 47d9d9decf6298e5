/**
 * Euronext's markets: Amsterdam (XAMS), Brussels (XBRU), Paris (XPAR), Lisbon (XLIS), Milan
 * (XMIL), Dublin (XDUB) and Oslo (XOSL), as exchange_calendars states them. Since 2002 the
 * continental markets share one holiday list; national days before then are bounded rules.
 */
import type { ExchangeSpec } from "./exchange.ts";
import {
  allSaintsDay,
  ascensionDay,
  assumptionDay,
  boxingDay,
  christmas,
  christmasEve,
  corpusChristi,
  easterMonday,
  goodFriday,
  holyWednesday,
  immaculateConception,
  labourDay,
  maundyThursday,
  newYearsDay,
  newYearsEve,
  WEEKDAYS,
  weekendBoxingDay,
  weekendChristmas,
  whitMonday,
} from "./europe_common.ts";
import { MONDAY } from "./days.ts";
import {
  easter,
  fixed,
  type HolidayRule,
  nthWeekday,
  previousFriday,
  weekendToMonday,
} from "./rules.ts";

/** Euronext's shared closures, the national days each market kept until 2002, half days. */
function euronext(
  name: string,
  tz: string,
  national: readonly HolidayRule[],
): ExchangeSpec {
  return {
    name,
    tz,
    open: "09:00",
    close: "17:30",
    holidays: [
      newYearsDay(),
      goodFriday(),
      easterMonday(),
      labourDay(),
      christmas(),
      boxingDay(),
      newYearsEve({ end: "2002" }),
      ...national,
    ],
    specialCloses: [{
      time: "14:05",
      rules: [
        christmasEve({ daysOfWeek: WEEKDAYS }),
        newYearsEve({ start: "2002", daysOfWeek: WEEKDAYS }),
      ],
    }],
  };
}

export const XAMS_SPEC = euronext("XAMS", "Europe/Amsterdam", [
  ascensionDay({ end: "2001" }),
  whitMonday({ end: "2002" }),
  fixed("Queen's Day", 4, 30, { end: "2002" }),
]);

export const XBRU_SPEC = euronext("XBRU", "Europe/Brussels", [
  ascensionDay({ end: "2001" }),
  whitMonday({ end: "2002" }),
  fixed("Belgium Independence Day", 7, 21, { end: "2002" }),
]);

export const XPAR_SPEC = euronext("XPAR", "Europe/Paris", [
  whitMonday({ end: "2002" }),
  fixed("Bastille Day", 7, 14, { end: "2002" }),
]);

export const XLIS_SPEC: ExchangeSpec = {
  name: "XLIS",
  tz: "Europe/Lisbon",
  open: "08:00",
  close: "16:30",
  holidays: [
    newYearsDay(),
    easter("Carnival", -47, { end: "2003" }),
    goodFriday(),
    easterMonday(),
    corpusChristi({ end: "2003" }),
    fixed("Liberty Day", 4, 25, { end: "2003" }),
    labourDay(),
    fixed("Portugal Day", 6, 10, { end: "2003" }),
    fixed("Saint Anthony's Day", 6, 13, { end: "2002" }),
    assumptionDay({ end: "2003" }),
    fixed("Republic Day", 10, 5, { end: "2003" }),
    allSaintsDay({ end: "2003" }),
    fixed("Independence Day", 12, 1, { end: "2003" }),
    immaculateConception({ end: "2003" }),
    christmasEve({ end: "2003" }),
    christmas(),
    boxingDay(),
  ],
  specialCloses: [{
    time: "13:05",
    rules: [
      christmasEve({ start: "2003", daysOfWeek: WEEKDAYS }),
      newYearsEve({ daysOfWeek: WEEKDAYS }),
    ],
  }],
};

export const XMIL_SPEC: ExchangeSpec = {
  name: "XMIL",
  tz: "Europe/Rome",
  open: "09:00",
  close: "17:30",
  holidays: [
    newYearsDay(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    fixed("Ferragosto", 8, 15),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
};

const firstMondayOfMay = (o: { start?: string; end?: string }) =>
  nthWeekday("May Bank Holiday", 5, MONDAY, 1, o);

export const XDUB_SPEC: ExchangeSpec = {
  name: "XDUB",
  tz: "Europe/Dublin",
  open: "08:00",
  close: "16:28",
  holidays: [
    newYearsDay({ observance: weekendToMonday }),
    fixed("St. Patrick's Day", 3, 17, { end: "2001", observance: weekendToMonday }),
    goodFriday(),
    easterMonday(),
    labourDay({ start: "2008", end: "2010", observance: weekendToMonday }),
    labourDay({ start: "2019", observance: weekendToMonday }),
    firstMondayOfMay({ end: "2019" }),
    firstMondayOfMay({ start: "2021" }),
    nthWeekday("June Bank Holiday", 6, MONDAY, 1, { end: "2019" }),
    christmasEve({ end: "2005" }),
    christmas(),
    weekendChristmas(),
    boxingDay(),
    weekendBoxingDay(),
  ],
  adhocHolidays: ["2018-03-02"], // bad weather (storm Emma)
  specialCloses: [{
    time: "12:28",
    rules: [
      fixed("Last Trading Day Before Christmas", 12, 24, {
        start: "2010",
        observance: previousFriday,
      }),
      fixed("Last Trading Day of the Year", 12, 31, { start: "2010", observance: previousFriday }),
    ],
    adhoc: ["2018-03-01"], // bad weather
  }],
};

export const XOSL_SPEC: ExchangeSpec = {
  name: "XOSL",
  tz: "Europe/Oslo",
  open: "09:00",
  close: "16:20",
  holidays: [
    newYearsDay(),
    maundyThursday(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    ascensionDay(),
    fixed("Constitution Day", 5, 17),
    whitMonday(),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
  specialCloses: [{
    time: "13:00",
    rules: [holyWednesday({ start: "2011", daysOfWeek: WEEKDAYS })],
  }],
};
