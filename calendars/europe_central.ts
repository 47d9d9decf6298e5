/**
 * Central European markets: Zurich (XSWX), Vienna (XWBO), Prague (XPRA), Bratislava (XBRA),
 * Budapest (XBUD), Warsaw (XWAR), Luxembourg (XLUX) and Madrid (XMAD), as exchange_calendars states them.
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
  epiphany,
  goodFriday,
  immaculateConception,
  labourDay,
  newYearsDay,
  newYearsEve,
  WEEKDAYS,
  whitMonday,
} from "./europe_common.ts";
import { THURSDAY, TUESDAY, weekday, ymdFromDay } from "./days.ts";
import {
  fixed,
  type HolidayRule,
  type Observance,
  previousFriday,
  previousWorkday,
  weekendToMonday,
} from "./rules.ts";

export const XSWX_SPEC: ExchangeSpec = {
  name: "XSWX",
  tz: "Europe/Zurich",
  open: "09:00",
  close: "17:30",
  holidays: [
    newYearsDay(),
    fixed("Berchtold's Day", 1, 2),
    easterMonday(),
    goodFriday(),
    labourDay(),
    ascensionDay(),
    whitMonday(),
    fixed("Swiss National Day", 8, 1),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
};

export const XWBO_SPEC: ExchangeSpec = {
  name: "XWBO",
  tz: "Europe/Vienna",
  open: "09:00",
  close: "17:30",
  holidays: [
    newYearsDay(),
    epiphany({ end: "2019" }),
    goodFriday(),
    easterMonday(),
    ascensionDay({ end: "2019" }),
    whitMonday({ end: "2023" }),
    corpusChristi({ end: "2019" }),
    labourDay(),
    assumptionDay({ end: "2019" }),
    fixed("National Holiday", 10, 26),
    allSaintsDay({ end: "2019" }),
    immaculateConception({ end: "2019" }),
    christmasEve(),
    christmas(),
    fixed("Saint Stephen's Day", 12, 26),
    newYearsEve({ observance: previousFriday, end: "2016" }),
    newYearsEve({ start: "2016" }),
  ],
  specialCloses: [{
    time: "14:15",
    // The weekday before December 31st (pandas' previous_workday always moves back).
    rules: [fixed("Last Working Day of the Year", 12, 31, {
      start: "2017-01-01",
      observance: previousWorkday,
    })],
  }],
};

export const XPRA_SPEC: ExchangeSpec = {
  name: "XPRA",
  tz: "Europe/Prague",
  open: "09:00",
  close: "16:20",
  holidays: [
    newYearsDay(),
    goodFriday({ start: "2013" }),
    easterMonday(),
    labourDay(),
    fixed("Liberation Day", 5, 8),
    fixed("Saints Cyril and Methodius Day", 7, 5),
    fixed("Jan Hus Day", 7, 6),
    fixed("Czech Statehood Day", 9, 28),
    fixed("Independence Day", 10, 28),
    fixed("Struggle for Freedom and Democracy Day", 11, 17),
    christmasEve(),
    christmas(),
    fixed("Second Day of Christmas", 12, 26),
    newYearsEve(),
  ],
  adhocHolidays: ["2002-08-14", "2004-01-02", "2005-01-03"],
};

/** A Tuesday holiday makes the Monday before a bridge day (otherwise none). */
const bridgeMonday: Observance = (d) => (weekday(d) === TUESDAY ? d - 1 : NaN);
/** A Thursday holiday makes the Friday after a bridge day (otherwise none). */
const bridgeFriday: Observance = (d) => (weekday(d) === THURSDAY ? d + 1 : NaN);

/** A holiday and the bridge days Budapest adds next to it. */
function withBridges(name: string, month: number, day: number, bridges = true): HolidayRule[] {
  const base = [fixed(name, month, day)];
  if (!bridges) return base;
  return [
    ...base,
    fixed(`${name} bridge Monday`, month, day, { observance: bridgeMonday }),
    fixed(`${name} bridge Friday`, month, day, { observance: bridgeFriday }),
  ];
}

