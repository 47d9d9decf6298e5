/**
 * Latin American markets: São Paulo (BVMF), Buenos Aires (XBUE), Bogotá (XBOG), Lima (XLIM) and
 * Santiago (XSGO), as exchange_calendars states them.
 */
import type { ExchangeSpec, TimeHistory } from "./exchange.ts";
import {
  allSaintsDay,
  assumptionDay,
  christmas,
  christmasEve,
  corpusChristi,
  immaculateConception,
  labourDay,
  maundyThursday,
  newYearsDay,
  newYearsEve,
  stPeterAndPaul,
  WEEKDAYS,
} from "./europe_common.ts";
import {
  dayFromYmd,
  FRIDAY,
  MONDAY,
  THURSDAY,
  TUESDAY,
  WEDNESDAY,
  weekday,
  ymdFromDay,
} from "./days.ts";
import {
  computed,
  easter,
  fixed,
  nthWeekday,
  type Observance,
  onOrAfter,
  previousFriday,
  weekdayFrom,
} from "./rules.ts";

const goodFriday = easter("Good Friday", -2);
/** Drops the holiday in one year. */
const notIn = (year: number): Observance => (d) => (ymdFromDay(d)[0] === year ? NaN : d);

export const BVMF_SPEC: ExchangeSpec = {
  name: "BVMF",
  tz: "America/Sao_Paulo",
  open: "10:00",
  close: [[null, "17:00"], ["2019-11-04", "18:00"]],
  holidays: [
    fixed("Confraternização Universal", 1, 1),
    fixed("Aniversário de São Paulo", 1, 25, { end: "2022-01-01" }),
    easter("Carnaval Segunda", -48),
    easter("Carnaval Terça", -47),
    goodFriday,
    corpusChristi(),
    fixed("Tiradentes", 4, 21),
    fixed("Dia do Trabalho", 5, 1),
    fixed("Revolução Constitucionalista", 7, 9, { start: "1998-01-01", end: "2020-01-01" }),
    fixed("Revolução Constitucionalista", 7, 9, { start: "2021-01-01", end: "2022-01-01" }),
    fixed("Independência", 9, 7),
    fixed("Nossa Senhora Aparecida", 10, 12),
    fixed("Finados", 11, 2),
    fixed("Proclamação da República", 11, 15),
    fixed("Consciência Negra", 11, 20, { start: "2004-01-01", end: "2020-01-01" }),
    fixed("Consciência Negra", 11, 20, { start: "2024-01-01" }),
    fixed("Véspera de Natal", 12, 24),
    fixed("Natal", 12, 25),
    fixed("Último dia do ano", 12, 31, { observance: previousFriday }),
  ],
  adhocHolidays: ["2014-06-12"], // World Cup opening match in São Paulo
  // Ash Wednesday opens at 13:00.
  specialOpens: [{
    time: "13:00",
    rules: [easter("Quarta-feira de Cinzas", -46, { start: "2016-01-01" })],
  }],
};

/** Monday to Wednesday → that week's Monday; Thursday to Sunday → the next Monday. */
const nearestMondayAr: Observance = (d) => {
  const w = weekday(d);
  return w >= MONDAY && w <= WEDNESDAY ? d - (w - MONDAY) : onOrAfter(d, MONDAY);
};

