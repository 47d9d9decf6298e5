/**
 * London Stock Exchange (XLON), 08:00–16:30 Europe/London, with the English bank holidays and the
 * 12:30 early closes LSE has followed since 1990 (as exchange_calendars states them).
 */
import { MONDAY, parseIsoDate, TUESDAY, ymdFromDay } from "./days.ts";
import type { ExchangeSpec } from "./exchange.ts";
import {
  easter,
  fixed,
  type HolidayRule,
  nthWeekday,
  previousFriday,
  weekendToMonday,
} from "./rules.ts";

/**
 * A rule whose date was moved by proclamation in some years (`YYYY-MM-DD` of the new date); other
 * years keep the rule's own date.
 */
function movedIn(base: HolidayRule, moves: readonly string[]): HolidayRule {
  const byYear = new Map<number, number>();
  for (const iso of moves) {
    const d = parseIsoDate(iso);
    if (d === undefined) throw new RangeError(`bad moved date ${iso}`);
    byYear.set(ymdFromDay(d)[0], d);
  }
  return {
    name: base.name,
    dates: (year) => {
      const moved = byYear.get(year);
      return moved === undefined ? base.dates(year) : [moved];
    },
  };
}

/** English bank holidays as the LSE closes for them. */
export const ukHolidays = {
  newYearsDay: fixed("New Year's Day", 1, 1, { observance: weekendToMonday }),
  goodFriday: easter("Good Friday", -2),
  easterMonday: easter("Easter Monday", 1),
  // First Monday of May, moved to VE Day for its 50th (Mon 1995-05-08) and 75th (Fri 2020-05-08)
  // anniversaries.
  earlyMayBankHoliday: movedIn(nthWeekday("Early May Bank Holiday", 5, MONDAY, 1), [
    "1995-05-08",
    "2020-05-08",
  ]),
  // Last Monday of May, moved next to the Golden, Diamond and Platinum Jubilee holidays.
  springBankHoliday: movedIn(nthWeekday("Spring Bank Holiday", 5, MONDAY, -1), [
    "2002-06-03",
    "2012-06-04",
    "2022-06-02",
  ]),
  summerBankHoliday: nthWeekday("Summer Bank Holiday", 8, MONDAY, -1),
  christmas: fixed("Christmas", 12, 25),
  boxingDay: fixed("Boxing Day", 12, 26),
  // A weekend Christmas or Boxing Day gives substitute days on the Monday and Tuesday after:
  // the 27th and 28th are holidays when they fall on a Monday or Tuesday.
  weekendChristmas: fixed("Weekend Christmas", 12, 27, { daysOfWeek: [MONDAY, TUESDAY] }),
  weekendBoxingDay: fixed("Weekend Boxing Day", 12, 28, { daysOfWeek: [MONDAY, TUESDAY] }),
} as const;

/** LSE's one-off full-day closures; the moved bank holidays are rules above. */
export const XLON_ADHOC_HOLIDAYS = [
  "1973-11-14", // Wedding of Princess Anne and Mark Phillips
  "1977-06-07", // Silver Jubilee
  "1981-07-29", // Wedding of Prince Charles and Diana Spencer
  "1999-12-31", // Eve of the millennium (instead of the usual New Year's Eve half day)
  "2002-06-04", // Golden Jubilee
  "2011-04-29", // Wedding of Prince William and Catherine Middleton
  "2012-06-05", // Diamond Jubilee
  "2022-06-03", // Platinum Jubilee
  "2022-09-19", // Funeral of Queen Elizabeth II
  "2023-05-08", // Coronation of King Charles III
] as const;

export const XLON_SPEC: ExchangeSpec = {
  name: "XLON",
  tz: "Europe/London",
  open: "08:00",
  close: "16:30",
  holidays: Object.values(ukHolidays),
  adhocHolidays: XLON_ADHOC_HOLIDAYS,
  specialCloses: [
    {
      // Christmas Eve and New Year's Eve are half days; on a weekend, the Friday before is.
      time: "12:30",
      rules: [
        fixed("Christmas Eve", 12, 24, { observance: previousFriday }),
        // 1999-12-31 was a full holiday (the adhoc list wins over this anyway).
        fixed("New Year's Eve", 12, 31, { observance: previousFriday }),
      ],
    },
  ],
};
