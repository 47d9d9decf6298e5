/**
 * Backtest figures on the reference workload of shared/bench: dual SMA 20/50 over every asset,
 * every bar (and the `cross` variant), beside a plain TypeScript loop doing the same arithmetic
 * on the same arrays. Wall-clock figures on this 2-core machine vary by ±30 % run to run, so
 * each is the best of several runs, with the median beside it.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ingest, listVersions, load } from "../bundles/mod.ts";
import { run_algorithm } from "../runtime/engine/run_algorithm.ts";
import { BENCH_DATA, dailyDataset, xnysMinuteDataset } from "./data.ts";
import { report, RUNTIME_FLAGS, runtimeEnv } from "./harness.ts";
import { launchArgs } from "../runtime/cli/launch_args.ts";
import { apiShapeMs } from "./api_floor.ts";

export const BENCH_ROOT = resolve("out", "bench-root");

/** Registers `bench-a{A}_d{D}` bundles in an extension file, so CLI runs know them too. */
export async function benchBundle(assets: number, days: number): Promise<string> {
  const name = `bench-a${assets}_d${days}`;
  const dir = dailyDataset(assets, days);
  mkdirSync(BENCH_ROOT, { recursive: true });
  const ext = join(BENCH_ROOT, "extension.ts");
  const lines = [100, 500].flatMap((a) =>
    [2520, 5000].map((d) =>
      `register("bench-a${a}_d${d}", csvdir_equities({ csvdir: ${
        JSON.stringify(join(BENCH_DATA, `a${a}_d${d}`))
      } }), { calendar_name: "24/5" });`
    )
  );
  writeFileSync(
    ext,
    `import { csvdir_equities, register } from "harvester/bundles";\n${lines.join("\n")}\n`,
  );
  const { register, csvdir_equities } = await import("../bundles/mod.ts");
  register(name, csvdir_equities({ csvdir: dir }), { calendar_name: "24/5" });
  if (!listVersions(BENCH_ROOT, name).length) await ingest(name, { root: BENCH_ROOT });
  return name;
}

export function stats(xs: number[]): { best: number; median: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { best: s[0], median: s[Math.floor(s.length / 2)] };
}

/** The bundle's closes, asset-major (`sessions` per asset). */
async function closeMatrix(
  bundle: string,
): Promise<{ close: Float64Array; sessions: number; assets: number }> {
  const r = await load(bundle, { root: BENCH_ROOT });
  const sids = r.assets.map((a) => a.sid);
  const bars = await r.loadDaily(sids, r.metadata.first_session, r.metadata.last_session, [
    "close",
  ]);
  r.close();
  return { close: bars.fields.close!, sessions: bars.sessions.length, assets: sids.length };
}

/** The same SMA arithmetic as the strategy, as a bare loop over the close matrix. */
function plainLoop(m: { close: Float64Array; sessions: number; assets: number }): number {
  const { close, sessions: n, assets: k } = m;
  const signal = new Int8Array(k);
  const t0 = performance.now();
  let flips = 0;
  for (let t = 49; t < n; t++) {
    for (let a = 0; a < k; a++) {
      let s20 = 0, s50 = 0;
      const base = a * n + t - 49;
      for (let j = 0; j < 50; j++) {
        s50 += close[base + j];
        if (j >= 30) s20 += close[base + j];
      }
      const up = s20 / 20 > s50 / 50 ? 1 : 0;
      if (up !== signal[a]) flips++;
      signal[a] = up;
    }
  }
  const ms = performance.now() - t0;
  if (flips < 0) console.log(flips);
  return ms;
}

/**
 * `harvester backtest STRATEGY -b BUNDLE` over the whole 100×2520 span as a cold process, with
 * the runtime flags users get and `extra` options; its stderr (the process fails loudly).
 */
export function cliBacktest(
  strategy: string,
  bundle: string,
  extra: string[],
  env: Record<string, string> = {},
): string {
  const out = new Deno.Command(Deno.execPath(), {
    args: [
      // As users run it: bundled, with its import map and the runtime's flags.
      ...launchArgs(new URL("../", import.meta.url)),
      "backtest",
      strategy,
      "-b",
      bundle,
      "-s",
      "2000-01-03",
      "-e",
      "2009-08-28",
      "--no-benchmark",
      "--capital-base",
      "1000000",
      ...extra,
    ],
    env: runtimeEnv({ HARVESTER_ROOT: BENCH_ROOT, NO_COLOR: "1", ...env }),
    stdout: "null",
    stderr: "piped",
  }).outputSync();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(err);
  return err;
}

