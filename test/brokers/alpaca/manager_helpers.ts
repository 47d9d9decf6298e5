/**
 * The order manager wired to an Alpaca broker, as a live session wires it: a ledger, a journal
 * file, the risk gate, client order ids, assets by symbol.
 */
import { Equity } from "../../../runtime/assets/asset.ts";
import type { Broker, BrokerEvent } from "../../../runtime/brokers/broker.ts";
import { Ledger } from "../../../runtime/finance/ledger.ts";
import { Journal } from "../../../runtime/live/journal.ts";
import { ClientOrderIds } from "../../../runtime/orders/ids.ts";
import { OrderManager } from "../../../runtime/orders/manager.ts";
import { RiskGate } from "../../../runtime/orders/risk.ts";

export const ASSETS = new Map(
  ["AAPL", "MSFT"].map((s, i) => [s, new Equity(i + 1, s, s, "NASDAQ", 0, Infinity, Infinity)]),
);

export function managed(
  broker: Broker,
  journalPath: string,
  now: () => number,
  opts: {
    ids?: ClientOrderIds;
    ledger?: Ledger;
    prices?: Record<string, number>;
    risk?: RiskGate;
    quality?: boolean;
  } = {},
) {
  const ledger = opts.ledger ?? new Ledger(100_000, 0);
  const journal = new Journal(journalPath, now);
  const warnings: string[] = [];
  // The broker has one listener (the manager); the test sees every event on its way there.
  const events: BrokerEvent[] = [];
  const register = broker.onEvent.bind(broker);
  broker.onEvent = (listener) =>
    register((e) => {
      events.push(e);
      listener(e);
    });
  const manager = new OrderManager({
    broker,
    audit: journal,
    risk: opts.risk ?? new RiskGate(),
    ids: opts.ids ?? new ClientOrderIds("0a0b0c0d"),
    ledger,
    assetOf: (s) => ASSETS.get(s),
    priceOf: (a) => opts.prices?.[a.symbol] ?? 100,
    now,
    warn: (event, fields) => warnings.push(`${event}: ${fields.message ?? ""}`),
    quality: opts.quality,
  });
  return { manager, ledger, journal, warnings, events };
}

/** Positions of a ledger by symbol (non-zero only). */
export function holdings(ledger: Ledger): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of ledger.positions.values()) if (p.amount) out[p.asset.symbol] = p.amount;
  return out;
}
