/**
 * Dates of the Jewish holidays the Tel Aviv Stock Exchange closes for, computed from the fixed
 * arithmetic of the Hebrew calendar (molad and postponement rules, as in Reingold & Dershowitz,
 * "Calendrical Calculations", ch. 8). exchange_calendars computes the same dates with the
 * `pyluach` package (`tase_holidays.py`).
 */

/** R.D. (days since 0001-01-01 proleptic Gregorian, day 1) of 1970-01-01. */
const RD_UNIX_EPOCH = 719_163;
/** R.D. of 1 Tishrei AM 1. */
const HEBREW_EPOCH = -1_373_427;

function elapsedDays(year: number): number {
  const months = Math.floor((235 * year - 234) / 19);
  const parts = 12084 + 13753 * months;
  const days = 29 * months + Math.floor(parts / 25920);
  return (3 * (days + 1)) % 7 < 3 ? days + 1 : days;
}

function yearLengthCorrection(year: number): number {
  const ny0 = elapsedDays(year - 1), ny1 = elapsedDays(year), ny2 = elapsedDays(year + 1);
  if (ny2 - ny1 === 356) return 2;
  if (ny1 - ny0 === 382) return 1;
  return 0;
}

/** Day number (days since 1970-01-01) of Rosh Hashanah, 1 Tishrei, of a Hebrew year. */
function hebrewNewYear(hebrewYear: number): number {
  return HEBREW_EPOCH + elapsedDays(hebrewYear) + yearLengthCorrection(hebrewYear) -
    RD_UNIX_EPOCH;
}

/** Rosh Hashanah (1 Tishrei) falling in Gregorian `year` (day number). */
export function roshHashanah(year: number): number {
  return hebrewNewYear(year + 3761);
}

/** The first day of Passover (15 Nisan) falling in Gregorian `year`: 163 days before 1 Tishrei. */
export function passover(year: number): number {
  return roshHashanah(year) - 163;
}

/** Purim (14 Adar, or Adar II in a leap year): 30 days before Passover. */
export function purim(year: number): number {
  return passover(year) - 30;
}

/** Shavuot (6 Sivan): 50 days after Passover. */
export function shavuot(year: number): number {
  return passover(year) + 50;
}

/** Tisha B'Av (9 Av): 112 days after Passover. */
export function tishaBav(year: number): number {
  return passover(year) + 112;
}

/** 4 Iyar (Memorial Day before it is moved off Friday, Saturday and Sunday): Passover + 19. */
export function iyar4(year: number): number {
  return passover(year) + 19;
}
