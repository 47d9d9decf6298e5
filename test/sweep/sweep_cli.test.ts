/**
 * `harvester sweep` as a process: a 2×2 grid gives four rows, each equal to the matching
 * `harvester backtest -D …` run with the same flags; the table in CSV, Parquet and Arrow.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, readCsv } from "./helpers.ts";

const STRATEGY = "strategies/dual_moving_average_explained.ts";
const FLAGS = [
  "-s",
  "2010-01-01",
  "-e",
  "2011-06-30",
  "--capital-base",
  "2000000",
  "--benchmark-file",
  "bundles/data/zipline_examples/SPY_benchmark.csv",
];

describe("harvester sweep: a 2×2 grid", () => {
  const root = tempRoot(), out = tempRoot("hv-sweep-out-");
  const env = { HARVESTER_ROOT: root };
  let rows: Record<string, string>[];

  beforeAll(async () => {
    const r = await harvester([
      "sweep",
      STRATEGY,
      ...FLAGS,
      "--grid",
      "short=5,10",
      "--grid",
      "long=20,40",
      "--workers",
      "2",
      "-o",
      join(out, "sweep.csv"),
    ], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 cells \(0 from the cache, 0 failed\)/);
    rows = readCsv(join(out, "sweep.csv"));
  }, 180_000);

  test("one row per combination, parameter columns first, in the grid's order", () => {
    expect(Object.keys(rows[0])).toEqual([
      "short",
      "long",
      "portfolio_value",
      "algorithm_period_return",
      "annual_return",
      "sharpe",
      "sortino",
      "max_drawdown",
      "annual_volatility",
      "transactions",
      "wall_time_s",
    ]);
    expect(rows.map((r) => `${r.short}/${r.long}`)).toEqual(["5/20", "5/40", "10/20", "10/40"]);
    expect(new Set(rows.map((r) => r.portfolio_value)).size).toBe(4);
  });

  test("each row equals the backtest run with -D", async () => {
    const runs = await Promise.all(rows.map(async (row, i) => {
      const file = join(out, `bt${i}.csv`);
      const r = await harvester([
        "backtest",
        STRATEGY,
        ...FLAGS,
        "-D",
        `short=${row.short}`,
        "-D",
        `long=${row.long}`,
        "-o",
        file,
      ], env);
      expect(r.code, r.stderr).toBe(0);
      return {
        row,
        perf: readCsv(file),
        fills: readCsv(join(out, `bt${i}_transactions.csv`)),
        stdout: r.stdout,
      };
    }));
    for (const { row, perf, fills, stdout } of runs) {
      const last = perf[perf.length - 1];
      // The numbers as the backtest's perf table writes them, digit for digit.
      expect(row.portfolio_value).toBe(last.portfolio_value);
      expect(row.algorithm_period_return).toBe(last.algorithm_period_return);
      expect(row.sharpe).toBe(last.sharpe);
      expect(row.sortino).toBe(last.sortino);
      expect(row.max_drawdown).toBe(last.max_drawdown);
      expect(row.annual_volatility).toBe(last.algo_volatility);
      expect(Number(row.transactions)).toBe(fills.length);
      // The annual return is the summary's CAGR.
      const cagr = /CAGR\s+(-?[\d.]+)%/.exec(stdout)![1];
      expect((Number(row.annual_return) * 100).toFixed(2)).toBe(cagr);
    }
  }, 180_000);

  test(
    "a second run reads every cell from the cache; Parquet and Arrow hold the same table",
    async () => {
      const again = await harvester([
        "sweep",
        STRATEGY,
        ...FLAGS,
        "--grid",
        "short=5,10",
        "--grid",
        "long=20,40",
        "--sort",
        "sharpe",
        "-o",
        join(out, "sweep.arrow"),
      ], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/4 cells \(4 from the cache, 0 failed\)/);
      const arrow = await import("apache-arrow");
      const table = arrow.tableFromIPC(readFileSync(join(out, "sweep.arrow")));
      const sharpe = table.getChild("sharpe")!.toArray() as Float64Array;
      // Ranked: best first.
      expect([...sharpe]).toEqual([...sharpe].sort((a, b) => b - a));
      expect(rows.map((r) => Number(r.sharpe)).sort((a, b) => b - a)).toEqual([...sharpe]);
      expect(table.getChild("short")!.toArray().length).toBe(4);

      const pq = await harvester([
        "sweep",
        STRATEGY,
        ...FLAGS,
        "--grid",
        "short=5,10",
        "--grid",
        "long=20,40",
        "-o",
        join(out, "sweep.parquet"),
      ], env);
      expect(pq.code, pq.stderr).toBe(0);
      const { openDb, sqlString } = await import("../../bundles/store/duckdb.ts");
      const db = await openDb(":memory:");
      try {
        const reader = await db.conn.runAndReadAll(
          `SELECT short, long, portfolio_value FROM read_parquet(${
            sqlString(join(out, "sweep.parquet"))
          })`,
        );
        const got = reader.getRowObjects().map((r) => [r.short, r.long, r.portfolio_value]);
        expect(got).toEqual(rows.map((r) => [r.short, r.long, Number(r.portfolio_value)]));
      } finally {
        db.close();
      }
    },
    180_000,
  );

  test("usage mistakes name the flag", async () => {
    const noGrid = await harvester(
      ["sweep", STRATEGY, "-s", "2010-01-01", "-e", "2010-12-31"],
      env,
    );
    expect(noGrid.code).toBe(2);
    expect(noGrid.stderr).toMatch(/give at least one --grid/);
    const bad = await harvester([
      "sweep",
      STRATEGY,
      "-s",
      "2010-01-01",
      "-e",
      "2010-12-31",
      "--grid",
      "short",
    ], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--grid: "short" is not NAME=V1,V2/);
    const sort = await harvester([
      "sweep",
      STRATEGY,
      "-s",
      "2010-01-01",
      "-e",
      "2010-03-31",
      "--grid",
      "short=5",
      "--sort",
      "luck",
    ], env);
    expect(sort.stderr).toMatch(/--sort: "luck" is not one of/);
    // Nothing listens on port 1 of 127.0.0.1: the sweep says so instead of waiting forever.
    const noRedis = await harvester([
      "sweep",
      STRATEGY,
      "-s",
      "2010-01-01",
      "-e",
      "2010-03-31",
      "--grid",
      "short=5",
      "--queue",
      "redis://127.0.0.1:1",
    ], env);
    expect(noRedis.code).toBe(1);
    expect(noRedis.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  }, 60_000);
});
