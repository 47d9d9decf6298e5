/**
 * South-eastern European markets: Athens (ASEX), Cyprus (XCYS), Belgrade (XBEL), Ljubljana
 * (XLJU), Zagreb (XZAG) and Bucharest (XBSE), as exchange_calendars states them. Orthodox Easter
 * holidays follow the Julian computus.
 */
import type { ExchangeSpec } from "./exchange.ts";
import {
  allSaintsDay,
  assumptionDay,
  boxingDay,
  christmas,
  christmasEve,
  corpusChristi,
  easterMonday,
  epiphany,
  goodFriday,
  labourDay,
  newYearsDay,
  newYearsEve,
  orthodoxAshMonday,
  orthodoxEasterMonday,
  orthodoxEasterTuesday,
  orthodoxGoodFriday,
  orthodoxPentecost,
  orthodoxWhitMonday,
} from "./europe_common.ts";
import { DAY_MS, isoDate, SUNDAY, weekday } from "./days.ts";
import { fixed, type Observance, sundayToMonday } from "./rules.ts";

/** Every weekday from `from` to `to` inclusive (`YYYY-MM-DD`). */
function weekdaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    const d = t / DAY_MS;
    if (weekday(d) % 6 !== 0) out.push(isoDate(d));
  }
  return out;
}

export const ASEX_SPEC: ExchangeSpec = {
  name: "ASEX",
  tz: "Europe/Athens",
  open: "10:00",
  close: [[null, "17:00"], ["2008-09-29", "17:20"]],
  holidays: [
    newYearsDay(),
    epiphany(),
    orthodoxEasterMonday(),
    fixed("Independence Day", 3, 25),
    goodFriday(),
    easterMonday(),
    orthodoxGoodFriday(),
    orthodoxAshMonday(),
    labourDay(),
    orthodoxWhitMonday(),
    assumptionDay(),
    fixed("Ochi Day", 10, 28),
    christmasEve({ start: "2009" }),
    christmas(),
    fixed("Second Day of Christmas", 12, 26),
  ],
  adhocHolidays: [
    ...weekdaysBetween("2015-06-29", "2015-07-31"), // debt crisis: capital controls
    "2002-05-07",
    "2004-08-13",
    "2008-03-04",
    "2008-03-05",
    "2013-05-07",
    "2014-12-31",
    "2016-05-03",
  ],
};

export const XCYS_SPEC: ExchangeSpec = {
  name: "XCYS",
  tz: "Asia/Nicosia",
  open: "10:30",
  close: "17:00",
  holidays: [
    newYearsDay(),
    epiphany(),
    orthodoxAshMonday(), // Green Monday
    fixed("Cyprus National Day", 4, 1),
    fixed("Greek Independence Day", 3, 25),
    goodFriday(),
    easterMonday(),
    orthodoxGoodFriday(),
    orthodoxEasterMonday(),
    orthodoxEasterTuesday(),
    labourDay(),
    orthodoxWhitMonday(), // Holy Spirit Day
    assumptionDay(),
    fixed("Cyprus Independence Day", 10, 1),
    fixed("Okhi Day", 10, 28),
    christmasEve(),
    christmas(),
    boxingDay(),
  ],
};

/** Sunday → Tuesday (the first of a two-day holiday whose second day moves to Monday). */
const sundayToTuesday: Observance = (d) => (weekday(d) === SUNDAY ? d + 2 : d);

export const XBEL_SPEC: ExchangeSpec = {
  name: "XBEL",
  tz: "Europe/Belgrade",
  open: "09:30",
  close: "14:00",
  holidays: [
    fixed("New Year's Day", 1, 1, { observance: sundayToTuesday }),
    fixed("New Year's Day (second day)", 1, 2, { observance: sundayToMonday }),
    fixed("Orthodox Christmas", 1, 7),
    fixed("Statehood Day", 2, 15, { observance: sundayToTuesday }),
    fixed("Statehood Day (second day)", 2, 16, { observance: sundayToMonday }),
    orthodoxGoodFriday(),
    orthodoxEasterMonday(),
    fixed("Labour Day", 5, 1, { observance: sundayToTuesday }),
    fixed("Labour Day (second day)", 5, 2, { observance: sundayToMonday }),
    fixed("Armistice Day", 11, 11, { observance: sundayToMonday }),
  ],
  adhocHolidays: [
    "2021-01-08",
    "2021-12-31",
    "2022-12-30",
    "2023-01-04",
    "2023-01-05",
    "2023-01-06",
    "2023-12-29",
    "2024-01-08",
    "2024-12-31",
    "2025-01-03",
    "2025-01-06",
    "2025-11-10",
    "2025-12-31",
  ],
};

export const XLJU_SPEC: ExchangeSpec = {
  name: "XLJU",
  tz: "Europe/Ljubljana",
  open: "09:15",
  close: "15:15",
  holidays: [
    newYearsDay(),
    fixed("New Year Holiday", 1, 2, { start: "2017" }),
    fixed("New Year Holiday", 1, 2, { end: "2013" }),
    fixed("Prešeren Day", 2, 8),
    goodFriday(),
    easterMonday(),
    fixed("Resistance Day", 4, 27),
    fixed("Labour Day", 5, 1),
    fixed("Labour Day (second day)", 5, 2),
    fixed("Statehood Day", 6, 25),
    assumptionDay(),
    fixed("Reformation Day", 10, 31),
    fixed("All Saints' Day", 11, 1),
    christmasEve(),
    christmas(),
    fixed("Independence and Unity Day", 12, 26),
    newYearsEve(),
  ],
  adhocHolidays: ["2017-02-02", "2017-02-03", "2023-08-14"],
};

export const XZAG_SPEC: ExchangeSpec = {
  name: "XZAG",
  tz: "Europe/Zagreb",
  open: "09:00",
  close: "16:00",
  holidays: [
    newYearsDay(),
    epiphany(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    fixed("National Day", 5, 30, { start: "2020" }),
    fixed("National Day", 6, 25, { start: "2002", end: "2020" }),
    fixed("National Day", 5, 30, { start: "1996", end: "2002" }),
    corpusChristi({ start: "2002" }),
    fixed("Anti-Fascist Struggle Day", 6, 22),
    fixed("Victory and Homeland Thanksgiving Day", 8, 5),
    assumptionDay(),
    fixed("Independence Day", 10, 8, { start: "2002", end: "2020" }),
    allSaintsDay(),
    fixed("Remembrance Day", 11, 18, { start: "2020" }),
    christmasEve(),
    christmas(),
    fixed("St. Stephen's Day", 12, 26),
    newYearsEve(),
  ],
  adhocHolidays: ["2022-12-29", "2022-12-30", "2024-04-17"],
};

export const XBSE_SPEC: ExchangeSpec = {
  name: "XBSE",
  tz: "Europe/Bucharest",
  open: "10:00",
  close: "17:45",
  holidays: [
    newYearsDay(),
    fixed("Day After New Year's Day", 1, 2),
    fixed("Romanian Principalities Unification Day", 1, 24),
    orthodoxGoodFriday(),
    orthodoxEasterMonday(),
    labourDay(),
    orthodoxPentecost(),
    orthodoxWhitMonday(), // Descent of the Holy Spirit
    fixed("Children's Day", 6, 1),
    fixed("St. Mary's Day", 8, 15),
    fixed("St. Andrew's Day", 11, 30),
    fixed("National Day", 12, 1),
    christmas(),
    fixed("Second Day of Christmas", 12, 26),
  ],
};
