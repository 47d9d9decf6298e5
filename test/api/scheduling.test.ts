// Expected dates and minutes are hand-checked against the NYSE calendar (holidays, early closes,
// EST = UTC-5 / EDT = UTC-4) and against zipline-reloaded's tests/events/test_events_nyse.py and
// tests/test_algorithm.py (test_schedule_function_time_rule_positionally_misplaced).
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import {
  calendars,
  compileRule,
  date_rules,
  type EventRule,
  InvalidRuleError,
  MISPLACED_TIME_RULE_WARNING,
  resolveScheduleCalendar,
  RuleArgumentTypeError,
  RuleOffsetError,
  ScheduledFunction,
  ScheduleFunctionInvalidCalendar,
  time_rules,
} from "../../runtime/api/scheduling.ts";

const nyse = get_calendar("XNYS");
const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const t = (iso: string) => Date.parse(`${iso}Z`);
const idx = (iso: string) => {
  const i = nyse.session_index(d(iso));
  if (i < 0) throw new Error(`${iso} is not an NYSE session`);
  return i;
};
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Sessions from `start` to `end` on which the rule fires in daily mode. */
function firing(date_rule: EventRule, start: string, end: string, half_days = true): string[] {
  const rule = compileRule(date_rule, time_rules.every_minute(), nyse, { half_days });
  const out: string[] = [];
  for (let i = idx(start); i <= idx(end); i++) {
    if (rule.sessionMatches(i)) out.push(iso(nyse.all_sessions[i]));
  }
  return out;
}

/** The minute (ISO, UTC) a time rule fires at in minute mode on a session. */
function minuteOf(time_rule: EventRule, session: string): string | null {
  const m = compileRule(date_rules.every_day(), time_rule, nyse).triggerMinute(idx(session));
  return Number.isNaN(m) ? null : new Date(m).toISOString().slice(0, 16);
}

describe("date_rules.week_start", () => {
  test("a Monday holiday moves the week start to Tuesday (MLK 2024-01-15)", () => {
    expect(firing(date_rules.week_start(), "2024-01-08", "2024-01-26")).toEqual([
      "2024-01-08",
      "2024-01-16",
      "2024-01-22",
    ]);
    expect(firing(date_rules.week_start({ days_offset: 1 }), "2024-01-08", "2024-01-26"))
      .toEqual(["2024-01-09", "2024-01-17", "2024-01-23"]);
  });

  test("weeks are ISO weeks, across the new year (zipline's own edge cases)", () => {
    expect(firing(date_rules.week_start(), "2013-12-30", "2014-01-24")).toEqual([
      "2013-12-30",
      "2014-01-06",
      "2014-01-13",
      "2014-01-21",
    ]);
    expect(firing(date_rules.week_start(1), "2013-12-30", "2014-01-24")).toEqual([
      "2013-12-31",
      "2014-01-07",
      "2014-01-14",
      "2014-01-22",
    ]);
  });

  test("a week with fewer sessions than the offset is skipped", () => {
    // 2024-07-01…05 has four sessions (Independence Day is Thursday).
    expect(firing(date_rules.week_start({ days_offset: 4 }), "2024-06-24", "2024-07-12"))
      .toEqual(["2024-06-28", "2024-07-12"]);
    expect(firing(date_rules.week_end({ days_offset: 4 }), "2024-06-24", "2024-07-12"))
      .toEqual(["2024-06-24", "2024-07-08"]);
  });

  test("a group is the calendar's whole week, not cut at the first session asked for", () => {
    const rule = compileRule(date_rules.week_start(), time_rules.every_minute(), nyse);
    expect(rule.sessionMatches(idx("2024-01-17"))).toBe(false); // Wed: Tuesday started it
    expect(rule.sessionMatches(idx("2024-01-16"))).toBe(true);
  });
});

