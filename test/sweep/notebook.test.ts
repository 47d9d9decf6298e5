/**
 * `sweep({ strategy, grid, … })` from `harvester/notebook`: a strategy file (a process per cell)
 * and the same strategy given as functions (in this process) give the same table, which displays
 * as the report through the Jupyter display protocol.
 */
import { describe, expect, test } from "vitest";
import { JUPYTER_DISPLAY, sweep } from "../../runtime/entry/notebook.ts";
import { loadStrategyFile } from "../../runtime/cli/backtest_command.ts";
import { tempRoot } from "../bundles/helpers.ts";

const STRATEGY = "strategies/dual_moving_average_explained.ts";

describe("sweep in a notebook", () => {
  test("file and functions give one table; it displays as the report", async () => {
    const root = tempRoot();
    const common = {
      grid: { short: [5, 10], long: [20, 40] },
      start: "2010-01-01",
      end: "2010-12-31",
      no_benchmark: true,
      root,
      sort: "sharpe",
    };
    const fromFile = await sweep({ ...common, strategy: STRATEGY, workers: 2 });
    const inline = await sweep({ ...common, strategy: await loadStrategyFile(STRATEGY) });
    expect(fromFile.rows.length).toBe(4);
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ wall_time_s: _, ...r }) => r);
    expect(strip(inline.rows)).toEqual(strip(fromFile.rows));
    expect(fromFile.columns.slice(0, 3)).toEqual(["short", "long", "portfolio_value"]);
    const sharpe = fromFile.rows.map((r) => r.sharpe as number);
    expect(sharpe).toEqual([...sharpe].sort((a, b) => b - a));
    expect(fromFile.toCSV().split("\n")[0]).toMatch(/^short,long,portfolio_value,/);
    const bundle = await fromFile[JUPYTER_DISPLAY]();
    const html = bundle["text/html"] as string;
    expect(html).toMatch(/<table class="hv-table">/);
    expect(html).toMatch(/data-chart="heatmap"><svg/);
    expect(html).toMatch(/data-chart="curves"><svg/);
    expect(bundle["text/plain"]).toMatch(/short\s+long\s+portfolio_value/);
  }, 120_000);
});
