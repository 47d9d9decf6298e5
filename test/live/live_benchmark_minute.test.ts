/**
 * Benchmark columns in live minute sessions and from the command line (issue #5): a live minute
 * session's return is the feed's close of the day over the bundle's previous close (adjusted as
 * the backtest adjusts it), and 0 with a warning when there is none; the CLI, config layers and
 * the journal's replay setup carry the choice. (Paper replays and restarts: live_benchmark.test.ts.)
 *
 * Data: the zipline example bundle (AAPL split 7:1 on 2014-06-09; MSFT closed at 40.400 on
 * 2014-04-30 and 40.000 on 2014-05-01). Minute sessions run on the in-process paper feed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import type { Bar } from "../../runtime/model/broker.ts";
import { benchmarkSettings, readConfigFile } from "../../runtime/config/live_config.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import type { BenchmarkChoice } from "../../runtime/live/live_benchmark.ts";
import { type JournalEntry, readJournal } from "../../runtime/live/journal.ts";
import { replayJournal } from "../../runtime/live/replay.ts";
import { readSetup } from "../../runtime/live/replay_setup.ts";
import { runLive } from "../../runtime/live/session.ts";
import { perfLogRows, warningsLog } from "./perf_helpers.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { FeedPaperBroker, simClock } from "./fed_paper_session.ts";

let root: string;
let buyapple: Strategy;
const buyapplePath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  buyapple = (await import(buyapplePath)) as Strategy;
});

/** The fed paper venue with a price per symbol (every bar flat at it). */
class PricedFeed extends FeedPaperBroker {
  private feedBar: (bar: Bar) => void = () => {};
  constructor(private readonly prices: Record<string, number>) {
    super();
  }
  override subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.feedBar = onBar;
    return Promise.resolve();
  }
  override push(minute: number, symbols: readonly string[]): void {
    const bars = symbols.map((symbol) => {
      const p = this.prices[symbol];
      return { symbol, time: minute, open: p, high: p, low: p, close: p, volume: 1_000_000 };
    });
    if (!bars.length) return;
    this.onBars(minute, bars);
    for (const b of bars) this.feedBar(b);
  }
}

/** Looks up AAPL and does nothing else. */
const idle: Strategy = {
  initialize: async (c) => {
    c.asset = await c.symbol("AAPL");
  },
};

interface MinuteBenchRun extends BenchmarkChoice {
  start: string;
  end: string;
  /** Each fed symbol's price (every minute). */
  prices: Record<string, number>;
}

/** A live minute session on the fed paper venue subscribing AAPL (plus the benchmark's asset). */
async function minuteRun(r: MinuteBenchRun) {
  const dir = tempRoot("hv-live-bench-minute-");
  const broker = new PricedFeed(r.prices);
  const clock = simClock(Date.parse(r.start), (m) => broker.push(m, Object.keys(r.prices)));
  const w = warningsLog();
  const results = await runLive({
    strategy: idle,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: r.start,
    end: r.start,
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    capital_base: 1_000_000,
    root,
    broker,
    live: { end: Date.parse(r.end), universe: ["AAPL"], bar_grace_ms: 1 },
    now: clock.now,
    sleep: clock.sleep,
    log: w.log,
    benchmark_symbol: r.benchmark_symbol,
    benchmark_file: r.benchmark_file,
    no_benchmark: r.no_benchmark,
  });
  return { results, journal: readJournal(join(dir, "j.jsonl")), ...w, perfLog: perfLogRows(dir) };
}

const of = (j: JournalEntry[], type: string) => j.filter((e) => e.type === type);

/** The backtest's benchmark return of one session. */
async function backtestBenchmark(day: string, symbol: string): Promise<number> {
  const r = await run_algorithm({
    strategy: idle,
    start: day,
    end: day,
    root,
    benchmark_symbol: symbol,
  });
  return r.benchmark_returns[0];
}

