/** Run by bench/engine.ts in its own process: one backtest, then its timings and peak memory. */
import { readFileSync } from "node:fs";
import { csvdir_equities, register } from "../bundles/mod.ts";
import { run_algorithm } from "../runtime/engine/run_algorithm.ts";

const [bundle, dir, calendar, strategyPath, start, end, frequency, variant, assets] = Deno.args;
register(bundle, csvdir_equities({ csvdir: dir }), { calendar_name: calendar });
const base = await import(strategyPath);
// With --expose-gc: the live heap after a full GC, sampled at the first bar of each month, shows
// whether memory grows with the span (RSS alone also reflects the collector's growth policy).
const gc = (globalThis as { gc?: () => void }).gc;
const heap: number[] = [];
let month = -1;
const strategy = gc
  ? {
    ...base,
    handle_data: async (c: never, d: { current_dt: Date }) => {
      await base.handle_data(c, d);
      if (d.current_dt.getUTCMonth() !== month) {
        month = d.current_dt.getUTCMonth();
        gc();
        heap.push(Deno.memoryUsage().heapUsed / 1e6);
      }
    },
  }
  : base;
const r = await run_algorithm({
  strategy,
  start,
  end,
  bundle,
  root: Deno.env.get("HARVESTER_ROOT"),
  capital_base: 1_000_000,
  no_benchmark: true,
  data_frequency: frequency as "daily" | "minute",
  params: assets ? { variant, assets } : { variant },
});
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
console.log(JSON.stringify({
  sessions: r.length,
  ...r.timings,
  peakMb: hwm ? Number(hwm[1]) / 1024 : NaN,
  fills: r.transactions.length,
  maxLiveHeapMb: heap.length ? Math.max(...heap) : NaN,
  /** Since the process started (a first minute run's includes writing the minute cache). */
  processMs: performance.now(),
}));
