/**
 * German markets: Frankfurt (XFRA), Xetra (XETR), Düsseldorf (XDUS), Hamburg (XHAM), Stuttgart
 * (XSTU), Eurex (XEUR) and the European Energy Exchange (XEEE), as exchange_calendars states them.
 */
import type { ExchangeSpec, TimeOfDay } from "./exchange.ts";
import {
  boxingDay,
  christmas,
  christmasEve,
  easterMonday,
  goodFriday,
  labourDay,
  newYearsDay,
  newYearsEve,
  whitMonday,
} from "./europe_common.ts";
import { fixed, previousWorkday } from "./rules.ts";

const BASE = [
  newYearsDay(),
  goodFriday(),
  easterMonday(),
  labourDay(),
  christmasEve(),
  christmas(),
  boxingDay(),
  newYearsEve(),
];

/** Deutsche Börse's floor and Xetra calendar: the base list plus 2014–2021 national days. */
function deutscheBoerse(name: string, tz: string, open: TimeOfDay, close: TimeOfDay) {
  return {
    name,
    tz,
    open,
    close,
    holidays: [
      ...BASE,
      whitMonday({ start: "2015-01-01", end: "2022-01-01" }),
      fixed("Day of German Unity", 10, 3, { start: "2014-01-01", end: "2022-01-01" }),
    ],
    adhocHolidays: [
      "2007-05-28", // Whit Monday 2007
      "2017-10-31", // 500th anniversary of the Reformation
    ],
    specialCloses: [{
      time: "14:00",
      // The weekday before December 31st.
      rules: [fixed("Last Working Day of the Year", 12, 31, {
        start: "2010-01-01",
        observance: previousWorkday,
      })],
    }],
  } satisfies ExchangeSpec;
}

export const XFRA_SPEC: ExchangeSpec = deutscheBoerse("XFRA", "Europe/Berlin", "09:00", "17:30");
export const XETR_SPEC: ExchangeSpec = deutscheBoerse("XETR", "Europe/Berlin", "09:00", "17:30");
// exchange_calendars states Düsseldorf's and Hamburg's hours in Europe/Brussels (same offsets).
export const XDUS_SPEC: ExchangeSpec = deutscheBoerse("XDUS", "Europe/Brussels", "08:00", "22:00");
export const XHAM_SPEC: ExchangeSpec = deutscheBoerse("XHAM", "Europe/Brussels", "08:00", "22:00");

export const XSTU_SPEC: ExchangeSpec = {
  name: "XSTU",
  tz: "Europe/Berlin",
  open: "07:30",
  close: "22:00",
  holidays: BASE,
};

export const XEUR_SPEC: ExchangeSpec = {
  name: "XEUR",
  tz: "Europe/Berlin",
  open: "08:00",
  close: "22:00",
  holidays: BASE,
};

/** European Energy Exchange (XEEE), Leipzig, 08:00–18:00 Berlin. */
export const XEEE_SPEC: ExchangeSpec = {
  name: "XEEE",
  tz: "Europe/Berlin",
  open: "08:00",
  close: "18:00",
  holidays: BASE,
};
