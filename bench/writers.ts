/**
 * The output writers on a real run's tables: the user-written strategy over 100 × 2,520
 * (≈ 318,000 rows across perf, positions, orders and transactions), each format timed writing
 * every table to disk. Best of 5 with the median beside it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeResults } from "../runtime/engine/output.ts";
import { run_algorithm } from "../runtime/engine/run_algorithm.ts";
import type { Results } from "../runtime/metrics/results.ts";
import type { Strategy } from "../runtime/engine/strategy.ts";
import { BENCH_ROOT, benchBundle, stats } from "./engine.ts";
import { report } from "./harness.ts";

/** One warm run of a 100-asset bench strategy over the 100×2520 span, in this process. */
export async function warmRun(bundle: string, strategy: Strategy): Promise<Results> {
  return await run_algorithm({
    strategy,
    start: "2000-01-03",
    end: "2009-08-28",
    bundle,
    root: BENCH_ROOT,
    capital_base: 1_000_000,
    no_benchmark: true,
    params: { assets: "100" },
  });
}

/** One run of the user-written strategy (warm figures and tables for the writers). */
export async function userRun(bundle: string): Promise<Results> {
  return await warmRun(bundle, await import("./strategies/dual_sma_zipline.ts"));
}

export async function benchWriters(): Promise<void> {
  console.log("output writers (every table of a 100×2520 user-strategy run, written to disk)");
  const results = await userRun(await benchBundle(100, 2520));
  const rows = results.length + results.positions.length + results.orders.length +
    results.transactions.length;
  const dir = mkdtempSync(join(tmpdir(), "hv-bench-writers-"));
  try {
    for (const ext of ["csv", "arrow", "parquet", "json"]) {
      const ms: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        await writeResults(results, join(dir, `perf.${ext}`), () => {});
        ms.push(performance.now() - t0);
      }
      const { best, median } = stats(ms);
      const target = ext === "json" ? undefined : "≥ 5,000,000";
      report(
        `  ${ext}: ${rows.toLocaleString("en-US")} rows, best of 5`,
        rows / best * 1000,
        "rows/s",
        target,
      );
      report(`  ${ext}: median`, rows / median * 1000, "rows/s");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
