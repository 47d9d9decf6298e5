/**
 * Market data on its own client id: 5-second real-time bars (reqRealTimeBars, regular trading
 * hours only) or trade ticks (reqMktData: RTVolume when live, last price and size when delayed),
 * both aggregated into one-minute bars labelled by their end and kept on the calendar's trading
 * minutes only. A minute is emitted when its last 5-second bar arrives, when data of a later
 * minute arrives, or, for ticks, when `latest` is asked after it ended. A real-time bar "bust"
 * (10225) deactivates a subscription at TWS: it is cancelled and made again at once.
 */
import { type Contract, EventName, WhatToShow } from "@stoqey/ib";
import type { Bar } from "../broker.ts";
import type { IbMarketDataMode } from "./config.ts";
import type { IbConnection } from "./connection.ts";
import type { ContractBook } from "./contracts.ts";

const MINUTE = 60_000;

/** TWS API message code: "Bust event occurred, current subscription is deactivated. Please
 * resubscribe real-time bars immediately" (sent with the subscription's request id). */
export const REALTIME_BARS_BUST = 10225;

/** A trading calendar's minute test (a minute labelled by its end, UTC ms). */
export interface MinuteFilter {
  is_open_on_minute(minute: number): boolean;
}
const TICK = { LAST: 4, LAST_SIZE: 5, LAST_TS: 45, RT_VOLUME: 48, RT_TRD_VOLUME: 77 } as const;
const DELAYED = { LAST: 68, LAST_SIZE: 71, LAST_TS: 88 } as const;

/** Builds minute bars from pieces (5-second bars or single trades). */
export class MinuteBars {
  private readonly forming = new Map<string, Bar>();
  /** The last completed minute of each symbol. */
  readonly latest = new Map<string, Bar>();
  /** Minutes dropped because the calendar has no trading minute there. */
  dropped = 0;

  constructor(
    private readonly onBar: (b: Bar) => void,
    private readonly calendar: MinuteFilter | null = null,
  ) {}

  /** A piece covering [startMs, endMs) (a trade: start = end = its time). */
  add(
    symbol: string,
    startMs: number,
    endMs: number,
    o: number,
    h: number,
    l: number,
    c: number,
    v: number,
  ): void {
    const end = Math.floor(startMs / MINUTE) * MINUTE + MINUTE;
    let cur = this.forming.get(symbol);
    if (cur && cur.time !== end) {
      if (end < cur.time) return; // a late piece of a minute already closed
      this.close(symbol);
      cur = undefined;
    }
    if ((this.latest.get(symbol)?.time ?? -Infinity) >= end) return;
    if (!cur) {
      this.forming.set(symbol, {
        symbol,
        time: end,
        open: o,
        high: h,
        low: l,
        close: c,
        volume: v,
      });
    } else {
      cur.high = Math.max(cur.high, h);
      cur.low = Math.min(cur.low, l);
      cur.close = c;
      cur.volume += v;
    }
    if (endMs >= end) this.close(symbol);
  }

  /** Closes minutes that ended by `now`. */
  flush(now: number): void {
    for (const [s, b] of [...this.forming]) if (b.time <= now) this.close(s);
  }

  private close(symbol: string): void {
    const b = this.forming.get(symbol);
    if (!b) return;
    this.forming.delete(symbol);
    // Pre- and post-market minutes (ticks, or bars asked outside regular hours) never reach the
    // session: its minutes are the calendar's.
    if (this.calendar && !this.calendar.is_open_on_minute(b.time)) {
      this.dropped++;
      return;
    }
    this.latest.set(symbol, b);
    this.onBar({ ...b });
  }
}

export interface MarketDataOptions {
  mode: IbMarketDataMode;
  delayed: boolean;
  now(): number;
  /** Bars are kept on this calendar's trading minutes only (null: every minute). */
  calendar: MinuteFilter | null;
  /** Problems with a subscription (no permissions, unknown symbol…). */
  problem(symbol: string, code: number, text: string): void;
}

interface Sub {
  symbol: string;
  contract: Contract;
  reqId: number;
  price: number;
  /** A last-price trade waiting for its timestamp tick (or the next trade). */
  pending: { price: number; size: number; at: number } | null;
}

/** Subscriptions, their aggregation, and resubscription after a reconnect. */
export class MarketData {
  private readonly subs = new Map<string, Sub>();
  private readonly byReq = new Map<number, Sub>();
  private readonly listeners: { symbols: Set<string>; onBar: (b: Bar) => void }[] = [];
  private readonly bars: MinuteBars;

