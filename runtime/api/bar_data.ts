/**
 * `data`: the strategy's view of the market (zipline's BarData). Every call returns a Promise
 * (a live portal may fetch); in a backtest they resolve at once. Shapes follow zipline: one asset
 * and one field give a number or a Series; several give a Series indexed by asset or field, a
 * Frame, or a HistoryPanel for several assets × several fields. History includes the current bar,
 * is adjusted as of now, and never holds a later bar.
 */
import { Asset } from "../assets/asset.ts";
import type { TradingAlgorithm } from "./algorithm.ts";
import type { BarField } from "../finance/market_view.ts";
import { UnsupportedOrderParameters } from "./errors.ts";
import { HarvesterError } from "../errors.ts";
import { DailyMarket } from "../portal/market.ts";
import { MinuteMarket } from "../portal/minute_market.ts";
import { rawFieldNo } from "../portal/bar_fields.ts";
import { Frame } from "../frames/frame.ts";
import { HistoryPanel } from "../frames/history_panel.ts";
import { Series } from "../frames/series.ts";

export type CurrentField = BarField | "last_traded";
const CURRENT_FIELDS = new Set(["open", "high", "low", "close", "volume", "price", "last_traded"]);
const HISTORY_FIELDS = new Set(["open", "high", "low", "close", "volume", "price"]);
/** A bad argument to a `data` method. */
export class BarDataError extends HarvesterError {
  override name = "BarDataError";
}

function assetsOf(x: Asset | readonly Asset[]): Asset[] {
  const list = Array.isArray(x) ? x as Asset[] : [x as Asset];
  for (const a of list) {
    if (!(a instanceof Asset)) {
      throw new UnsupportedOrderParameters(
        `expected an Asset (from symbol() or sid()), got ${String(a)}`,
      );
    }
  }
  return list;
}

function fieldsOf(x: string | readonly string[], allowed: Set<string>, fn: string): string[] {
  const list = Array.isArray(x) ? [...x] as string[] : [x as string];
  for (const f of list) {
    if (!allowed.has(f)) {
      throw new BarDataError(`${fn}: unknown field "${f}"; fields: ${[...allowed].join(", ")}`);
    }
  }
  return list;
}

export class BarData {
  /** Multi-asset history calls so far (each call's mark; see `distinct`). */
  private historyCalls = 0;

  constructor(private readonly algo: TradingAlgorithm) {}

  /** The current simulation time. */
  get current_dt(): Date {
    return new Date(this.algo.current_dt);
  }

  /** The current session (its UTC midnight). */
  get current_session(): Date {
    return new Date(this.algo.current_session);
  }

  private value(asset: Asset, field: string): number {
    const algo = this.algo;
    if (field === "last_traded") return algo.market.lastTraded(asset);
    return algo.current(asset, field as BarField);
  }

  /**
   * Current values. `last_traded` is a UTC ms timestamp (NaN if never traded).
   * @example const price = await data.current(aapl, "price");
   */
  current(assets: Asset, fields: CurrentField): Promise<number>;
  current(assets: Asset, fields: readonly CurrentField[]): Promise<Series<string>>;
  current(assets: readonly Asset[], fields: CurrentField): Promise<Series<Asset>>;
  current(assets: readonly Asset[], fields: readonly CurrentField[]): Promise<Frame<string, Asset>>;
  current(
    assets: Asset | readonly Asset[],
    fields: CurrentField | readonly CurrentField[],
  ): Promise<unknown> {
    const list = assetsOf(assets), fs = fieldsOf(fields, CURRENT_FIELDS, "data.current");
    const manyA = Array.isArray(assets), manyF = Array.isArray(fields);
    if (!manyA && !manyF) return Promise.resolve(this.value(list[0], fs[0]));
    if (!manyA) {
      return Promise.resolve(new Series(Float64Array.from(fs, (f) => this.value(list[0], f)), fs));
    }
    if (!manyF) {
      return Promise.resolve(
        new Series(Float64Array.from(list, (a) => this.value(a, fs[0])), list, fs[0]),
      );
    }
    return Promise.resolve(
      new Frame(fs, fs.map((f) => Float64Array.from(list, (a) => this.value(a, f))), list),
    );
  }

