/**
 * Local wall time → UTC for an IANA time zone, fast enough to convert every open and close of
 * sixty years. The zone's transitions are read once from Temporal's time zone database and
 * every later conversion is a binary search over them. `intlOffset` answers one instant through
 * Intl (the broker adapters' few conversions); neither goes through date-fns-tz, whose import
 * alone costs a backtest ~45 ms of start-up.
 */
import { InvalidInputError } from "../runtime/errors.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset (ms, local − UTC) of `tz` at a UTC instant, from Intl's rendering of that instant. */
export function intlOffset(tz: string, utcMs: number): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utcMs))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * An instant in `tz`. A name that is not a time zone is refused naming it and the setting it
 * came from (Temporal's own error names neither).
 */
export function zonedInstant(ms: number, tz: string, setting = "tz"): Temporal.ZonedDateTime {
  try {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    throw new InvalidInputError(
      setting,
      tz,
      "is not a time zone; use an IANA name such as America/New_York, or UTC",
    );
  }
}

/** The UTC offsets of one zone over a span of years, as sorted transition instants. */
export class ZoneOffsets {
  /** Instants (UTC ms) from which `offsets[i]` applies; `starts[0]` is the span's start. */
  private readonly starts: Float64Array;
  private readonly offsets: Float64Array;

  /**
   * The zone's transitions from Temporal's time zone database, one call each
   * (`getTimeZoneTransition("next")`): ~0.5 ms for forty years of New York, where sampling Intl
   * every 15 days and bisecting each change to the minute took ~20 ms of every backtest's set-up.
   */
  constructor(readonly tz: string, fromMs: number, toMs: number) {
    const starts: number[] = [fromMs];
    const offsets: number[] = [];
    let at = zonedInstant(fromMs, tz);
    offsets.push(at.offsetNanoseconds / 1e6);
    for (;;) {
      const next = at.getTimeZoneTransition("next");
      if (next === null || next.epochMilliseconds > toMs) break;
      at = next;
      const o = next.offsetNanoseconds / 1e6;
      // A change of the zone's name or rules alone keeps the offset: not a transition here.
      if (o === offsets[offsets.length - 1]) continue;
      starts.push(next.epochMilliseconds);
      offsets.push(o);
    }
    this.starts = Float64Array.from(starts);
    this.offsets = Float64Array.from(offsets);
  }

  /** Offset (ms, local − UTC) in force at a UTC instant. */
  offsetAt(utcMs: number): number {
    const s = this.starts;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= utcMs) lo = mid;
      else hi = mid - 1;
    }
    return this.offsets[lo];
  }

  /** UTC instant of a local wall-clock time given as ms since 1970-01-01 00:00 local. */
  wallToUtc(wallMs: number): number {
    // Two passes settle the offset for any time not inside a DST gap or overlap, which no
    // exchange's open or close is.
    const first = wallMs - this.offsetAt(wallMs);
    return wallMs - this.offsetAt(first);
  }
}
