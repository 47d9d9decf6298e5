/**
 * What `get_datetime(tz)` returns: the simulation time as a `Date` that also knows a time zone,
 * as zipline's tz-aware pandas `Timestamp` does. The instant is the same in every zone
 * (`getTime()`, `toISOString()` are UTC as for any Date); the wall-clock fields — pandas' `year`,
 * `month`, `day`, `hour`, `minute`, `second`, `dayofweek`, and Date's local getters
 * (`getHours()`, …) — are the zone's, never the machine's.
 */
import { zonedInstant } from "../../calendars/timezone.ts";

/**
 * A `Date` with a time zone: wall-clock fields in `tz`.
 *
 * @example
 * ```ts
 * const now = get_datetime("America/New_York"); // 2014-01-06T09:31:00-05:00
 * if (now.hour === 9 && now.minute === 31) …
 * now.getTime() === get_datetime().getTime(); // the same instant
 * ```
 */
export class ZonedDate extends Date {
  /** The IANA time zone of the wall-clock fields. */
  readonly tz: string;
  readonly #wall: Temporal.ZonedDateTime;

  constructor(ms: number, tz = "UTC") {
    super(ms);
    this.tz = tz;
    this.#wall = zonedInstant(ms, tz, "get_datetime: tz");
  }

  /** The same instant as a `Temporal.ZonedDateTime` (calendar arithmetic in the zone). */
  toZonedDateTime(): Temporal.ZonedDateTime {
    return this.#wall;
  }

  /** The same instant in another zone (pandas' `tz_convert`). */
  tz_convert(tz: string): ZonedDate {
    return new ZonedDate(this.getTime(), tz);
  }

  get year(): number {
    return this.#wall.year;
  }
  /** 1–12, as in pandas. */
  get month(): number {
    return this.#wall.month;
  }
  get day(): number {
    return this.#wall.day;
  }
  get hour(): number {
    return this.#wall.hour;
  }
  get minute(): number {
    return this.#wall.minute;
  }
  get second(): number {
    return this.#wall.second;
  }
  /** Monday = 0 … Sunday = 6, as in pandas. */
  get dayofweek(): number {
    return this.#wall.dayOfWeek - 1;
  }
  /** Minutes east of UTC in `tz` at this instant (−300 for New York in winter). */
  get utcoffset_minutes(): number {
    return Math.round(this.#wall.offsetNanoseconds / 60e9);
  }

  override getFullYear(): number {
    return this.year;
  }
  override getMonth(): number {
    return this.month - 1;
  }
  override getDate(): number {
    return this.day;
  }
  override getDay(): number {
    return (this.dayofweek + 1) % 7;
  }
  override getHours(): number {
    return this.hour;
  }
  override getMinutes(): number {
    return this.minute;
  }
  override getSeconds(): number {
    return this.second;
  }
  override getTimezoneOffset(): number {
    return -this.utcoffset_minutes;
  }

  /** ISO-8601 with the zone's offset: `2014-01-06T09:31:00-05:00` (`Z` in UTC). */
  override toString(): string {
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    const w = this.#wall;
    const off = this.utcoffset_minutes;
    const zone = off === 0
      ? (this.tz === "UTC" ? "Z" : "+00:00")
      : `${off < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
    return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${
      pad(w.second)
    }${zone}`;
  }
}
