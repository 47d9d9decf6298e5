/**
 * `date_rules` and `time_rules`: zipline's rule factories (`utils/events.py`) as plain, frozen
 * values. A rule holds only its validated parameters; `compileRule` turns it into lookups on a
 * calendar. Offsets are validated exactly as zipline validates them, with zipline's messages.
 */
import { MINUTE_MS } from "../../../calendars/days.ts";
import { RuleArgumentTypeError, RuleOffsetError } from "./errors.ts";

/** zipline's `MAX_WEEK_RANGE`: a week rule's `days_offset` is 0…4. */
export const MAX_WEEK_RANGE = 5;
/** zipline's `MAX_MONTH_RANGE`: a month rule's `days_offset` is 0…22. */
export const MAX_MONTH_RANGE = 23;

/** Which sessions a rule picks (zipline's `Always` and the four trading-day rules). */
export type DateRuleKind = "every_day" | "week_start" | "week_end" | "month_start" | "month_end";
/** Which minute of a session a rule picks (zipline's `Always`, `AfterOpen`, `BeforeClose`). */
export type TimeRuleKind = "every_minute" | "market_open" | "market_close";

/** A rule on sessions. `days_offset` counts trading days from the start or end of the period. */
export interface DateRule {
  readonly type: "date";
  readonly kind: DateRuleKind;
  readonly days_offset: number;
}

/** A rule on minutes. `offset_ms` is the timedelta after the open or before the close. */
export interface TimeRule {
  readonly type: "time";
  readonly kind: TimeRuleKind;
  readonly offset_ms: number;
}

/** Any rule `schedule_function` accepts in either slot (zipline composes them with `&`). */
export type EventRule = DateRule | TimeRule;

/** `days_offset` as a number or zipline's keyword. */
export type DaysOffset = number | { days_offset?: number };

/** A duration given as hours and/or minutes (Python's `timedelta(hours=…, minutes=…)`). */
export interface OffsetParts {
  hours?: number | null;
  minutes?: number | null;
}

/** `market_open` / `market_close` options: `offset` (minutes or parts) or hours/minutes. */
export interface TimeRuleOptions extends OffsetParts {
  /** The whole offset, in minutes or as `{ hours, minutes }`; exclusive with hours/minutes. */
  offset?: number | OffsetParts | null;
}

const DATE_LIMITS: Record<Exclude<DateRuleKind, "every_day">, number> = {
  week_start: MAX_WEEK_RANGE,
  week_end: MAX_WEEK_RANGE,
  month_start: MAX_MONTH_RANGE,
  month_end: MAX_MONTH_RANGE,
};

function dateRule(kind: Exclude<DateRuleKind, "every_day">, arg: DaysOffset | undefined): DateRule {
  let n: unknown = arg;
  if (arg !== null && typeof arg === "object") {
    checkKeys(kind, arg, ["days_offset"]);
    n = arg.days_offset;
  }
  n ??= 0;
  if (typeof n !== "number" || !Number.isInteger(n)) {
    // zipline's lossless_float_to_int: an integral float is coerced, anything else is a TypeError.
    throw new RuleArgumentTypeError(
      kind,
      n,
      `${kind} expected an int for argument 'days_offset', but got ${String(n)}`,
    );
  }
  const max = DATE_LIMITS[kind];
  if (!(n >= 0 && n < max)) {
    throw new RuleOffsetError(kind, n, `offset must be in between 0 and ${max - 1} inclusive`);
  }
  return Object.freeze({ type: "date", kind, days_offset: n });
}

function checkKeys(rule: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new RuleArgumentTypeError(
        rule,
        options,
        `${rule}() got an unexpected keyword argument '${key}'`,
      );
    }
  }
}

/** `timedelta(hours=…, minutes=…)` in ms, rounded to the microsecond as Python rounds it. */
function partsToMs(rule: string, parts: OffsetParts): number {
  let total = 0;
  for (const [field, unit] of [["hours", 60 * MINUTE_MS], ["minutes", MINUTE_MS]] as const) {
    const v = parts[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number") {
      throw new RuleArgumentTypeError(
        rule,
        v,
        `unsupported type for timedelta ${field} component: ${typeof v}`,
      );
    }
    total += v * unit;
  }
  return Math.round(total * 1000) / 1000;
}

/** zipline's `_td_check`: 1 minute ≤ offset ≤ 12 hours. */
function checkOffset(rule: string, ms: number): number {
  if (ms >= MINUTE_MS && ms <= 720 * MINUTE_MS) return ms;
  throw new RuleOffsetError(
    rule,
    ms,
    "offset must be in between 1 minute and 12 hours, inclusive.",
  );
}

/** zipline's `_build_offset`: the default, hours/minutes, or an explicit offset; never both. */
function buildOffset(rule: string, options: TimeRuleOptions | undefined): number {
  if (options === undefined || options === null) return MINUTE_MS;
  if (typeof options !== "object") {
    throw new RuleArgumentTypeError(
      rule,
      options,
      "Must pass 'hours' and/or 'minutes' as keywords",
    );
  }
  checkKeys(rule, options, ["offset", "hours", "minutes"]);
  const { offset } = options;
  const hasParts = (options.hours ?? null) !== null || (options.minutes ?? null) !== null;
  if (offset === undefined || offset === null) {
    return hasParts ? checkOffset(rule, partsToMs(rule, options)) : MINUTE_MS;
  }
  if (hasParts) throw new RuleOffsetError(rule, options, "Cannot pass kwargs and an offset");
  if (typeof offset === "number") return checkOffset(rule, partsToMs(rule, { minutes: offset }));
  if (typeof offset === "object") {
    checkKeys(rule, offset, ["hours", "minutes"]);
    return checkOffset(rule, partsToMs(rule, offset));
  }
  throw new RuleArgumentTypeError(rule, offset, "Must pass 'hours' and/or 'minutes' as keywords");
}

