/**
 * `schedule_function`'s rules and scheduled functions, as zipline-reloaded defines them
 * (`utils/events.py`, `algorithm.py`). A `ScheduledFunction` knows its function, rules and
 * calendar; the engine decides when to call it, asking `fn.rule.sessionMatches(i)` in daily mode
 * or `fn.rule.minuteMatches(i, minute)` in minute mode.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { get_calendar } from "../../calendars/registry.ts";
import { type CompiledRule, compileRule } from "./scheduling/compile.ts";
import { type DailyBars, oncePerDayDaily } from "./scheduling/once_per_day.ts";
import { InvalidRuleError, ScheduleFunctionInvalidCalendar } from "./scheduling/errors.ts";
import {
  date_rules,
  type EventRule,
  isEventRule,
  time_rules,
  uncalledFactoryName,
} from "./scheduling/rules.ts";

export { compileRule } from "./scheduling/compile.ts";
export type { CompiledRule, CompileOptions } from "./scheduling/compile.ts";
export { type DailyBars, oncePerDayDaily } from "./scheduling/once_per_day.ts";
export * from "./scheduling/errors.ts";
export {
  date_rules,
  isEventRule,
  MAX_MONTH_RANGE,
  MAX_WEEK_RANGE,
  time_rules,
} from "./scheduling/rules.ts";
export type {
  DateRule,
  DateRuleKind,
  DaysOffset,
  EventRule,
  OffsetParts,
  TimeRule,
  TimeRuleKind,
  TimeRuleOptions,
} from "./scheduling/rules.ts";

/** zipline's warning when `schedule_function(func, <time rule>)` leaves out the date rule. */
export const MISPLACED_TIME_RULE_WARNING = "Got a time rule for the second positional argument " +
  "date_rule. You should use keyword argument time_rule= when calling schedule_function " +
  "without specifying a date_rule";

/** One of zipline's calendar sentinels for `schedule_function(..., calendar)`. */
export class ScheduleCalendar {
  constructor(
    readonly name: "US_EQUITIES" | "US_FUTURES",
    /** The registered calendar it stands for. */
    readonly calendar_name: string,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return this.name;
  }
}

/**
 * zipline's `calendars`: `US_EQUITIES` is XNYS; `US_FUTURES` is `us_futures` (exchange_calendars'
 * `QuantopianUSFuturesCalendar`, 18:00–18:00 New York).
 * @example
 * schedule_function(f, date_rules.every_day(), time_rules.market_open(), true, calendars.US_EQUITIES);
 */
export const calendars = Object.freeze({
  US_EQUITIES: new ScheduleCalendar("US_EQUITIES", "XNYS"),
  US_FUTURES: new ScheduleCalendar("US_FUTURES", "US_FUTURES"),
});

/**
 * The calendar a scheduled function uses: the algorithm's when none is given, else the one a
 * sentinel names. Anything else, a calendar object included, is zipline's
 * `ScheduleFunctionInvalidCalendar`.
 * @example
 * resolveScheduleCalendar(undefined, algoCalendar) === algoCalendar; // true
 * resolveScheduleCalendar(calendars.US_EQUITIES, cmes).name; // "XNYS"
 */
export function resolveScheduleCalendar(
  given: unknown,
  algorithm_calendar: TradingCalendar,
): TradingCalendar {
  if (given === undefined || given === null) return algorithm_calendar;
  if (given === calendars.US_EQUITIES || given === calendars.US_FUTURES) {
    return get_calendar((given as ScheduleCalendar).calendar_name);
  }
  throw new ScheduleFunctionInvalidCalendar(given);
}

/** zipline's `_check_if_not_called`, extended to anything that is not a rule. */
function checkRule(value: unknown): void {
  if (value === undefined || value === null || isEventRule(value)) return;
  throw new InvalidRuleError(value, uncalledFactoryName(value) ?? null);
}

/** Options of `ScheduledFunction`. */
export interface ScheduledFunctionOptions {
  /** The calendar the rules are evaluated on (see `resolveScheduleCalendar`). */
  calendar: TradingCalendar;
  /** Whether the function may run on early-close sessions. @default true */
  half_days?: boolean;
  /** Where zipline's `UserWarning`s go. @default console.warn */
  warn?: (message: string) => void;
  /**
   * The algorithm's calendar, whose session closes stamp daily bars (zipline's `OncePerDay` day
   * runs from bar to bar). @default calendar
   */
  clock_calendar?: TradingCalendar;
  /**
   * The run's first session (UTC midnight ms), where `OncePerDay` has no state yet.
   * @default the calendar's first session
   */
  run_start?: number;
}

/**
 * A function with its rules and calendar, as `schedule_function` registers it. Arguments follow
 * zipline's positional order; a missing date rule is `every_day`, a missing time rule
 * `every_minute` (so the first minute of each session). A time rule given as the date rule with no
 * time rule is kept where it is, after zipline's warning: in minute mode it fires as a time rule,
 * in daily mode only when its minute is the session's close.
 * @example
 * const fn = new ScheduledFunction(rebalance, date_rules.month_start(), time_rules.market_open({
 *   minutes: 30,
 * }), { calendar: get_calendar("XNYS") });
 * const i = fn.calendar.session_index(Date.UTC(2024, 1, 1));
 * fn.rule.minuteMatches(i, Date.UTC(2024, 1, 1, 15, 0)); // true: 10:00 New York
 */
export class ScheduledFunction<F extends (...args: never[]) => unknown = () => unknown> {
  readonly date_rule: EventRule;
  readonly time_rule: EventRule;
  readonly half_days: boolean;
  readonly calendar: TradingCalendar;
  readonly #bars: DailyBars;
  #rule: CompiledRule | undefined;

  constructor(
    readonly func: F,
    date_rule: EventRule | null | undefined,
    time_rule: EventRule | null | undefined,
    {
      calendar,
      half_days = true,
      warn = console.warn,
      clock_calendar = calendar,
      run_start = clock_calendar.first_session,
    }: ScheduledFunctionOptions,
  ) {
    checkRule(date_rule);
    checkRule(time_rule);
    const hasTimeRule = time_rule !== undefined && time_rule !== null;
    if (date_rule?.type === "time" && date_rule.kind !== "every_minute" && !hasTimeRule) {
      warn(MISPLACED_TIME_RULE_WARNING);
    }
    this.date_rule = date_rule ?? date_rules.every_day();
    this.time_rule = time_rule ?? time_rules.every_minute();
    this.half_days = half_days;
    this.calendar = calendar;
    this.#bars = { calendar: clock_calendar, run_start };
  }

  /**
   * The rules as the engine applies them: compiled on the calendar (built on first use, its
   * lookups filled lazily), with zipline's `OncePerDay` over the run's daily bars in
   * `sessionMatches` (see scheduling/once_per_day.ts).
   */
  get rule(): CompiledRule {
    return this.#rule ??= oncePerDayDaily(
      compileRule(this.date_rule, this.time_rule, this.calendar, { half_days: this.half_days }),
      this.#bars,
    );
  }
}
