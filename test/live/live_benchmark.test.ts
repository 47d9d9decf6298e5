/**
 * Benchmark columns in paper sessions (issue #5): a paper replay of a bundle with a benchmark
 * symbol, a benchmark file or the strategy's `set_benchmark` ends with the backtest's perf rows,
 * benchmark columns included, and a restart continues with the benchmark returns its perf log
 * holds. (Live minute sessions and the CLI: live_benchmark_minute.test.ts.)
 *
 * Data: the zipline example bundle shipped in bundles/data/zipline_examples and its
 * SPY_benchmark.csv.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import type { Logger } from "../../runtime/log.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import type { BenchmarkChoice } from "../../runtime/live/live_benchmark.ts";
import { runLive } from "../../runtime/live/session.ts";
import { perfLogRows, samePerf, warningsLog } from "./perf_helpers.ts";
import { tempRoot } from "../bundles/helpers.ts";

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
    // An asset benchmark is adjusted as of the run's last session (zipline's rule, issue 21):
    // the longer run ends before MSFT's next ex-date (2014-05-13), so the rows the shorter run
    // logged were adjusted as the uninterrupted run adjusts them.
    const once = await paper(
      tempRoot("hv-live-bench-"),
      buyapple,
      "2014-01-02",
      "2014-05-12",
      bench,
    );
    const dir = tempRoot("hv-live-bench-");
    await paper(dir, buyapple, "2014-01-02", "2014-03-31", bench);
    const resumed = await paper(dir, buyapple, "2014-01-02", "2014-05-12", bench);
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