  /**
   * The last `bar_count` bars ending with the current one, adjusted as of now.
   * @example const closes = await data.history(aapl, "price", 20, "1d"); closes.mean();
   */
  history(assets: Asset, fields: BarField, bar_count: number, frequency: string): Promise<Series>;
  history(
    assets: Asset,
    fields: readonly BarField[],
    bar_count: number,
    frequency: string,
  ): Promise<Frame<string>>;
  history(
    assets: readonly Asset[],
    fields: BarField,
    bar_count: number,
    frequency: string,
  ): Promise<Frame<Asset>>;
  history(
    assets: readonly Asset[],
    fields: readonly BarField[],
    bar_count: number,
    frequency: string,
  ): Promise<HistoryPanel<Asset, string>>;
  history(
    assets: Asset | readonly Asset[],
    fields: BarField | readonly BarField[],
    bar_count: number,
    frequency: string,
  ): Promise<unknown> {
    // The hot path — one asset, one raw field, daily, at the current session of a backtest: a
    // view of the portal's buffer, with no argument arrays and no dispatch.
    // Likewise in a minute backtest, a window within the current session.
    const market = this.algo.market;
    if (typeof fields === "string" && assets instanceof Asset) {
      const k = rawFieldNo(fields);
      if (k >= 0 && bar_count >= 1 && Number.isInteger(bar_count)) {
        if (frequency === "1d" && market instanceof DailyMarket) {
          const portal = market.portal;
          if (this.algo.portalIndex === portal.current) {
            const values = portal.currentWindow(assets, k, bar_count);
            if (values !== undefined) {
              return Promise.resolve(new Series(values, portal.windowIndex(bar_count), fields));
            }
          }
        } else if (frequency === "1m" && market instanceof MinuteMarket) {
          const values = market.currentWindow(assets, k, bar_count);
          if (values !== undefined) {
            return Promise.resolve(
              new Series(values, market.historyIndex(bar_count, "1m"), fields),
            );
          }
        }
      }
    }
    // Next — one asset, one field, in the backtest's frequency.
    if (
      assets instanceof Asset && typeof fields === "string" &&
      (frequency === "1d" || (frequency === "1m" && this.algo.data_frequency === "minute")) &&
      HISTORY_FIELDS.has(fields) && Number.isInteger(bar_count) && bar_count >= 1
    ) {
      const values = market.history(assets, fields, bar_count, frequency);
      const index = market.historyIndex(bar_count, frequency);
      return values instanceof Float64Array
        ? Promise.resolve(new Series(values, index, fields))
        : values.then((v) => new Series(v, index, fields));
    }
    const list = assetsOf(assets),
      fs = fieldsOf(fields, HISTORY_FIELDS, "data.history") as BarField[];
    if (!Number.isInteger(bar_count) || bar_count < 1) {
      throw new BarDataError(
        `data.history: bar_count must be a whole number ≥ 1 (got ${bar_count})`,
      );
    }
    if (frequency !== "1d" && frequency !== "1m") {
      throw new BarDataError(`data.history: frequency must be "1d" or "1m" (got "${frequency}")`);
    }
    if (frequency === "1m" && this.algo.data_frequency === "daily") {
      throw new BarDataError(
        'data.history: "1m" history needs a minute backtest (--data-frequency minute)',
      );
    }
    const freq = frequency as "1d" | "1m";
    return this.historyShaped(assets, fields, list, fs, bar_count, freq);
  }