export const XBUE_SPEC: ExchangeSpec = {
  name: "XBUE",
  tz: "America/Argentina/Buenos_Aires",
  open: "11:00",
  close: "17:00",
  holidays: [
    newYearsDay(),
    easter("Carnival Monday", -48, { start: "2011" }),
    easter("Carnival Tuesday", -47, { start: "2011" }),
    fixed("Truth and Justice Memorial Day", 3, 24, { start: "2005" }),
    weekdayFrom("Malvinas Day", 3, 31, MONDAY, 1, { end: "2005" }),
    fixed("Malvinas Day", 4, 2, { start: "2005" }),
    maundyThursday(),
    goodFriday,
    labourDay(),
    fixed("May Day Revolution", 5, 25),
    fixed("Martín Miguel de Güemes Day", 6, 17, { start: "2016" }),
    nthWeekday("National Flag Day", 6, MONDAY, 3, { end: "2011" }),
    fixed("National Flag Day", 6, 20, { start: "2011" }),
    fixed("Independence Day", 7, 9),
    nthWeekday("San Martín's Day", 8, MONDAY, 3, { end: "2011" }),
    nthWeekday("San Martín's Day", 8, MONDAY, 3, { start: "2012" }),
    fixed("Day of Respect for Cultural Diversity", 10, 12, {
      observance: (d) => (ymdFromDay(d)[0] === 2012 ? NaN : nearestMondayAr(d)),
    }),
    fixed("Bank Holiday", 11, 6, { end: "2018" }),
    nthWeekday("Day of National Sovereignty", 11, MONDAY, 4, { start: "2010", end: "2015" }),
    weekdayFrom("Day of National Sovereignty", 11, 17, MONDAY, 1, { start: "2017" }),
    immaculateConception(),
    christmas(),
  ],
  adhocHolidays: [
    "2009-07-10",
    "2010-05-24",
    "2010-10-27",
    "2012-01-02",
    "2012-02-27",
    "2012-09-24",
    "2013-01-31",
    "2013-02-20",
    "2018-11-30",
    // Market closures of January and April 2002.
    ...Array.from({ length: 10 }, (_, i) => `2002-01-${String(7 + i).padStart(2, "0")}`),
    ...Array.from({ length: 5 }, (_, i) => `2002-04-${22 + i}`),
    // Bridge days.
    "2011-03-25",
    "2011-12-09",
    "2012-04-30",
    "2013-04-01",
    "2013-06-21",
    "2014-05-02",
    "2014-12-26",
    "2015-03-23",
    "2015-12-07",
    "2016-07-08",
    "2016-12-09",
    "2018-04-30",
    "2018-12-24",
    "2018-12-31",
    "2019-07-08",
    "2019-08-19",
    "2019-10-14",
    // Irregular observances.
    "2012-10-08",
    "2011-08-22",
    "2015-11-27",
    "2016-11-28",
  ],
  specialCloses: [{
    time: "13:00",
    rules: [
      christmasEve({ daysOfWeek: WEEKDAYS, observance: notIn(2018) }),
      newYearsEve({ daysOfWeek: WEEKDAYS, observance: notIn(2018) }),
    ],
  }],
};

/** Colombia's "Emiliani" holidays move to the Monday on or after. */
const mondayAfter = (name: string, month: number, day: number) =>
  weekdayFrom(name, month, day, MONDAY);

export const XBOG_SPEC: ExchangeSpec = {
  name: "XBOG",
  tz: "America/New_York", // as exchange_calendars states it
  open: "09:30",
  close: "16:00",
  holidays: [
    newYearsDay(),
    mondayAfter("Epiphany", 1, 6),
    mondayAfter("St. Joseph's Day", 3, 19),
    maundyThursday(),
    goodFriday,
    labourDay(),
    easter("Monday After Ascension Day", 43),
    easter("Monday After Corpus Christi", 64),
    easter("Monday After Sacred Heart", 71),
    mondayAfter("St. Peter and St. Paul Day", 6, 29),
    fixed("Colombian Independence Day", 7, 20),
    fixed("Battle of Boyacá", 8, 7),
    mondayAfter("Assumption Day", 8, 15),
    mondayAfter("Día de la Raza", 10, 12),
    mondayAfter("All Saints' Day", 11, 1),
    mondayAfter("Cartagena Independence Day", 11, 11),
    immaculateConception(),
    christmas(),
    newYearsEve({ observance: previousFriday }),
  ],
};

export const XLIM_SPEC: ExchangeSpec = {
  name: "XLIM",
  tz: "America/Lima",
  open: "09:00",
  close: "16:00",
  holidays: [
    newYearsDay(),
    maundyThursday(),
    goodFriday,
    labourDay(),
    fixed("Battle of Arica and Flag Day", 6, 7, { start: "2024" }),
    stPeterAndPaul(),
    fixed("Peruvian Air Force Day", 7, 23, { start: "2023" }),
    fixed("Independence Day", 7, 28),
    fixed("Independence Day (second day)", 7, 29),
    fixed("Battle of Junín", 8, 6, { start: "2022" }),
    fixed("Santa Rosa", 8, 30),
    fixed("Battle of Angamos", 10, 8),
    allSaintsDay(),
    immaculateConception(),
    fixed("Battle of Ayacucho", 12, 9, { start: "2022" }),
    christmas(),
    newYearsEve({ end: "2008" }),
  ],
  adhocHolidays: [
    "2009-01-02",
    "2009-07-27",
    "2015-07-27",
    "2015-10-09",
    "2015-01-02",
    "2012-10-01",
    "2012-10-02", // ASPA summit
    "2016-11-17",
    "2016-11-18", // APEC summit
    "2018-04-13", // Eighth Summit of the Americas
  ],
};

