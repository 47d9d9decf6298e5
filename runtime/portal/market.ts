/**
 * `MarketData`: what the algorithm and `data` read at the current bar, whatever the frequency.
 * Daily backtests read the daily portal at the current session; minute backtests read minute
 * bars (see minute_market.ts). History is sync when the data is at hand and a Promise when it
 * must be fetched first (older minute sessions; a live feed).
 */
import type { Asset } from "../assets/asset.ts";
import type { BarField } from "../finance/market_view.ts";
import type { DailyPortal } from "./daily_portal.ts";
import { checkDailyWindow } from "./history_start.ts";

export type Frequency = "1d" | "1m";

export interface MarketData {
  /** A field of the current bar (see MarketView.current). */
  spot(asset: Asset, field: BarField): number;
  /** When the asset last traded (UTC ms; a session label in daily mode), NaN if never. */
  lastTraded(asset: Asset): number;
  /** The last `count` values ending with the current bar, adjusted as of now. */
  history(
    asset: Asset,
    field: BarField,
    count: number,
    frequency: Frequency,
  ): Float64Array | Promise<Float64Array>;
  /** The labels of such a window (session labels for 1d, minutes for 1m). */
  historyIndex(count: number, frequency: Frequency): Float64Array;
  /** A live feed's own staleness (no bar for too long); absent: no bar on the current bar. */
  isStale?(asset: Asset): boolean;
  /** A live feed's own tradability (a fresh bar and a price); absent: a known price. */
  canTrade?(asset: Asset): boolean;
}

/** Daily mode: everything from the daily portal at the algorithm's current session. */
export class DailyMarket implements MarketData {
  constructor(readonly portal: DailyPortal, private readonly index: () => number) {}

  spot(asset: Asset, field: BarField): number {
    return this.portal.spot(asset, field, this.index());
  }

  lastTraded(asset: Asset): number {
    const t = this.portal.lastTradedIndex(asset, this.index());
    return t < 0 ? NaN : this.portal.sessions[t];
  }

  history(asset: Asset, field: BarField, count: number): Float64Array {
    const p = this.portal, t = this.index();
    checkDailyWindow(p.sessions, t, count, p.calendar, p.history_before_data);
    return p.window(asset, field, count, t);
  }

  historyIndex(count: number): Float64Array {
    return this.portal.windowIndex(count, this.index());
  }
}
