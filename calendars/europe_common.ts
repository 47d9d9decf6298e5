/**
 * Holidays many European exchanges share (exchange_calendars' `common_holidays.py` names them),
 * each a function of the rule options so an exchange can bound or filter it.
 */
import { FRIDAY, MONDAY, THURSDAY, TUESDAY, WEDNESDAY } from "./days.ts";
import { easter, fixed, type HolidayRule, orthodoxEaster, type RuleOptions } from "./rules.ts";
import { weekdayFrom } from "./rules.ts";

/** Monday to Friday (JavaScript weekday numbers). */
export const WEEKDAYS = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY] as const;

type Make = (opts?: RuleOptions) => HolidayRule;

export const newYearsDay: Make = (o) => fixed("New Year's Day", 1, 1, o);
export const newYearsEve: Make = (o) => fixed("New Year's Eve", 12, 31, o);
export const epiphany: Make = (o) => fixed("Epiphany", 1, 6, o);
export const labourDay: Make = (o) => fixed("Labour Day", 5, 1, o);
export const assumptionDay: Make = (o) => fixed("Assumption Day", 8, 15, o);
export const allSaintsDay: Make = (o) => fixed("All Saints' Day", 11, 1, o);
export const immaculateConception: Make = (o) => fixed("Immaculate Conception", 12, 8, o);
export const christmasEve: Make = (o) => fixed("Christmas Eve", 12, 24, o);
export const christmas: Make = (o) => fixed("Christmas", 12, 25, o);
export const boxingDay: Make = (o) => fixed("Boxing Day", 12, 26, o);
export const stPeterAndPaul: Make = (o) => fixed("Saint Peter and Saint Paul", 6, 29, o);
/** A Saturday or Sunday Christmas gives the 27th (Monday or Tuesday) off. */
export const weekendChristmas: Make = (o) =>
  fixed("Weekend Christmas", 12, 27, { daysOfWeek: [MONDAY, TUESDAY], ...o });
/** A Saturday or Sunday Boxing Day gives the 28th (Monday or Tuesday) off. */
export const weekendBoxingDay: Make = (o) =>
  fixed("Weekend Boxing Day", 12, 28, { daysOfWeek: [MONDAY, TUESDAY], ...o });

export const goodFriday: Make = (o) => easter("Good Friday", -2, o);
export const easterMonday: Make = (o) => easter("Easter Monday", 1, o);
export const holyWednesday: Make = (o) => easter("Holy Wednesday", -4, o);
export const maundyThursday: Make = (o) => easter("Maundy Thursday", -3, o);
export const ascensionDay: Make = (o) => easter("Ascension Day", 39, o);
export const whitMonday: Make = (o) => easter("Whit Monday", 50, o);
export const corpusChristi: Make = (o) => easter("Corpus Christi", 60, o);

export const orthodoxGoodFriday: Make = (o) => orthodoxEaster("Orthodox Good Friday", -2, o);
export const orthodoxEasterMonday: Make = (o) => orthodoxEaster("Orthodox Easter Monday", 1, o);
export const orthodoxEasterTuesday: Make = (o) => orthodoxEaster("Orthodox Easter Tuesday", 2, o);
export const orthodoxAshMonday: Make = (o) => orthodoxEaster("Orthodox Ash Monday", -48, o);
export const orthodoxPentecost: Make = (o) => orthodoxEaster("Orthodox Pentecost", 49, o);
export const orthodoxWhitMonday: Make = (o) => orthodoxEaster("Orthodox Whit Monday", 50, o);

/** The Friday from June 19th to 25th. */
export const midsummerEve: Make = (o) => weekdayFrom("Midsummer Eve", 6, 19, FRIDAY, 1, o);
