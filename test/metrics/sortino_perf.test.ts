/**
 * The perf table's `sortino` (issue 21, rule 5), as zipline-reloaded fills it:
 * `finance/metrics/metric.py` `ReturnsStatistic.end_of_bar` sets
 * `empyrical.sortino_ratio(daily_returns[: session_ix + 1])`, and `None` when that is not
 * finite; empyrical-reloaded's `sortino_ratio` (`stats.py`) is NaN below 2 returns, else
 * `nanmean(r) × 252 / downside_risk(r)` with `downside_risk = sqrt(nanmean(min(r, 0)²)) ×
 * sqrt(252)`, divided with numpy's `np.divide` (so a zero downside gives ±inf or NaN, never an
 * error). A downside of rounding size gives a very large finite value, which zipline keeps.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";

/** empyrical-reloaded's `sortino_ratio` on a 1-d array, written from its source. */
function empyricalSortino(r: readonly number[]): number {
  if (r.length < 2) return NaN;
  const mean = (a: readonly number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const downside = Math.sqrt(mean(r.map((x) => Math.min(x, 0) ** 2))) * Math.sqrt(252);
  return (mean(r) * 252) / downside;
}

/** zipline's perf-row value: the statistic if finite, else None. */
const ziplineRow = (r: readonly number[]) => {
  const v = empyricalSortino(r);
  return Number.isFinite(v) ? v : null;
};

let root: string, strategy: Strategy;
const cal = get_calendar("XNYS");
const S = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 8), Date.UTC(2024, 6, 16)));
// UP's closes: flat for two sessions, rising, a dip of 1e-7, rising again.
const CLOSES = [100, 100, 101, 102, 102 - 1e-7, 103, 104];

beforeAll(async () => {
  root = tempRoot();
  strategy = await import(
    fileURLToPath(new URL("../fixtures/strategies/zipline_rules/no_downside.ts", import.meta.url))
  ) as Strategy;
  register("sortino-up", async ({ writer }) => {
    const days = Int32Array.from(S, (s) => s / 86_400_000);
    await writer.writeAssets([{ sid: 0, symbol: "UP", start_date: days[0], end_date: days[6] }]);
    await writer.writeDailyBars(0, days, {
      open: CLOSES,
      high: CLOSES,
      low: CLOSES,
      close: CLOSES,
      volume: CLOSES.map(() => 1e6),
    });
  }, { calendar_name: "XNYS" });
  await ingest("sortino-up", { root });
});

describe("sortino in the perf table", () => {
  test("None while the downside is zero, then zipline's very large finite value", async () => {
    expect(S.length).toBe(CLOSES.length);
    const r = await run_algorithm({
      strategy,
      start: "2024-07-08",
      end: "2024-07-16",
      bundle: "sortino-up",
      root,
      no_benchmark: true,
    });
    const returns = Array.from(r.perf.returns);
    expect(returns.slice(0, 4).every((x) => x >= 0)).toBe(true);
    expect(returns[4]).toBeLessThan(0);
    expect(returns[4]).toBeGreaterThan(-1e-10);
    const rows = r.rows().map((row) => row.sortino as number | null);
    const want = returns.map((_, i) => ziplineRow(returns.slice(0, i + 1)));
    // 1 return: NaN; 0 and 0: 0/0; then no downside: +inf — all None.
    expect(rows.slice(0, 4)).toEqual([null, null, null, null]);
    expect(want.slice(0, 4)).toEqual([null, null, null, null]);
    for (let i = 4; i < rows.length; i++) {
      expect(want[i]).toBeGreaterThan(1e5); // a rounding-size downside: a huge finite Sortino
      expect(Math.abs(rows[i]! - want[i]!) / want[i]!, `row ${i}`).toBeLessThan(1e-12);
    }
  });
});
