/**
 * An asset benchmark as zipline computes it (issue 21, rule 1; zipline-reloaded
 * `sources/benchmark_source.py` `_initialize_precalculated_series` and `_validate_benchmark`):
 * - one `price` window over the run and the session before it, adjusted for splits and dividends
 *   as of the LAST session and rounded to 3 decimals (`lib/_windowtemplate.pxi` `_update_output`:
 *   `new_out.round(self.rounding_places)`; 3 for equities, `data/history_loader.py`), then
 *   pandas' `pct_change`, `x / previous − 1`;
 * - an asset whose start date is the run's first day: that day's return is
 *   `(first_close − first_open) / first_open`;
 * - an asset starting after the first day or ending before the last is refused
 *   (`BenchmarkAssetNotAvailableTooEarly` / `TooLate`).
 *
 * The MSFT figures are zipline-reloaded's own, quoted in issue 21 (zipline-examples bundle).
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, register } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import {
  BenchmarkAssetNotAvailableTooEarly,
  BenchmarkAssetNotAvailableTooLate,
} from "../../runtime/engine/benchmark.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
const D = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86_400_000;
/** NYSE sessions 2024-01-02 … 2024-01-12. */
const DAYS = [
  "2024-01-02",
  "2024-01-03",
  "2024-01-04",
  "2024-01-05",
  "2024-01-08",
  "2024-01-09",
  "2024-01-10",
  "2024-01-11",
  "2024-01-12",
];

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  // DIV: closes 100, 101, 100.5, then 100 flat; a 0.37 dividend ex 2024-01-05 (ratio
  // 1 − 0.37 / 100.5). NEW: first bar on 2024-01-03, open 50, close 51. OLD: last bar 2024-01-10.
  register("benchmark-rules", async ({ writer }) => {
    const days = Int32Array.from(DAYS, D);
    const closes = [100, 101, 100.5, 100, 100, 100, 100, 100, 100];
    await writer.writeAssets([
      { sid: 0, symbol: "DIV", start_date: DAYS[0], end_date: DAYS[8] },
      { sid: 1, symbol: "NEW", start_date: DAYS[1], end_date: DAYS[8] },
      { sid: 2, symbol: "OLD", start_date: DAYS[0], end_date: DAYS[6] },
    ]);
    const vol = (n: number) => new Array(n).fill(1e6);
    await writer.writeDailyBars(0, days, {
      open: closes,
      high: closes,
      low: closes,
      close: closes,
      volume: vol(9),
    });
    const newOpen = [50, ...new Array(7).fill(51)], newClose = new Array(8).fill(51);
    await writer.writeDailyBars(1, days.slice(1), {
      open: newOpen,
      high: newClose,
      low: newOpen,
      close: newClose,
      volume: vol(8),
    });
    const old = new Array(7).fill(10);
    await writer.writeDailyBars(2, days.slice(0, 7), {
      open: old,
      high: old,
      low: old,
      close: old,
      volume: vol(7),
    });
    await writer.writeDividends([{ sid: 0, ex_date: "2024-01-05", amount: 0.37 }]);
  }, { calendar_name: "XNYS" });
  await ingest("benchmark-rules", { root });
});

const idle: Strategy = { initialize: () => {} };
const run = (benchmark_symbol: string, start = DAYS[1], end = DAYS[8]) =>
  run_algorithm({ strategy: idle, start, end, bundle: "benchmark-rules", root, benchmark_symbol });

describe("an asset benchmark, as zipline computes it", () => {
  test("MSFT over 2010–2013: zipline's first-day and final benchmark returns", async () => {
    const strategy = await import(
      fileURLToPath(
        new URL("../fixtures/strategies/zipline_rules/msft_benchmark.ts", import.meta.url),
      )
    ) as Strategy;
    const r = await run_algorithm({ strategy, start: "2010-01-04", end: "2013-12-31", root });
    expect(r.benchmark_returns[0]).toBeCloseTo(0.0154070, 7);
    expect(r.perf.benchmark_period_return[0]).toBeCloseTo(0.0154070, 7);
    expect(r.perf.benchmark_period_return.at(-1)).toBeCloseTo(0.3625933, 7);
  });

  test("returns before a dividend are adjusted as of the last session and rounded to 3 decimals", async () => {
    const r = await run("DIV");
    const ratio = 1 - 0.37 / 100.5;
    // Adjusted as of 2024-01-12 and rounded: 100 → 99.632, 101 → 100.628, 100.5 → 100.13.
    expect([Math.round(100 * ratio * 1000), Math.round(101 * ratio * 1000)]).toEqual([
      99632,
      100628,
    ]);
    expect(r.benchmark_returns[0]).toBe(100.628 / 99.632 - 1); // not 101 / 100 − 1
    expect(r.benchmark_returns[1]).toBe(100.13 / 100.628 - 1);
    expect(r.benchmark_returns[2]).toBe(100 / 100.13 - 1); // the ex-date
    expect([...r.benchmark_returns.slice(3)]).toEqual([0, 0, 0, 0, 0]);
  });

  test("an asset whose first day is the run's first day: its open-to-close return that day", async () => {
    const r = await run("NEW");
    expect(r.benchmark_returns[0]).toBe((51 - 50) / 50);
    expect([...r.benchmark_returns.slice(1)]).toEqual(new Array(7).fill(0));
  });

  test("an asset that starts after the first day or ends before the last is refused", async () => {
    await expect(run("NEW", DAYS[0])).rejects.toThrow(BenchmarkAssetNotAvailableTooEarly);
    await expect(run("NEW", DAYS[0])).rejects.toThrow(
      /does not exist on 2024-01-02: it started trading on 2024-01-03/,
    );
    await expect(run("OLD")).rejects.toThrow(BenchmarkAssetNotAvailableTooLate);
    await expect(run("OLD")).rejects.toThrow(/stopped trading on 2024-01-10/);
  });
});
