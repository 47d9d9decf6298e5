/**
 * The live minute loop: a realtime clock over the calendar, the broker's minute bars feeding the
 * live market, and for every minute as it completes — broker events applied, the kill switch,
 * feed health, the end-of-day flatten when due, handle_data, the scheduled functions due that
 * minute, broker events again. At the session's end: the cancel policy and auto-close
 * (session_end.ts), account controls, prices synced, the perf row, the state saved.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import type { Bar } from "../brokers/broker.ts";
import { startSession } from "../engine/simulation.ts";
import type { TradingState } from "../orders/risk.ts";
import type { LiveMarket } from "../portal/live_market.ts";
import { throwKill } from "./loop.ts";
import { sessionBenchmark } from "./live_benchmark.ts";
import {
  type ClockCalendar,
  type ClockEvent,
  liveSessions,
  realtimeClock,
} from "./realtime_clock.ts";
import { barClock, type Session } from "./session.ts";
import {
  closeMinuteSession,
  eodFlatten,
  flattenMinutes,
  resumeAfterFlatten,
} from "./session_end.ts";
import { saveState } from "./session_state.ts";

/** What a live minute session needs beyond a paper session's options. */
export interface MinuteLiveOptions {
  /** Stop at this time (UTC ms). @default the close of the session in progress (or next) */
  end?: number;
  /** Symbols to subscribe (default: those the strategy looked up in initialize). */
  universe?: string[];
  /** An asset without a bar for this long is stale (data.is_stale, can_trade). @default 300000 */
  stale_after_ms?: number;
  /** No bar from the feed at all for this long during a session: `feed_stale`. @default 180000 */
  feed_stale_ms?: number;
  /** Where the risk gate goes when the feed is stale. @default "REDUCING" */
  feed_stale_action?: Exclude<TradingState, "ACTIVE">;
  /** How long after a minute ends its bars are waited for. @default 2000 */
  bar_grace_ms?: number;
  /** before_trading_start this many minutes before the open. @default 45 */
  bts_minutes_before_open?: number;
}

/**
 * A live minute session's options with its end: by default the close of the session in progress
 * (or the next one).
 *
 * @example
 * ```ts
 * const o = liveOptions(get_calendar("XNYS"), Date.now()); // o.end: today's (or next) close
 * ```
 */
export function liveOptions(
  calendar: ClockCalendar,
  now: number,
  o: MinuteLiveOptions = {},
): MinuteLiveOptions {
  if (o.end !== undefined) return o;
  const next = liveSessions(calendar, now, now + 10 * DAY_MS)[0];
  return { ...o, end: next === undefined ? now : calendar.session_close(next) };
}

/** Subscribes the universe's bars: each goes to the live market and the journal. */
export async function subscribeUniverse(
  s: Session,
  market: LiveMarket,
  universe: Asset[],
): Promise<void> {
  const bySymbol = new Map(universe.map((a) => [a.symbol, a]));
  if (!s.broker.subscribeBars) {
    throw new Error(`the ${s.broker.name} broker has no market data (subscribeBars)`);
  }
  s.journal.write("subscribed", { symbols: [...bySymbol.keys()] }, true);
  await s.broker.subscribeBars([...bySymbol.keys()], (bar: Bar) => {
    const a = bySymbol.get(bar.symbol);
    if (!a) return;
    market.addBar(a, bar);
    s.journal.write("minute_bar", { ...bar });
  });
}

