/**
 * Moscow (XMOS), Istanbul (XIST) and Astana (AIXK), as exchange_calendars states them. Russia
 * moves holidays by decree and trades some Saturdays (special weekmasks); Turkey closes for the
 * Eids (tables of dates) and shortens the day before them.
 */
import type { ExchangeSpec, WeekmaskPeriod } from "./exchange.ts";
import { labourDay, newYearsDay, newYearsEve, WEEKDAYS } from "./europe_common.ts";
import { SATURDAY, SUNDAY, weekday, ymdFromDay } from "./days.ts";
import {
  adhoc,
  fixed,
  nearestWorkday,
  nextMonday,
  nextWorkday,
  type Observance,
  table,
  weekendToMonday,
} from "./rules.ts";
import { isoDate } from "./days.ts";
import { EID_AL_ADHA_TURKEY, EID_AL_FITR_TURKEY } from "./data/eid_turkey.ts";

/** Weekend → Monday, except in the given years, when the holiday was not observed. */
const mondayExcept = (...years: number[]): Observance => (d) =>
  years.includes(ymdFromDay(d)[0]) ? NaN : weekendToMonday(d);

/** exchange_calendars' weekmask strings start on Monday: "1111110" = Monday to Saturday. */
function weeks(list: ReadonlyArray<readonly [string, string, string]>): WeekmaskPeriod[] {
  return list.map(([start, end, mask]) => ({
    start,
    end,
    // Monday-first string → JavaScript weekday numbers (0 = Sunday).
    weekmask: [...mask].flatMap((c, i) => (c === "1" ? [(i + 1) % 7] : [])),
  }));
}

