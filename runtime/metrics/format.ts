/**
 * Number formatting for reports: one style everywhere — thousands separators, a fixed number of
 * decimals per kind of number, a real minus sign, "n/a" for undefined values.
 *
 * @module
 */

const NA = "n/a";

function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return NA;
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const s = x.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A value that rounds to zero reads as zero, not "-0.00".
  return /^-[0.,]+$/.test(s) ? s.slice(1) : s;
}

/** `1,234,567.89`. @example money(-1234.5) // "-1,234.50" */
export function money(x: number, digits = 2): string {
  return fixed(x, digits);
}

/** A fraction as a percentage: `12.34%`, `408,542.00%`. @example percent(0.1234) // "12.34%" */
export function percent(x: number, digits = 2): string {
  const s = fixed(x * 100, digits);
  return s === NA || s.endsWith("inf") ? s : `${s}%`;
}

/** A ratio with fixed decimals. @example ratio(1.23456) // "1.23" */
export function ratio(x: number, digits = 2): string {
  return fixed(x, digits);
}

/** A count with separators. @example count(12345) // "12,345" */
export function count(x: number): string {
  return fixed(x, 0);
}

/** A duration in ms as pandas prints a Timedelta: `12 days 06:30:00`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return NA;
  const sign = ms < 0 ? "-" : "";
  let s = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${sign}${days} day${days === 1 ? "" : "s"} ${hh}:${mm}:${ss}`;
}
