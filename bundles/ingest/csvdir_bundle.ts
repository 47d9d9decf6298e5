/**
 * `csvdir_equities`, the csvdir bundle's ingest function, without its implementation: that
 * (`csvdir.ts`: DuckDB, the CSV checks, gzip) is loaded when an ingest runs, so a backtest, which
 * registers the builtin bundles, never loads it.
 *
 * @module
 */
import type { IngestFunction } from "../registry.ts";

export type TimeFrame = "daily" | "minute";

export interface CsvdirOptions {
  /** Which sub-folders to read; default: whichever of daily/ and minute/ exist. */
  tframes?: TimeFrame[];
  /** The folder; default: `--csvdir`, then `CSVDIR`. */
  csvdir?: string;
  /** Exchange written for assets without metadata (zipline writes "CSVDIR"). */
  exchange?: string;
}

/** zipline's `csvdir_equities(tframes, csvdir)`: an ingest function for a csvdir folder. */
export function csvdir_equities(opts: CsvdirOptions = {}): IngestFunction {
  return async (args) => {
    const { ingestCsvdir } = await import("./csvdir.ts");
    return ingestCsvdir(args, opts);
  };
}