describe("date_rules.week_end", () => {
  test("Good Friday moves the week end to Thursday (2024-03-29)", () => {
    expect(firing(date_rules.week_end(), "2024-03-18", "2024-04-05")).toEqual([
      "2024-03-22",
      "2024-03-28",
      "2024-04-05",
    ]);
    expect(firing(date_rules.week_end({ days_offset: 1 }), "2024-03-25", "2024-03-28"))
      .toEqual(["2024-03-27"]);
  });

  test("zipline's edge cases around MLK 2014", () => {
    expect(firing(date_rules.week_end(), "2014-01-02", "2014-01-24")).toEqual([
      "2014-01-03",
      "2014-01-10",
      "2014-01-17",
      "2014-01-24",
    ]);
  });
});

describe("date_rules.month_start / month_end", () => {
  test("month_start skips New Year's Day; days_offset counts sessions", () => {
    expect(firing(date_rules.month_start(), "2024-01-02", "2024-03-28")).toEqual([
      "2024-01-02",
      "2024-02-01",
      "2024-03-01",
    ]);
    expect(firing(date_rules.month_start({ days_offset: 2 }), "2024-01-02", "2024-03-28"))
      .toEqual(["2024-01-04", "2024-02-05", "2024-03-05"]);
  });

  test("month_end: Good Friday closes March; days_offset counts back", () => {
    expect(firing(date_rules.month_end(), "2024-01-02", "2024-04-30")).toEqual([
      "2024-01-31",
      "2024-02-29",
      "2024-03-28",
      "2024-04-30",
    ]);
    expect(firing(date_rules.month_end({ days_offset: 2 }), "2024-03-01", "2024-03-28"))
      .toEqual(["2024-03-26"]);
  });

  test("a month with fewer sessions than the offset is skipped", () => {
    // February 2024 has 20 sessions (Presidents' Day), January 21, March 20.
    expect(firing(date_rules.month_start(20), "2024-01-02", "2024-03-28")).toEqual([
      "2024-01-31",
    ]);
    expect(firing(date_rules.month_end(20), "2024-01-02", "2024-03-28")).toEqual(["2024-01-02"]);
  });

  test("every session of 2000–2024 is counted once per month and per week", () => {
    const months = new Set<string>(), weeks = new Set<number>();
    for (let i = idx("2000-01-03"); i <= idx("2024-12-31"); i++) {
      const s = nyse.all_sessions[i];
      months.add(iso(s).slice(0, 7));
      weeks.add(s - ((new Date(s).getUTCDay() + 6) % 7) * 86_400_000);
    }
    expect(firing(date_rules.month_end(), "2000-01-03", "2024-12-31")).toHaveLength(months.size);
    expect(firing(date_rules.week_start(), "2000-01-03", "2024-12-31")).toHaveLength(weeks.size);
  });
});

describe("offset validation (zipline's limits and messages)", () => {
  test("week rules take 0…4, month rules 0…22", () => {
    expect(() => date_rules.week_start({ days_offset: 5 })).toThrow(
      new RuleOffsetError("week_start", 5, "offset must be in between 0 and 4 inclusive"),
    );
    expect(() => date_rules.week_end(-1)).toThrow("offset must be in between 0 and 4 inclusive");
    expect(() => date_rules.month_start(23)).toThrow(
      "offset must be in between 0 and 22 inclusive",
    );
    expect(date_rules.month_end(22).days_offset).toBe(22);
    expect(() => date_rules.month_end(1.5)).toThrow(RuleArgumentTypeError);
    expect(() => date_rules.week_start({ offset: 1 } as never)).toThrow(
      "week_start() got an unexpected keyword argument 'offset'",
    );
  });

  test("time offsets: 1 minute to 12 hours, offset exclusive with hours/minutes", () => {
    const range = "offset must be in between 1 minute and 12 hours, inclusive.";
    expect(() => time_rules.market_open({ minutes: 0 })).toThrow(range);
    expect(() => time_rules.market_close({ hours: 12, minutes: 1 })).toThrow(range);
    expect(() => time_rules.market_open({ offset: 0.5 })).toThrow(RuleOffsetError);
    expect(time_rules.market_close({ hours: 12 }).offset_ms).toBe(12 * 3_600_000);
    expect(time_rules.market_open({ offset: { hours: 1, minutes: -30 } }).offset_ms)
      .toBe(1_800_000);
    expect(() => time_rules.market_open({ offset: 30, minutes: 5 })).toThrow(
      "Cannot pass kwargs and an offset",
    );
    expect(() => time_rules.market_open({ offset: "30" as never })).toThrow(
      new RuleArgumentTypeError(
        "market_open",
        "30",
        "Must pass 'hours' and/or 'minutes' as keywords",
      ),
    );
    expect(() => time_rules.market_close({ minute: 5 } as never)).toThrow(
      "market_close() got an unexpected keyword argument 'minute'",
    );
    expect(time_rules.market_open({ hours: null, minutes: null }).offset_ms).toBe(60_000);
  });
});