  constructor(
    private readonly conn: IbConnection,
    private readonly contracts: ContractBook,
    private readonly o: MarketDataOptions,
  ) {
    this.bars = new MinuteBars((b) => {
      for (const l of this.listeners) if (l.symbols.has(b.symbol)) l.onBar(b);
    }, o.calendar);
    conn.on(EventName.realtimeBar, (reqId: number, time: number, ...ohlcv: number[]) => {
      const s = this.byReq.get(reqId);
      const [op, hi, lo, cl, vol] = ohlcv, t = time * 1000;
      if (s) this.bars.add(s.symbol, t, t + 5000, op, hi, lo, cl, vol ?? 0);
    });
    conn.on(EventName.tickString, (reqId: number, type: number, value: string) => {
      const s = this.byReq.get(reqId);
      if (!s) return;
      if (type === TICK.RT_VOLUME || type === TICK.RT_TRD_VOLUME) {
        const [p, size, t] = value.split(";").map(Number);
        if (Number.isFinite(p) && size > 0) {
          this.trade(s, p, size, Number.isFinite(t) ? t : o.now());
        }
      } else if (type === TICK.LAST_TS || type === DELAYED.LAST_TS) {
        this.commit(s, Number(value) * 1000); // the time of the trade just reported
      }
    });
    conn.on(EventName.tickPrice, (reqId: number, type: number, price: number) => {
      const s = this.byReq.get(reqId);
      if (s && (type === DELAYED.LAST || (type === TICK.LAST && this.lastTicks))) {
        this.commit(s, NaN);
        s.price = price;
      }
    });
    conn.on(EventName.tickSize, (reqId: number, type: number, size: number) => {
      const s = this.byReq.get(reqId);
      const wanted = type === DELAYED.LAST_SIZE || (type === TICK.LAST_SIZE && this.lastTicks);
      if (s && wanted && size > 0 && s.price > 0) {
        this.commit(s, NaN);
        s.pending = { price: s.price, size, at: o.now() };
      }
    });
  }

  /** Live ticks use RTVolume; last price/size ticks only when delayed. */
  private get lastTicks(): boolean {
    return this.o.delayed;
  }

  /** Books the pending last-price trade at `time` (NaN: when it arrived). */
  private commit(s: Sub, time: number): void {
    const p = s.pending;
    if (!p) return;
    s.pending = null;
    this.trade(s, p.price, p.size, Number.isFinite(time) ? time : p.at);
  }

  private trade(s: Sub, price: number, size: number, time: number): void {
    this.bars.add(s.symbol, time, time, price, price, price, price, size);
  }

  /**
   * The error of a request id, when it is one of ours. A bust (10225) is answered as IB asks and
   * as backtrader does (PR #396): the subscription is cancelled and requested again.
   */
  claim(reqId: number, code: number, text: string): boolean {
    const s = this.byReq.get(reqId);
    if (!s) return false;
    this.o.problem(s.symbol, code, text);
    if (code === REALTIME_BARS_BUST && this.o.mode === "bars" && this.conn.up) {
      this.byReq.delete(reqId);
      this.conn.ib(`market data for ${s.symbol}`).cancelRealTimeBars(reqId);
      this.request(s);
    }
    return true;
  }

  /** Subscribes symbols (once each); bars of them go to `onBar`. */
  async subscribe(symbols: readonly string[], onBar: (b: Bar) => void): Promise<void> {
    if (!this.conn.up) await this.conn.open();
    this.listeners.push({ symbols: new Set(symbols), onBar });
    for (const symbol of symbols) {
      if (this.subs.has(symbol)) continue;
      const contract = await this.contracts.qualify(symbol);
      const s: Sub = { symbol, contract, reqId: 0, price: NaN, pending: null };
      this.subs.set(symbol, s);
      this.request(s);
    }
  }

  /** Requests every subscription again (after a reconnect or IB's 1101). */
  resubscribe(): void {
    this.byReq.clear();
    for (const s of this.subs.values()) this.request(s);
  }

  /** The last completed minute bar of each symbol that has one. */
  latest(symbols: readonly string[]): Map<string, Bar> {
    if (this.o.mode === "ticks") {
      for (const s of this.subs.values()) this.commit(s, NaN);
      this.bars.flush(this.o.now());
    }
    const out = new Map<string, Bar>();
    for (const s of symbols) {
      const b = this.bars.latest.get(s);
      if (b) out.set(s, { ...b });
    }
    return out;
  }

  private request(s: Sub): void {
    const ib = this.conn.ib(`market data for ${s.symbol}`);
    if (this.byReq.size === 0) ib.reqMarketDataType(this.o.delayed ? 3 : 1);
    s.reqId = this.conn.nextReqId();
    this.byReq.set(s.reqId, s);
    if (this.o.mode === "bars") {
      // useRTH: only regular trading hours (TWS API reqRealTimeBars); the calendar filters too.
      ib.reqRealTimeBars(s.reqId, s.contract, 5, WhatToShow.TRADES, true);
    } else ib.reqMktData(s.reqId, s.contract, this.o.delayed ? "" : "233", false, false);
  }

  /** Cancels every subscription. */
  stop(): void {
    if (!this.conn.up) return;
    const ib = this.conn.ib("market data");
    for (const s of this.byReq.values()) {
      if (this.o.mode === "bars") ib.cancelRealTimeBars(s.reqId);
      else ib.cancelMktData(s.reqId);
    }
    this.byReq.clear();
  }
}
