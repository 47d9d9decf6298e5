/**
 * The parity suite: one strategy file, one engine, the same results in every mode. Each strategy
 * runs as a backtest and as a paper session replaying the bundle (the engine's simulated venue,
 * persisted, with a journal, ids reserved on disk and the risk gate), and the two must agree on
 * every perf column, recorded value, position, order and transaction. Two runs at once in one
 * process give what each gives alone; `analyze` runs at the end of every kind of run; a pipeline
 * is computed in a paper session as in a backtest.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { runLive } from "../../runtime/live/session.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { differences } from "./compare.ts";

let root: string;
const benchmark_file = fileURLToPath(
  new URL("../../bundles/data/zipline_examples/SPY_benchmark.csv", import.meta.url),
);
const strategyFile = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const load = async (path: string) => (await import(strategyFile(path))) as Strategy;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

interface Case {
  file: string;
  start: string;
  end: string;
  capital?: number;
  params?: Record<string, string>;
}

/** Every strategy of `strategies/`, and the kitchen sink (with and without EODCancel). */
const CASES: Case[] = [
  { file: "strategies/buyapple.ts", start: "2014-01-02", end: "2014-12-31" },
  { file: "strategies/buy_and_hold.ts", start: "2014-01-02", end: "2014-12-31" },
  { file: "strategies/dual_moving_average.ts", start: "2011-01-03", end: "2012-12-31" },
  { file: "strategies/dual_moving_average_explained.ts", start: "2012-01-03", end: "2012-12-31" },
  { file: "strategies/dual_ema_talib.ts", start: "2013-01-02", end: "2013-12-31" },
  { file: "strategies/olmar.ts", start: "2008-01-02", end: "2008-12-31" },
  {
    file: "strategies/momentum_pipeline.ts",
    start: "2013-10-07",
    end: "2013-11-30",
    capital: 100_000,
  },
  { file: "test/fixtures/strategies/kitchen_sink.ts", start: "2013-06-03", end: "2014-07-31" },
  {
    file: "test/fixtures/strategies/kitchen_sink.ts",
    start: "2013-06-03",
    end: "2014-07-31",
    params: { cancel: "eod" },
  },
];

function backtest(strategy: Strategy, c: Case): Promise<Results> {
  return run_algorithm({
    strategy,
    start: c.start,
    end: c.end,
    capital_base: c.capital ?? 1_000_000,
    params: c.params,
    benchmark_file,
    root,
  });
}

function paper(strategy: Strategy, c: Case): Promise<Results> {
  const dir = tempRoot("hv-parity-");
  return runLive({
    strategy,
    strategy_hash: "parity",
    bundle: "zipline-examples",
    start: c.start,
    end: c.end,
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    capital_base: c.capital ?? 1_000_000,
    params: c.params,
    benchmark_file,
    root,
  });
}

describe("parity: backtest and paper session", () => {
  for (const c of CASES) {
    const name = `${c.file.split("/").pop()}${c.params ? ` ${JSON.stringify(c.params)}` : ""}`;
    test(`${name} ${c.start}…${c.end}: every column, position, order and transaction`, async () => {
      const strategy = await load(c.file);
      const back = await backtest(strategy, c), live = await paper(strategy, c);
      expect(back.length).toBeGreaterThan(20);
      expect(back.orders.length, "a strategy that orders").toBeGreaterThan(0);
      expect(differences(live, back)).toEqual([]);
    });
  }

  test("the kitchen sink exercises what it is there for", async () => {
    const c = CASES[7], back = await backtest(await load(c.file), c);
    const statuses = new Set(back.orders.map((o) => o.status));
    expect(statuses).toEqual(new Set([0, 1, 2])); // open, filled, cancelled orders
    expect(back.orders.some((o) => o.limit !== null)).toBe(true);
    expect(back.orders.some((o) => o.stop !== null)).toBe(true);
    // DELL's auto-close: a transaction without an order, on its auto-close date.
    const close = back.transactions.find((t) => t.order_id === null)!;
    expect([close.symbol, new Date(close.date).toISOString().slice(0, 10)]).toEqual([
      "DELL",
      "2013-10-30",
    ]);
    // A split rescales a held position: CERN's on 2013-07-01, AAPL's on 2014-06-09.
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    const held = (sym: string, iso: string) =>
      back.positions.find((p) => p.symbol === sym && p.date === day(iso))?.amount;
    expect(held("CERN", "2013-07-01")).toBe(2 * held("CERN", "2013-06-28")!);
    expect(back.recorded.get("ranked")!.some((n) => typeof n === "number" && n > 0)).toBe(true);
  });
});

describe("one process, several runs", () => {
  test("two runs at once give what each gives alone", async () => {
    const a = CASES[7], b = CASES[2];
    const [sa, sb] = [await load(a.file), await load(b.file)];
    const aloneA = await backtest(sa, a), aloneB = await paper(sb, b);
    const [togetherA, togetherB] = await Promise.all([backtest(sa, a), paper(sb, b)]);
    expect(differences(togetherA, aloneA)).toEqual([]);
    expect(differences(togetherB, aloneB)).toEqual([]);
  });

  test("analyze runs at the end of a backtest and of a paper session, with the results", async () => {
    const seen: number[] = [];
    const strategy: Strategy = {
      ...(await load(CASES[0].file)),
      analyze: (_c, r) => {
        seen.push(r.length);
      },
    };
    const c = { ...CASES[0], end: "2014-02-28" };
    const back = await backtest(strategy, c), live = await paper(strategy, c);
    expect(seen).toEqual([back.length, live.length]);
    expect(back.length).toBe(40); // 2014-01-02…2014-02-28
  });
});