describe("time_rules", () => {
  test("market_open: first minute by default; minutes: 30 is 10:00 New York", () => {
    expect(minuteOf(time_rules.market_open(), "2006-01-12")).toBe("2006-01-12T14:31");
    expect(minuteOf(time_rules.market_open({ minutes: 30 }), "2024-01-16")).toBe(
      "2024-01-16T15:00", // EST
    );
    expect(minuteOf(time_rules.market_open({ minutes: 30 }), "2024-07-02")).toBe(
      "2024-07-02T14:00", // EDT
    );
    expect(minuteOf(time_rules.market_open({ offset: { hours: 1 } }), "2024-01-16")).toBe(
      "2024-01-16T15:30",
    );
  });

  test("market_close: 15:59 by default; hours: 1 is 15:00, or 12:00 on an early close", () => {
    expect(minuteOf(time_rules.market_close(), "2006-01-12")).toBe("2006-01-12T20:59");
    expect(minuteOf(time_rules.market_close(), "2024-01-16")).toBe("2024-01-16T20:59");
    expect(minuteOf(time_rules.market_close({ hours: 1 }), "2024-07-02")).toBe(
      "2024-07-02T19:00",
    );
    expect(minuteOf(time_rules.market_close({ hours: 1 }), "2024-07-03")).toBe(
      "2024-07-03T16:00",
    );
  });

  test("an offset past the session or off the minute grid never fires", () => {
    expect(minuteOf(time_rules.market_close({ hours: 7 }), "2024-01-16")).toBeNull();
    expect(minuteOf(time_rules.market_open({ hours: 4 }), "2024-07-03")).toBeNull();
    expect(minuteOf(time_rules.market_open({ minutes: 1.5 }), "2024-01-16")).toBeNull();
    expect(minuteOf(time_rules.market_open({ hours: 6, minutes: 30 }), "2024-01-16")).toBe(
      "2024-01-16T21:00", // 16:00, the last minute
    );
  });

  test("every_minute fires once, on the first minute", () => {
    const rule = compileRule(date_rules.every_day(), time_rules.every_minute(), nyse);
    const i = idx("2024-01-16");
    expect(rule.minuteMatches(i, t("2024-01-16T14:31"))).toBe(true);
    expect(rule.minuteMatches(i, t("2024-01-16T14:32"))).toBe(false);
    expect(rule.minuteMatches(i, t("2024-01-16T21:00"))).toBe(false);
  });
});

describe("compileRule", () => {
  test("half_days: false skips the July 3 early close in both modes", () => {
    expect(firing(date_rules.every_day(), "2024-07-01", "2024-07-05", false)).toEqual([
      "2024-07-01",
      "2024-07-02",
      "2024-07-05",
    ]);
    expect(firing(date_rules.every_day(), "2024-07-01", "2024-07-05")).toHaveLength(4);
    const rule = compileRule(date_rules.every_day(), time_rules.market_close(), nyse, {
      half_days: false,
    });
    expect(rule.triggerMinute(idx("2024-07-03"))).toBeNaN();
    expect(rule.minuteMatches(idx("2024-07-05"), t("2024-07-05T19:59"))).toBe(true);
  });

  test("minute mode combines the date rule and the time rule", () => {
    const rule = compileRule(
      date_rules.week_start(),
      time_rules.market_open({ minutes: 30 }),
      nyse,
    );
    expect(rule.minuteMatches(idx("2024-01-16"), t("2024-01-16T15:00"))).toBe(true);
    expect(rule.minuteMatches(idx("2024-01-17"), t("2024-01-17T15:00"))).toBe(false);
    expect(rule.sessionMatches(idx("2024-01-16"))).toBe(true); // daily mode ignores the time
  });

  test("a date rule in the time slot applies in minute mode only", () => {
    const rule = compileRule(date_rules.every_day(), date_rules.month_end(), nyse);
    expect(rule.triggerMinute(idx("2024-01-30"))).toBeNaN();
    expect(rule.triggerMinute(idx("2024-01-31"))).toBe(t("2024-01-31T14:31"));
    expect(rule.sessionMatches(idx("2024-01-30"))).toBe(true);
  });

  test("indices outside the calendar never match", () => {
    const rule = compileRule(date_rules.every_day(), time_rules.every_minute(), nyse);
    expect(rule.sessionMatches(-1)).toBe(false);
    expect(rule.sessionMatches(nyse.all_sessions.length)).toBe(false);
    expect(rule.triggerMinute(-1)).toBeNaN();
  });
});

