/**
 * Walk-forward on a small case checked by hand: 2010's 252 NYSE sessions split 126:42 give three
 * folds (tests at sessions 126, 168 and 210); each fold's choice, its in-sample and out-of-sample
 * Sharpe ratios, its rank, and the stitched out-of-sample table are recomputed here from
 * ordinary backtests (`run_algorithm`) of every combination on every part.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { loadStrategyFile } from "../../runtime/cli/backtest_command.ts";
import { cscv } from "../../runtime/sweep/overfitting.ts";
import { sharpe_ratio } from "../../runtime/metrics/empyrical.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, readCsv } from "./helpers.ts";

const STRATEGY = "strategies/dual_moving_average_explained.ts";
const COMBOS = [["5", "20"], ["5", "30"], ["10", "20"], ["10", "30"]];
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("walk-forward 126:42 over 2010", () => {
  const root = tempRoot(), out = tempRoot("hv-wf-");
  let stitched: Record<string, string>[], folds: Record<string, string>[], stdout: string;
  const sessions = Array.from(
    get_calendar("XNYS").sessions_in_range(Date.UTC(2010, 0, 1), Date.UTC(2010, 11, 31)),
  );
  // By hand: train on the 126 sessions before each test part; tests of 42 sessions end to end.
  const parts = [[0, 126, 168], [42, 168, 210], [84, 210, 252]];

  beforeAll(async () => {
    const r = await harvester([
      "sweep",
      STRATEGY,
      "-s",
      "2010-01-01",
      "-e",
      "2010-12-31",
      "--no-benchmark",
      "--capital-base",
      "1000000",
      "--grid",
      "short=5,10",
      "--grid",
      "long=20,30",
      "--walk-forward",
      "126:42",
      "--workers",
      "2",
      "-o",
      join(out, "wf.csv"),
    ], { HARVESTER_ROOT: root });
    expect(r.code, r.stderr).toBe(0);
    stdout = r.stdout;
    stitched = readCsv(join(out, "wf.csv"));
    folds = readCsv(join(out, "wf_folds.csv"));
  }, 180_000);

  test("three folds with the windows worked out by hand", () => {
    expect(sessions.length).toBe(252);
    expect(folds.map((f) => [f.train_start, f.train_end, f.test_start, f.test_end])).toEqual(
      parts.map((
        [a, b, c],
      ) => [iso(sessions[a]), iso(sessions[b - 1]), iso(sessions[b]), iso(sessions[c - 1])]),
    );
    expect(stdout).toMatch(
      /probability of backtest overfitting \(CSCV over 3 folds, 4 combinations\)/,
    );
  });

  test("choices, ranks and the stitched table equal ordinary backtests of each part", async () => {
    const strategy = await loadStrategyFile(STRATEGY);
    const run = (short: string, long: string, from: number, to: number): Promise<Results> =>
      run_algorithm({
        strategy,
        start: iso(sessions[from]),
        end: iso(sessions[to - 1]),
        capital_base: 1_000_000,
        no_benchmark: true,
        params: { short, long },
        root,
      });
    const last = (r: Results, c: "sharpe") => r.perf[c][r.length - 1];
    let value = 1_000_000, row = 0;
    const blocks: Float64Array[][] = [];
    for (const [k, [a, b, c]] of parts.entries()) {
      const train: Results[] = [], test: Results[] = [];
      for (const [s, l] of COMBOS) train.push(await run(s, l, a, b));
      for (const [s, l] of COMBOS) test.push(await run(s, l, b, c));
      blocks.push(test.map((r) => r.perf.returns));
      // The choice: the highest in-sample Sharpe ratio (the first on a tie).
      let best = 0;
      train.forEach((r, i) => {
        if (last(r, "sharpe") > last(train[best], "sharpe")) best = i;
      });
      const f = folds[k];
      expect([f.short, f.long]).toEqual(COMBOS[best]);
      expect(Number(f.is_sharpe)).toBe(last(train[best], "sharpe"));
      expect(Number(f.oos_sharpe)).toBe(last(test[best], "sharpe"));
      // Relative rank out of sample: (number below + (ties + 1) / 2) / (N + 1).
      const oos = test.map((r) => last(r, "sharpe")), mine = oos[best];
      const rank = oos.filter((x) => x < mine).length +
        (oos.filter((x) => x === mine).length + 1) / 2;
      expect(Number(f.oos_rank)).toBeCloseTo(rank / 5, 12);
      // The stitched rows of this fold: the chosen test run's returns, compounded from the capital.
      const chosen = test[best];
      for (let i = 0; i < chosen.length; i++, row++) {
        const s = stitched[row];
        expect(s.date).toBe(iso(chosen.sessions[i]));
        expect(s.fold).toBe(String(k));
        expect([s.short, s.long]).toEqual(COMBOS[best]);
        expect(Number(s.returns)).toBe(chosen.perf.returns[i]);
        value *= 1 + chosen.perf.returns[i];
        expect(Number(s.portfolio_value)).toBeCloseTo(value, 6);
      }
    }
    expect(row).toBe(stitched.length);
    expect(stitched.length).toBe(126);
    const pbo = cscv(blocks, sharpe_ratio).pbo;
    expect(stdout).toContain(
      `4 combinations): ${Number.isNaN(pbo) ? "–" : pbo.toFixed(3)}`,
    );
  }, 180_000);
});
