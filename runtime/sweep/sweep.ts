/**
 * A sweep from settings to rows: plan the cells, choose where they run (this machine's cores, or
 * a Redis queue's workers), and run them through the cache.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import type { Strategy } from "../engine/strategy.ts";
import { CellCache } from "./cache.ts";
import type { CellSpec } from "./cell.ts";
import { type Executor, inProcessExecutor, localExecutor } from "./executor.ts";
import type { GridAxis } from "./grid.ts";
import { planSweep, type SweepPlan, type SweepSettings } from "./plan.ts";
import type { SweepProgress } from "./progress.ts";
import { runCells } from "./run_cells.ts";
import type { SweepRow } from "./table.ts";

/** Where and how a sweep's cells run. */
export interface ExecutionOptions {
  /** Processes at a time on this machine. @default the number of cores */
  workers?: number;
  /** `redis://HOST:PORT`: enqueue the cells for `harvester worker`s instead. */
  queue?: string;
  /** Compute every cell again. */
  no_cache?: boolean;
  /** V8's heap limit per cell process, MB. */
  memory_mb?: number;
  /** Cell processes without V8's helper threads (default: when the workers fill every core). */
  single_threaded?: boolean;
  /** A strategy given as functions runs in this process (no cache, no isolation). */
  strategy_functions?: Strategy;
  progress?: (p: SweepProgress) => void;
  retrying?: (cell: CellSpec, error: string) => void;
}

/** Options of {@link runSweep}. */
export type SweepOptions = SweepSettings & ExecutionOptions;

/** A finished sweep: its plan, its grid, and one row per combination in grid order. */
export interface SweepOutcome {
  plan: SweepPlan;
  axes: GridAxis[];
  rows: SweepRow[];
}

/** An executor and what must be closed after it. */
export interface OpenExecutor {
  executor: Executor;
  close(): Promise<void>;
}

/** The executor the options call for. */
export async function openExecutor(opts: SweepOptions, plan: SweepPlan): Promise<OpenExecutor> {
  if (opts.strategy_functions) {
    const env = { root: opts.root, environ: opts.environ };
    return { executor: inProcessExecutor(opts.strategy_functions, env), close: async () => {} };
  }
  if (opts.queue) {
    const { queueExecutor } = await import("./queue/coordinator.ts");
    return await queueExecutor(opts.queue, plan.strategy.source, { no_cache: opts.no_cache });
  }
  const env = { ...opts.environ, HARVESTER_ROOT: opts.root };
  return {
    executor: localExecutor({
      workers: opts.workers ?? availableParallelism(),
      process: {
        env,
        memory_mb: opts.memory_mb,
        ...(opts.single_threaded === undefined ? {} : { single_threaded: opts.single_threaded }),
      },
    }),
    close: async () => {},
  };
}

/**
 * Runs every cell of a list through the cache and the executor the options call for.
 *
 * @example
 * ```ts
 * const rows = await runSweepCells(plan, plan.cells, opts);
 * ```
 */
export async function runSweepCells(
  plan: SweepPlan,
  cells: readonly CellSpec[],
  opts: SweepOptions,
): Promise<SweepRow[]> {
  const open = await openExecutor(opts, plan);
  try {
    return await runCells(cells, {
      executor: open.executor,
      // A strategy given as functions has no file hash: nothing to key a cache on.
      cache: opts.strategy_functions ? null : CellCache.of(opts.root),
      no_cache: opts.no_cache,
      progress: opts.progress,
      retrying: opts.retrying,
    });
  } finally {
    await open.close();
  }
}

/**
 * A grid sweep: every combination as an ordinary backtest.
 *
 * @example
 * ```ts
 * const { rows } = await runSweep({ strategy: "algo.ts", start: "2010-01-01", end: "2012-12-31",
 *   grid: parseGrid(["short=5,10", "long=20,40"]), root, environ: Deno.env.toObject() });
 * ```
 */
export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const plan = await planSweep(opts);
  const rows = await runSweepCells(plan, plan.cells, opts);
  return { plan, axes: opts.grid, rows };
}
