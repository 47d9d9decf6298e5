/**
 * Runs that used to go wrong silently: a minute backtest on a bundle without minute bars (every
 * order unfilled), a recorded name that is also a perf column (two columns of the same name),
 * and a failed run's completed sessions (lost with the error).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm, type RunFailure } from "../../runtime/engine/run_algorithm.ts";
import { order, record, set_max_leverage, symbol } from "../../runtime/api/mod.ts";
import type { Logger } from "../../runtime/log.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

describe("no silent surprises", () => {
  test("minute frequency on a bundle without minute bars is an error naming the bundle", async () => {
    await expect(run_algorithm({
      strategy: { initialize: () => {} },
      start: "2014-01-02",
      end: "2014-01-31",
      data_frequency: "minute",
      root,
      no_benchmark: true,
    })).rejects.toThrow(
      'bundle "zipline-examples" has no minute bars, so a minute backtest would never fill an order; run with --data-frequency daily',
    );
  });

  test("a recorded perf column is one column, valued as zipline's DataFrame values it, and warned", async () => {
    const warnings: string[] = [];
    const log: Logger = {
      info() {},
      warn: (event, f) =>
        void (event === "record_shadows_column" && warnings.push(String(f?.message))),
    };
    const results = await run_algorithm({
      strategy: {
        initialize: async (c) => {
          c.asset = await symbol("AAPL");
        },
        handle_data: async (c) => {
          await order(c.asset, 10);
          record({ beta: 42, returns: 7, mine: 1 });
        },
      },
      start: "2014-01-02",
      end: "2014-01-31",
      root,
      benchmark_symbol: "MSFT", // a benchmark, so that zipline's beta has values
      log,
    });
    const header = results.toCSV().split("\n")[0].split(",");
    expect(header.filter((c) => c === "beta").length).toBe(1);
    expect(header.filter((c) => c === "returns").length).toBe(1);
    expect(header.at(-1)).toBe("mine");
    const last = results.row(results.length - 1);
    // zipline: daily_perf.update(recorded_vars), then daily_perf.update(cumulative_risk_metrics).
    expect(last.returns).toBe(7);
    expect(last.beta).toBeTypeOf("number");
    expect(last.beta).not.toBe(42);
    expect((await results.toArrow()).schema.fields.filter((f) => f.name === "beta").length).toBe(1);
    expect(new Set(warnings)).toEqual(
      new Set([
        'record: "beta" is also a perf column, which shows zipline\'s beta (its risk metrics take precedence over recorded values), not the recorded one; record it under another name',
        "record: \"returns\" is also a perf column, which shows the recorded value in place of Harvester's (as zipline's does); record it under another name to keep both",
      ]),
    );
  });

  test("a failed run hands over the sessions it completed before the error goes up", async () => {
    let failure: RunFailure | undefined;
    let day = 0;
    await expect(run_algorithm({
      strategy: {
        initialize: async (c) => {
          c.asset = await symbol("AAPL");
          set_max_leverage(1.5);
        },
        handle_data: async (c) => {
          if (++day === 10) await c.order_target_percent(c.asset, 3);
        },
      },
      start: "2014-01-02",
      end: "2014-03-31",
      root,
      no_benchmark: true,
      on_failure: (f) => void (failure = f),
    })).rejects.toThrow(/MaxLeverage/);
    expect(failure?.results?.length).toBe(10);
    // The failing session is not complete: its fill is not among the results.
    expect(failure?.results?.transactions.length).toBe(0);
    expect(new Date(failure!.time).toISOString()).toBe("2014-01-16T21:00:00.000Z");
  });
});
