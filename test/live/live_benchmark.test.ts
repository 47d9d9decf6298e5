/**
 * Benchmark columns in live and paper sessions (issue #5): a paper replay of a bundle with a
 * benchmark symbol, a benchmark file or the strategy's `set_benchmark` ends with the backtest's
 * perf rows, benchmark columns included; a restart continues with the benchmark returns its perf
 * log holds; a live minute session's return is the feed's close of the day over the bundle's
 * previous close (adjusted as the backtest adjusts it), and 0 with a warning when there is none;
 * the CLI, config layers and the journal's replay setup carry the choice.
 *
 * Data: the zipline example bundle shipped in bundles/data/zipline_examples (AAPL split 7:1 on
 * 2014-06-09; MSFT closed at 40.400 on 2014-04-30 and 40.000 on 2014-05-01) and its
 * SPY_benchmark.csv. Minute sessions run on the in-process paper feed (fed_paper_session.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import type { Bar } from "../../runtime/brokers/broker.ts";
import { benchmarkSettings, readConfigFile } from "../../runtime/config/live_config.ts";
import type { Logger } from "../../runtime/engine/log.ts";
import type { Results } from "../../runtime/engine/results.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import type { BenchmarkChoice } from "../../runtime/live/live_benchmark.ts";
import { type JournalEntry, readJournal } from "../../runtime/live/journal.ts";
import { replayJournal } from "../../runtime/live/replay.ts";
import { readSetup } from "../../runtime/live/replay_setup.ts";
import { runLive } from "../../runtime/live/session.ts";
import { PERF_COLUMNS } from "../../runtime/metrics/perf.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { FeedPaperBroker, simClock } from "./fed_paper_session.ts";

let root: string;
let buyapple: Strategy;
const buyapplePath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
const SPY_FILE = join(ZIPLINE_EXAMPLES_DIR, "SPY_benchmark.csv");

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  buyapple = (await import(buyapplePath)) as Strategy;
});

/** buyapple with `set_benchmark(MSFT)` in initialize. */
const buyappleVsMsft = (): Strategy => ({
  ...buyapple,
  initialize: async (c) => {
    await buyapple.initialize!(c);
    c.set_benchmark(await c.symbol("MSFT"));
  },
});

/** Every perf column (orders_count aside: same orders, listed at other moments) that differs. */
function samePerf(a: Results, b: Results): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`rows ${a.length} vs ${b.length}`);
  for (const c of PERF_COLUMNS) {
    if (c === "orders_count") continue;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a.perf[c][i], y = b.perf[c][i];
      if (!(x === y || (Number.isNaN(x) && Number.isNaN(y)))) out.push(`${c}[${i}]: ${x} vs ${y}`);
    }
  }
  return out;
}

/** A logger keeping the warnings' events and messages. */
function warningsLog() {
  const events: string[] = [], messages: string[] = [];
  const log: Logger = {
    info() {},
    warn: (e, f) => {
      events.push(e);
      messages.push(String(f?.message));
    },
  };
  return { log, events, messages };
}

/** A paper replay of zipline-examples in `dir` (a second call there is a restart). */
function paper(
  dir: string,
  strategy: Strategy,
  start: string,
  end: string,
  bench: BenchmarkChoice = {},
  log?: Logger,
): Promise<Results> {
  return runLive({
    strategy,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start,
    end,
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    root,
    log,
    ...bench,
  });
}

const perfLogRows = (dir: string) =>
  readFileSync(join(dir, "s.json.perf.jsonl"), "utf8").split("\n").filter(Boolean)
    .map((l) => JSON.parse(l) as { benchmark: number });

