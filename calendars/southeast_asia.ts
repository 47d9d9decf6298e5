/**
 * Singapore (XSES), Kuala Lumpur (XKLS), Bangkok (XBKK), Jakarta (XIDX) and Manila (XPHS), as
 * exchange_calendars states them. Their lunar-calendar holidays (Chinese, Islamic, Hindu,
 * Buddhist) come from tables of dates (`data/`), each citing its source.
 */
import type { ExchangeSpec } from "./exchange.ts";
import {
  allSaintsDay,
  christmas,
  christmasEve,
  immaculateConception,
  labourDay,
  maundyThursday,
  newYearsDay,
  newYearsEve,
} from "./europe_common.ts";
import { FRIDAY, isoDate, MONDAY, SATURDAY, SUNDAY, weekday, ymdFromDay } from "./days.ts";
import {
  adhoc,
  easter,
  fixed,
  nextMondayOrTuesday,
  type Observance,
  sundayToMonday,
  weekdayFrom,
  weekendToMonday,
} from "./rules.ts";
import { CHINESE_LUNAR_NEW_YEAR } from "./data/chinese_lunisolar.ts";
import { SINGAPORE_CLOSURES } from "./data/singapore_holidays.ts";
import * as my from "./data/kuala_lumpur_holidays.ts";
import * as th from "./data/bangkok_holidays.ts";
import * as id from "./data/jakarta_holidays.ts";
import * as ph from "./data/manila_holidays.ts";

const goodFriday = easter("Good Friday", -2);
const yearOf = (d: number) => ymdFromDay(d)[0];
/** A table's dates (day numbers), each passed through an observance. */
const observed = (dates: readonly string[], o: Observance = (d) => d) => adhoc(dates).map(o);
const isoOf = (ds: readonly number[]) => ds.map(isoDate);
const onWeekdays = (ds: readonly number[]) =>
  ds.filter((d) => weekday(d) !== SATURDAY && weekday(d) !== SUNDAY);

export const XSES_SPEC: ExchangeSpec = {
  name: "XSES",
  tz: "Asia/Singapore",
  open: "09:00",
  close: "17:00",
  firstYear: 1986,
  lastYear: 2026, // the table of closures ends in 2026
  adhocHolidays: SINGAPORE_CLOSURES,
};

// The table-derived dates are getters: computed when the calendar is built, not on import.
const klsNewYear = () => observed(CHINESE_LUNAR_NEW_YEAR, sundayToMonday);
const klsEidAlFitr = () => observed(my.MALAYSIA_EID_AL_FITR_FIRST_DAY, sundayToMonday);

export const XKLS_SPEC: ExchangeSpec = {
  name: "XKLS",
  tz: "Asia/Kuala_Lumpur",
  open: "09:00",
  close: "17:00",
  holidays: [
    newYearsDay({ observance: sundayToMonday }),
    fixed("Federal Territory Day", 2, 1, { observance: sundayToMonday }),
    labourDay({ observance: sundayToMonday }),
    fixed("National Day", 8, 31, { observance: sundayToMonday }),
    fixed("Malaysia Day", 9, 16, { start: "2010", observance: sundayToMonday }),
    christmas({ observance: sundayToMonday }),
  ],
  get adhocHolidays() {
    const newYear = klsNewYear(), eidAlFitr = klsEidAlFitr();
    return [
      ...my.MISC_ADHOC,
      ...isoOf(newYear),
      ...isoOf(newYear.map((d) => sundayToMonday(d + 1))),
      ...isoOf(observed(my.MALAYSIA_NUZUL_AL_QURAN, sundayToMonday)),
      ...isoOf(eidAlFitr),
      ...isoOf(eidAlFitr.map((d) => sundayToMonday(d + 1))),
      ...isoOf(observed(my.MALAYSIA_EID_AL_ADHA, sundayToMonday)),
      ...isoOf(observed(my.MUHARRAM, sundayToMonday)),
      ...isoOf(observed(my.MUHAMMAD_BIRTHDAY, sundayToMonday)),
      ...my.DEEPAVALI,
      ...my.THAIPUSAM,
      ...my.WESAK_DAY,
    ];
  },
  // The eves of Chinese New Year and Hari Raya Puasa are half days.
  get specialCloses() {
    return [{
      time: "12:30" as const,
      adhoc: isoOf([
        ...onWeekdays(klsNewYear().map((d) => d - 1)),
        ...onWeekdays(klsEidAlFitr().map((d) => d - 1)),
      ]),
    }];
  },
};

/** Songkran's last day moves from a Sunday or Monday to the next day. */
const songkranLastDay: Observance = (d) =>
  weekday(d) === SUNDAY || weekday(d) === MONDAY ? d + 1 : d;
const except =
  (year: number, o: Observance): Observance => (d) => (yearOf(d) === year ? NaN : o(d));
const th1 = (name: string, month: number, day: number, o = {}) =>
  fixed(name, month, day, { observance: weekendToMonday, ...o });

