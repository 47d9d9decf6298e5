/**
 * Calendar-day arithmetic on day numbers (whole days since 1970-01-01, UTC).
 * Pure functions; no Date objects, so rule evaluation over 60 years stays allocation-free.
 */

/** Milliseconds in one day. */
export const DAY_MS = 86_400_000;
/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;

/** Weekday numbers, JavaScript's convention (0 = Sunday). */
export const SUNDAY = 0;
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

/** Day number of a proleptic Gregorian date (month 1–12). */
export function dayFromYmd(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact for every Gregorian date, no Date allocation.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month (1–12), day] of a day number. */
export function ymdFromDay(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Weekday of a day number (0 = Sunday … 6 = Saturday). */
export function weekday(dayNumber: number): number {
  return ((dayNumber % 7) + 11) % 7; // 1970-01-01 was a Thursday (4)
}

/** Day number of a UTC epoch-millisecond instant (the UTC date it falls on). */
export function dayOfMs(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(dayNumber: number): string {
  const [y, m, d] = ymdFromDay(dayNumber);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${
    String(d).padStart(2, "0")
  }`;
}

/**
 * `2024-07-03T21:00:00Z`: ISO-8601 UTC, with `.123` only when the milliseconds are set; null when
 * not finite. @example isoInstant(Date.UTC(2024, 6, 3, 21)) // "2024-07-03T21:00:00Z"
 */
export function isoInstant(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const s = new Date(ms).toISOString();
  return s.endsWith(".000Z") ? `${s.slice(0, -5)}Z` : s;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict `YYYY-MM-DD` string, or `undefined` if it is not a real date. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const day = dayFromYmd(y, mo, d);
  const [y2, m2, d2] = ymdFromDay(day);
  return y2 === y && m2 === mo && d2 === d ? day : undefined;
}

/** Day number of Easter Sunday (Gregorian, anonymous computus). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromYmd(year, month, day);
}

/** Day number of Orthodox Easter Sunday (Julian computus, as a Gregorian date; 1900–2099). */
export function orthodoxEasterSunday(year: number): number {
  const a = year % 4, b = year % 7, c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  // Julian to Gregorian: 13 days in 1900–2099.
  return dayFromYmd(year, month, day) + 13;
}