export const XMOS_SPEC: ExchangeSpec = {
  name: "XMOS",
  tz: "Europe/Moscow",
  open: "10:00",
  close: "18:45",
  // Weeks with a Saturday or Sunday session, worked in place of a bridge day.
  specialWeekmasks: weeks([
    ["1999-01-04", "1999-01-10", "1111101"],
    ["2000-05-01", "2000-05-07", "1111110"],
    ["2000-10-30", "2000-11-05", "1111110"],
    ["2000-12-04", "2000-12-10", "1111110"],
    ["2001-03-05", "2001-03-11", "1111101"],
    ["2001-04-23", "2001-04-29", "1111110"],
    ["2001-06-04", "2001-06-10", "1111110"],
    ["2001-12-24", "2001-12-30", "1111110"],
    ["2002-04-22", "2002-04-28", "1111110"],
    ["2002-05-13", "2002-05-19", "1111110"],
    ["2002-11-04", "2002-11-10", "1111101"],
    ["2002-12-09", "2002-12-15", "1111101"],
    ["2002-12-30", "2003-01-05", "1111111"],
    ["2003-06-16", "2003-06-22", "1111110"],
    ["2005-02-28", "2005-03-06", "1111110"],
    ["2005-05-09", "2005-05-15", "1111110"],
    ["2006-02-20", "2006-02-26", "1111101"],
    ["2006-05-01", "2006-05-07", "1111110"],
    ["2007-04-23", "2007-04-29", "1111110"],
    ["2007-06-04", "2007-06-10", "1111110"],
    ["2008-04-28", "2008-05-04", "1111101"],
    ["2008-06-02", "2008-06-08", "1111110"],
    ["2008-10-27", "2008-11-02", "1111110"],
    ["2009-01-05", "2009-01-11", "1111101"],
    ["2010-02-22", "2010-02-28", "1111110"],
    ["2010-11-08", "2010-11-14", "1111110"],
    ["2011-02-28", "2011-03-06", "1111110"],
    ["2012-03-05", "2012-03-11", "1111101"],
    ["2012-04-23", "2012-05-13", "1111110"],
    ["2012-06-04", "2012-06-10", "1111110"],
    ["2016-02-15", "2016-02-21", "1111110"],
    ["2018-04-23", "2018-04-29", "1111110"],
    ["2018-06-04", "2018-06-10", "1111110"],
    ["2018-12-24", "2018-12-30", "1111110"],
    ["2021-02-15", "2021-02-21", "1111110"],
    ["2024-04-22", "2024-04-28", "1111110"],
    ["2024-10-28", "2024-11-03", "1111110"],
    ["2024-12-23", "2024-12-29", "1111110"],
  ]),
  holidays: [
    newYearsDay({ observance: mondayExcept(2022) }),
    fixed("New Year's Holiday", 1, 2, { observance: mondayExcept(2016, 2021, 2022) }),
    ...[3, 4, 5, 6].map((day) =>
      fixed("New Year's Holiday", 1, day, { start: "2005", end: "2012" })
    ),
    fixed("Orthodox Christmas", 1, 7, { observance: mondayExcept(2012, 2017, 2023, 2024) }),
    fixed("Defender of the Fatherland Day", 2, 23, { observance: mondayExcept(2013, 2014, 2019) }),
    fixed("Women's Day", 3, 8, { observance: weekendToMonday }),
    labourDay({ observance: weekendToMonday }),
    fixed("Victory Day", 5, 9, { observance: mondayExcept(2021) }),
    fixed("Day of Russia", 6, 12, { observance: mondayExcept(2021) }),
    fixed("Unity Day", 11, 4, { observance: mondayExcept(2023), start: "2005" }),
    newYearsEve({ observance: mondayExcept(2008, 2009), daysOfWeek: WEEKDAYS }),
  ],
  adhocHolidays: [
    // New Year extensions.
    "2003-01-03",
    "2013-01-03",
    "2013-01-04",
    "2014-01-03",
    // Orthodox Christmas extensions.
    "2003-01-06",
    "2005-01-10",
    "2008-01-08",
    "2009-01-08",
    "2009-01-09",
    "2010-01-08",
    "2011-01-10",
    "2016-01-08",
    // Defender of the Fatherland Day extensions.
    "2006-02-24",
    "2010-02-22",
    // Women's Day extensions.
    "2005-03-07",
    "2011-03-07",
    "2012-03-09",
    "2022-03-07",
    // Labour Day extensions.
    "2002-05-02",
    "2002-05-03",
    "2003-05-02",
    "2004-05-04",
    "2007-04-30",
    "2008-05-02",
    "2012-04-30",
    "2015-05-04",
    "2016-05-03",
    "2022-05-03",
    // Victory Day extensions.
    "2002-05-10",
    "2005-05-10",
    "2006-05-08",
    "2017-05-08",
    "2022-05-10",
    // Day of Russia extensions.
    "2003-06-13",
    "2007-06-11",
    "2008-06-13",
    "2012-06-11",
    "2014-06-13",
    // Unity Day extensions.
    "2008-11-03",
    "2010-11-05",
    // Others.
    "2002-11-07",
    "2002-11-08",
    "2002-12-12",
    "2002-12-13",
    "2003-11-07",
    "2003-12-12",
    "2004-11-08",
    "2004-12-13",
    "2008-09-18",
    "2008-10-10",
    "2008-10-27",
    "2020-06-24",
    "2020-07-01",
    // Sunday 2009-01-11 was to be worked (the week's weekmask includes it), but every other day of
    // that week is a holiday and exchange_calendars' composite business-day offset
    // (`MultipleWeekmaskCustomBusinessDay`) never lands on it, so its calendar has no such
    // session. Kept closed to agree with it.
    "2009-01-11",
  ],
};

/** Each date of a table moved by whole days, as `YYYY-MM-DD`. */
const shifted = (dates: readonly string[], by: number) => adhoc(dates).map((d) => isoDate(d + by));

/** The day before an Eid, on weekdays only: a half day. */
const eveOnWeekdays = (dates: readonly string[]) =>
  shifted(dates, -1).filter((iso) => {
    const w = weekday(adhoc([iso])[0]);
    return w !== SATURDAY && w !== SUNDAY;
  });

