/**
 * Nasdaq's Nordic and Baltic markets: Stockholm (XSTO), Helsinki (XHEL), Copenhagen (XCSE),
 * Iceland (XICE), Riga (XRIS), Tallinn (XTAL) and Vilnius (XLIT), as exchange_calendars states
 * them.
 */
import type { ExchangeSpec } from "./exchange.ts";
import {
  allSaintsDay,
  ascensionDay,
  assumptionDay,
  boxingDay,
  christmas,
  christmasEve,
  easterMonday,
  epiphany,
  goodFriday,
  labourDay,
  maundyThursday,
  midsummerEve,
  newYearsDay,
  newYearsEve,
  WEEKDAYS,
  whitMonday,
} from "./europe_common.ts";
import { FRIDAY, MONDAY, THURSDAY } from "./days.ts";
import { easter, fixed, nextMonday, weekdayFrom } from "./rules.ts";

export const XSTO_SPEC: ExchangeSpec = {
  name: "XSTO",
  tz: "Europe/Stockholm",
  open: "09:00",
  close: "17:30",
  holidays: [
    newYearsDay(),
    epiphany(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    ascensionDay(),
    whitMonday({ end: "2005" }),
    fixed("Sweden National Day", 6, 6, { start: "2004" }),
    midsummerEve(),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
  specialCloses: [{
    time: "13:00",
    rules: [
      fixed("Day Before Epiphany", 1, 5, { daysOfWeek: WEEKDAYS }),
      maundyThursday({ daysOfWeek: WEEKDAYS }),
      fixed("Day Before Labour Day", 4, 30, { daysOfWeek: WEEKDAYS }),
      easter("Day Before Ascension Day", 38),
      weekdayFrom("All Saints' Eve", 10, 30, FRIDAY),
    ],
  }],
};

export const XHEL_SPEC: ExchangeSpec = {
  name: "XHEL",
  tz: "Europe/Helsinki",
  open: "10:00",
  close: "18:30",
  holidays: [
    newYearsDay(),
    epiphany(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    ascensionDay(),
    midsummerEve(),
    fixed("Finland Independence Day", 12, 6),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
};

export const XCSE_SPEC: ExchangeSpec = {
  name: "XCSE",
  tz: "Europe/Copenhagen",
  open: "09:00",
  close: "17:00",
  holidays: [
    newYearsDay(),
    maundyThursday(),
    goodFriday(),
    easterMonday(),
    easter("General Prayer Day", 26, { end: "2024" }),
    ascensionDay(),
    easter("Bank Holiday", 40, { start: "2009" }),
    whitMonday(),
    fixed("Constitution Day", 6, 5),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
};

export const XICE_SPEC: ExchangeSpec = {
  name: "XICE",
  tz: "Atlantic/Reykjavik",
  open: "09:30",
  close: "15:30",
  holidays: [
    newYearsDay(),
    maundyThursday(),
    goodFriday(),
    easterMonday(),
    weekdayFrom("First Day of Summer", 4, 19, THURSDAY),
    labourDay(),
    ascensionDay(),
    whitMonday(),
    fixed("Icelandic Republic Day", 6, 17),
    weekdayFrom("Commerce Day", 8, 1, MONDAY),
    christmasEve(),
    christmas(),
    boxingDay(),
    newYearsEve(),
  ],
};

/** The Baltic markets open 10:00–16:00 local time. */
const baltic = { open: "10:00", close: "16:00" } as const;

export const XRIS_SPEC: ExchangeSpec = {
  name: "XRIS",
  tz: "Europe/Riga",
  ...baltic,
  holidays: [
    newYearsDay(),
    goodFriday(),
    easterMonday(),
    labourDay(),
    fixed("Restoration of Independence", 5, 4, { observance: nextMonday }),
    ascensionDay(),
    fixed("Midsummer's Eve", 6, 23),
    fixed("Midsummer's Day", 6, 24),
    fixed("Proclamation Day", 11, 18, { observance: nextMonday }),
    christmasEve(),
    boxingDay(),
    newYearsEve(),
  ],
  adhocHolidays: [
    "2018-05-09",
    "2023-05-05",
    "2023-07-10",
    "2023-12-25",
    "2024-12-23",
    "2024-12-30",
    "2025-05-02",
    "2025-11-17",
    "2028-07-10",
  ],
};

export const XTAL_SPEC: ExchangeSpec = {
  name: "XTAL",
  tz: "Europe/Tallinn",
  ...baltic,
  holidays: [
    newYearsDay(),
    fixed("Independence Day", 2, 24),
    goodFriday(),
    easterMonday(),
    fixed("Spring Day", 5, 1),
    ascensionDay(),
    fixed("Victory Day", 6, 23),
    fixed("Saint John's Day", 6, 24),
    fixed("Independence Restoration Day", 8, 20),
    christmasEve(),
    boxingDay(),
    newYearsEve(),
  ],
  adhocHolidays: ["2023-12-25"],
};

export const XLIT_SPEC: ExchangeSpec = {
  name: "XLIT",
  tz: "Europe/Vilnius",
  ...baltic,
  holidays: [
    newYearsDay(),
    fixed("Restoration of the State", 2, 16),
    fixed("Restoration of Independence", 3, 11),
    goodFriday(),
    easterMonday(),
    labourDay(),
    ascensionDay(),
    fixed("St. John's Day", 6, 24),
    fixed("Statehood Day", 7, 6),
    assumptionDay(),
    allSaintsDay(),
    fixed("All Souls' Day", 11, 2),
    christmasEve(),
    boxingDay(),
    newYearsEve(),
  ],
  adhocHolidays: ["2023-12-25"],
};
