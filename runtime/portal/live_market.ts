/**
 * `MarketData` for a live minute session: the bundle's daily bars through yesterday (the daily
 * portal) and the broker's minute bars as they arrive. Daily history is the completed sessions
 * stitched with today's bar so far, built from today's minutes (no gap, no duplicate); minute
 * history is the bundle's minute bars stitched with the feed's on the calendar's minute grid (a
 * live bar for the same minute wins; see live_minute_history.ts). An asset without a bar for
 * longer than `staleAfterMs` is stale and cannot be traded.
 */
import type { Asset } from "../assets/asset.ts";
import type { Bar } from "../model/broker.ts";
import type { BarField } from "../finance/market_view.ts";
import type { DailyPortal } from "./daily_portal.ts";
import { LiveMinuteHistory, type MinuteBarSource } from "./live_minute_history.ts";
import type { Frequency, MarketData } from "./market.ts";
import { checkDailyWindow } from "./history_start.ts";
import { addToBar } from "./bar_fields.ts";

/** One asset's minute bars, by minute label, in time order. */
interface Track {
  times: number[];
  bars: Bar[];
  /** Our clock when the feed last delivered a bar for it (UTC ms). */
  seen: number;
}

export interface LiveMarketOptions {
  /** No bar for longer than this (ms) makes an asset stale. @default 5 minutes */
  staleAfterMs?: number;
  /** Our clock, for staleness. @default Date.now */
  now?: () => number;
  /** The bundle's minute bars, for minute history before the feed's (none: the feed's only). */
  minutes?: MinuteBarSource;
}

export class LiveMarket implements MarketData {
  private readonly tracks = new Map<number, Track>();
  private t = -1;
  private session = NaN;
  /** The current minute (its label); NaN before the first bar of the session. */
  private minute = NaN;
  private readonly staleAfter: number;
  private readonly now: () => number;
  private readonly minutes: LiveMinuteHistory;
  /** Our clock when the feed last delivered any bar (UTC ms), NaN if never. */
  lastFeedBar = NaN;

  constructor(private readonly portal: DailyPortal, opts: LiveMarketOptions = {}) {
    this.staleAfter = opts.staleAfterMs ?? 300_000;
    this.now = opts.now ?? Date.now;
    this.minutes = new LiveMinuteHistory(portal, opts.minutes ?? null, () => this.tracks.keys());
  }

  /** Waits for the bundle's minute reads still running (before the bundle closes). */
  settle(): Promise<void> {
    return this.minutes.settle();
  }

  /** Starts session `t` (portal index): earlier sessions' minutes are dropped. */
  startSession(t: number): void {
    this.t = t;
    this.session = this.portal.sessions[t];
    this.minute = NaN;
    this.minutes.startSession(t);
    const from = this.portal.calendar.session_open(this.session);
    for (const tr of this.tracks.values()) {
      const k = tr.times.findIndex((m) => m > from);
      const keep = k < 0 ? tr.times.length : k;
      tr.times.splice(0, keep);
      tr.bars.splice(0, keep);
    }
  }

  /** Makes every bar labelled up to `minute` visible (the clock's bar event). */
  advanceTo(minute: number): void {
    this.minute = minute;
  }

  /** The current minute (NaN before the session's first bar event). */
  get currentMinute(): number {
    return this.minute;
  }

  /** A bar from the feed (or the bundle's minute data, `fromFeed` false). */
  addBar(asset: Asset, bar: Bar, fromFeed = true): void {
    let tr = this.tracks.get(asset.sid);
    if (!tr) this.tracks.set(asset.sid, tr = { times: [], bars: [], seen: NaN });
    if (fromFeed) tr.seen = this.lastFeedBar = this.now();
    let k = tr.times.length;
    while (k > 0 && tr.times[k - 1] > bar.time) k--;
    if (k > 0 && tr.times[k - 1] === bar.time) {
      if (fromFeed) tr.bars[k - 1] = bar; // the live bar wins over a seeded one
      return;
    }
    tr.times.splice(k, 0, bar.time);
    tr.bars.splice(k, 0, bar);
  }

