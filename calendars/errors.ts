import { HarvesterError } from "../runtime/errors.ts";
import { isoDate } from "./days.ts";

const label = (ms: number): string =>
  Number.isFinite(ms) ? isoDate(Math.floor(ms / 86_400_000)) : String(ms);

/** No calendar is registered under a name. */
export class UnknownCalendarError extends HarvesterError {
  override name = "UnknownCalendarError";
  constructor(readonly calendar: string, readonly known: readonly string[]) {
    super(`unknown calendar "${calendar}"; known calendars: ${known.join(", ")}`);
  }
}

/** A date or minute outside the span a calendar answers for. */
export class CalendarRangeError extends HarvesterError {
  override name = "CalendarRangeError";
  constructor(readonly calendar: string, readonly value: number, first: number, last: number) {
    super(
      `${label(value)} is outside calendar ${calendar}'s range ${label(first)} to ${label(last)}`,
    );
  }
}

/** A date that was required to be a session is not one. */
export class NotSessionError extends HarvesterError {
  override name = "NotSessionError";
  constructor(readonly calendar: string, readonly value: number) {
    super(`${label(value)} is not a session of calendar ${calendar}`);
  }
}

/** A minute that was required to be a trading minute is not one. */
export class MinuteOutOfSessionError extends HarvesterError {
  override name = "MinuteOutOfSessionError";
  constructor(readonly calendar: string, readonly minute: number) {
    super(`${new Date(minute).toISOString()} is not a trading minute of calendar ${calendar}`);
  }
}