describe("live minute session: the day's benchmark return at its end", () => {
  test("the feed's close over the bundle's previous close; the asset is subscribed", async () => {
    // MSFT's bundle close that day, fed as the live close: the backtest's return of the day.
    const run = await minuteRun({
      start: "2014-05-01T19:50:00Z",
      end: "2014-05-01T20:00:00Z",
      prices: { AAPL: 590, MSFT: 40 },
      benchmark_symbol: "MSFT",
    });
    expect(of(run.journal, "subscribed")[0].symbols).toEqual(["AAPL", "MSFT"]);
    const expected = 40 / 40.4 - 1;
    expect(run.results.length).toBe(1);
    expect(run.results.benchmark_returns[0]).toBeCloseTo(expected, 12);
    expect(run.results.benchmark_returns[0]).toBeCloseTo(
      await backtestBenchmark("2014-05-01", "MSFT"),
      12,
    );
    expect(run.results.perf.benchmark_period_return[0]).toBeCloseTo(expected, 12);
    expect(run.perfLog.map((r) => r.benchmark)).toEqual([run.results.benchmark_returns[0]]);
    expect(run.events).not.toContain("benchmark_missing");
    expect(of(run.journal, "benchmark_missing")).toEqual([]);
  });

  test("the previous close is adjusted for a split that day, as the backtest adjusts it", async () => {
    // AAPL split 7:1 on 2014-06-09: 645.57 the day before, 93.699 (the bundle's close) that day.
    const run = await minuteRun({
      start: "2014-06-09T19:50:00Z",
      end: "2014-06-09T20:00:00Z",
      prices: { AAPL: 93.699 },
      benchmark_symbol: "AAPL",
    });
    const r = run.results.benchmark_returns[0];
    expect(Math.abs(r)).toBeLessThan(0.05); // unadjusted, it would be -85%
    expect(r).toBeCloseTo(await backtestBenchmark("2014-06-09", "AAPL"), 12);
  });

  test("no price of the benchmark from the feed: 0 and a warning, the session completes", async () => {
    const run = await minuteRun({
      start: "2014-05-01T19:50:00Z",
      end: "2014-05-01T20:00:00Z",
      prices: { AAPL: 590 },
      benchmark_symbol: "MSFT",
    });
    expect(run.results.length).toBe(1);
    expect(run.results.benchmark_returns[0]).toBe(0);
    expect(run.results.perf.benchmark_period_return[0]).toBe(0);
    expect(run.messages.join("\n")).toMatch(
      /no benchmark return for 2014-05-01: no price of MSFT from the feed today; 0 is used/,
    );
    expect(of(run.journal, "benchmark_missing")).toMatchObject([{ session: "2014-05-01" }]);
    expect(of(run.journal, "session_end")).toHaveLength(1);
  });

  test("a benchmark file covering today gives its return; one without today: 0 and a warning", async () => {
    const dir = tempRoot("hv-bench-file-");
    const covering = join(dir, "today.csv"), stale = join(dir, "stale.csv");
    writeFileSync(covering, "date,return\n2014-04-30,0.5\n2014-05-01,0.0123\n");
    writeFileSync(stale, "date,return\n2014-04-30,0.5\n");
    const base = {
      start: "2014-05-01T19:55:00Z",
      end: "2014-05-01T20:00:00Z",
      prices: { AAPL: 590 },
    };
    const a = await minuteRun({ ...base, benchmark_file: covering });
    expect(a.results.benchmark_returns[0]).toBe(0.0123);
    expect(of(a.journal, "subscribed")[0].symbols).toEqual(["AAPL"]);
    const b = await minuteRun({ ...base, benchmark_file: stale });
    expect(b.results.benchmark_returns[0]).toBe(0);
    expect(b.events).toContain("benchmark_missing");
  });

  test("no benchmark over two sessions: one notice, zeros", async () => {
    const run = await minuteRun({
      start: "2014-05-01T19:55:00Z",
      end: "2014-05-02T13:33:00Z",
      prices: { AAPL: 590 },
    });
    expect(run.results.length).toBe(2);
    expect([...run.results.benchmark_returns]).toEqual([0, 0]);
    expect(run.events.filter((e) => e === "no_benchmark")).toHaveLength(1);
    expect(run.events).not.toContain("benchmark_missing");
  });
});

