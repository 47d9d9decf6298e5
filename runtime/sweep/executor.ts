/**
 * Executors run the cells a sweep still needs: on this machine's cores (a process per cell), in
 * this process (a notebook's inline strategy), or on a Redis queue's workers. All of them retry a
 * failed cell once and report each cell as it starts and ends.
 *
 * @module
 */
import type { CellSpec } from "./cell.ts";
import type { Strategy } from "../engine/strategy.ts";
import { type CellOutcome, type ProcessOptions, runCellProcess } from "./process_runner.ts";
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
 * Cells on this machine: `workers` processes at a time, each cell in a new process.
 *
 * @example
 * ```ts
 * await localExecutor({ workers: 2, process: { env } }).run(cells, listener);
 * ```
 */
export function localExecutor(opts: { workers: number; process: ProcessOptions }): Executor {
  return {
    async run(cells, listener) {
      let next = 0;
      const slot = async () => {
        while (next < cells.length) {
          const i = next++;
          await withRetry(i, listener, () => runCellProcess(cells[i], opts.process));
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, slot));
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
