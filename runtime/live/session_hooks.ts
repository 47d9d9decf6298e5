/**
 * What a live or paper session adds to the engine's loop — nothing of the loop itself, only
 * hooks at its points (engine.ts `EngineHooks`): the journal's bar and session lines, the
 * latency clock, the kill switch and the daily loss limit, the feed's health, the end-of-day
 * flatten, in-flight queries, the position check after a restart, the state saved after every
 * session, and order ids reserved ahead between bars.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { BarEvent, EngineHooks, SessionEnd, SessionStart } from "../engine/engine.ts";
import type { Bar } from "../model/broker.ts";
import { FeedHealth } from "./feed.ts";
import { adoptRecovered, checkDrift } from "./restart.ts";
import type { Session } from "./session.ts";
import {
  eodFlatten,
  flattenMinutes,
  resumeAfterFlatten,
  resumeTrading,
  throwKill,
} from "./session_end.ts";
import { saveState } from "./session_state.ts";

/** The feed's bars of portal session `t` (a replayed bundle session's bar line). */
function barsOf(s: Session, t: number, close: number): Bar[] {
  const out: Bar[] = [];
  const portal = s.portal;
  for (const a of portal.assets) {
    const c = portal.spot(a, "close", t);
    if (Number.isNaN(c)) continue;
    out.push({
      symbol: a.symbol,
      time: close,
      open: portal.spot(a, "open", t),
      high: portal.spot(a, "high", t),
      low: portal.spot(a, "low", t),
      close: c,
      volume: portal.spot(a, "volume", t),
    });
  }
  return out;
}

/** The hooks of a session (a replayed bundle's daily bars, or a live feed's minutes). */
export function sessionHooks(s: Session): EngineHooks {
  const { algo, manager, journal, risk } = s;
  // Minute bars (a live feed, or a replay of a bundle's minutes): one bar per minute.
  const minute = algo.data_frequency === "minute";
  const flattenBefore = flattenMinutes(s.opts);
  const now = s.opts.now ?? Date.now;
  const health = s.market
    ? new FeedHealth(s.market, {
      staleMs: s.opts.live?.feed_stale_ms ?? 180_000,
      action: s.opts.live?.feed_stale_action ?? "REDUCING",
      now,
      journal,
      risk,
      log: s.log,
    })
    : null;
  let pnlAtOpen = 0, flattenAt = Infinity;
  return {
    sessionStart(e: SessionStart): void {
      const t = s.portal.sessionIndex(e.session);
      // A replay of a journal: its recorded bars replace the bundle's before they are visible.
      const recorded = s.opts.bar_overrides?.get(isoDate(e.session / DAY_MS));
      if (recorded) {
        for (const b of recorded) {
          const a = algo.bySymbol.get(b.symbol)?.[0];
          if (a) s.portal.setBar(a, t, b);
        }
      }
      pnlAtOpen = algo.ledger.currentPnl();
      if (minute) {
        if (health) health.openedAt = Math.max(now(), algo.calendar.session_open(e.session));
        journal.write("session_open", { session: isoDate(e.session / DAY_MS) }, true);
      }
      resumeAfterFlatten(s);
      flattenAt = flattenBefore === null || !minute
        ? Infinity
        : algo.calendar.session_close(e.session) - flattenBefore * 60_000;
    },

    barOpen(e: BarEvent): void {
      s.barClock.begin();
      if (s.market) return; // a live feed's bars are journaled as they arrive (minute_bar)
      const session = isoDate(e.session / DAY_MS);
      if (minute) journal.write("bar", { session, time: e.time });
      else {
        const t = s.portal.sessionIndex(e.session);
        journal.write("bar", { session, time: e.time, bars: barsOf(s, t, e.time) });
      }
    },

    async beforeDecisions(e: BarEvent): Promise<void> {
      if (s.driftCheck) await checkDrift(s);
      if (s.resumeRequest !== null) {
        resumeTrading(s, s.resumeRequest);
        s.resumeRequest = null;
      }
      const kill = s.killed ?? s.killWatch.check();
      if (kill) await throwKill(s, kill);
      health?.check();
      if (e.time >= flattenAt) {
        // Before handle_data: the minute's decisions already meet the reducing gate, so none is
        // sent only to be cancelled by the flatten a moment later.
        flattenAt = Infinity;
        await eodFlatten(s, e.session, e.time);
      }
    },

    async afterDecisions(e: BarEvent): Promise<void> {
      manager.drain(e.time);
      adoptRecovered(s, e.time); // the interrupted run's orders this re-run did not place again
      if (!minute && flattenBefore !== null) {
        // One bar per replayed session, at the close: the flatten follows its decisions (its
        // market orders fill at the next session's bar, as any daily order).
        await eodFlatten(s, e.session, e.time);
        manager.drain(e.time);
      }
      // Orders long waiting on the broker are asked about once the bar's orders have gone out.
      await manager.checkInFlight();
      journal.writeOut(); // the bar's lines leave the process once, after its decisions
      manager.prepareIds();
    },

    async sessionClosing(): Promise<void> {
      const limit = s.opts.risk?.daily_loss_limit;
      if (limit === undefined) return;
      const pnl = algo.ledger.currentPnl();
      if (pnl - pnlAtOpen < -limit) {
        const loss = (pnlAtOpen - pnl).toFixed(2);
        await throwKill(s, `daily loss ${loss} exceeds the limit ${limit}`);
        manager.drain();
      }
    },

    sessionEnd(e: SessionEnd, i: number): void {
      const perf = s.perf;
      journal.write("session_end", {
        session: isoDate(e.session / DAY_MS),
        complete: minute ? e.complete : undefined,
        portfolio_value: perf.columns.portfolio_value[perf.rows - 1],
      });
      saveState(s, i, e.time);
      s.resumeAt = i + 1;
      manager.prepareIds();
    },
  };
}