export const XBKK_SPEC: ExchangeSpec = {
  name: "XBKK",
  tz: "Asia/Bangkok",
  open: "10:00",
  close: "16:30",
  holidays: [
    newYearsDay({ observance: except(2006, nextMondayOrTuesday) }),
    th1("Chakri Memorial Day", 4, 6),
    fixed("Songkran Festival", 4, 13),
    fixed("Songkran Festival", 4, 14, { observance: sundayToMonday }),
    fixed("Songkran Festival", 4, 15, { observance: songkranLastDay }),
    th1("Labour Day", 5, 1),
    th1("Coronation Day (King Rama IX)", 5, 5, { end: "2017" }),
    th1("Coronation Day (King Rama X)", 5, 4, { start: "2019" }),
    th1("Her Majesty the Queen's Birthday", 6, 3, { start: "2019" }),
    th1("His Majesty the King's Birthday", 7, 28, { start: "2017" }),
    th1("Her Majesty the Queen Mother's Birthday", 8, 12),
    fixed("Half Year Holiday", 7, 1, { start: "2002", end: "2017" }),
    th1("The Passing of King Bhumibol", 10, 13, { start: "2017" }),
    th1("Chulalongkorn Day", 10, 23),
    th1("King Bhumibol's Birthday", 12, 5),
    th1("Constitution Day", 12, 10),
    newYearsEve({ observance: except(2003, weekendToMonday) }),
  ],
  adhocHolidays: [
    ...th.MAKHA_BUCHA,
    ...th.VESAK,
    ...th.ASANHA_BUCHA,
    ...th.NEW_YEARS_BRIDGE_DAYS,
    ...th.ASANHA_BUCHA_BRIDGE_DAYS,
    ...th.QUEENS_BIRTHDAY_BRIDGE_DAYS,
    ...th.CORONATION_BRIDGE_DAYS,
    ...th.VESAK_BRIDGE_DAYS,
    ...th.MISC_ADHOC,
  ],
};

export const XIDX_SPEC: ExchangeSpec = {
  name: "XIDX",
  tz: "Asia/Jakarta",
  open: "09:00",
  close: "15:50",
  holidays: [
    newYearsDay(),
    goodFriday,
    fixed("Labor Day", 5, 1, { start: "2014-05-01" }),
    easter("Ascension Day", 39, { end: "2003" }),
    easter("Ascension Day", 39, { start: "2004" }),
    fixed("Pancasila Day", 6, 1, { start: "2017-06-01" }),
    fixed("Independence Day", 8, 17),
    christmas(),
    newYearsEve(),
  ],
  adhocHolidays: [
    ...CHINESE_LUNAR_NEW_YEAR.filter((iso) => iso >= "2002"),
    ...id.COMMON_LEAVE,
    ...id.ISLAMIC_NEW_YEAR,
    ...id.EID_AL_FITR,
    ...id.EID_AL_ADHA,
    ...id.ISRA_MIKRAJ,
    ...id.BIRTH_OF_PROPHET_MUHAMMAD,
    ...id.VESAK_DAY,
    ...id.HINDU_SAKA_NEW_YEAR,
    ...id.SPONTANEOUS_CLOSURES,
    ...id.ELECTION_HOLIDAYS,
  ],
};

const since2011 = { start: "2011" };

export const XPHS_SPEC: ExchangeSpec = {
  name: "XPHS",
  tz: "Asia/Manila",
  open: "09:30",
  close: "15:30",
  holidays: [
    newYearsDay(since2011),
    fixed("People Power Revolution", 2, 25, { start: "2016", end: "2022" }),
    fixed("Araw ng Kagitingan", 4, 9, since2011),
    maundyThursday(since2011),
    goodFriday,
    labourDay(since2011),
    fixed("Independence Day", 6, 12, since2011),
    fixed("Ninoy Aquino Day", 8, 21, {
      ...since2011,
      observance: (d) => (yearOf(d) === 2024 ? adhoc(["2024-08-23"])[0] : d),
    }),
    weekdayFrom("National Heroes Day", 8, 31, MONDAY, -1, since2011),
    allSaintsDay(since2011),
    fixed("Friday after All Saints' Day", 11, 2, {
      ...since2011,
      observance: (d) => (weekday(d) === FRIDAY ? d : NaN),
    }),
    fixed("Bonifacio Day", 11, 30, {
      ...since2011,
      observance: (d) => (yearOf(d) === 2023 ? adhoc(["2023-11-27"])[0] : d),
    }),
    immaculateConception({ start: "2017" }),
    christmasEve(since2011),
    christmas(since2011),
    fixed("Rizal Day", 12, 30, since2011),
    newYearsEve(since2011),
  ],
  adhocHolidays: [
    ...ph.MISC_ADHOC,
    ...ph.PRE_2011_HOLIDAYS,
    ...CHINESE_LUNAR_NEW_YEAR.filter((iso) => iso >= "2012"),
    ...ph.PHILIPPINES_EID_AL_ADHA,
    ...ph.PHILIPPINES_EID_AL_FITR,
  ],
};