/** Tuesday, Wednesday or Thursday → that week's Monday; Friday → the Monday after. */
const nearestMondayCl: Observance = (d) => {
  const w = weekday(d);
  if (w >= TUESDAY && w <= THURSDAY) return d - (w - MONDAY);
  return w === FRIDAY ? d + 3 : d;
};

/** Tuesday → the Friday before; Wednesday → the Friday after. */
const tuesdayWednesdayToFriday: Observance = (d) => {
  const w = weekday(d);
  return w === TUESDAY ? d - 4 : w === WEDNESDAY ? d + 2 : d;
};

/** The June solstice date exchange_calendars uses for Chile's Indigenous Peoples Day. */
function indigenousPeoplesDay(y: number): number {
  if (y === 2021) return dayFromYmd(2021, 6, 21);
  if (y < 2021) return NaN;
  const day = (y % 4 > 1 && y <= 2046) || (y % 4 > 2 && y <= 2075) ? 21 : 20;
  return dayFromYmd(y, 6, day);
}

/** Santiago closes at 16:00 from March to October (winter) and at 17:00 otherwise. */
const XSGO_CLOSES: TimeHistory = [
  [null, "17:00"],
  ...Array.from({ length: 70 }, (_, i) => [
    [`${1980 + i}-03-01`, "16:00"] as const,
    [`${1980 + i}-11-01`, "17:00"] as const,
  ]).flat(),
];

export const XSGO_SPEC: ExchangeSpec = {
  name: "XSGO",
  tz: "America/Santiago",
  open: "09:30",
  close: XSGO_CLOSES,
  holidays: [
    newYearsDay(),
    goodFriday,
    easter("Monday Prior to Corpus Christi", 57, { end: "2008" }),
    labourDay(),
    fixed("Navy Day", 5, 21),
    computed("National Day of Indigenous Peoples", indigenousPeoplesDay, { start: "2021" }),
    stPeterAndPaul({ observance: nearestMondayCl }),
    fixed("Our Lady of Mount Carmel's Day", 7, 16, { start: "2008" }),
    assumptionDay(),
    fixed("Public Holiday before a Tuesday Independence Day", 9, 17, {
      start: "2003",
      daysOfWeek: [MONDAY],
    }),
    fixed("Independence Day", 9, 18),
    fixed("Army Day", 9, 19),
    fixed("Public Holiday after a Thursday Army Day", 9, 20, {
      start: "2003",
      daysOfWeek: [FRIDAY],
    }),
    fixed("Día de la Raza", 10, 12, { observance: nearestMondayCl }),
    fixed("Evangelical Church Day", 10, 31, {
      observance: tuesdayWednesdayToFriday,
      start: "2008",
    }),
    allSaintsDay(),
    immaculateConception(),
    christmas(),
    newYearsEve(), // bank holiday
  ],
  adhocHolidays: [
    "2010-09-17",
    "2010-09-20",
    "2017-01-02",
    "2017-04-19",
    "2018-01-16",
    "2022-09-16",
  ],
  specialCloses: [
    {
      time: "12:30",
      rules: [
        christmasEve({ daysOfWeek: WEEKDAYS }),
        fixed("Day Before Bank Holiday", 12, 30, { daysOfWeek: WEEKDAYS }),
      ],
    },
    {
      time: "13:30",
      rules: [
        maundyThursday(),
        fixed("Day Before Independence Day", 9, 17, {
          observance: notIn(2010),
          daysOfWeek: [TUESDAY, WEDNESDAY, THURSDAY, FRIDAY],
        }),
      ],
    },
  ],
};
