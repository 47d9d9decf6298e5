/**
 * Number formatting for reports: one style everywhere — thousands separators, a fixed number of
 * decimals per kind of number, a real minus sign, "n/a" for undefined values.
 *
 * @module
 */

const NA = "n/a";

/** "1234567" → "1,234,567". */
function grouped(digits: string): string {
  let i = digits.length % 3 || 3;
  let out = digits.slice(0, i);
  for (; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** `v ≥ 0` as plain decimal digits: its shortest round-trip text with any exponent written out. */
function plain(v: number): { whole: string; frac: string } {
  const t = String(v), e = t.indexOf("e");
  if (e < 0) {
    const dot = t.indexOf(".");
    return dot < 0 ? { whole: t, frac: "" } : { whole: t.slice(0, dot), frac: t.slice(dot + 1) };
  }
  const exp = Number(t.slice(e + 1)), m = t.slice(0, e).replace(".", "");
  const point = (t.indexOf(".") < 0 || t.indexOf(".") > e ? e : t.indexOf(".")) + exp;
  if (point <= 0) return { whole: "0", frac: "0".repeat(-point) + m };
  return { whole: m.slice(0, point).padEnd(point, "0"), frac: m.slice(point) };
}

/**
 * `x` with `digits` decimals and thousands separators, as `toLocaleString("en-US")` writes it:
 * the shortest decimal text of the double rounded half away from zero. Written out rather than
 * through Intl, whose first call loads ICU's number formats: ≈ 8 ms of every `harvester
 * backtest` that prints a summary.
 */
function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return NA;
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const { whole, frac } = plain(Math.abs(x));
  const decimals = frac.padEnd(digits, "0");
  const d = (whole + decimals).split("").map(Number);
  // Round at `digits` decimals, half away from zero, carrying into the whole part.
  const drop = decimals.length - digits, up = drop > 0 && d[d.length - drop] >= 5;
  d.length -= drop;
  if (up) {
    let k = d.length - 1;
    while (k >= 0 && d[k] === 9) d[k--] = 0;
    if (k >= 0) d[k]++;
    else d.unshift(1);
  }
  const w = d.slice(0, d.length - digits).join("").replace(/^0+(?=\d)/, "") || "0";
  const s = `${x < 0 ? "-" : ""}${grouped(w)}${
    digits ? `.${d.slice(d.length - digits).join("")}` : ""
  }`;
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
