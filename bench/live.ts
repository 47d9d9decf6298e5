/**
 * Live runtime figure: from a bar's arrival to each order's hand-off at the broker boundary,
 * inside the runtime, with 100 assets (a paper session replaying the 100×2520 bundle with the
 * reference strategy, which orders on most assets every bar). The time includes recording the
 * bar in the journal, applying fills, the strategy's decision for every asset, the risk gate and
 * each order's journal lines written out before it is sent; the in-process paper venue's own work
 * (matching the bar, its book file) is the broker's and is not counted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runLive } from "../runtime/live/session.ts";
import { BENCH_ROOT, benchBundle } from "./engine.ts";
import { report } from "./harness.ts";

/** Bars at the start whose code paths run for the first time (compiled as they go). */
const WARM_UP_BARS = 5;

export async function benchLive(): Promise<void> {
  console.log("live runtime (paper session, 100 assets, dual SMA every bar)");
  const bundle = await benchBundle(100, 2520);
  const strategy = await import(resolve("bench/strategies/dual_sma.ts"));
  const dir = mkdtempSync(join(tmpdir(), "hv-bench-live-"));
  const lat: number[] = [];
  // Which bar each order came in (by its bar's arrival), to report after warm-up too.
  const barOf: number[] = [];
  const recorder = {
    record(ms: number, barStart: number): void {
      barOf.push(barStart);
      lat.push(ms);
    },
  };
  try {
    await runLive({
      strategy,
      strategy_hash: "bench",
      bundle,
      start: "2000-01-03",
      end: "2001-12-31",
      speed: "max",
      state_path: join(dir, "s.json"),
      journal_path: join(dir, "j.jsonl"),
      capital_base: 1_000_000,
      root: BENCH_ROOT,
      bar_latencies: recorder,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const quantile = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };
  const bars = [...new Set(barOf)];
  const warm = new Set(bars.slice(WARM_UP_BARS));
  const afterWarmUp = lat.filter((_, i) => warm.has(barOf[i]));
  console.log(`      ${lat.length} orders on ${bars.length} bars`);
  report("  bar → order at the broker boundary, p50", quantile(lat, 0.5), "ms");
  report("  bar → order at the broker boundary, p99", quantile(lat, 0.99), "ms", "≤ 1 ms");
  report(
    `  the same after the first ${WARM_UP_BARS} bars with orders, p99`,
    quantile(afterWarmUp, 0.99),
    "ms",
  );
}
