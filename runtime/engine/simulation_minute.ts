/**
 * The minute simulation loop: each session opens as in daily mode (ledger, dividends, splits),
 * before_trading_start runs 45 minutes before the open on the previous session's data, then every
 * minute of the session is a bar — fills of earlier orders, handle_data, scheduled functions due
 * that minute — and the session closes as in daily mode with prices synced to the last minute.
 * Minute data arrives a chunk of sessions at a time, so memory does not grow with the span.
 */
import type { BarData } from "../api/bar_data.ts";
import type { Context } from "../api/context.ts";
import type { PerfTracker } from "../metrics/perf.ts";
import type { MinuteMarket } from "../portal/minute_market.ts";
import type { TradingAlgorithm } from "./algorithm.ts";
import type { Recorder } from "./recorder.ts";
import {
  BTS_MINUTES_BEFORE_OPEN,
  closeSession,
  finishBar,
  processFills,
  startSession,
} from "./simulation.ts";
import type { Strategy } from "./strategy.ts";

export interface MinuteHooks {
  benchmarkReturn(i: number): number;
  /** Scheduled functions due at `minute` of simulation session `i`. */
  scheduledAt(
    i: number,
    minute: number,
  ): ReadonlyArray<(context: Context, data: BarData) => unknown>;
  onSession?(i: number, total: number): void;
}

export async function runMinute(
  algo: TradingAlgorithm,
  market: MinuteMarket,
  strategy: Strategy,
  context: Context,
  data: BarData,
  perf: PerfTracker,
  recorder: Recorder,
  hooks: MinuteHooks,
): Promise<void> {
  const { portal, calendar, sessions, blotter } = algo;
  const handle = strategy.handle_data;
  const bts = strategy.before_trading_start;
  for (let i = 0; i < sessions.length; i++) {
    const session = sessions[i];
    const t = portal.sessionIndex(session);
    const open = calendar.session_open(session), close = calendar.session_close(session);
    // Only completed sessions' daily bars are visible during a session.
    portal.advanceTo(t - 1);
    algo.portalIndex = t - 1;
    algo.current_session = session;
    algo.current_dt = session;
    blotter.current_dt = session;
    await market.startSession(t);
    startSession(algo, perf, t, calendar.session_first_minute(session));
    if (bts) {
      algo.current_dt = open - BTS_MINUTES_BEFORE_OPEN * 60_000;
      algo.in_before_trading_start = true;
      try {
        await bts(context, data);
      } finally {
        algo.in_before_trading_start = false;
      }
    }
    const minutes = market.sessionMinutes;
    for (let k = 0; k < minutes; k++) {
      const m = market.minute(k);
      market.advanceMinute(k);
      algo.current_dt = m;
      blotter.current_dt = m;
      processFills(algo);
      if (handle) await handle(context, data);
      const due = hooks.scheduledAt(i, m);
      for (let j = 0; j < due.length; j++) await due[j](context, data);
      finishBar(algo);
    }
    algo.current_dt = close;
    blotter.current_dt = close;
    closeSession(algo, perf, recorder, i, close, hooks.benchmarkReturn(i));
    hooks.onSession?.(i, sessions.length);
  }
  portal.advanceTo(portal.sessionIndex(sessions[sessions.length - 1]));
}
