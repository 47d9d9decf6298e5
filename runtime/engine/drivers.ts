/**
 * Market drivers: how each mode's market data follows the clock. The engine tells the driver a
 * session began and a bar completed; the driver makes exactly those bars visible (never a later
 * one) and moves the algorithm's clock.
 */
import type { TradingAlgorithm } from "../api/algorithm.ts";
import type { DailyPortal } from "../portal/daily_portal.ts";
import type { LiveMarket } from "../portal/live_market.ts";
import type { MinuteMarket } from "../portal/minute_market.ts";

export interface MarketDriver {
  /** Session `t` (portal index) begins: every earlier session's bars are visible. */
  startSession(algo: TradingAlgorithm, t: number, session: number): void | Promise<void>;
  /** The bar labelled `time` of session `t` completed: it becomes the current bar. */
  bar(algo: TradingAlgorithm, t: number, time: number): void;
  /** Session `t` ended (its perf row is written). */
  endSession?(algo: TradingAlgorithm, t: number): void;
}

/** Daily bars from the bundle: the session's bar is visible at its close. */
export function dailyDriver(portal: DailyPortal): MarketDriver {
  return {
    startSession(algo, t, session) {
      // The previous session's bar is visible from the start (before_trading_start sees it).
      portal.advanceTo(t - 1);
      algo.atSession(session, t - 1);
    },
    bar(algo, t, time) {
      portal.advanceTo(t);
      algo.at(time, t);
    },
  };
}

/** Minute bars from the bundle: each minute visible as it completes; today's daily bar after. */
export function minuteDriver(portal: DailyPortal, market: MinuteMarket): MarketDriver {
  return {
    async startSession(algo, t, session) {
      portal.advanceTo(t - 1);
      algo.atSession(session, t - 1);
      await market.startSession(t);
    },
    bar(algo, _t, time) {
      market.advanceToMinute(time);
      algo.at(time);
    },
    endSession(_algo, t) {
      portal.advanceTo(t);
    },
  };
}

/** A live feed's minute bars over the bundle's daily history through yesterday. */
export function liveDriver(portal: DailyPortal, market: LiveMarket): MarketDriver {
  return {
    startSession(algo, t, session) {
      portal.advanceTo(t - 1);
      algo.atSession(session, t - 1);
      market.startSession(t);
    },
    bar(algo, _t, time) {
      market.advanceTo(time);
      algo.at(time);
    },
  };
}