  private async historyShaped(
    assets: Asset | readonly Asset[],
    fields: BarField | readonly BarField[],
    list: Asset[],
    fs: BarField[],
    bar_count: number,
    freq: "1d" | "1m",
  ): Promise<unknown> {
    const market = this.algo.market;
    const index = market.historyIndex(bar_count, freq);
    // cols[f][a]: each window, awaited only when the market had to fetch it.
    const cols: Float64Array[][] = [];
    // Daily, at the current session of a backtest: each asset's window a view of the portal's
    // buffer (the single-asset hot path), so one call over 100 assets costs no more than 100.
    const portal = freq === "1d" && market instanceof DailyMarket &&
        this.algo.portalIndex === market.portal.current
      ? market.portal
      : null;
    // Indexed loops: a for-of across an await keeps an iterator result per step alive.
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i], row: Float64Array[] = [];
      const k = portal ? rawFieldNo(f) : -1;
      for (let j = 0; j < list.length; j++) {
        const a = list[j];
        const view = k >= 0 ? portal!.currentWindow(a, k, bar_count) : undefined;
        if (view !== undefined) {
          row.push(view);
          continue;
        }
        const w = market.history(a, f, bar_count, freq);
        row.push(w instanceof Float64Array ? w : await w);
      }
      cols.push(row);
    }
    const manyA = Array.isArray(assets), manyF = Array.isArray(fields);
    if (!manyA && !manyF) return Promise.resolve(new Series(cols[0][0], index, fs[0]));
    if (!manyA) return Promise.resolve(new Frame(fs as string[], cols.map((c) => c[0]), index));
    if (!manyF) return Promise.resolve(new Frame(list, cols[0], index, this.distinct(list)));
    return Promise.resolve(new HistoryPanel(fs as string[], list, index, cols));
  }

  /** Whether no asset repeats in `list` (a mark per call on each asset: no set to build). */
  private distinct(list: readonly Asset[]): boolean {
    const mark = ++this.historyCalls;
    for (const a of list) {
      if (a.historyMark === mark) return false;
      a.historyMark = mark;
    }
    return true;
  }

  private canTradeOne(asset: Asset): boolean {
    const algo = this.algo, session = algo.current_session;
    if (algo.controls.isRestricted(asset, algo.current_dt)) return false;
    if (!asset.is_alive_for_session(session)) return false;
    if (!Number.isNaN(asset.auto_close_date) && session > asset.auto_close_date) return false;
    if (algo.market.canTrade) return algo.market.canTrade(asset);
    return !Number.isNaN(algo.current(asset, "price"));
  }

  private isStaleOne(asset: Asset): boolean {
    const algo = this.algo;
    if (!asset.is_alive_for_session(algo.current_session)) return false;
    if (algo.market.isStale) return algo.market.isStale(asset);
    if (algo.current(asset, "volume") > 0) return false;
    return !Number.isNaN(algo.market.lastTraded(asset));
  }

  /**
   * Whether an order for the asset could fill now: alive, not restricted, not past its
   * auto-close date, and with a known price.
   *
   * @example
   * ```ts
   * if (await data.can_trade(context.asset)) await order(context.asset, 10);
   * ```
   */
  can_trade(assets: Asset): Promise<boolean>;
  can_trade(assets: readonly Asset[]): Promise<Map<Asset, boolean>>;
  can_trade(assets: Asset | readonly Asset[]): Promise<boolean | Map<Asset, boolean>> {
    const list = assetsOf(assets);
    if (!Array.isArray(assets)) return Promise.resolve(this.canTradeOne(list[0]));
    return Promise.resolve(new Map(list.map((a) => [a, this.canTradeOne(a)])));
  }

  /**
   * Whether the asset is alive but did not trade on this bar, having traded before.
   *
   * @example
   * ```ts
   * if (await data.is_stale(context.asset)) return; // no fresh price this bar
   * ```
   */
  is_stale(assets: Asset): Promise<boolean>;
  is_stale(assets: readonly Asset[]): Promise<Map<Asset, boolean>>;
  is_stale(assets: Asset | readonly Asset[]): Promise<boolean | Map<Asset, boolean>> {
    const list = assetsOf(assets);
    if (!Array.isArray(assets)) return Promise.resolve(this.isStaleOne(list[0]));
    return Promise.resolve(new Map(list.map((a) => [a, this.isStaleOne(a)])));
  }
}
