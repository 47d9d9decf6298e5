/**
 * Walk-forward folds: `TRAIN:TEST` lengths (`2y:6m`, `18m:3m`, `26w:4w`, or session counts such
 * as `500:125`) cut a window's sessions into rolling folds: each fold trains on the `TRAIN` just
 * before its test part, test parts follow one another without gap or overlap from the first
 * session after one `TRAIN`, and the last test part ends with the window (shorter if need be).
 *
 * @module
 */
import { DAY_MS } from "../../calendars/days.ts";
import { SweepSettingsError } from "./errors.ts";

/** A length of time: a number of sessions, of calendar months, or of calendar days. */
export type Period = { sessions: number } | { months: number } | { days: number };

/** One fold: half-open session index ranges `[start, end)` of its training and test parts. */
export interface Fold {
  index: number;
  train: [number, number];
  test: [number, number];
}

function parsePeriod(text: string, spec: string): Period {
  const m = /^(\d+)([ymwd]?)$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) {
    throw new SweepSettingsError(
      `--walk-forward: "${spec}" is not TRAIN:TEST (each a number of sessions, or of years, months, weeks or days: 2y:6m, 500:125)`,
    );
  }
  switch (m[2]) {
    case "y":
      return { months: 12 * n };
    case "m":
      return { months: n };
    case "w":
      return { days: 7 * n };
    case "d":
      return { days: n };
    default:
      return { sessions: n };
  }
}

/**
 * Parses `TRAIN:TEST`.
 *
 * @example
 * ```ts
 * parseWalkForward("2y:6m"); // { train: { months: 24 }, test: { months: 6 } }
 * ```
 */
export function parseWalkForward(spec: string): { train: Period; test: Period } {
  const parts = spec.split(":");
  if (parts.length !== 2) {
    throw new SweepSettingsError(`--walk-forward: "${spec}" is not TRAIN:TEST (e.g. 2y:6m)`);
  }
  return { train: parsePeriod(parts[0], spec), test: parsePeriod(parts[1], spec) };
}

/** The instant `period` after (sign 1) or before (sign −1) a UTC-midnight `ms`. */
function shift(ms: number, period: Period, sign: 1 | -1): number {
  if ("days" in period) return ms + sign * period.days * DAY_MS;
  const d = new Date(ms);
  const months = d.getUTCMonth() + sign * (period as { months: number }).months;
  // Day of month clamped to the target month's length (31 Jan + 1m = 28/29 Feb).
  const last = new Date(Date.UTC(d.getUTCFullYear(), months + 1, 0)).getUTCDate();
  return Date.UTC(d.getUTCFullYear(), months, Math.min(d.getUTCDate(), last));
}

/** The first index whose session is at or after `ms` (the length when none is). */
function lowerBound(sessions: readonly number[], ms: number): number {
  let lo = 0, hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sessions[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function advance(sessions: readonly number[], i: number, p: Period): number {
  if ("sessions" in p) return Math.min(i + p.sessions, sessions.length);
  // A period is at least one session, whatever the calendar.
  return Math.max(i + 1, lowerBound(sessions, shift(sessions[i], p, 1)));
}

function retreat(sessions: readonly number[], i: number, p: Period): number {
  if ("sessions" in p) return Math.max(0, i - p.sessions);
  return Math.min(i - 1, lowerBound(sessions, shift(sessions[i], p, -1)));
}

/**
 * Cuts sessions into folds.
 *
 * @example
 * ```ts
 * // ten sessions, train on four, test on two:
 * splitFolds(sessions, { sessions: 4 }, { sessions: 2 });
 * // train [0,4) test [4,6); train [2,6) test [6,8); train [4,8) test [8,10)
 * ```
 */
export function splitFolds(sessions: readonly number[], train: Period, test: Period): Fold[] {
  const folds: Fold[] = [];
  if (sessions.length === 0) return folds;
  let testStart = advance(sessions, 0, train);
  while (testStart < sessions.length) {
    const testEnd = advance(sessions, testStart, test);
    folds.push({
      index: folds.length,
      train: [retreat(sessions, testStart, train), testStart],
      test: [testStart, testEnd],
    });
    testStart = testEnd;
  }
  return folds;
}
