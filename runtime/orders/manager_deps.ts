/** What the order manager is built from, and when a change reaches the day's order list. */
import type { Asset } from "../assets/asset.ts";
import type { Ledger } from "../finance/ledger.ts";
import type { Broker } from "../model/broker.ts";
import type { AuditLog } from "./audit.ts";
import type { ClientOrderIds } from "./ids.ts";
import type { InFlightPolicy } from "./inflight.ts";
import type { RiskGate } from "./risk.ts";

export interface ManagerDeps {
  broker: Broker;
  audit: AuditLog;
  /** The pre-trade gate; null: none (a backtest, unless asked for). */
  risk: RiskGate | null;
  ids: ClientOrderIds;
  ledger: Ledger;
  assetOf(symbol: string): Asset | undefined;
  priceOf(asset: Asset): number;
  now(): number;
  warn(event: string, fields: Record<string, unknown>): void;
  /** Log and journal would-be orders, send nothing. */
  dryRun?: boolean;
  /** Hand the audit log to the OS before each order is sent (see live/journal.ts). */
  journalBeforeSend?: boolean;
  /** When orders waiting on the broker are asked about (see `checkInFlight`). */
  inflight?: InFlightPolicy;
  /** Keep decision prices and wall-clock latencies per order (live execution quality). */
  quality?: boolean;
  /**
   * The broker is the engine's own in-process venue, acting only when the engine or the manager
   * calls it: its events come by direct calls (`Broker.attachSink`) and apply at once.
   */
  inProcessVenue?: boolean;
}

/**
 * When an order's change reaches the day's order list (zipline's `process_order`): at once, at
 * the next bar (zipline relays the daily cancel policy's cancellations with the next bar's
 * orders), or never (its minute cancel policy does not relay them).
 */
export type Report = "now" | "next_bar" | "never";
