/**
 * The live session's bar loop — the daily simulation's event order, with the feed's bars going
 * to the broker, broker events applied at bar boundaries, the kill switch and loss limit checked
 * every bar, and state saved after every bar.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { Asset } from "../assets/asset.ts";
import type { Bar } from "../brokers/broker.ts";
import { BTS_MINUTES_BEFORE_OPEN, startSession } from "../engine/simulation.ts";
import { barClock, type Session } from "./session.ts";
import { saveState } from "./session_state.ts";
import { encodeContext } from "./context_state.ts";
import { cancelAndFlatten, eodFlatten, flattenMinutes, resumeAfterFlatten } from "./session_end.ts";

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The feed's bars of session index `t`: every asset with a bar that day. */
function barsOf(s: Session, t: number, close: number): Bar[] {
  const out: Bar[] = [];
  for (const a of s.portal.assets) {
    const c = s.portal.spot(a, "close", t);
    if (Number.isNaN(c)) continue;
    out.push({
      symbol: a.symbol,
      time: close,
      open: s.portal.spot(a, "open", t),
      high: s.portal.spot(a, "high", t),
      low: s.portal.spot(a, "low", t),
      close: c,
      volume: s.portal.spot(a, "volume", t),
    });
  }
  return out;
}

/** Throws the kill switch: cancel everything, optionally flatten, then only cancels pass. */
export async function throwKill(s: Session, reason: string): Promise<void> {
  if (s.risk.state === "HALTED") return;
  s.journal.write("kill_switch", { reason, flatten: Boolean(s.opts.flatten_on_kill) }, true);
  s.log.warn("kill_switch", {
    message: `kill switch: ${reason}; cancelling open orders${
      s.opts.flatten_on_kill ? " and flattening" : ""
    }`,
  });
  await cancelAndFlatten(s, reason, Boolean(s.opts.flatten_on_kill));
  s.risk.setState("HALTED", reason);
}

/** Runs the replayed daily sessions of a paper session (`--feed bundle:NAME`). */
export async function liveLoop(s: Session): Promise<void> {
  const { algo, portal, sessions, manager, perf, recorder, journal } = s;
  const broker = s.paper!;
  const calendar = algo.calendar;
  const sleep = s.opts.sleep ?? defaultSleep;
  const priceOf = (a: Asset) => algo.current(a, "price");
  const first = s.resumeAt;
  // One bar per session, at the close: the flatten follows that bar's decisions, whatever the
  // number of minutes (its market orders fill at the next session's bar, as any daily order).
  const flatten = flattenMinutes(s.opts) !== null;
  if (first > 0) portal.advanceTo(portal.sessionIndex(sessions[first - 1]));
  for (let i = first; i < sessions.length; i++) {
    if (s.stopRequested) break;
    if (i > first && s.opts.speed !== "max") {
      await sleep((sessions[i] - sessions[i - 1]) / s.opts.speed);
    }
    const session = sessions[i], t = portal.sessionIndex(session);
    const open = calendar.session_open(session), close = calendar.session_close(session);
    algo.current_session = session;
    algo.current_dt = session;
    algo.portalIndex = t - 1;
    startSession(algo, perf, t, calendar.session_first_minute(session));
    resumeAfterFlatten(s);
    const splits = portal.splits.get(t);
    if (splits) broker.processSplits(splits);
    algo.ledger.update();
    const pnlAtOpen = algo.ledger.pnl;
    const decide = i !== s.skipDecisionAt;
    const bts = s.opts.strategy.before_trading_start;
    if (bts && decide) {
      algo.current_dt = open - BTS_MINUTES_BEFORE_OPEN * 60_000;
      algo.in_before_trading_start = true;
      try {
        await bts(s.context, s.data);
      } finally {
        algo.in_before_trading_start = false;
      }
    }
    const recorded = s.opts.bar_overrides?.get(isoDate(session / DAY_MS));
    if (recorded) {
      for (const b of recorded) {
        const a = algo.bySymbol.get(b.symbol)?.[0];
        if (a) portal.setBar(a, t, b);
      }
    }
    portal.advanceTo(t);
    algo.portalIndex = t;
    algo.current_dt = close;
    const bars = barsOf(s, t, close);
    // The paper venue matches its resting orders against the bar first: that is the venue's
    // work (a broker's, live), so the runtime's bar → order clock starts when the bar reaches us.
    broker.onBars(close, bars);
    barClock.begin();
    journal.write("bar", { session: isoDate(session / DAY_MS), time: close, bars });
    manager.drain();
    const kill = s.killed ?? s.killWatch.check();
    if (kill) await throwKill(s, kill);
    if (decide) {
      const handle = s.opts.strategy.handle_data;
      if (handle) await handle(s.context, s.data);
      for (const f of algo.scheduled) {
        const k = f.calendar.session_index(session);
        if (k >= 0 && f.rule.sessionMatches(k)) {
          await (f.func as (c: unknown, d: unknown) => unknown)(s.context, s.data);
        }
      }
    }
    manager.drain();
    if (decide) {
      if (flatten) {
        await eodFlatten(s, session, close);
        manager.drain();
      }
      // The bar's decisions are complete: with the context they produced, so a crash before the
      // state save can resume without deciding this bar again.
      journal.write("decided", { session_index: i, context: encodeContext(s.context).state }, true);
    }
    // Orders long waiting on the broker are asked about once the bar's orders have gone out.
    await manager.checkInFlight();
    // Session end: delisted positions close, the venue's end-of-day cancel policy runs.
    for (const p of [...algo.ledger.positions.values()]) {
      const acd = p.asset.auto_close_date;
      if (Number.isNaN(acd) || acd > close) continue;
      let price = algo.current(p.asset, "price");
      if (Number.isNaN(price)) price = p.last_sale_price;
      algo.ledger.process_transaction({
        asset: p.asset,
        amount: -p.amount,
        dt: close,
        price,
        order_id: null,
      });
      broker.closePosition(p.asset.symbol, price);
    }
    broker.endOfSession(true);
    manager.drain();
    algo.validate_account_controls();
    algo.ledger.sync_last_sale_prices(close, priceOf);
    algo.ledger.update();
    const limit = s.opts.risk?.daily_loss_limit;
    if (limit !== undefined && algo.ledger.pnl - pnlAtOpen < -limit) {
      await throwKill(
        s,
        `daily loss ${(pnlAtOpen - algo.ledger.pnl).toFixed(2)} exceeds the limit ${limit}`,
      );
      manager.drain();
    }
    recorder.endOfSession(i, close);
    perf.end_of_session(algo.ledger, close, s.benchmark[i], recorder.countsToday(), algo.recorded);
    // Before the save, whose flush then writes it out with everything else of the session.
    journal.write("session_end", {
      session: isoDate(session / DAY_MS),
      portfolio_value: perf.columns.portfolio_value[perf.rows - 1],
    });
    saveState(s, i, close);
    s.resumeAt = i + 1;
    manager.prepareIds();
  }
}
