/**
 * The bundle-backed data portal for daily bars. All bars of the universe are read in one query
 * into private asset-major arrays; as the clock advances, each session's bars are copied into the
 * *visible* arrays the strategy's views point into, so no view — not even its underlying buffer —
 * can hold a bar later than the current one. History windows are views of the visible arrays
 * unless a split or dividend inside the window requires adjusted copies.
 */
import { DAY_MS } from "../../calendars/days.ts";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import {
  type Adjustment,
  AdjustmentFactors,
  BAR_FIELDS,
  type BarField as BundleField,
  type DailyBarSource,
} from "../../bundles/mod.ts";
import type { Asset } from "../assets/asset.ts";
import { assetsOfBundle } from "../assets/from_bundle.ts";
import type { BarField } from "../finance/market_view.ts";
import { roundHistory } from "./rounding.ts";
import { hasNaN, rawFieldNo } from "./bar_fields.ts";
import type { HistoryBeforeData } from "./history_start.ts";

export type { BarField };

/** A split or a cash dividend on a session, for the ledger and blotter. */
export interface CorporateAction {
  asset: Asset;
  /** Price multiplier for splits; for dividends the amount per share. */
  value: number;
  /** Dividends: pay date (UTC-midnight ms, NaN when none). */
  pay_date?: number;
}

export class DailyPortal {
  /** The portal's sessions: the bundle's first session through the simulation's end. */
  readonly sessions: Float64Array;
  readonly assets: readonly Asset[];
  private readonly slot = new Map<number, number>();
  private readonly priceFactors: AdjustmentFactors;
  private readonly volumeFactors: AdjustmentFactors;
  /** Per session index: the adjustments effective on it (for quick window checks). */
  private readonly adjustmentDays: Int32Array[];
  readonly splits = new Map<number, [Asset, number][]>();
  readonly dividends = new Map<number, CorporateAction[]>();
  /** Index of the last session whose bars are visible (-1 before the first). */
  current = -1;
  /**
   * What a strategy's history window reaching before the first session does (history_start.ts):
   * zipline's error, or NaN padding. Windows the runtime reads for itself always pad.
   */
  history_before_data: HistoryBeforeData = "raise";

  private constructor(
    readonly calendar: TradingCalendar,
    sessions: Float64Array,
    assets: Asset[],
    raw: Record<BundleField, Float64Array>,
    adjustments: Adjustment[],
  ) {
    this.sessions = sessions;
    this.assets = assets;
    assets.forEach((a, i) => {
      this.slot.set(a.sid, i);
      a.portalSlot = i;
    });
    this.raw = raw;
    this.nowByNo = BAR_FIELDS.map(() => new Float64Array(assets.length));
    const sids = assets.map((a) => a.sid);
    this.priceFactors = new AdjustmentFactors(sids, adjustments, "price");
    this.volumeFactors = new AdjustmentFactors(sids, adjustments, "volume");
    const days: number[][] = assets.map(() => []);
    for (const a of adjustments) {
      const i = this.slot.get(a.sid);
      if (i !== undefined) days[i].push(a.day);
    }
    this.adjustmentDays = days.map((d) => Int32Array.from(d.sort((x, y) => x - y)));
  }

  /** Loads every asset's bars from the bundle's first session through `end`, in one query. */
  static async load(reader: DailyBarSource, end: number): Promise<DailyPortal> {
    const first = reader.metadata.first_session;
    const assets = assetsOfBundle(reader.assets);
    const bars = await reader.loadDaily(assets.map((a) => a.sid), first, end);
    const adjustments = await reader.adjustments();
    const portal = new DailyPortal(
      reader.calendar,
      bars.sessions,
      assets,
      bars.fields as Record<BundleField, Float64Array>,
      adjustments,
    );
    for (const a of adjustments) {
      if (a.kind !== "split") continue;
      const t = portal.sessionIndex(a.day * DAY_MS);
      const asset = portal.asset(a.sid);
      if (t < 0 || !asset) continue;
      const list = portal.splits.get(t) ?? [];
      list.push([asset, a.ratio]);
      portal.splits.set(t, list);
    }
    for (const d of await reader.dividends()) {
      const t = portal.sessionIndex(d.ex_date);
      const asset = portal.asset(d.sid);
      if (t < 0 || !asset) continue;
      const list = portal.dividends.get(t) ?? [];
      list.push({ asset, value: d.amount, pay_date: d.pay_date });
      portal.dividends.set(t, list);
    }
    return portal;
  }

