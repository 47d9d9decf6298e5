/**
 * Hong Kong (XHKG) and Shanghai (XSHG), as exchange_calendars states them. Both have a lunch
 * break. Hong Kong's Chinese festivals come from tables of lunisolar dates (to 2049); Shanghai's
 * closures are announced year by year, so its calendar is the table of closures (to 2026).
 */
import type { ExchangeSpec, SpecialHours } from "./exchange.ts";
import {
  boxingDay,
  christmas,
  christmasEve,
  easterMonday,
  goodFriday,
  newYearsEve,
  WEEKDAYS,
  weekendChristmas,
} from "./europe_common.ts";
import {
  dayFromYmd,
  easterSunday,
  isoDate,
  MONDAY,
  SATURDAY,
  SUNDAY,
  weekday,
  ymdFromDay,
} from "./days.ts";
import { adhoc, computed, fixed, onOrAfter, onOrBefore, sundayToMonday } from "./rules.ts";
import * as lunar from "./data/chinese_lunisolar.ts";
import { SHANGHAI_CLOSURES } from "./data/shanghai_holidays.ts";

const days = (dates: readonly string[]) => adhoc(dates);
const iso = (ds: readonly number[]) => ds.map(isoDate);
const yearOf = (d: number) => ymdFromDay(d)[0];

/** Hong Kong's Chinese festival closures, from the lunisolar tables (exchange_calendars' rules). */
function hongKongFestivals(): string[] {
  const lny = days(lunar.CHINESE_LUNAR_NEW_YEAR);
  const out: number[] = [];
  for (const d of lny) {
    // Before 2013 a Saturday New Year closed the Friday before; since, a Sunday among the three
    // days adds a fourth.
    if (weekday(d) === SATURDAY && yearOf(d) < 2013) out.push(d - 1);
    out.push(d, d + 1, d + 2);
    const sunday = [d, d + 1, d + 2].some((x) => weekday(x) === SUNDAY);
    if (sunday && yearOf(d) >= 2013) out.push(d + 3);
  }
  for (const d of days(lunar.QINGMING_FESTIVAL)) {
    const q = sundayToMonday(d);
    out.push(q === easterSunday(yearOf(q)) + 1 ? q + 1 : q); // not on Easter Monday
  }
  for (
    const t of [
      lunar.CHINESE_BUDDHAS_BIRTHDAY,
      lunar.DRAGON_BOAT_FESTIVAL,
      lunar.DOUBLE_NINTH_FESTIVAL,
    ]
  ) {
    for (const d of days(t)) out.push(sundayToMonday(d));
  }
  for (const m of days(lunar.MID_AUTUMN_FESTIVAL)) {
    const after = m + 1;
    const [, mo, da] = ymdFromDay(after);
    out.push(mo === 10 && da === 1 ? after + 1 : after); // not on National Day
  }
  return iso(out);
}

/** Lunar New Year's Eve on a weekday from 2013: a half day. */
function lunarNewYearsEveHalfDays(): string[] {
  return iso(
    days(lunar.CHINESE_LUNAR_NEW_YEAR).filter((d) => weekday(d) >= 2 && yearOf(d) >= 2013)
      .map((d) => d - 1),
  );
}

/** Hong Kong's Queen's Birthday (until 1997): a Monday in June. */
function queensBirthday(y: number): number {
  const june = dayFromYmd(y, 6, 1);
  const nth = y === 1985 ? 4 : [1983, 1988, 1993, 1994].includes(y) ? 2 : 3;
  return onOrAfter(june, MONDAY) + (nth - 1) * 7;
}

export const XHKG_SPEC: ExchangeSpec = {
  name: "XHKG",
  tz: "Asia/Hong_Kong",
  open: [[null, "10:00"], ["2011-03-07", "09:30"]],
  breakStart: "12:00",
  breakEnd: "13:00",
  close: "16:00",
  lastYear: 2049, // the lunisolar tables end in 2049
  holidays: [
    fixed("New Year's Day", 1, 1, { observance: sundayToMonday }),
    goodFriday(),
    easterMonday(),
    fixed("Labour Day", 5, 1, { observance: sundayToMonday, start: "1999-05-01" }),
    fixed("HKSAR Establishment Day", 7, 1, { observance: sundayToMonday, start: "1997-07-01" }),
    fixed("National Day", 10, 1, { observance: sundayToMonday, start: "1997-07-01" }),
    computed("Queen's Birthday", queensBirthday, { start: "1983-01-01", end: "1997-06-01" }),
    computed("Liberation Day", (y) => onOrBefore(dayFromYmd(y, 8, 31), MONDAY), {
      end: "1997-07-01",
    }),
    christmas(),
    weekendChristmas(),
    // exchange_calendars' Boxing Day observance never moves the date (it tests the weekday
    // method itself, not its value), so a weekend Boxing Day is not moved.
    boxingDay(),
  ],
  // Computed when the calendar is built, not on import.
  get adhocHolidays() {
    return [
      ...hongKongFestivals(),
      // Typhoons, rainstorms and other one-off closures.
      "1991-06-18",
      "1992-07-22",
      "1993-09-17",
      "1994-06-14",
      "1997-06-30",
      "1997-07-02",
      "1997-08-18",
      "1997-10-02",
      "1998-08-17",
      "1998-10-02",
      "1999-04-06",
      "1999-09-16",
      "1999-12-31",
      "2001-07-06",
      "2001-07-25",
      "2008-08-06",
      "2008-08-22",
      "2010-04-06",
      "2011-09-29",
      "2012-10-02",
      "2013-08-14",
      "2015-04-07",
      "2015-09-03",
      "2016-08-02",
      "2016-10-21",
      "2017-08-23",
      "2020-10-13",
      "2021-10-13",
      "2022-09-12",
      "2023-07-17",
      "2024-09-06",
    ];
  },
  get specialCloses(): SpecialHours[] {
    return [
      {
        time: "12:30",
        rules: [
          newYearsEve({ end: "1999-12-01", daysOfWeek: WEEKDAYS }),
          newYearsEve({ start: "2000-12-01", end: "2011-03-07", daysOfWeek: WEEKDAYS }),
          christmasEve({ end: "2011-03-07", daysOfWeek: WEEKDAYS }),
        ],
      },
      {
        time: "12:00",
        rules: [
          newYearsEve({ start: "2011-03-07", daysOfWeek: WEEKDAYS }),
          christmasEve({ start: "2011-03-07", daysOfWeek: WEEKDAYS }),
        ],
        adhoc: lunarNewYearsEveHalfDays(),
      },
    ];
  },
};

export const XSHG_SPEC: ExchangeSpec = {
  name: "XSHG",
  tz: "Asia/Shanghai",
  open: "09:30",
  breakStart: "11:30",
  breakEnd: "13:00",
  close: "15:00",
  firstYear: 1990,
  firstDate: "1990-12-03",
  lastYear: 2026, // closures are announced a year at a time; the table ends in 2026
  adhocHolidays: SHANGHAI_CLOSURES,
};