describe("paper replay: the backtest's benchmark columns", () => {
  const start = "2014-01-01", end = "2014-11-01";

  test("--benchmark-symbol: the same perf rows as the backtest, benchmark columns included", async () => {
    const back = await run_algorithm({
      strategy: buyapple,
      start,
      end,
      root,
      benchmark_symbol: "MSFT",
    });
    const dir = tempRoot("hv-live-bench-");
    const live = await paper(dir, buyapple, start, end, { benchmark_symbol: "MSFT" });
    expect(samePerf(live, back).slice(0, 5)).toEqual([]);
    expect([...live.benchmark_returns]).toEqual([...back.benchmark_returns]);
    // A real benchmark, not zeros on both sides.
    expect(back.benchmark_returns.filter((r) => r !== 0).length).toBeGreaterThan(100);
    expect(back.perf.beta.at(-1)).not.toBe(0);
    expect(Number.isFinite(back.perf.alpha.at(-1)!)).toBe(true);
    // The perf log keeps each row's benchmark return.
    expect(perfLogRows(dir).map((r) => r.benchmark)).toEqual([...back.benchmark_returns]);
  });

  test("--benchmark-file: the same perf rows as the backtest with that file", async () => {
    const back = await run_algorithm({
      strategy: buyapple,
      start,
      end,
      root,
      benchmark_file: SPY_FILE,
    });
    const live = await paper(tempRoot("hv-live-bench-"), buyapple, start, end, {
      benchmark_file: SPY_FILE,
    });
    expect(samePerf(live, back).slice(0, 5)).toEqual([]);
    expect([...live.benchmark_returns]).toEqual([...back.benchmark_returns]);
    expect(back.benchmark_returns[0]).not.toBe(0);
  });

  test("set_benchmark in the strategy is used; --no-benchmark overrides it quietly", async () => {
    const strategy = buyappleVsMsft();
    const back = await run_algorithm({ strategy, start, end: "2014-03-31", root });
    const w = warningsLog();
    const live = await paper(tempRoot("hv-live-bench-"), strategy, start, "2014-03-31", {}, w.log);
    expect(samePerf(live, back)).toEqual([]);
    const msft = await run_algorithm({
      strategy: buyapple,
      start,
      end: "2014-03-31",
      root,
      benchmark_symbol: "MSFT",
    });
    expect([...live.benchmark_returns]).toEqual([...msft.benchmark_returns]);
    expect(w.events).not.toContain("no_benchmark");

    const quiet = warningsLog();
    const none = await paper(tempRoot("hv-live-bench-"), strategy, start, "2014-01-31", {
      no_benchmark: true,
    }, quiet.log);
    expect(none.benchmark_returns.every((r) => r === 0)).toBe(true);
    expect(quiet.events).not.toContain("no_benchmark");
  });

  test("no benchmark at all: zeros and one notice, never a failure", async () => {
    const w = warningsLog();
    const live = await paper(tempRoot("hv-live-bench-"), buyapple, start, "2014-01-31", {}, w.log);
    expect(live.length).toBe(21);
    expect(live.benchmark_returns.every((r) => r === 0)).toBe(true);
    expect(w.events.filter((e) => e === "no_benchmark")).toHaveLength(1);
    expect(w.messages.join("\n")).toContain("--benchmark-symbol");
  });

  test("a benchmark file missing a session fails at the start, naming it and --no-benchmark", async () => {
    const file = join(tempRoot("hv-bench-file-"), "short.csv");
    writeFileSync(file, "date,return\n2014-01-02,0.01\n");
    await expect(paper(tempRoot("hv-live-bench-"), buyapple, start, "2014-01-10", {
      benchmark_file: file,
    })).rejects.toThrow(/no return for 2014-01-03; use --no-benchmark/);
  });
});

describe("restarts keep the benchmark", () => {
  test("a restart mid-run ends with the uninterrupted run's rows, benchmark columns included", async () => {
    const bench = { benchmark_symbol: "MSFT" };
    const once = await paper(
      tempRoot("hv-live-bench-"),
      buyapple,
      "2014-01-02",
      "2014-06-30",
      bench,
    );
    const dir = tempRoot("hv-live-bench-");
    await paper(dir, buyapple, "2014-01-02", "2014-03-31", bench);
    const resumed = await paper(dir, buyapple, "2014-01-02", "2014-06-30", bench);
    expect(samePerf(resumed, once)).toEqual([]);
    expect([...resumed.benchmark_returns]).toEqual([...once.benchmark_returns]);
    expect(perfLogRows(dir).map((r) => r.benchmark)).toEqual([...once.benchmark_returns]);
  });

  test("restored sessions' returns are the perf log's, not recomputed", async () => {
    const bench = { benchmark_symbol: "MSFT" };
    const once = await paper(
      tempRoot("hv-live-bench-"),
      buyapple,
      "2014-01-02",
      "2014-03-31",
      bench,
    );
    const dir = tempRoot("hv-live-bench-");
    const first = await paper(dir, buyapple, "2014-01-02", "2014-01-31", bench);
    // The log says these rows were made with a return of 0.5 a day (as if another benchmark).
    const log = join(dir, "s.json.perf.jsonl");
    writeFileSync(
      log,
      readFileSync(log, "utf8").split("\n").filter(Boolean)
        .map((l) => JSON.stringify({ ...JSON.parse(l), benchmark: 0.5 })).join("\n") + "\n",
    );
    const resumed = await paper(dir, buyapple, "2014-01-02", "2014-03-31", bench);
    const k = first.length;
    expect([...resumed.benchmark_returns.slice(0, k)]).toEqual(Array(k).fill(0.5));
    expect([...resumed.benchmark_returns.slice(k)]).toEqual([...once.benchmark_returns.slice(k)]);
    expect(perfLogRows(dir).map((r) => r.benchmark).slice(0, k)).toEqual(Array(k).fill(0.5));
    // Later rows' benchmark statistics continue from the restored returns.
    expect(resumed.perf.benchmark_period_return[k]).toBeGreaterThan(1);
  });
});

/** The fed paper venue with a price per symbol (every bar flat at it). */
class PricedFeed extends FeedPaperBroker {
  private onBar: (bar: Bar) => void = () => {};
  constructor(private readonly prices: Record<string, number>) {
    super();
  }
  override subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.onBar = onBar;
    return Promise.resolve();
  }
  override push(minute: number, symbols: readonly string[]): void {
    const bars = symbols.map((symbol) => {
      const p = this.prices[symbol];
      return { symbol, time: minute, open: p, high: p, low: p, close: p, volume: 1_000_000 };
    });
    if (!bars.length) return;
    this.onBars(minute, bars);
    for (const b of bars) this.onBar(b);
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