export async function benchEngine(): Promise<void> {
  console.log("backtest engine (reference workload: dual SMA 20/50, every asset, every bar)");
  const bundle = await benchBundle(100, 2520);
  const strategy = await import("./strategies/dual_sma.ts");
  const reader = await load(bundle, { root: BENCH_ROOT });
  const { first_session, last_session } = reader.metadata;
  reader.close();
  const bars = 100 * 2520;
  const rates: Record<string, number> = {};
  for (const variant of ["every", "cross"]) {
    const sims: number[] = [];
    let last;
    for (let k = 0; k < 7; k++) {
      last = await run_algorithm({
        strategy,
        start: first_session,
        end: last_session,
        bundle,
        root: BENCH_ROOT,
        capital_base: 1_000_000,
        no_benchmark: true,
        params: { variant },
      });
      sims.push(last.timings.simulation_ms);
    }
    const { best, median } = stats(sims);
    rates[variant] = bars / best * 1000;
    report(`  100×2520 ${variant}: simulation, best of 7`, bars / best * 1000, "bars/s");
    report(`  100×2520 ${variant}: simulation, median`, bars / median * 1000, "bars/s");
    const r = last!;
    console.log(
      `      orders ${
        new Set(r.orders.map((o) => o.order_id)).size
      }, fills ${r.transactions.length}, ` +
        `final portfolio value ${r.perf.portfolio_value[r.length - 1].toFixed(2)}`,
    );
  }
  const matrix = await closeMatrix(bundle);
  const loops = [];
  for (let k = 0; k < 5; k++) loops.push(plainLoop(matrix));
  const plain = bars / stats(loops).best * 1000;
  report("  plain TypeScript loop, same SMA arithmetic", plain, "bars/s");
  report("  plain loop ÷ engine, every bar (best)", plain / rates.every, "×", "≤ 10");
  report("  plain loop ÷ engine, cross (best)", plain / rates.cross, "×", "≤ 3");
  // What the API's awaits and objects cost with no engine behind them (bench/api_floor.ts).
  for (const variant of ["every", "cross"]) {
    const ms: number[] = [];
    for (let k = 0; k < 7; k++) {
      ms.push(await apiShapeMs(matrix.close, matrix.assets, matrix.sessions, variant === "every"));
    }
    const shape = bars / stats(ms).best * 1000;
    report(`  plain loop ÷ the API's shape alone, ${variant} (best)`, plain / shape, "×");
  }
  const procs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    cliBacktest("bench/strategies/dual_sma.ts", bundle, ["--no-summary"]);
    procs.push(performance.now() - t0);
  }
  report(
    "  whole `harvester backtest` process, best of 5",
    stats(procs).best,
    "ms",
    "≈ 500 ms (100× peer)",
  );
  report("  whole process, median", stats(procs).median, "ms");
}

interface ChildResult {
  sessions: number;
  load_ms: number;
  simulation_ms: number;
  peakMb: number;
  fills: number;
  maxLiveHeapMb: number;
  /** Since the child process started. */
  processMs: number;
}

/** One backtest in a fresh process (so peak memory is its own). */
function child(args: string[], flags: string[] = []): ChildResult {
  const out = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...RUNTIME_FLAGS,
      ...flags,
      join(import.meta.dirname!, "backtest_child.ts"),
      ...args,
    ],
    env: runtimeEnv({ HARVESTER_ROOT: BENCH_ROOT }),
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