  /** Index of a session, or -1. */
  sessionIndex(session: number): number {
    const s = this.sessions;
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] < session) lo = mid + 1;
      else hi = mid;
    }
    return lo < s.length && s[lo] === session ? lo : -1;
  }

  asset(sid: number): Asset | undefined {
    const i = this.slot.get(sid);
    return i === undefined ? undefined : this.assets[i];
  }

  slotOf(asset: Asset): number {
    const own = asset.portalSlot;
    if (own >= 0 && this.assets[own] === asset) return own;
    const i = this.slot.get(asset.sid);
    if (i === undefined) throw new RangeError(`asset ${asset} is not in the bundle`);
    return i;
  }

  /**
   * Replaces one stored bar before it becomes visible (replaying a journal's recorded market
   * events over the bundle's).
   */
  setBar(
    asset: Asset,
    t: number,
    bar: { open: number; high: number; low: number; close: number; volume: number },
  ): void {
    if (t <= this.current) throw new RangeError("setBar: that session is already visible");
    const at = this.slotOf(asset) * this.sessions.length + t;
    BAR_FIELDS.forEach((f, k) => (this.rawOf(k)[at] = bar[f]));
  }

  /** Makes the bars of sessions up to index `t` visible. */
  advanceTo(t: number): void {
    if (t > this.current) this.current = t;
  }

  /**
   * The visible array of a field, caught up to the current session. A field is revealed for
   * every asset at once, the first time it is read after the clock moved: one check per read
   * instead of one per asset, and a strided copy of one bar per asset per session (a strategy
   * pays only for the fields it reads).
   */
  private shown(field: BundleField): Float64Array {
    const k = rawFieldNo(field);
    if (this.revealed[k] !== this.current) this.reveal(k);
    return this.visibleOf(k); // before the first session: made, nothing visible
  }

  /** Field `k`'s stored bars (from the bundle, asked for the first time the field is read). */
  private rawOf(k: number): Float64Array {
    return this.rawByNo[k] ??= this.raw[BAR_FIELDS[k]];
  }

  /** Field `k`'s visible array, made (nothing visible) the first time the field is revealed. */
  private visibleOf(k: number): Float64Array {
    let v = this.visibleByNo[k];
    if (v === null) {
      v = new Float64Array(this.sessions.length * this.assets.length)
        .fill(BAR_FIELDS[k] === "volume" ? 0 : NaN);
      this.visibleByNo[k] = v;
      this.visibleBuffers[k] = v.buffer as ArrayBuffer;
    }
    return v;
  }

  private reveal(k: number): void {
    const from = this.revealed[k], t = this.current, n = this.sessions.length;
    const src = this.rawOf(k), dst = this.visibleOf(k), row = this.nowByNo[k];
    if (t - from === 1) {
      for (let a = 0, at = t; a < row.length; a++, at += n) row[a] = dst[at] = src[at];
    } else {
      for (let a = 0, base = 0; a < row.length; a++, base += n) {
        dst.set(src.subarray(base + from + 1, base + t + 1), base + from + 1);
        row[a] = src[base + t];
      }
    }
    this.revealed[k] = t;
  }

  /**
   * The bundle's bars by field name, and by field number once read. A field nobody reads is
   * neither read from the bundle's cache nor given a visible array (a strategy trading on closes
   * never touches open, high or low: 12 of a 100 × 2,520 run's 20 MB).
   */
  private readonly raw: Record<BundleField, Float64Array>;
  private readonly rawByNo: (Float64Array | null)[] = BAR_FIELDS.map(() => null);
  private readonly visibleByNo: (Float64Array | null)[] = BAR_FIELDS.map(() => null);
  /** Their buffers (`.buffer` is an accessor; a view is made from one on every history call). */
  private readonly visibleBuffers: (ArrayBuffer | null)[] = BAR_FIELDS.map(() => null);
  /**
   * Per field number, the revealed session's bar of every asset side by side: spot reads at the
   * current bar (pricing positions, fills) stay in a few cache lines instead of one page per asset.
   */
  private readonly nowByNo: Float64Array[];
  /** Per field number: the last session index whose bars are in the visible array. */
  private readonly revealed = new Int32Array(BAR_FIELDS.length).fill(-1);

  /**
   * Hides again every session after `t` (used only before a run starts, e.g. after computing a
   * benchmark from the data).
   */
  rewindTo(t: number): void {
    const n = this.sessions.length, k = this.assets.length;
    BAR_FIELDS.forEach((f, no) => {
      const dst = this.visibleByNo[no], empty = f === "volume" ? 0 : NaN, upTo = this.revealed[no];
      if (dst === null) return; // never revealed
      if (upTo > t) {
        for (let a = 0; a < k; a++) dst.fill(empty, a * n + t + 1, a * n + upTo + 1);
      }
      this.revealed[no] = Math.min(upTo, t);
      const at = this.revealed[no], row = this.nowByNo[no];
      for (let a = 0; a < k; a++) row[a] = at < 0 ? empty : dst[a * n + at];
    });
    this.current = Math.min(this.current, t);
  }

  /** A field of asset `a`'s bar at session `t` as raw, unadjusted storage (t ≤ current). */
  private rawAt(field: BundleField, a: number, t: number): number {
    return this.shown(field)[a * this.sessions.length + t];
  }

  /** Last session index ≤ t with a close, or -1. */
  lastTradedIndex(asset: Asset, t = this.current): number {
    const a = this.slotOf(asset);
    const close = this.shown("close"), base = a * this.sessions.length;
    for (let s = Math.min(t, this.current); s >= 0; s--) {
      if (!Number.isNaN(close[base + s])) return s;
    }
    return -1;
  }

  /**
   * zipline's spot value at session `t`: OHLC of that bar (NaN if none), volume (0 if none), or
   * `price`: the close, else the last close before it adjusted as of `t`.
   */
  spot(asset: Asset, field: BarField, t = this.current): number {
    if (t < 0) return field === "volume" ? 0 : NaN;
    const a = this.slotOf(asset);
    if (t === this.current) {
      // Storage is private and a number cannot show a later bar: read it where it is cheapest —
      // the dense row when history already revealed the field, else the one stored value (no
      // reveal of 500 assets for a field only fills and pricing read).
      const k = field === "price" ? 3 : rawFieldNo(field);
      const v = this.revealed[k] === t
        ? this.nowByNo[k][a]
        : this.rawOf(k)[a * this.sessions.length + t];
      if (field !== "price" || v === v) return v;
    } else if (field !== "price") return this.rawAt(field, a, t);
    const close = this.rawAt("close", a, t);
    if (!Number.isNaN(close)) return close;
    const last = this.lastTradedIndex(asset, t);
    if (last < 0) return NaN;
    const day = this.sessions[last] / DAY_MS, asOf = this.sessions[t] / DAY_MS;
    return this.rawAt("close", a, last) * this.priceFactors.factor(a, day, asOf);
  }

  /** Whether asset slot `a` has an adjustment effective in (fromDay, toDay]. */
  private adjustedBetween(a: number, fromDay: number, toDay: number): boolean {
    const d = this.adjustmentDays[a];
    for (let k = 0; k < d.length; k++) if (d[k] > fromDay && d[k] <= toDay) return true;
    return false;
  }

  /**
   * The last `count` daily values of a field for one asset, ending at session `t` (inclusive),
   * adjusted as of `t`. A view of the visible array when nothing needs changing; else a copy.
   * `price` is the close forward-filled. Sessions before the first give NaN.
   */
  window(
    asset: Asset,
    field: BarField,
    count: number,
    t = this.current,
    asOfIndex = t,
  ): Float64Array {
    if (t === this.current && field !== "price") {
      const view = this.currentWindow(asset, rawFieldNo(field), count);
      if (view !== undefined) return view;
    }
    const n = this.sessions.length, a = this.slotOf(asset);
    const src = field === "price" ? "close" : field;
    const start = t - count + 1;
    const arr = this.shown(src);
    const base = a * n;
    const asOf = this.sessions[asOfIndex] / DAY_MS;
    const firstDay = this.sessions[Math.max(0, start)] / DAY_MS;
    const needsAdjust = this.adjustedBetween(a, firstDay, asOf);
    let out: Float64Array;
    if (start >= 0 && !needsAdjust) {
      out = arr.subarray(base + start, base + t + 1);
      if (field !== "price" || !hasNaN(out)) return out;
      out = out.slice();
    } else {
      out = new Float64Array(count).fill(src === "volume" ? 0 : NaN);
      const from = Math.max(0, start);
      out.set(arr.subarray(base + from, base + t + 1), from - start);
      if (needsAdjust) {
        const factors = src === "volume" ? this.volumeFactors : this.priceFactors;
        for (let k = from - start; k < count; k++) {
          const day = this.sessions[start + k] / DAY_MS;
          out[k] = roundHistory(out[k] * factors.factor(a, day, asOf));
        }
      }
    }
    if (field === "price") this.forwardFill(out, asset, start, t);
    return out;
  }

  /**
   * The common case of `window`, for the hot path: field number `k` (open … volume) of an asset
   * with no split or dividend at all, ending at the current session — a view made straight from
   * the buffer (cheaper than subarray's species lookup). Undefined when that does not apply.
   */
  currentWindow(asset: Asset, k: number, count: number): Float64Array | undefined {
    const a = asset.portalSlot, t = this.current, start = t - count + 1;
    if (a < 0 || this.assets[a] !== asset || start < 0 || this.adjustmentDays[a].length !== 0) {
      return undefined;
    }
    if (this.revealed[k] !== t) this.reveal(k);
    return new Float64Array(
      this.visibleBuffers[k]!,
      (a * this.sessions.length + start) * 8,
      count,
    );
  }

  /** Price adjustment factor for a bar on session index `bar` seen as of session index `asOf`. */
  priceFactor(asset: Asset, bar: number, asOf: number): number {
    return this.priceFactors.factor(
      this.slotOf(asset),
      this.sessions[bar] / DAY_MS,
      this.sessions[asOf] / DAY_MS,
    );
  }

  /** Volume adjustment factor, likewise (splits only, inverted). */
  volumeFactor(asset: Asset, bar: number, asOf: number): number {
    return this.volumeFactors.factor(
      this.slotOf(asset),
      this.sessions[bar] / DAY_MS,
      this.sessions[asOf] / DAY_MS,
    );
  }

  private forwardFill(out: Float64Array, asset: Asset, start: number, t: number): void {
    let last = NaN;
    if (Number.isNaN(out[0]) && start > 0) last = this.spot(asset, "price", Math.min(start - 1, t));
    for (let k = 0; k < out.length; k++) {
      if (Number.isNaN(out[k])) out[k] = last;
      else last = out[k];
    }
  }

  private lastIndex: Float64Array | null = null;
  private lastIndexT = -1;
  private lastIndexCount = -1;

  /** The sessions of a window ending at `t` (a view when it starts within the portal). */
  windowIndex(count: number, t = this.current): Float64Array {
    // Every asset's window on a bar shares one index: reuse it rather than make a view per call.
    // (Compared field by field: a key like `t * 1_000_003 + count` outgrows a small integer after
    // 2,147 sessions, and V8 throws away the code it optimised for one.)
    if (t === this.lastIndexT && count === this.lastIndexCount && this.lastIndex) {
      return this.lastIndex;
    }
    this.lastIndexT = t;
    this.lastIndexCount = count;
    return this.lastIndex = this.makeWindowIndex(count, t);
  }

  private makeWindowIndex(count: number, t: number): Float64Array {
    const start = t - count + 1;
    if (start >= 0) return this.sessions.subarray(start, t + 1);
    const out = new Float64Array(count).fill(NaN);
    out.set(this.sessions.subarray(0, t + 1), -start);
    return out;
  }
}
