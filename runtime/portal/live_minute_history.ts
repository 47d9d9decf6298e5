/**
 * Minute history in a live minute session: the bundle's minute bars (earlier sessions, and any of
 * today's minutes the feed did not deliver) stitched with the feed's minutes on the calendar's
 * minute grid — no gap, no duplicate, the feed's bar winning a minute both have. The bundle's
 * minutes are read once per asset and session (asynchronously; the first window that needs them
 * is a Promise, later ones are plain arrays), adjusted as of the session for splits and dividends
 * and rounded as zipline rounds adjusted windows. `price` is forward-filled from the last price
 * before the window, across the bundle/feed boundary.
 */
import type {
  BarField as BundleField,
  DailyBarSource,
  MinuteBarReader,
  MinuteBars,
} from "../../bundles/mod.ts";
import { BAR_FIELDS, BundleReader } from "../../bundles/mod.ts";
import type { Asset } from "../assets/asset.ts";
import type { Bar } from "../model/broker.ts";
import type { BarField } from "../finance/market_view.ts";
import type { DailyPortal } from "./daily_portal.ts";
import { roundHistory } from "./rounding.ts";
import { lowerBound } from "../../calendars/precomputed.ts";

/** Where the bundle's minute bars come from (a `BundleReader`). */
export type MinuteBarSource = Pick<MinuteBarReader, "loadMinuteRange">;

/** One asset's minute bars from the feed, by minute label, in time order. */
export interface LiveBars {
  readonly times: readonly number[];
  readonly bars: readonly Bar[];
}

/** One asset's bundle minutes from session `first` through the current one, adjusted. */
interface Cached {
  /** Portal index of the first session read. */
  first: number;
  minutes: Float64Array;
  starts: Int32Array;
  fields: Record<BundleField, Float64Array>;
}

/** Cells (assets × minutes) read in one query: other tracked assets join a read up to this. */
const BATCH_CELLS = 1_000_000;

/**
 * The bundle's minute bars for a live session, read on first use: the session's own reader when
 * it is the database, else the same version's database opened when a minute window first needs
 * it (a daily cache has no minutes). `close` closes only what it opened.
 *
 * @example
 * ```ts
 * const minutes = bundleMinutes(source);
 * const market = new LiveMarket(portal, { minutes });
 * // … the session …
 * minutes.close();
 * ```
 */
export function bundleMinutes(source: DailyBarSource): MinuteBarSource & { close(): void } {
  if (source instanceof BundleReader) {
    return { loadMinuteRange: (...a) => source.loadMinuteRange(...a), close() {} };
  }
  let reader: Promise<BundleReader> | null = null;
  return {
    async loadMinuteRange(sids, first, last, fields) {
      reader ??= BundleReader.open(source.version).catch((e) => {
        reader = null; // a failed open is tried again by the next read
        throw e;
      });
      return await (await reader).loadMinuteRange(sids, first, last, fields);
    },
    close() {
      reader?.then((r) => r.close(), () => {});
      reader = null;
    },
  };
}

/** The minute windows of a live session (see the module's comment). */
export class LiveMinuteHistory {
  private readonly cache = new Map<number, Cached>();
  private readonly pending = new Map<number, Promise<void>>();
  /** Every read not yet finished, whatever session asked for it (see `settle`). */
  private readonly reading = new Set<Promise<void>>();
  private t = -1;
  private indexKey = "";
  private indexCache: { index: Float64Array; first: number } | null = null;

  constructor(
    private readonly portal: DailyPortal,
    private readonly source: MinuteBarSource | null,
    /** Sids the feed delivers (they join a bundle read while it has room). */
    private readonly tracked: () => Iterable<number> = () => [],
  ) {}

