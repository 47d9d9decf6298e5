/**
 * Reconciliation as pure arithmetic (nautilus' way): given what we believe and what the broker
 * reports, decide what to re-attach, adopt, resolve, and whether positions drift. The session
 * only carries the decisions out.
 */
import type { BrokerOrder, BrokerPosition } from "../model/broker.ts";
import { type OrderState, TERMINAL } from "./state.ts";

export interface LocalOrder {
  client_order_id: string;
  state: OrderState;
  symbol: string;
}

export interface ReconcileInput {
  /** Our orders that were not terminal when last persisted. */
  local: readonly LocalOrder[];
  /** Open orders at the broker. */
  brokerOpen: readonly BrokerOrder[];
  /** The broker's answer for each local order not among its open orders (null: unknown). */
  lookups: ReadonlyMap<string, BrokerOrder | null>;
  /** Positions by symbol as we hold them after applying the decisions, and at the broker. */
  localPositions: ReadonlyMap<string, number>;
  brokerPositions: readonly BrokerPosition[];
  /** Whether an id is ours (from this state file's id family). */
  ours(client_order_id: string): boolean;
}

export interface Reconciliation {
  /** Our orders the broker still has open: keep tracking them, updated to its state. */
  reattach: BrokerOrder[];
  /** Our orders the broker has finished (filled, canceled…) while we were away. */
  resolved: BrokerOrder[];
  /** Our orders the broker never received: they end REJECTED (never re-sent). */
  unknown: LocalOrder[];
  /** Broker orders that are not ours: tracked as external. */
  adopt: BrokerOrder[];
  /** Positions that differ and cannot be explained. */
  drift: { symbol: string; local: number; broker: number }[];
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const open = new Map(input.brokerOpen.map((o) => [o.client_order_id, o]));
  const out: Reconciliation = { reattach: [], resolved: [], unknown: [], adopt: [], drift: [] };
  for (const o of input.local) {
    if (TERMINAL.has(o.state)) continue;
    const live = open.get(o.client_order_id);
    if (live) {
      out.reattach.push(live);
      continue;
    }
    const found = input.lookups.get(o.client_order_id) ?? null;
    if (found) out.resolved.push(found);
    else out.unknown.push(o);
  }
  const localIds = new Set(input.local.map((o) => o.client_order_id));
  for (const b of input.brokerOpen) {
    if (!localIds.has(b.client_order_id) && !input.ours(b.client_order_id)) out.adopt.push(b);
  }
  const broker = new Map(input.brokerPositions.map((p) => [p.symbol, p.amount]));
  const symbols = new Set([...broker.keys(), ...input.localPositions.keys()]);
  for (const s of symbols) {
    const l = input.localPositions.get(s) ?? 0, b = broker.get(s) ?? 0;
    if (l !== b) out.drift.push({ symbol: s, local: l, broker: b });
  }
  return out;
}