/** Runs the clock's events until its end (or a stop). */
export async function minuteLiveLoop(
  s: Session,
  market: LiveMarket,
  universe: Asset[],
  o: MinuteLiveOptions,
): Promise<void> {
  const { algo, portal, manager, perf, recorder, journal, risk } = s;
  const now = s.opts.now ?? Date.now;
  const end = o.end ?? algo.calendar.session_close(s.sessions[s.sessions.length - 1]);
  const clock = realtimeClock({
    calendar: algo.calendar,
    end,
    now,
    sleep: s.opts.sleep,
    skewMs: () => s.broker.timeSkewMs(),
    btsMinutesBeforeOpen: o.bts_minutes_before_open,
    barsReady: (m) => market.hasBars(universe, m),
    barGraceMs: o.bar_grace_ms,
    stop: () => s.stopRequested,
  });
  const feedStaleMs = o.feed_stale_ms ?? 180_000;
  let i = -1, pnlAtOpen = 0, sessionOpenedAt = NaN, stale = false;
  // The end-of-day flatten: minutes before each close (null: off), and this session's time for it.
  const flattenBefore = flattenMinutes(s.opts);
  let flattenAt = Infinity;
  const priceOf = (a: Asset) => algo.current(a, "price");
  const runScheduled = async (minute: number) => {
    for (const f of algo.scheduled) {
      const k = f.calendar.session_index(algo.current_session);
      if (k >= 0 && f.rule.minuteMatches(k, minute)) {
        await (f.func as (c: unknown, d: unknown) => unknown)(s.context, s.data);
      }
    }
  };
  const feedHealth = () => {
    const last = Math.max(market.lastFeedBar || 0, sessionOpenedAt);
    const silent = now() - last;
    if (!stale && silent > feedStaleMs) {
      stale = true;
      const action = o.feed_stale_action ?? "REDUCING";
      journal.write("feed_stale", { silent_ms: silent, action }, true);
      s.log.warn("feed_stale", { message: `no bar from the feed for ${silent} ms; ${action}` });
      if (risk.state === "ACTIVE" || action === "HALTED") {
        risk.setState(action, `feed stale (no bar for ${Math.round(silent / 1000)} s)`);
      }
    } else if (stale && silent <= feedStaleMs) {
      stale = false;
      journal.write("feed_recovered", {}, true);
    }
  };
  for await (const e of clock as AsyncIterable<ClockEvent>) {
    if (e.kind === "session_start") {
      i = s.sessions.indexOf(e.session);
      const t = portal.sessionIndex(e.session);
      portal.advanceTo(t - 1);
      algo.portalIndex = t - 1;
      algo.current_session = e.session;
      algo.current_dt = e.time;
      market.startSession(t);
      startSession(algo, perf, t, algo.calendar.session_first_minute(e.session));
      algo.ledger.update();
      pnlAtOpen = algo.ledger.pnl;
      sessionOpenedAt = Math.max(now(), algo.calendar.session_open(e.session));
      journal.write("session_open", { session: isoDate(e.session / DAY_MS) }, true);
      resumeAfterFlatten(s);
      flattenAt = flattenBefore === null
        ? Infinity
        : algo.calendar.session_close(e.session) - flattenBefore * 60_000;
    } else if (e.kind === "before_trading_start") {
      const bts = s.opts.strategy.before_trading_start;
      if (!bts) continue;
      algo.current_dt = e.time;
      algo.in_before_trading_start = true;
      try {
        await bts(s.context, s.data);
      } finally {
        algo.in_before_trading_start = false;
      }
    } else if (e.kind === "bar") {
      market.advanceTo(e.time);
      algo.current_dt = e.time;
      barClock.begin();
      manager.drain();
      const kill = s.killed ?? s.killWatch.check();
      if (kill) await throwKill(s, kill);
      feedHealth();
      if (e.time >= flattenAt) {
        // Before handle_data: the strategy's decisions of this minute already meet the reducing
        // gate, so none is sent only to be cancelled by the flatten a moment later.
        flattenAt = Infinity;
        await eodFlatten(s, e.session, e.time);
      }
      const handle = s.opts.strategy.handle_data;
      if (handle) await handle(s.context, s.data);
      await runScheduled(e.time);
      manager.drain();
      // Orders long waiting on the broker are asked about once the minute's orders have gone out.
      await manager.checkInFlight();
      journal.writeOut(); // the minute's lines leave the process once, after its decisions
      manager.prepareIds();
    } else {
      algo.current_dt = e.time;
      manager.drain();
      await closeMinuteSession(s, e);
      manager.drain();
      algo.validate_account_controls();
      algo.ledger.sync_last_sale_prices(e.time, priceOf);
      algo.ledger.update();
      const limit = s.opts.risk?.daily_loss_limit;
      if (limit !== undefined && algo.ledger.pnl - pnlAtOpen < -limit) {
        const loss = (pnlAtOpen - algo.ledger.pnl).toFixed(2);
        await throwKill(s, `daily loss ${loss} exceeds the limit ${limit}`);
        manager.drain();
      }
      recorder.endOfSession(i, e.time);
      const benchmark = s.benchmark[i] = sessionBenchmark(s, market, e);
      perf.end_of_session(algo.ledger, e.time, benchmark, recorder.countsToday(), algo.recorded);
      saveState(s, i, e.time);
      journal.write("session_end", {
        session: isoDate(e.session / DAY_MS),
        complete: e.complete,
        portfolio_value: perf.columns.portfolio_value[perf.rows - 1],
      }, true);
      s.resumeAt = i + 1;
    }
  }
}