export const XBUD_SPEC: ExchangeSpec = {
  name: "XBUD",
  tz: "Europe/Budapest",
  open: "09:00",
  close: "17:00",
  holidays: [
    ...withBridges("New Year's Day", 1, 1),
    ...withBridges("National Day", 3, 15),
    goodFriday({ start: "2012" }),
    easterMonday(),
    ...withBridges("Labour Day", 5, 1),
    whitMonday(),
    ...withBridges("St. Stephen's Day", 8, 20),
    ...withBridges("National Day", 10, 23),
    ...withBridges("All Saints' Day", 11, 1),
    christmasEve(),
    christmas(),
    fixed("Second Day of Christmas", 12, 26),
    fixed("Second Day of Christmas bridge Friday", 12, 26, {
      start: "2013",
      observance: bridgeFriday,
    }),
    newYearsEve({ start: "2011" }),
  ],
};

export const XWAR_SPEC: ExchangeSpec = {
  name: "XWAR",
  tz: "Europe/Warsaw",
  open: "09:00",
  close: "17:00",
  holidays: [
    newYearsDay(),
    epiphany({ start: "2011" }),
    goodFriday(),
    easterMonday(),
    labourDay(),
    fixed("Constitution Day", 5, 3),
    corpusChristi(),
    fixed("Armed Forces Day", 8, 15),
    allSaintsDay(),
    fixed("National Independence Day", 11, 11),
    // Not in 2004.
    christmasEve({ observance: (d) => (ymdFromDay(d)[0] === 2004 ? NaN : d) }),
    christmas(),
    boxingDay(),
    newYearsEve({ start: "2011" }),
  ],
  adhocHolidays: [
    "2005-04-08",
    "2007-12-31",
    "2008-05-02",
    "2009-01-02",
    "2013-04-16",
    "2018-01-02",
    "2018-11-12",
  ],
};

export const XBRA_SPEC: ExchangeSpec = {
  name: "XBRA",
  tz: "Europe/Bratislava",
  open: "11:00",
  close: "15:30",
  holidays: [
    newYearsDay(),
    epiphany(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    fixed("Victory Day", 5, 8),
    fixed("Saints Cyril and Methodius Day", 7, 5),
    fixed("Slovak National Uprising Anniversary", 8, 29),
    fixed("Constitution Day", 9, 1, { end: "2024" }),
    fixed("Day of Our Lady of Sorrows", 9, 15),
    allSaintsDay(),
    fixed("Struggle for Freedom and Democracy Day", 11, 17),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve({ start: "2016" }),
  ],
  adhocHolidays: ["2018-01-02", "2018-10-30"],
};

export const XLUX_SPEC: ExchangeSpec = {
  name: "XLUX",
  tz: "Europe/Luxembourg",
  open: "09:00",
  close: "17:40",
  holidays: [newYearsDay(), goodFriday(), easterMonday(), labourDay(), christmas(), boxingDay()],
  specialCloses: [{
    time: "14:05",
    rules: [christmasEve({ daysOfWeek: WEEKDAYS }), newYearsEve({ daysOfWeek: WEEKDAYS })],
  }],
};

export const XMAD_SPEC: ExchangeSpec = {
  name: "XMAD",
  tz: "Europe/Madrid",
  open: "09:00",
  close: "17:30",
  holidays: [
    newYearsDay(),
    epiphany({ end: "2007" }),
    goodFriday(),
    easterMonday(),
    labourDay(),
    assumptionDay({ end: "2005", observance: weekendToMonday }),
    fixed("National Day", 10, 12, { end: "2005" }),
    allSaintsDay({ end: "2005" }),
    fixed("Constitution Day", 12, 6, { end: "2005" }),
    immaculateConception({ end: "2005" }),
    christmasEve({ end: "2011" }),
    christmasEve({ start: "2021", end: "2024" }),
    christmas(),
    boxingDay(),
    newYearsEve({ end: "2011" }),
    newYearsEve({ start: "2021", end: "2024" }),
  ],
  specialCloses: [{
    time: "14:00",
    rules: [
      christmasEve({ start: "2012", end: "2021", daysOfWeek: WEEKDAYS }),
      christmasEve({ start: "2024", daysOfWeek: WEEKDAYS }),
      newYearsEve({ start: "2012", end: "2021", daysOfWeek: WEEKDAYS }),
      newYearsEve({ start: "2024", daysOfWeek: WEEKDAYS }),
    ],
  }],
};
