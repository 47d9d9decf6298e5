/**
 * Sweep figures: an 8-cell sweep of the reference strategy (dual SMA, 100×2520, `variant` ×
 * `assets` 97–100, so the cells cost about the same) with one worker process and with two, and
 * the queue's own cost per cell on a real `redis-server` (BullMQ jobs carrying a real cell's
 * spec, strategy source and a full result, run by a worker that does no work), sequential and
 * with many workers at once (what one Redis moves at most). These are the inputs of the README's
 * throughput model.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveVersion } from "../bundles/mod.ts";
import { type CellResult, type CellSpec, resultJson } from "../runtime/sweep/cell.ts";
import { parseGrid } from "../runtime/sweep/grid.ts";
import { runSweep } from "../runtime/sweep/sweep.ts";
import { BENCH_ROOT, benchBundle } from "./engine.ts";
import { report } from "./harness.ts";

const STRATEGY = resolve("bench/strategies/dual_sma.ts");

async function sweepOnce(bundle: string, workers: number, single_threaded?: boolean) {
  const t0 = performance.now();
  const { rows } = await runSweep({
    strategy: STRATEGY,
    start: "2000-01-03",
    end: "2009-08-28",
    bundle,
    capital_base: 1_000_000,
    no_benchmark: true,
    grid: parseGrid(["variant=every,cross", "assets=97,98,99,100"]),
    root: BENCH_ROOT,
    environ: { ...Deno.env.toObject(), HARVESTER_ROOT: BENCH_ROOT },
    workers,
    single_threaded,
    no_cache: true,
  });
  if (rows.some((r) => r.error)) throw new Error(rows.find((r) => r.error)!.error);
  return { wall: performance.now() - t0, cells: rows.map((r) => r.result!) };
}

function folderMb(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const s = statSync(join(dir, name));
    bytes += s.isDirectory() ? folderMb(join(dir, name)) * 1e6 : s.size;
  }
  return bytes / 1e6;
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> } | null> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  let proc: Deno.ChildProcess;
  try {
    proc = new Deno.Command("redis-server", {
      args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch {
    return null;
  }
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/Ready to accept connections/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) return null;
    seen += value;
  }
  void (async () => {
    while (!(await reader.read()).done);
  })();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      proc.kill("SIGTERM");
      await proc.status;
    },
  };
}

/** Cells per second through the queue with workers that do nothing but return a real result. */
async function queueRate(
  url: string,
  spec: CellSpec,
  result: CellResult,
  n: number,
  concurrency: number,
): Promise<number> {
  const { Worker } = await import("bullmq");
  const { queueExecutor } = await import("../runtime/sweep/queue/coordinator.ts");
  const { QUEUE_NAME, redisClient } = await import("../runtime/sweep/queue/connection.ts");
  const client = await redisClient(url);
  const payload = resultJson(result);
  const worker = new Worker(QUEUE_NAME, async () => payload, { connection: client, concurrency });
  await worker.waitUntilReady();
  const source = readFileSync(STRATEGY, "utf8");
  const cells = Array.from(
    { length: n },
    (_, i) => ({ ...spec, params: { ...spec.params, i: String(i) } }),
  );
  const open = await queueExecutor(url, source, { no_cache: true });
  const t0 = performance.now();
  let finished = 0;
  await open.executor.run(cells, {
    started() {},
    retrying() {},
    finished: () => void finished++,
  });
  const secs = (performance.now() - t0) / 1000;
  await open.close();
  await worker.close();
  await client.quit();
  if (finished !== n) throw new Error(`${finished} of ${n} jobs came back`);
  return n / secs;
}

/** Two CPU-bound processes at once over one alone: how far two cores of this machine scale. */
async function cpuCeiling(): Promise<number> {
  const spin = [
    "eval",
    "let x = 0; for (let i = 0; i < 4e8; i++) x = (x + i * 7) % 1000003; if (x < 0) console.log(x);",
  ];
  const run = () =>
    new Deno.Command(Deno.execPath(), { args: spin, stdout: "null" }).spawn().status;
  const t0 = performance.now();
  await run();
  const alone = performance.now() - t0;
  const t1 = performance.now();
  await Promise.all([run(), run()]);
  return (2 * alone) / (performance.now() - t1);
}

export async function benchSweep(): Promise<void> {
  console.log("sweeps (8 cells of the reference workload; Redis queue)");
  const bundle = await benchBundle(100, 2520);
  await sweepOnce(bundle, 2); // warm: the daily cache and the module cache
  const best = async (workers: number, single?: boolean) => {
    let wall = Infinity, cells: CellResult[] = [];
    for (let k = 0; k < 4; k++) {
      const r = await sweepOnce(bundle, workers, single);
      if (r.wall < wall) (wall = r.wall, cells = r.cells);
    }
    return { wall, cells };
  };
  const one = await best(1), two = await best(2), oneSingle = await best(1, true);
  report("  8 cells, --workers 1, best of 4", one.wall, "ms");
  report("  8 cells, --workers 2, best of 4", two.wall, "ms");
  report("  speed-up, 2 workers over 1", one.wall / two.wall, "×", "≥ 1.8 on 2 cores");
  report("  8 cells, 1 worker without V8 helper threads", oneSingle.wall, "ms");
  report("  speed-up, same cells (no helper threads) 2 over 1", oneSingle.wall / two.wall, "×");
  report("  this machine's own ceiling: a CPU loop, 2 over 1", await cpuCeiling(), "×");
  const cells = oneSingle.cells;
  const cellMs = cells.reduce((a, c) => a + c.wall_ms, 0) / cells.length;
  report("  one cell: the backtest in a warm process (mean)", cellMs, "ms");
  report("  one cell: process, transfer and cache (mean)", oneSingle.wall / 8 - cellMs, "ms");
  const version = resolveVersion(bundle, { root: BENCH_ROOT });
  report("  bundle version folder a worker needs (100×2520)", folderMb(version.path), "MB");

  const redis = await startRedis();
  if (!redis) {
    console.log(
      "  (redis-server is not installed: no queue figures; apt-get install redis-server)",
    );
    return;
  }
  try {
    const spec: CellSpec = {
      strategy: { path: STRATEGY, hash: "0".repeat(64) },
      params: { variant: "every" },
      start: "2000-01-03",
      end: "2009-08-28",
      flags: {
        bundle,
        bundle_version: version.name,
        capital_base: 1_000_000,
        data_frequency: "daily",
        benchmark: { kind: "none" },
        same_bar_fills: false,
      },
    };
    const result = two.cells[0];
    report("  result carried per cell (2,520 sessions)", resultJson(result).length / 1000, "kB");
    await queueRate(redis.url, spec, result, 50, 1); // warm
    const seq = await queueRate(redis.url, spec, result, 300, 1);
    report("  queue overhead per cell, one worker at a time", 1000 / seq, "ms");
    const most = await queueRate(redis.url, spec, result, 1000, 32);
    report("  queue throughput, 32 cells at once (one Redis)", most, "cells/s");
  } finally {
    await redis.stop();
  }
}
