/**
 * Cell processes ready for work: a cell takes an idle process (or starts one), and gives it back
 * when done; a process that ended (a crash) is dropped, and one that ran many cells is replaced,
 * which bounds what repeated strategy imports keep in memory.
 *
 * @module
 */
import type { CellSpec } from "./cell.ts";
import { type CellOutcome, CellProcess, type ProcessOptions } from "./cell_process.ts";

/** Cells a process runs before a fresh one takes over. */
export const CELLS_PER_PROCESS = 100;

/** A pool of cell processes. */
export class ProcessPool {
  readonly #idle: CellProcess[] = [];
  readonly #all = new Set<CellProcess>();

  constructor(private readonly opts: ProcessOptions) {}

  /**
   * Runs a cell in a process of the pool.
   *
   * @example
   * ```ts
   * const pool = new ProcessPool({ env: Deno.env.toObject() });
   * const outcome = await pool.run(spec);
   * await pool.close();
   * ```
   */
  async run(spec: CellSpec): Promise<CellOutcome> {
    let p = this.#idle.pop();
    while (p && !p.alive) p = this.#idle.pop();
    if (!p) {
      p = new CellProcess(this.opts);
      this.#all.add(p);
    }
    const outcome = await p.run(spec);
    if (p.alive && p.cells < CELLS_PER_PROCESS) this.#idle.push(p);
    else {
      this.#all.delete(p);
      void p.close();
    }
    return outcome;
  }

  /** Ends every process of the pool. */
  async close(): Promise<void> {
    const all = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(all.map((p) => p.close()));
  }
}