const EVERY_DAY: DateRule = Object.freeze({ type: "date", kind: "every_day", days_offset: 0 });
const EVERY_MINUTE: TimeRule = Object.freeze({ type: "time", kind: "every_minute", offset_ms: 0 });

/** Factories for the date rules of `schedule_function`. */
export const date_rules = Object.freeze({
  /**
   * Every session.
   * @example
   * schedule_function(rebalance, date_rules.every_day());
   */
  every_day(): DateRule {
    return EVERY_DAY;
  },
  /**
   * The `days_offset`-th session (0-based) of each ISO week (Monday–Sunday); a week with fewer
   * sessions is skipped. zipline's `NthTradingDayOfWeek`.
   * @example
   * date_rules.week_start(); // Tuesday 2024-01-16 in the week of MLK Day
   * date_rules.week_start({ days_offset: 1 }); // the second session of each week
   */
  week_start(days_offset?: DaysOffset): DateRule {
    return dateRule("week_start", days_offset);
  },
  /**
   * The session `days_offset` sessions before the last one of each ISO week.
   * zipline's `NDaysBeforeLastTradingDayOfWeek`.
   * @example
   * date_rules.week_end(); // Thursday 2024-03-28, the week of Good Friday
   */
  week_end(days_offset?: DaysOffset): DateRule {
    return dateRule("week_end", days_offset);
  },
  /**
   * The `days_offset`-th session (0-based) of each calendar month. zipline's
   * `NthTradingDayOfMonth`.
   * @example
   * date_rules.month_start({ days_offset: 2 }); // 2024-01-04: the third session of January
   */
  month_start(days_offset?: DaysOffset): DateRule {
    return dateRule("month_start", days_offset);
  },
  /**
   * The session `days_offset` sessions before the last one of each calendar month.
   * zipline's `NDaysBeforeLastTradingDayOfMonth`.
   * @example
   * date_rules.month_end(); // 2024-03-28 (Good Friday closes March)
   */
  month_end(days_offset?: DaysOffset): DateRule {
    return dateRule("month_end", days_offset);
  },
});

/** Factories for the time rules of `schedule_function` (ignored in daily mode). */
export const time_rules = Object.freeze({
  /**
   * A fixed offset after the open; the default, 1 minute, is the session's first minute.
   * zipline's `AfterOpen`.
   * @example
   * time_rules.market_open(); // 09:31 New York
   * time_rules.market_open({ minutes: 30 }); // 10:00 New York
   * time_rules.market_open({ offset: { hours: 1 } }); // 10:30 New York
   */
  market_open(options?: TimeRuleOptions): TimeRule {
    const offset_ms = buildOffset("market_open", options);
    return Object.freeze({ type: "time", kind: "market_open", offset_ms });
  },
  /**
   * A fixed offset before the close; the default, 1 minute, is 15:59 on a 16:00 close.
   * zipline's `BeforeClose`.
   * @example
   * time_rules.market_close(); // 15:59 New York
   * time_rules.market_close({ hours: 1 }); // 15:00, or 12:00 on a 13:00 early close
   */
  market_close(options?: TimeRuleOptions): TimeRule {
    const offset_ms = buildOffset("market_close", options);
    return Object.freeze({ type: "time", kind: "market_close", offset_ms });
  },
  /**
   * No time constraint: the function runs once a session, on its first minute.
   * zipline's `Always` (run once a day by `OncePerDay`).
   * @example
   * schedule_function(f, date_rules.every_day(), time_rules.every_minute());
   */
  every_minute(): TimeRule {
    return EVERY_MINUTE;
  },
});

const FACTORY_NAMES = new Map<unknown, string>([
  ...Object.entries(date_rules).map(([k, v]) => [v, k] as [unknown, string]),
  ...Object.entries(time_rules).map(([k, v]) => [v, k] as [unknown, string]),
]);

/** The factory's name when `value` is a rule factory that was not called, else `undefined`. */
export function uncalledFactoryName(value: unknown): string | undefined {
  return FACTORY_NAMES.get(value);
}

/**
 * Whether a value is a rule these factories could have made.
 * @example
 * isEventRule(date_rules.every_day()); // true
 * isEventRule(date_rules.every_day); // false: not called
 */
export function isEventRule(value: unknown): value is EventRule {
  if (value === null || typeof value !== "object") return false;
  const { type, kind, days_offset, offset_ms } = value as Record<string, unknown>;
  if (type === "date") {
    return typeof kind === "string" && DATE_KINDS.has(kind) && typeof days_offset === "number";
  }
  if (type === "time") {
    return typeof kind === "string" && TIME_KINDS.has(kind) && typeof offset_ms === "number";
  }
  return false;
}

const DATE_KINDS: ReadonlySet<string> = new Set(["every_day", ...Object.keys(DATE_LIMITS)]);
const TIME_KINDS: ReadonlySet<string> = new Set(["every_minute", "market_open", "market_close"]);