export const XIST_SPEC: ExchangeSpec = {
  name: "XIST",
  tz: "Europe/Istanbul",
  open: "10:00",
  close: "18:00",
  holidays: [
    newYearsDay(),
    fixed("National Sovereignty and Children's Day", 4, 23),
    labourDay({ start: "2009" }),
    fixed("Commemoration of Atatürk, Youth and Sports Day", 5, 19),
    fixed("Democracy and National Unity Day", 7, 15, { start: "2017" }),
    fixed("Victory Day", 8, 30),
    fixed("Republic Day", 10, 29),
    // Eid al-Fitr: three days; Eid al-Adha: four.
    ...[0, 1, 2].map((k) => table("Eid al-Fitr", EID_AL_FITR_TURKEY, { offsetDays: k })),
    ...[0, 1, 2, 3].map((k) => table("Eid al-Adha", EID_AL_ADHA_TURKEY, { offsetDays: k })),
  ],
  adhocHolidays: [
    "2002-01-04",
    "2003-02-14",
    "2003-11-21",
    "2003-11-24",
    "2003-11-28",
    "2004-01-23",
    "2004-12-30",
    "2004-12-31",
    "2006-01-13",
    "2023-02-08", // earthquake
    "2023-02-09",
    "2023-02-10",
    "2023-02-13",
    "2023-02-14",
  ],
  // Computed when the calendar is built, not on import.
  get specialCloses() {
    return [{
      time: "12:30" as const,
      rules: [fixed("Republic Day half day", 10, 28, { daysOfWeek: WEEKDAYS })],
      adhoc: [...eveOnWeekdays(EID_AL_FITR_TURKEY), ...eveOnWeekdays(EID_AL_ADHA_TURKEY)],
    }];
  },
};

/** Saturday or Sunday → two days later (a day off for a weekend holiday); weekdays: none. */
const weekendPlusTwo: Observance = (d) => {
  const w = weekday(d);
  return w === SATURDAY || w === SUNDAY ? d + 2 : NaN;
};

export const AIXK_SPEC: ExchangeSpec = {
  name: "AIXK",
  tz: "Asia/Almaty",
  open: "11:00",
  close: "17:00",
  firstYear: 2017, // the exchange was founded in 2017
  holidays: [
    newYearsDay(),
    fixed("New Year Holiday", 1, 2),
    fixed("Day off for New Year's Day", 1, 1, { observance: weekendPlusTwo }),
    fixed("Day off for New Year Holiday", 1, 2, { observance: weekendPlusTwo }),
    fixed("Orthodox Christmas Day", 1, 7),
    fixed("International Women's Day", 3, 8, { observance: nextMonday }),
    fixed("Nauryz Holiday", 3, 21, { observance: nextMonday }),
    fixed("Nauryz Holiday", 3, 21, { observance: (d) => nextWorkday(nextMonday(d)) }),
    fixed("Nauryz Holiday", 3, 21, {
      observance: (d) => nextWorkday(nextWorkday(nextMonday(d))),
    }),
    fixed("Kazakhstan People Solidarity Day", 5, 1, { observance: nextMonday }),
    fixed("Defender's Day", 5, 7, { observance: nextMonday, start: "2013-01-01" }),
    fixed("Victory Day Holiday", 5, 9, { observance: nearestWorkday }),
    fixed("Capital City Day", 7, 6, { observance: nextMonday }),
    fixed("Constitution Day", 8, 30, { observance: nextMonday }),
    fixed("Republic Day", 10, 25, { observance: nextMonday, start: "2022-01-01" }),
    fixed("First President Day", 12, 1, {
      observance: nextMonday,
      start: "2013-01-01",
      end: "2022",
    }),
    fixed("Independence Day", 12, 16, { observance: nextMonday }),
    fixed("Independence Day", 12, 17, { observance: nextMonday, end: "2022" }),
    table("Eid al-Adha", EID_AL_ADHA_TURKEY),
  ],
  adhocHolidays: [
    "2018-03-09",
    "2018-04-30",
    "2018-05-08",
    "2018-08-31",
    "2018-12-31",
    "2019-05-10",
    "2020-01-03",
    "2020-12-18",
    "2021-06-05",
    "2022-03-07",
    "2022-05-10",
    "2022-08-29",
    "2022-10-24",
    "2023-07-07",
    "2024-05-08",
    "2025-01-03",
  ],
};
