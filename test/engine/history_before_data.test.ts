/**
 * History windows that reach before the data (issue 21, rule 3), as zipline-reloaded's
 * `data/data_portal.py` treats them:
 * - `_get_days_for_window`: a daily window whose first session comes before the first trading
 *   day (`start_loc < self._first_trading_day_loc`) raises `HistoryWindowStartsBeforeData`; one
 *   that starts on it does not;
 * - `_get_history_minute_window`: likewise a minute window starting before the first minute;
 * - a window that starts on or after the first day but before an asset's own first bar is not an
 *   error: the asset's values there are missing (NaN; `price` has nothing to forward-fill).
 * Harvester's first day is the bundle's first session; `history_before_data: "nan"` pads instead.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm, type RunOptions } from "../../runtime/engine/run_algorithm.ts";
import { HistoryWindowStartsBeforeData } from "../../runtime/portal/history_start.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";
import { cli } from "../cli/helpers.ts";

let root: string;
let strategy: Strategy;
const cal = get_calendar("XNYS");
const D = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));

beforeAll(async () => {
  root = tempRoot();
  strategy = await import(
    fileURLToPath(
      new URL("../fixtures/strategies/zipline_rules/history_before_data.ts", import.meta.url),
    )
  ) as Strategy;
  // Minute bars for 2024-07-01 and 07-02 (AAA), and daily bars from 07-01 (AAA) and 07-03 (LATE).
  const minute = ["date,open,high,low,close,volume"];
  for (const s of cal.sessions_in_range(D("2024-07-01"), D("2024-07-02"))) {
    for (const m of cal.session_minutes(s)) {
      minute.push(`${new Date(m).toISOString().slice(0, 19).replace("T", " ")},10,10,10,10,100`);
    }
  }
  register(
    "before-minute",
    csvdir_equities({ csvdir: csvFolder({ "AAA.csv": minute.join("\n") }, "minute") }),
    { calendar_name: "XNYS" },
  );
  const daily = (from: string) =>
    ["date,open,high,low,close,volume"].concat(
      Array.from(cal.sessions_in_range(D(from), D("2024-07-12")), (s) =>
        `${new Date(s).toISOString().slice(0, 10)},10,10,10,10,100`),
    ).join("\n");
  register(
    "before-daily",
    csvdir_equities({
      csvdir: csvFolder({ "AAA.csv": daily("2024-07-01"), "LATE.csv": daily("2024-07-03") }),
    }),
    { calendar_name: "XNYS" },
  );
  await ingest("before-minute", { root });
  await ingest("before-daily", { root });
});

const run = (start: string, extra: Partial<RunOptions> = {}) =>
  run_algorithm({
    strategy,
    start,
    end: "2004-02-06",
    root,
    no_benchmark: true,
    ...extra,
  });

describe("a history window that reaches before the bundle's first session", () => {
  test("zipline-examples starts 2004-01-02: 20 bars ending 2004-01-29 raise, ending 2004-01-30 fit", async () => {
    // 2004-01-30 is the 20th session from 2004-01-02 (MLK Day, 01-19, is a holiday).
    expect(cal.sessions_in_range(D("2004-01-02"), D("2004-01-30")).length).toBe(20);
    const err = await run("2004-01-29").catch((e) => e);
    expect(err).toBeInstanceOf(HistoryWindowStartsBeforeData);
    expect(err).toMatchObject({
      bar_count: 20,
      frequency: "1d",
      end: D("2004-01-29"),
      first: D("2004-01-02"),
      suggested_start: D("2004-01-30"),
    });
    expect(err.message).toBe(
      'data.history: a window of 20 "1d" bars ending 2004-01-29 starts before the bundle\'s ' +
        "first session, 2004-01-02; start the backtest on or after 2004-01-30, ask for fewer " +
        'bars, or set history_before_data to "nan" to pad the window with NaN',
    );
    const ok = await run("2004-01-30");
    expect(ok.recorded.get("first")![0]).not.toBeNaN(); // the window starts on 2004-01-02
  });

  test('history_before_data: "nan" pads the missing sessions with NaN', async () => {
    const r = await run("2004-01-02", { history_before_data: "nan" });
    const first = r.recorded.get("first")!;
    expect(first.slice(0, 19).every((x) => Number.isNaN(x))).toBe(true);
    expect(first[19]).not.toBeNaN();
    await expect(run("2004-01-02", { history_before_data: "zero" as never })).rejects.toThrow(
      /history_before_data: expected "raise" or "nan"/,
    );
  });

  test("a window inside the bundle that starts before an asset's first bar is NaN, not an error", async () => {
    const r = await run_algorithm({
      strategy,
      start: "2024-07-08",
      end: "2024-07-08",
      bundle: "before-daily",
      root,
      no_benchmark: true,
      params: { bars: "5", symbol: "LATE" },
    });
    // 07-01, 07-02 precede LATE's first bar (07-03); the bundle starts 07-01.
    expect(r.recorded.get("first")).toEqual([NaN]);
    await expect(run_algorithm({
      strategy,
      start: "2024-07-08",
      end: "2024-07-08",
      bundle: "before-daily",
      root,
      no_benchmark: true,
      params: { bars: "6", symbol: "LATE" },
    })).rejects.toThrow(HistoryWindowStartsBeforeData);
  });

  test("minute mode: a minute window reaching before the first minute raises", async () => {
    const minuteWindow = (bars: number, at: number): Strategy => ({
      initialize: async (c) => {
        c.a = await c.symbol("AAA");
      },
      handle_data: async (c, data) => {
        if (data.current_dt.getTime() === at) await data.history(c.a, "price", bars, "1m");
      },
    });
    const go = (bars: number, at: number) =>
      run_algorithm({
        strategy: minuteWindow(bars, at),
        start: "2024-07-01",
        end: "2024-07-02",
        bundle: "before-minute",
        data_frequency: "minute",
        root,
        no_benchmark: true,
      });
    // The 10th minute of 07-02 has 390 + 10 minutes behind it, the 9th 399.
    const tenth = Date.UTC(2024, 6, 2, 13, 40), ninth = Date.UTC(2024, 6, 2, 13, 39);
    await expect(go(400, tenth)).resolves.toBeDefined();
    const err = await go(400, ninth).catch((e) => e);
    expect(err).toBeInstanceOf(HistoryWindowStartsBeforeData);
    expect(err).toMatchObject({
      frequency: "1m",
      end: ninth,
      first: Date.UTC(2024, 6, 1, 13, 31),
      suggested_start: D("2024-07-02"),
    });
  });

  test("the CLI: one line naming the window, and --history-before-data nan", async () => {
    const file = "test/fixtures/strategies/zipline_rules/history_before_data.ts";
    const args = ["backtest", file, "-s", "2004-01-02", "-e", "2004-01-09", "--no-benchmark"];
    const env = { HARVESTER_ROOT: root };
    const failed = await cli(args, env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/a window of 20 "1d" bars ending 2004-01-02 starts before/);
    const padded = await cli([...args, "--history-before-data", "nan", "--no-summary"], env);
    expect(padded.code, padded.stderr).toBe(0);
    const bad = await cli([...args, "--history-before-data", "zero"], env);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      'harvester backtest: --history-before-data: "zero" is not raise or nan',
    ]);
  });
});