describe("CLI, config and replay", () => {
  function cli(args: string[]) {
    return new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "runtime/cli/main.ts", ...args],
      env: { HARVESTER_ROOT: root },
      stdout: "piped",
      stderr: "piped",
    });
  }

  test("harvester live --benchmark-symbol writes the backtest's perf table; replay uses it", async () => {
    const dir = tempRoot("hv-live-bench-cli-");
    const range = ["2014-01-01", "2014-03-31"];
    const live = await cli([
      "live",
      buyapplePath,
      "--feed",
      "bundle:zipline-examples",
      "--start",
      range[0],
      "--end",
      range[1],
      "--state-file",
      join(dir, "s.json"),
      "--benchmark-symbol",
      "MSFT",
      "-o",
      join(dir, "live.csv"),
    ]).output();
    expect(live.code, new TextDecoder().decode(live.stderr)).toBe(0);
    const back = await cli([
      "backtest",
      buyapplePath,
      "-s",
      range[0],
      "-e",
      range[1],
      "--benchmark-symbol",
      "MSFT",
      "-o",
      join(dir, "back.csv"),
    ]).output();
    expect(back.code, new TextDecoder().decode(back.stderr)).toBe(0);
    const table = (f: string) => {
      const rows = readFileSync(join(dir, f), "utf8").trim().split("\n").map((l) => l.split(","));
      const skip = rows[0].indexOf("orders_count");
      return rows.map((r) => r.filter((_, i) => i !== skip));
    };
    const a = table("live.csv"), b = table("back.csv");
    expect(a[0]).toContain("benchmark_period_return");
    expect(a).toEqual(b);
    const bpr = a[0].indexOf("benchmark_period_return");
    expect(Number(a.at(-1)![bpr])).not.toBe(0);

    const journal = join(dir, "s.json.journal.jsonl");
    const started = readJournal(journal).find((e) => e.type === "session_started")!;
    expect(readSetup(started, journal, 1)).toMatchObject({ benchmark_symbol: "MSFT" });
    const report = await replayJournal(journal, buyapple, { root });
    expect(report.same).toBe(true);
    expect(report.recorded).toBeGreaterThan(0);
  });

  test("config and environment carry the benchmark; the highest layer that sets one wins", async () => {
    const dir = tempRoot("hv-live-bench-cfg-");
    writeFileSync(join(dir, "live.yaml"), "benchmark_symbol: MSFT\nno_benchmark: false\n");
    const file = await readConfigFile(join(dir, "live.yaml"));
    expect(benchmarkSettings({}, file, {})).toEqual({ benchmark_symbol: "MSFT" });
    expect(benchmarkSettings({ no_benchmark: true }, file)).toEqual({ no_benchmark: true });
    expect(benchmarkSettings({}, {}, { benchmark_file: "b.csv" })).toEqual({
      benchmark_file: "b.csv",
    });
    expect(() => benchmarkSettings({ benchmark_symbol: "MSFT", benchmark_file: "b.csv" })).toThrow(
      /benchmark_symbol, benchmark_file: choose one/,
    );
  });

  test("a journal setup with a malformed benchmark is refused, naming the line", () => {
    const started = {
      ts: "",
      type: "session_started",
      setup: { bundle: "b", benchmark_symbol: 3 },
    };
    expect(() => readSetup(started, "j.jsonl", 4)).toThrow(/j\.jsonl:4: .*setup\.benchmark_symbol/);
  });
});
