/**
 * Minute bars for a minute backtest. Sessions are read from the bundle a chunk at a time (one
 * query per chunk, memory bounded whatever the span of years). Windows are views of visible
 * arrays, into which an asset's bars of a field are copied up to the current minute when a
 * window of them is asked for: a view can never hold a later bar, and fields and assets nobody
 * reads are never copied (copying every field of every asset at every minute, strided across
 * the assets' rows, was a tenth of a minute backtest's time). Single values (`current`, fills,
 * today's bar so far) are read from the bundle's arrays at or before the current minute.
 * Daily history in a minute backtest is the completed sessions from the daily portal plus
 * today's bar so far.
 */
import type { MinuteBarReader } from "../../bundles/mod.ts";
import { BAR_FIELDS } from "../../bundles/mod.ts";
import type { Asset } from "../assets/asset.ts";
import type { BarField } from "../finance/market_view.ts";
import type { DailyPortal } from "./daily_portal.ts";
import type { Frequency, MarketData } from "./market.ts";
import { checkDailyWindow, checkMinuteWindow } from "./history_start.ts";
import { rawFieldNo } from "./bar_fields.ts";
import {
  adjustRun,
  type Chunk,
  closeBefore,
  copyChunkTail,
  holds,
  partialBar,
  readChunk,
  SessionCloses,
  sessionOfPos,
  sessionsBack,
  source,
  windowLabels,
  windowStart,
} from "./minute_chunks.ts";
import { roundHistory } from "./rounding.ts";
import { BufferPool } from "./buffer_pool.ts";

const CLOSE = BAR_FIELDS.indexOf("close"), VOLUME = BAR_FIELDS.indexOf("volume");

/** Cells (assets × minutes) per chunk: about 160 MB of raw and visible arrays at most. */
const CHUNK_CELLS = 2_000_000;

export class MinuteMarket implements MarketData {
  private cur: Chunk | null = null;
  private prev: Chunk | null = null;
  /** The chunk after `cur`, being read while `cur` is simulated. */
  private next: Promise<Chunk> | null = null;
  /**
   * Sessions before those `cur` and `prev` hold, read when a window reaches back to them (the
   * first minutes of a run, or a window longer than two chunks), kept while it is adjacent.
   */
  private older: Chunk | null = null;
  private olderRead: Promise<Chunk> | null = null;
  /** Portal index of the current session, and the position of the current minute in the chunk. */
  private t = -1;
  private pos = -1;
  private sessionStart = 0;
  /** Per asset: the last close of the session so far and its minute. */
  private readonly closes: SessionCloses;
  private readonly sids: number[];
  private readonly chunkSessions: number;
  /**
   * Sessions in the next chunk read: 1, then `chunkSessions`. The first is waited for, and a whole
   * one kept the first bar waiting 25 ms on a cold database; the rest are read ahead.
   */
  private nextChunkSessions = 1;
  /** The bundle arrays of dropped chunks, for the chunks read after them (`drop`). */
  private readonly pool: BufferPool;

  constructor(
    private readonly portal: DailyPortal,
    private readonly reader: MinuteBarReader,
    /** Portal index of the simulation's last session. */
    private readonly lastSession: number,
  ) {
    const k = portal.assets.length;
    this.sids = portal.assets.map((a) => a.sid);
    this.closes = new SessionCloses(k);
    const perDay = Math.max(1, reader.metadata.minutes_per_day || 390);
    this.chunkSessions = Math.max(
      1,
      Math.min(21, Math.floor(CHUNK_CELLS / Math.max(1, k * perDay))),
    );
    // Two chunks' worth: the one dropped when the next is read, and the one before it while the
    // read after that is still under way.
    this.pool = new BufferPool(2 * BAR_FIELDS.length, this.chunkSessions * perDay * k * 8);
  }

  private load(first: number): Promise<Chunk> {
    const last = Math.min(this.lastSession, first + this.nextChunkSessions - 1);
    this.nextChunkSessions = this.chunkSessions;
    return this.read(first, last);
  }