export async function benchLarge(): Promise<void> {
  console.log("backtest engine, large and minute runs (each in its own process)");
  const big = await benchBundle(500, 5000);
  const bigDir = join(BENCH_DATA, "a500_d5000");
  const strategy = resolve("bench/strategies/dual_sma.ts");
  const runs = [0, 1, 2].map(() =>
    child([big, bigDir, "24/5", strategy, "2000-01-03", "2019-02-15", "daily", "cross"])
  );
  const best = Math.min(...runs.map((r) => r.simulation_ms));
  report(
    "  500×5000 cross: simulation, best of 3",
    2_500_000 / best * 1000,
    "bars/s",
    "≥ 6,000,000",
  );
  report(
    "  500×5000 cross: simulation, median of 3",
    2_500_000 / stats(runs.map((r) => r.simulation_ms)).median * 1000,
    "bars/s",
  );
  report(
    "  500×5000 cross: peak memory (VmHWM)",
    Math.max(...runs.map((r) => r.peakMb)),
    "MB",
    "≤ 1,024 MB",
  );
  const minuteStrategy = resolve("bench/strategies/minute_sma.ts");
  for (const years of [1, 2]) {
    const dir = await xnysMinuteDataset(10, years);
    const name = `bench-minute-y${years}`;
    const { register, csvdir_equities } = await import("../bundles/mod.ts");
    register(name, csvdir_equities({ csvdir: dir }), { calendar_name: "XNYS" });
    if (!listVersions(BENCH_ROOT, name).length) await ingest(name, { root: BENCH_ROOT });
    const end = `${2018 + years - 1}-12-31`;
    firstMinuteRun(
      name,
      `  minute 10 assets × ${years} year${years > 1 ? "s" : ""}`,
      [name, dir, "XNYS", minuteStrategy, "2018-01-02", end, "minute", "cross"],
    );
    const rs = [0, 1, 2].map(() =>
      child([name, dir, "XNYS", minuteStrategy, "2018-01-02", end, "minute", "cross"])
    );
    const r = rs.reduce((a, b) => (a.simulation_ms < b.simulation_ms ? a : b));
    const bars = 10 * r.sessions * 390;
    report(
      `  minute 10 assets × ${years} year${years > 1 ? "s" : ""}: simulation, best of 3`,
      bars / r.simulation_ms * 1000,
      "bars/s",
      years === 1 ? "≥ 3,000,000" : undefined,
    );
    report(
      `  minute 10 assets × ${years} year${years > 1 ? "s" : ""}: simulation, median`,
      bars / stats(rs.map((x) => x.simulation_ms)).median * 1000,
      "bars/s",
    );
    report(
      `  minute 10 assets × ${years} year${years > 1 ? "s" : ""}: peak RSS`,
      Math.max(...rs.map((x) => x.peakMb)),
      "MB",
    );
    const live = child([
      name,
      dir,
      "XNYS",
      resolve("bench/strategies/minute_noop.ts"),
      "2018-01-02",
      end,
      "minute",
      "cross",
    ], ["--v8-flags=--expose-gc"]);
    report(
      `  minute 10 assets × ${years} year${years > 1 ? "s" : ""}: live heap (max monthly)`,
      live.maxLiveHeapMb,
      "MB",
      "flat in years",
    );
  }
  // 100 assets × a year of minutes (9.8 M bars): peak memory (the issue's 2 GB) and speed.
  const wide = await xnysMinuteDataset(100, 1);
  const { register, csvdir_equities } = await import("../bundles/mod.ts");
  register("bench-minute-a100-y1", csvdir_equities({ csvdir: wide }), { calendar_name: "XNYS" });
  if (!listVersions(BENCH_ROOT, "bench-minute-a100-y1").length) {
    await ingest("bench-minute-a100-y1", { root: BENCH_ROOT });
  }
  const a100 = [
    "bench-minute-a100-y1",
    wide,
    "XNYS",
    minuteStrategy,
    "2018-01-02",
    "2018-12-31",
    "minute",
    "cross",
    "100",
  ];
  firstMinuteRun("bench-minute-a100-y1", "  minute 100 assets × 1 year", a100);
  const w = child(a100);
  report(
    "  minute 100 assets × 1 year: simulation",
    100 * w.sessions * 390 / w.simulation_ms * 1000,
    "bars/s",
  );
  report("  minute 100 assets × 1 year: peak RSS", w.peakMb, "MB", "≤ 2,048 MB");
}

/**
 * A minute bundle's first backtest, which writes its minute cache (removed first, so that every
 * bench run measures it): the whole process and its peak memory. The timed runs after it read
 * the cache.
 */
function firstMinuteRun(bundle: string, label: string, args: string[]): void {
  const v = listVersions(BENCH_ROOT, bundle).at(-1)!;
  for (const f of ["minute_cache.json", "minute_cache.bin"]) {
    rmSync(join(v.path, f), { force: true });
  }
  const r = child(args);
  report(`${label}: first run (writes the minute cache), whole process`, r.processMs, "ms");
  report(`${label}: first run, peak RSS`, r.peakMb, "MB");
}
