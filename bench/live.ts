/**
 * Live runtime figure: from a bar's arrival to each order's hand-off at the broker boundary,
 * inside the runtime, with 100 assets (a paper session replaying the 100×2520 bundle with the
 * reference strategy, which orders on most assets every bar). The time includes recording the
 * bar in the journal, applying fills, the strategy's decision for every asset, the risk gate and
 * the fsync'd journal line of each client order id.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runLive } from "../runtime/live/session.ts";
import { BENCH_ROOT, benchBundle } from "./engine.ts";
import { report } from "./harness.ts";

export async function benchLive(): Promise<void> {
  console.log("live runtime (paper session, 100 assets, dual SMA every bar)");
  const bundle = await benchBundle(100, 2520);
  const strategy = await import(resolve("bench/strategies/dual_sma.ts"));
  const dir = mkdtempSync(join(tmpdir(), "hv-bench-live-"));
  const lat: number[] = [];
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
      bar_latencies: lat,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const s = [...lat].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  console.log(`      ${s.length} orders`);
  report("  bar → order at the broker boundary, p50", q(0.5), "ms");
  report("  bar → order at the broker boundary, p99", q(0.99), "ms", "≤ 1 ms");
}