  /** Sessions `first`…`last` (portal indices) of every asset, in one read. */
  private read(first: number, last: number): Promise<Chunk> {
    const { sessions } = this.portal;
    return readChunk(this.reader, this.sids, first, sessions[first], sessions[last], this.pool);
  }

  /**
   * Gives chunk `c`'s bundle arrays back for reuse, unless it is still held. Only those: its
   * visible arrays may live on as history windows' views; the bundle arrays are only copied from.
   */
  private drop(c: Chunk | null): void {
    if (c && c !== this.cur && c !== this.prev && c !== this.older) {
      this.pool.give(c.pooled ?? []);
    }
  }

  /**
   * Field `k`'s visible array of the current chunk, with asset slot `a`'s bars copied in up to
   * the current minute (one contiguous run of the asset's row).
   */
  private visible(k: number, a: number): Float64Array {
    const c = this.cur!, n = c.bars.minutes.length;
    const dst = c.targets[k] ??= new Float64Array(n * this.sids.length).fill(
      k === VOLUME ? 0 : NaN,
    );
    const at = k * this.sids.length + a, from = c.shown[at], to = this.pos + 1;
    if (from < to) {
      const src = source(c, k), base = a * n;
      for (let i = base + from; i < base + to; i++) dst[i] = src[i];
      c.shown[at] = to;
    }
    return dst;
  }

  /**
   * Waits for a chunk still being read in the background. Call it before the reader closes: a
   * run that stops early (the strategy threw) leaves the next chunk's query running on DuckDB's
   * threads, and closing the database under it crashed the process (a segmentation fault about
   * one run in six, instead of the strategy's error).
   */
  async settle(): Promise<void> {
    const reads = [this.next, this.olderRead];
    this.next = this.olderRead = null;
    for (const r of reads) if (r) await r.catch(() => {});
  }

  /** Before a session: its chunk loaded, nothing of it visible yet. Awaited once per session. */
  async startSession(t: number): Promise<void> {
    const cur = this.cur;
    const inChunk = cur && t >= cur.first && t - cur.first < cur.bars.sessions.length;
    if (!inChunk) {
      const dropped = [this.prev, this.older];
      this.prev = cur;
      this.older = null; // adjacent to the chunk before `prev`, if at all: read again if needed
      for (const c of dropped) this.drop(c);
      const ahead = this.next ? await this.next : null;
      this.cur = ahead && ahead.first === t ? ahead : await this.load(t);
      if (ahead !== this.cur) this.drop(ahead);
      // Read the following chunk in the background (DuckDB works on its own threads).
      const following = t + this.cur.bars.sessions.length;
      this.next = following <= this.lastSession ? this.load(following) : null;
      this.next?.catch(() => {}); // surfaced when awaited
    }
    this.t = t;
    const c = this.cur!;
    this.sessionStart = c.bars.sessionStarts[t - c.first];
    this.pos = this.sessionStart - 1;
    this.closes.reset(this.sessionStart);
  }

  /** Number of minutes in the current session. */
  get sessionMinutes(): number {
    const c = this.cur!, k = this.t - c.first;
    return c.bars.sessionStarts[k + 1] - c.bars.sessionStarts[k];
  }

  /** The UTC ms of minute `k` of the current session. */
  minute(k: number): number {
    return this.cur!.bars.minutes[this.sessionStart + k];
  }

  /**
   * Makes the minute labelled `time` of the current session visible and current (minutes come
   * in order; a minute the bundle does not have leaves the bar where it was).
   */
  advanceToMinute(time: number): void {
    const n = this.sessionMinutes;
    let k = Math.max(0, this.pos - this.sessionStart);
    while (k < n - 1 && this.minute(k) < time) k++;
    if (this.minute(k) === time) this.advanceMinute(k);
  }

  /**
   * Makes minute `k` of the current session current (bars are copied into the visible arrays
   * when a window asks for them).
   */
  advanceMinute(k: number): void {
    this.pos = this.sessionStart + k;
  }

  /** The previous session's last price, adjusted as of today (NaN if it never traded). */
  private priorPrice(asset: Asset): number {
    return this.sessionPrice(asset, this.t - 1);
  }