  /**
   * Waits for every bundle read still running. A session calls it before closing the bundle: a
   * read left running on a database that closes under it crashes the process (the minute
   * backtest's chunk reads did, see `MinuteMarket.settle`).
   */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.reading]);
  }

  /** Session `t` (portal index) begins: bundle minutes are read again, adjusted as of it. */
  startSession(t: number): void {
    this.t = t;
    this.cache.clear();
    this.pending.clear();
    this.indexCache = null;
  }

  /** The last `count` trading minutes ending at `minute` (NaN-padded at the start). */
  index(count: number, minute: number): Float64Array {
    return this.indexOf(count, minute).index;
  }

  /**
   * `field` over the last `count` minutes ending at `minute`: bundle minutes, then the feed's.
   * A Promise only while this session's bundle minutes for the window are being read.
   */
  window(
    asset: Asset,
    field: BarField,
    count: number,
    minute: number,
    live: LiveBars | undefined,
  ): Float64Array | Promise<Float64Array> {
    const { index, first } = this.indexOf(count, minute);
    const t = this.t;
    if (first < 0 || !this.source || this.covers(asset.sid, first)) {
      return this.stitch(asset, field, index, first, live);
    }
    // A session that began during the read has its own cache: this window goes without it.
    return this.load(asset, first).then(() =>
      this.stitch(asset, field, index, first, live, this.t === t)
    );
  }

  private indexOf(count: number, minute: number): { index: Float64Array; first: number } {
    // Every asset's window at a minute shares one index.
    const key = `${this.t}:${minute}:${count}`;
    if (key === this.indexKey && this.indexCache) return this.indexCache;
    this.indexKey = key;
    return this.indexCache = this.makeIndex(count, minute);
  }

  /** The window's minutes, and the portal index of the session of its first one (-1: none). */
  private makeIndex(count: number, minute: number): { index: Float64Array; first: number } {
    const index = new Float64Array(count).fill(NaN);
    const cal = this.portal.calendar, sessions = this.portal.sessions;
    let at = count, s = this.t, first = -1;
    if (s < 0) return { index, first };
    let mins = cal.session_minutes(sessions[s]);
    // Before the session's first bar (before_trading_start): the earlier sessions' minutes.
    let end = minute === minute ? lowerBound(mins, minute + 1) : 0;
    for (;;) {
      const take = Math.min(at, end);
      if (take > 0) {
        index.set(mins.subarray(end - take, end), at - take);
        first = s;
      }
      at -= take;
      if (at === 0 || --s < 0) break;
      mins = cal.session_minutes(sessions[s]);
      end = mins.length;
    }
    return { index, first };
  }

  private covers(sid: number, first: number): boolean {
    const c = this.cache.get(sid);
    return c !== undefined && c.first <= first;
  }

  /** Reads sessions `first`…now for the asset (and tracked assets lacking them, while room). */
  private async load(asset: Asset, first: number): Promise<void> {
    const waiting = this.pending.get(asset.sid);
    if (waiting) {
      await waiting;
      if (!this.covers(asset.sid, first)) await this.load(asset, first);
      return;
    }
    const t = this.t, cal = this.portal.calendar, sessions = this.portal.sessions;
    let span = 0;
    for (let s = first; s <= t; s++) span += cal.session_minute_count(sessions[s]);
    const room = Math.floor(BATCH_CELLS / Math.max(1, span));
    const sids = [asset.sid];
    for (const sid of this.tracked()) {
      if (sids.length >= room) break;
      if (
        sid !== asset.sid && !this.pending.has(sid) && !this.covers(sid, first) &&
        this.portal.asset(sid)
      ) sids.push(sid);
    }
    const read = this.source!.loadMinuteRange(sids, sessions[first], sessions[t])
      .then((bars) => {
        if (this.t === t) this.store(sids, first, bars);
      });
    for (const sid of sids) this.pending.set(sid, read);
    this.reading.add(read);
    try {
      await read;
    } finally {
      this.reading.delete(read);
      for (const sid of sids) if (this.pending.get(sid) === read) this.pending.delete(sid);
    }
  }

  /** Keeps each asset's rows of a read, adjusted as of the current session. */
  private store(sids: readonly number[], first: number, bars: MinuteBars): void {
    const n = bars.minutes.length, t = this.t, portal = this.portal;
    sids.forEach((sid, i) => {
      const asset = portal.asset(sid)!;
      const fields = Object.fromEntries(
        BAR_FIELDS.map((f) => [f, bars.fields[f]!.subarray(i * n, (i + 1) * n)]),
      ) as Record<BundleField, Float64Array>;
      for (let k = 0; k < bars.sessions.length; k++) {
        const s = first + k;
        if (s >= t) break; // today's bars need no adjustment as of today
        const pf = portal.priceFactor(asset, s, t), vf = portal.volumeFactor(asset, s, t);
        for (const f of BAR_FIELDS) {
          const x = f === "volume" ? vf : pf;
          if (x === 1) continue;
          const col = fields[f];
          for (let p = bars.sessionStarts[k]; p < bars.sessionStarts[k + 1]; p++) {
            col[p] = roundHistory(col[p] * x);
          }
        }
      }
      this.cache.set(sid, { first, minutes: bars.minutes, starts: bars.sessionStarts, fields });
    });
  }

  /** The window: NaN (volume 0), then the bundle's minutes, then the feed's over them. */
  private stitch(
    asset: Asset,
    field: BarField,
    index: Float64Array,
    first: number,
    live: LiveBars | undefined,
    useCache = true,
  ): Float64Array {
    const count = index.length, src: BundleField = field === "price" ? "close" : field;
    const out = new Float64Array(count).fill(src === "volume" ? 0 : NaN);
    const j0 = firstReal(index);
    if (j0 === count) return out;
    const c = useCache ? this.cache.get(asset.sid) : undefined;
    let p0 = -1;
    if (c && c.first <= first) {
      const col = c.fields[src], mins = c.minutes;
      p0 = lowerBound(mins, index[j0]);
      for (let j = j0, p = p0; j < count && p < mins.length; j++) {
        while (p < mins.length && mins[p] < index[j]) p++;
        if (mins[p] === index[j]) out[j] = col[p];
      }
    }
    if (live) {
      const times = live.times;
      for (let j = j0, k = lowerBound(times, index[j0]); j < count && k < times.length; j++) {
        while (k < times.length && times[k] < index[j]) k++;
        if (times[k] === index[j]) out[j] = live.bars[k][src];
      }
    }
    if (field === "price") {
      let last = this.priceBefore(asset, index[j0], first, p0 >= 0 ? c! : undefined, p0, live);
      for (let j = j0, s = first; j < count; j++) {
        // The last minute of an earlier session: its daily price when no minute bar says more.
        const close = j + 1 < count && index[j + 1] - index[j] > 60_000;
        if (close && out[j] !== out[j]) out[j] = this.dailyPrice(asset, s);
        if (out[j] === out[j]) last = out[j];
        else out[j] = last;
        if (close) s++;
      }
    }
    return out;
  }

  /**
   * The last price before minute `m0` of session `s`: the latest close before it in that session
   * (feed or bundle), else the previous session's price.
   */
  private priceBefore(
    asset: Asset,
    m0: number,
    s: number,
    c: Cached | undefined,
    p0: number,
    live: LiveBars | undefined,
  ): number {
    let at = -Infinity, v = NaN;
    if (c) {
      const from = c.starts[s - c.first], close = c.fields.close;
      for (let p = p0 - 1; p >= from; p--) {
        if (close[p] === close[p]) {
          at = c.minutes[p];
          v = close[p];
          break;
        }
      }
    }
    if (live) {
      const open = this.portal.calendar.session_open(this.portal.sessions[s]);
      for (let k = lowerBound(live.times, m0) - 1; k >= 0 && live.times[k] > open; k--) {
        const x = live.bars[k].close;
        if (x !== x) continue;
        if (live.times[k] >= at) v = x;
        break;
      }
    }
    return v === v || s < 1 ? v : this.dailyPrice(asset, s - 1);
  }

  /** Session `s`'s price (its close, else the last before it) adjusted as of now. */
  private dailyPrice(asset: Asset, s: number): number {
    const f = this.portal.priceFactor(asset, s, this.t), v = this.portal.spot(asset, "price", s);
    return f === 1 ? v : roundHistory(v * f);
  }
}

/** Index of the first non-NaN value (a.length if none). */
function firstReal(a: Float64Array): number {
  let j = 0;
  while (j < a.length && a[j] !== a[j]) j++;
  return j;
}
