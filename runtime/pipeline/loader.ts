/**
 * The loader seam: what the engine asks a data source for when a pipeline uses DataSet columns
 * (zipline's `PipelineLoader.load_adjusted_array`). One call per chunk and group of columns.
 */
import type { Asset } from "../assets/asset.ts";
import type { BoundColumn } from "./dataset.ts";
import type { AdjustedArray } from "./window.ts";

/** One load: columns × dates × assets. */
export interface LoadRequest {
  readonly columns: readonly BoundColumn[];
  /**
   * The pipeline days (sessions, UTC-midnight ms). Row `t` of each loaded array holds what was
   * known before `dates[t]`'s open (for daily bars: the previous session's bar).
   */
  readonly dates: Float64Array;
  /** Every session of the calendar, ascending (to find previous sessions). */
  readonly sessions: Float64Array;
  /** The asset columns, sids ascending. */
  readonly assets: readonly Asset[];
  readonly sids: Int32Array;
}

/** Provides DataSet columns to the pipeline engine. */
export interface PipelineLoader {
  /**
   * One `dates.length × assets.length` date-major array per requested column (Float64Array for
   * float64, Uint8Array for bool, Int32Array for int64 columns), with the adjustments windows
   * must apply as they move (or null).
   */
  load(request: LoadRequest): Promise<AdjustedArray[]>;
}