  /** Session `y`'s last price (or the last before it), adjusted as of today. */
  private sessionPrice(asset: Asset, y: number): number {
    if (y < 0) return NaN;
    return this.portal.spot(asset, "price", y) * this.portal.priceFactor(asset, y, this.t);
  }

  /**
   * The last price before a window's first minute (`start` in the current chunk, or in one of
   * the chunks `before` it), adjusted as of today: what zipline fills a `price` window's leading
   * gaps with. NaN when the window starts before the data held.
   */
  private priceBefore(
    asset: Asset,
    start: number,
    before: readonly Chunk[],
    factor: (session: number) => number,
  ): number {
    const at = windowStart(this.cur!, start, before);
    if (at === null) return NaN;
    const [c, p] = at, s = sessionOfPos(c, p);
    const v = closeBefore(c, this.portal.slotOf(asset), p, CLOSE);
    if (v !== v) return this.sessionPrice(asset, s - 1);
    const f = s < this.t ? factor(s) : 1;
    return f === 1 ? v : roundHistory(v * f);
  }

  spot(asset: Asset, field: BarField): number {
    const a = this.portal.slotOf(asset);
    const c = this.cur;
    if (field === "price") {
      const v = c ? this.closes.scan(c, a, this.pos, CLOSE).close[a] : NaN;
      return v === v ? v : this.priorPrice(asset);
    }
    if (!c || this.pos < this.sessionStart) return field === "volume" ? 0 : NaN;
    return source(c, rawFieldNo(field))[a * c.bars.minutes.length + this.pos];
  }

  lastTraded(asset: Asset): number {
    const a = this.portal.slotOf(asset);
    const m = this.cur ? this.closes.scan(this.cur, a, this.pos, CLOSE).minute[a] : NaN;
    if (m === m) return m;
    const y = this.portal.lastTradedIndex(asset, this.t - 1);
    return y < 0 ? NaN : this.portal.calendar.session_close(this.portal.sessions[y]);
  }

  history(
    asset: Asset,
    field: BarField,
    count: number,
    frequency: Frequency,
  ): Float64Array | Promise<Float64Array> {
    const p = this.portal;
    if (frequency === "1d") {
      checkDailyWindow(p.sessions, this.t, count, p.calendar, p.history_before_data);
      return this.dailyWindow(asset, field, count);
    }
    const have = this.pos - this.sessionStart + 1;
    if (count > have) {
      const minute = have > 0 ? this.cur!.bars.minutes[this.pos] : NaN;
      checkMinuteWindow(p.sessions, this.t, have, count, minute, p.calendar, p.history_before_data);
    }
    return this.minuteWindow(asset, field, count);
  }

  private indexCache: Float64Array | null = null;
  private indexAt = { t: -1, pos: -1, count: -1 };

  historyIndex(count: number, frequency: Frequency): Float64Array {
    if (frequency === "1d") return this.portal.windowIndex(count, this.t);
    // Every asset's window at a minute shares one index (compared field by field: no key
    // arithmetic that outgrows a small integer, see `DailyPortal.windowIndex`).
    const at = this.indexAt;
    if (at.t === this.t && at.pos === this.pos && at.count === count && this.indexCache) {
      return this.indexCache;
    }
    at.t = this.t;
    at.pos = this.pos;
    at.count = count;
    return this.indexCache = windowLabels(this.cur!, this.pos, count, this.portal);
  }

  /**
   * The hot path of minute history: raw field number `k` (`bar_fields.ts`, the order of the
   * chunk's arrays) of one asset, `count` minutes ending now, all within the current chunk and,
   * when they reach into an earlier session, with no split or dividend between it and today (the
   * test `minuteWindow` makes) — as a view made straight from the buffer (cheaper than
   * `subarray`'s species lookup). Undefined when that does not apply. Such a window never starts
   * before the data (the chunk's sessions are the run's, its minutes the calendar's), so there is
   * nothing to check: in a ten-asset run, the first 49 minutes of each session's 50-minute
   * windows took three times the time of the other 341 on the general path.
   */
  currentWindow(asset: Asset, k: number, count: number): Float64Array | undefined {
    const c = this.cur, start = this.pos - count + 1;
    if (c === null || start < 0) return undefined;
    if (
      start < this.sessionStart &&
      this.portal.priceFactor(asset, sessionOfPos(c, start), this.t) !== 1
    ) return undefined;
    const a = this.portal.slotOf(asset), buf = this.visible(k, a);
    return new Float64Array(buf.buffer, (a * c.bars.minutes.length + start) * 8, count);
  }

