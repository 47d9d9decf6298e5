/**
 * Executors run the cells a sweep still needs: on this machine's cores (a process per cell), in
 * this process (a notebook's inline strategy), or on a Redis queue's workers. All of them retry a
 * failed cell once and report each cell as it starts and ends.
 *
 * @module
 */
import { availableParallelism } from "node:os";
import type { CellSpec } from "./cell.ts";
import type { Strategy } from "../engine/strategy.ts";
import type { CellOutcome, ProcessOptions } from "./cell_process.ts";
import { ProcessPool } from "./process_pool.ts";
import { type CellEnvironment, runCell } from "./run_cell.ts";

/** What an executor tells as cells move. */
export interface ExecutorListener {
  started(index: number): void;
  /** A first attempt failed; the cell runs once more. */
  retrying(index: number, error: string): void;
  finished(index: number, outcome: CellOutcome): void;
}

/** Runs cells; resolves when every cell has finished (or failed twice). */
export interface Executor {
  run(cells: readonly CellSpec[], listener: ExecutorListener): Promise<void>;
}

/** How many times a cell is tried before it is reported failed. */
export const ATTEMPTS = 2;

async function withRetry(
  index: number,
  listener: ExecutorListener,
  attempt: () => Promise<CellOutcome>,
): Promise<void> {
  listener.started(index);
  let outcome = await attempt();
  for (let n = 1; !outcome.ok && n < ATTEMPTS; n++) {
    listener.retrying(index, outcome.error);
    outcome = await attempt();
  }
  listener.finished(index, outcome);
}

/**
 * Cells on this machine: `workers` processes at a time, each running cells one after another
 * (a process that crashed is replaced by a fresh one, where the retry runs).
 *
 * @example
 * ```ts
 * await localExecutor({ workers: 2, process: { env } }).run(cells, listener);
 * ```
 */
export function localExecutor(opts: { workers: number; process: ProcessOptions }): Executor {
  return {
    async run(cells, listener) {
      const workers = Math.max(1, opts.workers);
      // Helper threads help a lone cell; when cells fill the cores they only compete.
      const pool = new ProcessPool({
        single_threaded: workers >= availableParallelism(),
        ...opts.process,
      });
      let next = 0;
      const slot = async () => {
        while (next < cells.length) {
          const i = next++;
          await withRetry(i, listener, () => pool.run(cells[i]));
        }
      };
      try {
        await Promise.all(Array.from({ length: workers }, slot));
      } finally {
        await pool.close();
      }
    },
  };
}

/**
 * Cells in this process, one after another: for a strategy given as functions (a notebook's),
 * which no other process can load. No isolation: a crash here is the notebook's.
 */
export function inProcessExecutor(strategy: Strategy, env: CellEnvironment): Executor {
  return {
    async run(cells, listener) {
      for (let i = 0; i < cells.length; i++) {
        await withRetry(i, listener, async () => {
          try {
            return { ok: true, result: await runCell(cells[i], env, strategy) };
          } catch (e) {
            return { ok: false, error: `${(e as Error).name}: ${(e as Error).message}` };
          }
        });
      }
    },
  };
}