describe("ScheduledFunction", () => {
  const f = () => undefined;

  test("defaults: every day, first minute; no warning", () => {
    const warnings: string[] = [];
    const fn = new ScheduledFunction(f, undefined, undefined, {
      calendar: nyse,
      warn: (m) => warnings.push(m),
    });
    expect(fn.date_rule.kind).toBe("every_day");
    expect(fn.time_rule.kind).toBe("every_minute");
    expect(fn.rule.triggerMinute(idx("2024-01-16"))).toBe(t("2024-01-16T14:31"));
    expect(warnings).toEqual([]);
  });

  test("a time rule as the date rule warns as zipline does and still fires at that minute", () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const open = new ScheduledFunction(f, time_rules.market_open(), undefined, {
      calendar: nyse,
      warn,
    });
    const close = new ScheduledFunction(f, time_rules.market_close(), null, {
      calendar: nyse,
      warn,
    });
    expect(warnings).toEqual([MISPLACED_TIME_RULE_WARNING, MISPLACED_TIME_RULE_WARNING]);
    expect(MISPLACED_TIME_RULE_WARNING).toBe(
      "Got a time rule for the second positional argument date_rule. You should use keyword " +
        "argument time_rule= when calling schedule_function without specifying a date_rule",
    );
    for (const day of ["2006-01-12", "2006-01-13"]) {
      expect(open.rule.triggerMinute(idx(day))).toBe(t(`${day}T14:31`));
      expect(close.rule.triggerMinute(idx(day))).toBe(t(`${day}T20:59`));
      // Daily bars are stamped 16:00: zipline's rule, evaluated there, does not fire.
      expect(close.rule.sessionMatches(idx(day))).toBe(false);
    }
    new ScheduledFunction(f, time_rules.market_open(), time_rules.market_close(), {
      calendar: nyse,
      warn,
    });
    expect(warnings).toHaveLength(2); // a time rule was given: no warning
  });

  test("an uncalled factory is an invalid rule with zipline's hint", () => {
    expect(() =>
      new ScheduledFunction(f, date_rules.month_start as never, null, { calendar: nyse })
    )
      .toThrow(new InvalidRuleError(date_rules.month_start, "month_start"));
    expect(() =>
      new ScheduledFunction(f, null, time_rules.every_minute as never, { calendar: nyse })
    )
      .toThrow("invalid rule: every_minute (hint: did you mean every_minute())");
    expect(() => new ScheduledFunction(f, "daily" as never, null, { calendar: nyse }))
      .toThrow('invalid rule: "daily"');
  });

  test("calendars: sentinels resolve; a calendar object is rejected", () => {
    const cmes = get_calendar("CMES");
    expect(resolveScheduleCalendar(undefined, cmes)).toBe(cmes);
    expect(resolveScheduleCalendar(calendars.US_EQUITIES, cmes)).toBe(nyse);
    expect(resolveScheduleCalendar(calendars.US_FUTURES, nyse)).toBe(get_calendar("us_futures"));
    expect(() => resolveScheduleCalendar(nyse, cmes)).toThrow(ScheduleFunctionInvalidCalendar);
    expect(() => resolveScheduleCalendar(nyse, cmes)).toThrow(
      "Invalid calendar 'XNYS' passed to schedule_function. " +
        "Allowed options are [calendars.US_EQUITIES, calendars.US_FUTURES].",
    );
  });
});
