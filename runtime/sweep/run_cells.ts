/**
 * Runs a list of cells: finished ones come from the cache, the rest go to an executor, and each
 * result is cached as it arrives (so an interrupted sweep keeps every cell it finished).
 *
 * @module
 */
import { cellKey, type CellSpec } from "./cell.ts";
import type { CellCache } from "./cache.ts";
import type { Executor } from "./executor.ts";
import type { SweepProgress } from "./progress.ts";
import { failedRow, resultRow, type SweepRow } from "./table.ts";

/** How cells are run. */
export interface RunCellsOptions {
  executor: Executor;
  /** Where finished cells are kept; null: no cache at all. */
  cache: CellCache | null;
  /** Compute every cell again (results still go to the cache). */
  no_cache?: boolean;
  /** Called as cells start and finish. */
  progress?: (p: SweepProgress) => void;
  /** Called when a cell's first attempt failed and it runs again. */
  retrying?: (cell: CellSpec, error: string) => void;
}

/**
 * The rows of `cells`, in their order.
 *
 * @example
 * ```ts
 * const rows = await runCells(plan.cells, { executor: localExecutor(…), cache: CellCache.of(root) });
 * ```
 */
export async function runCells(
  cells: readonly CellSpec[],
  opts: RunCellsOptions,
): Promise<SweepRow[]> {
  const rows: (SweepRow | undefined)[] = new Array(cells.length);
  const keys = cells.map(cellKey);
  const state: SweepProgress = {
    total: cells.length,
    done: 0,
    failed: 0,
    running: 0,
    cached: 0,
    elapsed_ms: 0,
  };
  const t0 = performance.now();
  const tell = () => opts.progress?.({ ...state, elapsed_ms: performance.now() - t0 });
  const missing: number[] = [];
  // Two cells with one key (a grid listing a value twice in -D and --grid) run once.
  const firstOf = new Map<string, number>();
  keys.forEach((key, i) => {
    const hit = opts.cache && !opts.no_cache ? opts.cache.get(key) : undefined;
    if (hit) {
      rows[i] = resultRow({ ...hit, params: cells[i].params }, true);
      state.done++;
      state.cached++;
    } else if (!firstOf.has(key)) {
      firstOf.set(key, i);
      missing.push(i);
    }
  });
  tell();
  await opts.executor.run(missing.map((i) => cells[i]), {
    started() {
      state.running++;
      tell();
    },
    retrying(index, error) {
      opts.retrying?.(cells[missing[index]], error);
    },
    finished(index, outcome) {
      const i = missing[index];
      state.running--;
      if (outcome.ok) {
        opts.cache?.put(outcome.result);
        rows[i] = resultRow(outcome.result, false);
        state.done++;
      } else {
        rows[i] = failedRow(cells[i].params, outcome.error);
        state.failed++;
      }
      tell();
    },
  });
  // Duplicates take the row of the cell that ran.
  keys.forEach((key, i) => {
    if (!rows[i]) rows[i] = { ...rows[firstOf.get(key)!]!, params: cells[i].params };
  });
  return rows as SweepRow[];
}
