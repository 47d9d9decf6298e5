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

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

/** One paper session: each order's latency and the bar it came in. */
async function session(bundle: string): Promise<{ lat: number[]; barOf: number[] }> {
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
  return { lat, barOf };
}

/** Five sessions in one process; each figure is the median over sessions, the best beside it. */
export async function benchLive(): Promise<void> {
  console.log("live runtime (paper session, 100 assets, dual SMA every bar; 5 sessions)");
  const bundle = await benchBundle(100, 2520);
  const p50: number[] = [], p99: number[] = [], warmP99: number[] = [];
  let orders = 0, barCount = 0;
  for (let k = 0; k < 5; k++) {
    const { lat, barOf } = await session(bundle);
    const bars = [...new Set(barOf)];
    const warm = new Set(bars.slice(WARM_UP_BARS));
    orders = lat.length;
    barCount = bars.length;
    p50.push(quantile(lat, 0.5));
    p99.push(quantile(lat, 0.99));
    warmP99.push(quantile(lat.filter((_, i) => warm.has(barOf[i])), 0.99));
  }
  console.log(`      ${orders} orders on ${barCount} bars per session`);
  report("  bar → order at the broker boundary, p50 (median)", quantile(p50, 0.5), "ms");
  report("  bar → order, p99, median of 5 sessions", quantile(p99, 0.5), "ms", "≤ 1 ms");
  report("  bar → order, p99, best session", Math.min(...p99), "ms");
  report(
    `  p99 after the first ${WARM_UP_BARS} bars with orders (median)`,
    quantile(warmP99, 0.5),
    "ms",
  );
}