  /** Whether every asset in `assets` has its bar labelled `minute`. */
  hasBars(assets: readonly Asset[], minute: number): boolean {
    return assets.every((a) => {
      const tr = this.tracks.get(a.sid);
      return tr !== undefined && tr.times.includes(minute);
    });
  }

  /** Index of the last visible bar of a track, -1 if none. */
  private lastVisible(tr: Track | undefined): number {
    if (!tr || this.minute !== this.minute) return -1;
    let k = tr.times.length - 1;
    while (k >= 0 && tr.times[k] > this.minute) k--;
    return k;
  }

  /** The previous session's last price, adjusted as of today (NaN if it never traded). */
  private priorPrice(asset: Asset): number {
    const y = this.t - 1;
    if (y < 0) return NaN;
    return this.portal.spot(asset, "price", y) * this.portal.priceFactor(asset, y, this.t);
  }

  spot(asset: Asset, field: BarField): number {
    const tr = this.tracks.get(asset.sid), k = this.lastVisible(tr);
    if (field === "price") return k >= 0 ? tr!.bars[k].close : this.priorPrice(asset);
    if (k < 0 || tr!.times[k] !== this.minute) return field === "volume" ? 0 : NaN;
    return tr!.bars[k][field];
  }

  lastTraded(asset: Asset): number {
    const tr = this.tracks.get(asset.sid), k = this.lastVisible(tr);
    if (k >= 0) return tr!.times[k];
    const y = this.portal.lastTradedIndex(asset, this.t - 1);
    return y < 0 ? NaN : this.portal.calendar.session_close(this.portal.sessions[y]);
  }

  /** No bar from the feed for longer than the stale time (having traded before). */
  isStale(asset: Asset): boolean {
    const seen = this.tracks.get(asset.sid)?.seen ?? NaN;
    if (seen === seen) return this.now() - seen > this.staleAfter;
    return !Number.isNaN(this.lastTraded(asset));
  }

  /** A price is known and the feed is not stale for the asset. */
  canTrade(asset: Asset): boolean {
    const seen = this.tracks.get(asset.sid)?.seen ?? NaN;
    return seen === seen && this.now() - seen <= this.staleAfter &&
      !Number.isNaN(this.spot(asset, "price"));
  }

  /** Daily windows are at hand; a minute window waits for the bundle's minutes on first use. */
  history(asset: Asset, field: BarField, count: number, frequency: "1d"): Float64Array;
  history(
    asset: Asset,
    field: BarField,
    count: number,
    frequency: Frequency,
  ): Float64Array | Promise<Float64Array>;
  history(
    asset: Asset,
    field: BarField,
    count: number,
    frequency: Frequency,
  ): Float64Array | Promise<Float64Array> {
    return frequency === "1d"
      ? this.dailyWindow(asset, field, count)
      : this.minutes.window(asset, field, count, this.minute, this.tracks.get(asset.sid));
  }

  historyIndex(count: number, frequency: Frequency): Float64Array {
    if (frequency === "1d") return this.portal.windowIndex(count, this.t);
    return this.minutes.index(count, this.minute);
  }

  /** Completed sessions from the bundle (adjusted as of today) and today's bar so far. */
  private dailyWindow(asset: Asset, field: BarField, count: number): Float64Array {
    const p = this.portal;
    checkDailyWindow(p.sessions, this.t, count, p.calendar, p.history_before_data);
    const out = new Float64Array(count);
    if (count > 1) out.set(this.portal.window(asset, field, count - 1, this.t - 1, this.t));
    out[count - 1] = this.partialToday(asset, field);
    return out;
  }

  private partialToday(asset: Asset, field: BarField): number {
    if (field === "price") return this.spot(asset, "price");
    const tr = this.tracks.get(asset.sid), last = this.lastVisible(tr);
    let acc = field === "volume" ? 0 : NaN;
    for (let k = 0; k <= last; k++) acc = addToBar(acc, tr!.bars[k][field], field);
    return acc;
  }
}
