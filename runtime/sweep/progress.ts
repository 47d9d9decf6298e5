/**
 * A sweep's progress: cells done, failed and running, cells per minute (of the cells computed,
 * not those read from the cache) and the time left at that rate.
 *
 * @module
 */

/** Counts of a sweep at one moment. */
export interface SweepProgress {
  total: number;
  done: number;
  failed: number;
  running: number;
  /** Of `done`, how many came from the cache. */
  cached: number;
  /** Milliseconds since the first cell was handed out. */
  elapsed_ms: number;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(r).padStart(2, "0")}s`;
}

/** Cells computed per minute so far (NaN before the first). */
export function cellsPerMinute(p: SweepProgress): number {
  const computed = p.done + p.failed - p.cached;
  return computed > 0 && p.elapsed_ms > 0 ? computed / (p.elapsed_ms / 60_000) : NaN;
}

/**
 * One line of progress.
 *
 * @example
 * ```ts
 * progressLine({ total: 8, done: 3, failed: 0, running: 2, cached: 0, elapsed_ms: 12_000 });
 * // "cells 3/8 done · 0 failed · 2 running · 15.0 cells/min · ETA 0m20s"
 * ```
 */
export function progressLine(p: SweepProgress): string {
  const rate = cellsPerMinute(p);
  const left = p.total - p.done - p.failed;
  const eta = left === 0 ? 0 : Number.isNaN(rate) ? NaN : (left / rate) * 60_000;
  const cached = p.cached ? ` (${p.cached} cached)` : "";
  return `cells ${p.done}/${p.total} done${cached} · ${p.failed} failed · ${p.running} running · ${
    Number.isNaN(rate) ? "–" : rate.toFixed(1)
  } cells/min · ETA ${duration(eta)}`;
}

/** Writes progress lines: redrawn in place on a terminal, nothing otherwise. */
export function progressWriter(
  write: (text: string) => void,
  terminal: boolean,
): { update(p: SweepProgress): void; done(p: SweepProgress): void } {
  if (!terminal) return { update() {}, done() {} };
  return {
    update: (p) => write(`\r\x1b[2K${progressLine(p)}`),
    done: (p) => write(`\r\x1b[2K${progressLine(p)}\n`),
  };
}