  /**
   * Minute bars ending now; a view inside the current chunk when nothing needs adjusting. Minutes
   * before the chunk come from the chunks before it: the previous one, and an older read of the
   * bundle when the window reaches past it (a Promise then, the first time).
   */
  private minuteWindow(
    asset: Asset,
    field: BarField,
    count: number,
  ): Float64Array | Promise<Float64Array> {
    const a = this.portal.slotOf(asset), c = this.cur!;
    const src = field === "price" ? "close" : field, k = rawFieldNo(src);
    const visible = this.visible(k, a);
    const n = c.bars.minutes.length, start = this.pos - count + 1;
    const firstSession = sessionOfPos(c, Math.max(0, start));
    const adjusted = firstSession < this.t &&
      this.portal.priceFactor(asset, firstSession, this.t) !== 1;
    if (start >= 0 && !adjusted && field !== "price") {
      return visible.subarray(a * n + start, a * n + this.pos + 1);
    }
    const before = start < 0 ? this.chunksBefore(-start) : [];
    if (before instanceof Promise) return before.then(() => this.minuteWindow(asset, field, count));
    const out = new Float64Array(count).fill(src === "volume" ? 0 : NaN);
    const from = Math.max(0, start);
    out.set(visible.subarray(a * n + from, a * n + this.pos + 1), from - start);
    const p = this.portal, t = this.t;
    const factor = src === "volume"
      ? (s: number) => p.volumeFactor(asset, s, t)
      : (s: number) => p.priceFactor(asset, s, t);
    let end = -start;
    for (const ch of before) {
      copyChunkTail(out, ch, k, a, end, t, factor);
      end -= ch.bars.minutes.length;
    }
    adjustRun(out, c, from, from - start, count, t, factor);
    if (field === "price") {
      let last = this.priceBefore(asset, start, before, factor);
      for (let k = 0; k < out.length; k++) {
        if (out[k] === out[k]) last = out[k];
        else out[k] = last;
      }
    }
    return out;
  }

  /**
   * The chunks holding the `need` minutes before the current chunk (nearest first; fewer where
   * the data starts later): the previous chunk, then an older read. A Promise while the older
   * one is read: the sessions missing, a whole chunk's worth at least, so the windows of the
   * next minutes and of the other assets find them there.
   */
  private chunksBefore(need: number): Chunk[] | Promise<unknown> {
    const c = this.cur!, p = this.prev, list: Chunk[] = [];
    let first = c.first, held = 0;
    if (p && p.first + p.bars.sessions.length === first) {
      list.push(p);
      first = p.first;
      held = p.bars.minutes.length;
    }
    if (held >= need || first === 0) return list;
    if (holds(this.older, first, need - held)) {
      list.push(this.older);
      return list;
    }
    const s = sessionsBack(this.portal, first, need - held, this.chunkSessions);
    this.olderRead ??= this.read(s, first - 1).then((older) => {
      const dropped = this.older;
      this.older = older;
      this.drop(dropped);
      this.olderRead = null;
      return older;
    });
    return this.olderRead;
  }

  /** Completed sessions (adjusted as of today) and today's bar so far. */
  private dailyWindow(asset: Asset, field: BarField, count: number): Float64Array {
    const out = new Float64Array(count);
    if (count > 1) out.set(this.portal.window(asset, field, count - 1, this.t - 1, this.t));
    out[count - 1] = this.partialToday(asset, field);
    return out;
  }

  private partialToday(asset: Asset, field: BarField): number {
    if (field === "price") return this.spot(asset, "price");
    const a = this.portal.slotOf(asset), c = this.cur!, n = c.bars.minutes.length;
    // Up to the current minute only.
    return partialBar(source(c, rawFieldNo(field)), a * n, this.sessionStart, this.pos, field);
  }
}
