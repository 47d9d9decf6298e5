/**
 * Errors raised while building `schedule_function` rules. Messages are zipline-reloaded's own
 * (`utils/events.py`, `errors.py`); the class says which Python exception zipline raises.
 */
import { HarvesterError } from "../../errors.ts";

/** The base of every scheduling error. */
export class SchedulingError extends HarvesterError {
  override name = "SchedulingError";
}

/**
 * A rule's offset is out of range, or given twice (zipline raises `ValueError`).
 * @example
 * try {
 *   date_rules.week_start({ days_offset: 5 });
 * } catch (e) {
 *   (e as RuleOffsetError).message; // "offset must be in between 0 and 4 inclusive"
 * }
 */
export class RuleOffsetError extends SchedulingError {
  override name = "RuleOffsetError";
  constructor(readonly rule: string, readonly value: unknown, message: string) {
    super(message);
  }
}

/**
 * A rule's argument has the wrong type or name (zipline raises `TypeError`).
 * @example
 * try {
 *   time_rules.market_open({ offset: "30m" as unknown as number });
 * } catch (e) {
 *   (e as RuleArgumentTypeError).message; // "Must pass 'hours' and/or 'minutes' as keywords"
 * }
 */
export class RuleArgumentTypeError extends SchedulingError {
  override name = "RuleArgumentTypeError";
  constructor(readonly rule: string, readonly value: unknown, message: string) {
    super(message);
  }
}

/**
 * Something that is not a rule was passed as one, most often a factory that was not called
 * (zipline raises `TypeError` with the same hint).
 * @example
 * try {
 *   new ScheduledFunction(f, date_rules.month_start as never, undefined, { calendar });
 * } catch (e) {
 *   (e as InvalidRuleError).message; // "invalid rule: month_start (hint: did you mean month_start())"
 * }
 */
export class InvalidRuleError extends SchedulingError {
  override name = "InvalidRuleError";
  constructor(readonly value: unknown, readonly hint: string | null) {
    super(
      `invalid rule: ${describe(value)}${hint === null ? "" : ` (hint: did you mean ${hint}())`}`,
    );
  }
}

/**
 * `schedule_function(..., calendar)` got something other than `calendars.US_EQUITIES` or
 * `calendars.US_FUTURES` (zipline's `ScheduleFunctionInvalidCalendar`, also for a calendar object).
 * @example
 * try {
 *   resolveScheduleCalendar(get_calendar("XNYS"), algoCalendar);
 * } catch (e) {
 *   (e as ScheduleFunctionInvalidCalendar).given_calendar; // "XNYS"
 * }
 */
export class ScheduleFunctionInvalidCalendar extends SchedulingError {
  override name = "ScheduleFunctionInvalidCalendar";
  readonly allowed_calendars = "[calendars.US_EQUITIES, calendars.US_FUTURES]";
  readonly given_calendar: string;
  constructor(given: unknown) {
    const text = describe(given);
    super(
      `Invalid calendar '${text}' passed to schedule_function. ` +
        "Allowed options are [calendars.US_EQUITIES, calendars.US_FUTURES].",
    );
    this.given_calendar = text;
  }
}

/** A short, readable rendering of any value for a message. */
function describe(value: unknown): string {
  if (typeof value === "function") return value.name || "<function>";
  if (value !== null && typeof value === "object") {
    const name = (value as { name?: unknown }).name;
    if (typeof name === "string") return name;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
