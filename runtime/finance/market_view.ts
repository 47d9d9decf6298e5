/**
 * What fill models see of the market on the current bar: synchronous field lookups for the
 * engine's own use (the strategy's `data` object is the async face of the same portal).
 */
import type { Asset } from "../assets/asset.ts";

export type BarField = "open" | "high" | "low" | "close" | "volume" | "price";

export interface MarketView {
  /** The current bar's time (UTC ms): the session close in daily mode, the minute otherwise. */
  readonly current_dt: number;
  /** A field of the current bar: OHLC NaN and volume 0 when the asset did not trade; `price` is
   * the last close forward-filled (adjusted as of now). */
  current(asset: Asset, field: BarField): number;
}
