/**
 * Taiwan Stock Exchange (XTAI), 09:00–13:30 Asia/Taipei, as exchange_calendars states it (its
 * answer file runs from 1911). Lunar festivals come from the lunisolar tables (1960–2049), with
 * the bridge days and observance rules Taiwan used in 2007–2023 and since.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { FRIDAY, isoDate, MONDAY, THURSDAY, TUESDAY, weekday, ymdFromDay } from "./days.ts";
import {
  adhoc,
  fixed,
  nearestWorkday,
  nextMonday,
  type Observance,
  previousFriday,
  type RuleOptions,
} from "./rules.ts";
import * as lunar from "./data/chinese_lunisolar.ts";
import * as tw from "./data/taipei_holidays.ts";

const yearOf = (d: number) => ymdFromDay(d)[0];
const from2014: Observance = (d) => (yearOf(d) < 2014 ? d : nearestWorkday(d));
const in2014to2023: Observance = (
  d,
) => (yearOf(d) > 2013 && yearOf(d) < 2024 ? nearestWorkday(d) : d);
const after2013 = (d: number) => yearOf(d) > 2013;
const in2014to2023Check = (d: number) => yearOf(d) > 2013 && yearOf(d) < 2024;
/** A Tuesday holiday makes the Monday before a bridge day (in the years `ok` allows). */
const bridgeMonday = (ok: (d: number) => boolean): Observance => (d) =>
  weekday(d - 1) === MONDAY && ok(d - 1) ? d - 1 : NaN;
/** A Thursday holiday makes the Friday after a bridge day (in the years `ok` allows). */
const bridgeFriday = (ok: (d: number) => boolean): Observance => (d) =>
  weekday(d + 1) === FRIDAY && ok(d + 1) ? d + 1 : NaN;

/** A national day observed on the nearest weekday from 2014, with 2014–2023 bridge days. */
function nationalDay(name: string, month: number, day: number, o: RuleOptions = {}) {
  return [
    fixed(name, month, day, { ...o, observance: from2014 }),
    fixed(`${name} bridge Monday`, month, day, {
      ...o,
      observance: bridgeMonday(in2014to2023Check),
    }),
    fixed(`${name} bridge Friday`, month, day, {
      ...o,
      observance: bridgeFriday(in2014to2023Check),
    }),
  ];
}

/** Lunar New Year: New Year's Eve and the day before it, and the first three days. */
function lunarNewYear(): number[] {
  const out: number[] = [];
  for (const d of adhoc(lunar.CHINESE_LUNAR_NEW_YEAR)) {
    const first = nextMonday(d);
    const eve = previousFriday(first - 1);
    const second = nextMonday(first + 1);
    out.push(first, eve, previousFriday(eve - 1), second, nextMonday(second + 1));
  }
  return out;
}

/** A festival's day, and the bridge days (2007–2023) and weekend substitutes (2014 on). */
function festival(dates: readonly string[]): number[] {
  const out: number[] = [];
  for (const d of adhoc(dates)) {
    const day = in2014to2023(d);
    out.push(day, from2014(d));
    const y = yearOf(day);
    if (y > 2006 && y < 2024) {
      if (weekday(day) === THURSDAY) out.push(day + 1);
      if (weekday(day) === TUESDAY) out.push(day - 1);
    }
  }
  return out;
}

/** Tomb Sweeping Day: the Qingming date, and from 2013 the day joining it to April 4th. */
function tombSweeping(): number[] {
  const out: number[] = [];
  for (const d of adhoc(lunar.QINGMING_FESTIVAL)) {
    out.push(in2014to2023(d), from2014(d));
    const [y, m, dd] = ymdFromDay(d);
    if (y > 2012 && m === 4 && dd === 4) out.push(weekday(d) === THURSDAY ? d + 1 : d - 1);
  }
  return out;
}

export const XTAI_SPEC: ExchangeSpec = {
  name: "XTAI",
  tz: "Asia/Taipei",
  open: "09:00",
  close: "13:30",
  firstYear: 1911, // exchange_calendars' answer file starts in 1911
  rulesFrom: "1970-01-01", // as exchange_calendars: no rule-based holidays before 1970
  holidays: [
    fixed("New Year's Day", 1, 1, { observance: from2014 }),
    fixed("New Year's Day bridge Monday", 1, 1, { observance: bridgeMonday(after2013) }),
    fixed("New Year's Day bridge Friday", 1, 1, {
      observance: bridgeFriday(in2014to2023Check),
    }),
    ...nationalDay("Peace Memorial Day", 2, 28),
    ...nationalDay("Women and Children's Day", 4, 4, { start: "2011" }),
    fixed("Labour Day", 5, 1, { observance: from2014 }),
    fixed("Teachers' Day", 9, 28, { start: "2025", observance: nearestWorkday }),
    ...nationalDay("National Day", 10, 10),
    fixed("Taiwan Restoration Day", 10, 25, { start: "2025", observance: nearestWorkday }),
    fixed("Constitution Day", 12, 25, { start: "2025" }),
  ],
  // Computed when the calendar is built, not on import.
  get adhocHolidays() {
    return [
      ...tw.EXTRA_HOLIDAYS,
      ...tw.TYPHOONS,
      ...tw.CHINESE_NEW_YEAR_EXTRAS,
      ...[
        ...lunarNewYear(),
        ...tombSweeping(),
        ...festival(lunar.DRAGON_BOAT_FESTIVAL),
        ...festival(lunar.MID_AUTUMN_FESTIVAL),
      ].map(isoDate),
    ];
  },
};
