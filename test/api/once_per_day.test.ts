/**
 * Scheduled functions in daily mode, as zipline-reloaded runs them (issue 21, rule 2):
 * - `algorithm.py` `schedule_function`: in daily mode the time rule is replaced by
 *   `time_rules.every_minute()`;
 * - `algorithm.py` `_create_clock`: a daily bar is stamped with the session's close;
 * - `utils/events.py` `OncePerDay.should_trigger`: the state starts afresh at the first bar with
 *   `dt >= next_date`, where `next_date = dt + 1 day` of the bar where it last did, and the rule
 *   fires at most once in between.
 * So an every-day function that ran at a 16:00 close does not run at the next day's 13:00 early
 * close (21 hours later), but does at an early close after a holiday or a weekend.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { date_rules, ScheduledFunction, time_rules } from "../../runtime/api/scheduling.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";

const nyse = get_calendar("XNYS");
const day = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const idx = (s: string) => nyse.session_index(day(s));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const f = () => undefined;

/** The early closes of 2010–2013, and whether the previous close is less than 24 h before. */
const EARLY = nyse.early_closes(day("2010-01-01"), day("2013-12-31"));
const SKIPPED = ["2012-07-03", "2013-07-03", "2013-12-24"];

let root: string;
beforeAll(() => {
  root = tempRoot();
});

describe("OncePerDay in daily mode", () => {
  test("the early closes of 2010–2013 and the ones less than 24 h after the previous close", () => {
    expect(Array.from(EARLY, iso)).toEqual([
      "2010-11-26",
      "2011-11-25",
      "2012-07-03",
      "2012-11-23",
      "2012-12-24",
      "2013-07-03",
      "2013-11-29",
      "2013-12-24",
    ]);
    const soon = Array.from(EARLY).filter((s) =>
      nyse.session_close(s) - nyse.session_close(nyse.previous_session(s)) < 86_400_000
    );
    expect(soon.map(iso)).toEqual(SKIPPED);
  });

  test("an every-day rule does not fire at an early close 21 h after a close where it fired", () => {
    const fn = new ScheduledFunction(f, date_rules.every_day(), time_rules.market_open(), {
      calendar: nyse,
      run_start: day("2010-01-04"),
    });
    const sessions = nyse.sessions_in_range(day("2010-01-04"), day("2013-12-31"));
    const missed = Array.from(sessions).filter((s) => !fn.rule.sessionMatches(idx(iso(s))));
    expect(missed.map(iso)).toEqual(SKIPPED);
    // Minute mode: each session's first minute is 24 h after the previous one's, so the state
    // starts afresh there and the function runs at its minute on every session.
    expect(fn.rule.triggerMinute(idx("2013-07-03"))).toBe(Date.UTC(2013, 6, 3, 13, 31));
  });

  test("on the run's first session OncePerDay has no state: it fires even at such an early close", () => {
    const fn = new ScheduledFunction(f, date_rules.every_day(), null, {
      calendar: nyse,
      run_start: day("2013-07-03"),
    });
    expect(fn.rule.sessionMatches(idx("2013-07-03"))).toBe(true);
    expect(fn.rule.sessionMatches(idx("2013-07-05"))).toBe(true);
    const later = new ScheduledFunction(f, date_rules.every_day(), null, {
      calendar: nyse,
      run_start: day("2013-07-02"),
    });
    expect(later.rule.sessionMatches(idx("2013-07-03"))).toBe(false);
  });

  test("a rule that did not fire on the previous day fires at the early close", () => {
    // week_start(1) is Tuesday 2013-12-24; Monday's bar reset the state but did not fire.
    const fn = new ScheduledFunction(f, date_rules.week_start({ days_offset: 1 }), null, {
      calendar: nyse,
      run_start: day("2013-12-02"),
    });
    expect(fn.rule.sessionMatches(idx("2013-12-24"))).toBe(true);
    // With half_days false (zipline's NotHalfDay) an every-day rule never fires on an early
    // close, and the next session's bar, 3 days later, fires.
    const noHalf = new ScheduledFunction(f, date_rules.every_day(), null, {
      calendar: nyse,
      half_days: false,
      run_start: day("2013-01-02"),
    });
    expect(noHalf.rule.sessionMatches(idx("2013-11-29"))).toBe(false);
    expect(noHalf.rule.sessionMatches(idx("2013-12-02"))).toBe(true);
  });

  test("a backtest's every-day rebalance skips 2012-07-03, 2013-07-03 and 2013-12-24, and trades less", async () => {
    const strategy = await import(
      fileURLToPath(
        new URL("../fixtures/strategies/zipline_rules/every_day_scheduled.ts", import.meta.url),
      )
    ) as Strategy;
    const r = await run_algorithm({
      strategy,
      start: "2010-01-04",
      end: "2013-12-31",
      root,
      no_benchmark: true,
    });
    const dates = Array.from(r.sessions, iso);
    const ran = r.recorded.get("ran")!;
    const missed = dates.filter((d, i) => ran[i] !== d);
    expect(missed).toEqual(SKIPPED);
    expect(r.recorded.get("runs")!.at(-1)).toBe(dates.length - SKIPPED.length);
    // No order on the days it did not run: each of them follows a day that placed two.
    const createdOn = (d: string) => r.orders.filter((o) => iso(o.created) === d).length;
    for (const d of SKIPPED) {
      expect(createdOn(iso(nyse.previous_session(day(d))))).toBeGreaterThan(0);
      expect(createdOn(d)).toBe(0);
    }
  });
});
