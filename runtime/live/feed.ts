/**
 * A live minute session's feed: the universe's bars subscribed (each to the live market and the
 * journal), and the feed's health — no bar at all for too long during a session moves the risk
 * gate (`--feed-stale-action`) and journals `feed_stale`, until bars come again.
 */
import type { Asset } from "../assets/asset.ts";
import type { Bar, Broker } from "../model/broker.ts";
import type { AuditLog } from "../orders/audit.ts";
import type { RiskGate, TradingState } from "../orders/risk.ts";
import type { LiveMarket } from "../portal/live_market.ts";
import type { Logger } from "../log.ts";

/** Subscribes the universe's bars: each goes to the live market and the journal. */
export async function subscribeUniverse(
  broker: Broker,
  journal: AuditLog,
  market: LiveMarket,
  universe: readonly Asset[],
): Promise<void> {
  const bySymbol = new Map(universe.map((a) => [a.symbol, a]));
  if (!broker.subscribeBars) {
    throw new Error(`the ${broker.name} broker has no market data (subscribeBars)`);
  }
  journal.write("subscribed", { symbols: [...bySymbol.keys()] }, true);
  await broker.subscribeBars([...bySymbol.keys()], (bar: Bar) => {
    const a = bySymbol.get(bar.symbol);
    if (!a) return;
    market.addBar(a, bar);
    journal.write("minute_bar", { ...bar });
  });
}

/** Whether the feed is alive, checked at every bar of a live minute session. */
export class FeedHealth {
  private stale = false;
  /** When the session in progress opened for us (UTC ms; NaN before the first). */
  openedAt = NaN;

  constructor(
    private readonly market: LiveMarket,
    private readonly o: {
      staleMs: number;
      action: Exclude<TradingState, "ACTIVE">;
      now(): number;
      journal: AuditLog;
      risk: RiskGate;
      log: Logger;
    },
  ) {}

  check(): void {
    const { o } = this;
    const last = Math.max(this.market.lastFeedBar || 0, this.openedAt);
    const silent = o.now() - last;
    if (!this.stale && silent > o.staleMs) {
      this.stale = true;
      o.journal.write("feed_stale", { silent_ms: silent, action: o.action }, true);
      o.log.warn("feed_stale", { message: `no bar from the feed for ${silent} ms; ${o.action}` });
      if (o.risk.state === "ACTIVE" || o.action === "HALTED") {
        o.risk.setState(o.action, `feed stale (no bar for ${Math.round(silent / 1000)} s)`);
      }
    } else if (this.stale && silent <= o.staleMs) {
      this.stale = false;
      o.journal.write("feed_recovered", {}, true);
    }
  }
}
