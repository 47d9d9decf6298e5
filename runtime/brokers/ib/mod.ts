/**
 * The Interactive Brokers adapter (`--broker ib`): TWS or IB Gateway through `@stoqey/ib`.
 * Nothing outside this folder knows IB's types; the rest of Harvester sees a `Broker`.
 *
 * @example
 * const broker = createIbBroker({ uri: "127.0.0.1:7497:1", env: Deno.env.toObject() });
 * broker.onEvent((e) => console.log(e));
 * await broker.connect();
 */
import { setTimeout as unrefTimeout } from "node:timers";
import { get_calendar } from "../../../calendars/mod.ts";
import type { Broker } from "../broker.ts";
import { ibSettings } from "./config.ts";
import { type ContractOverride, loadContractOverrides } from "./contracts.ts";
import { IbBroker } from "./ib_broker.ts";
import type { MinuteFilter } from "./market_data.ts";

export { IB_DEFAULTS, type IbMarketDataMode, type IbSettings, ibSettings } from "./config.ts";
export {
  IbConnectError,
  IbContractError,
  IbError,
  IbNotConnectedError,
  IbRequestError,
  IbTimeoutError,
} from "./errors.ts";
export { IbBroker } from "./ib_broker.ts";
export { MinuteBars, type MinuteFilter } from "./market_data.ts";
export { type ContractOverride, loadContractOverrides } from "./contracts.ts";

/** Options of `createIbBroker`. */
export interface IbBrokerOptions {
  /** `host:port:client_id` (`--broker-uri`); parts left empty come from the environment. */
  uri?: string;
  /**
   * The environment: `HARVESTER_IB_HOST` / `_PORT` / `_CLIENT_ID` (default 127.0.0.1:7497:1),
   * `HARVESTER_IB_MD_CLIENT_ID` (market data, default client id + 1), `HARVESTER_IB_ACCOUNT`,
   * `HARVESTER_IB_MARKET_DATA` (`bars` | `ticks`), `HARVESTER_IB_DELAYED` (1: delayed data, as
   * ticks), `HARVESTER_IB_CONTRACTS` (the contracts file).
   */
  env?: Record<string, string | undefined>;
  /** JSON file of per-symbol contract fields (see `contracts.ts`); overrides the environment. */
  contractsFile?: string;
  /** The clock (UTC ms). @default Date.now */
  now?: () => number;
  /** Waits: reconnection backoff and the commission wait. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) of the reconnection backoff. @default Math.random */
  random?: () => number;
  /** Handshake timeout (ms). @default 10000 */
  connectTimeoutMs?: number;
  /** Timeout of one request (contract details, positions…) (ms). @default 15000 */
  requestTimeoutMs?: number;
  /** How long a fill waits for its commission report (ms). @default 5000 */
  commissionTimeoutMs?: number;
  /**
   * How long an error about an order waits for an orderStatus before TWS is asked what became of
   * the order (ms). @default 3000
   */
  errorGraceMs?: number;
  /**
   * How often executions of orders placed by other clients (TWS by hand, other API clients) are
   * asked for, so they are booked while the session runs (ms, wall time; 0: never). @default 30000
   */
  executionsPollMs?: number;
  /** Bars are kept on this calendar's trading minutes; null keeps every bar. @default XNYS */
  calendar?: MinuteFilter | null;
  /** First reconnection delay, doubled after each failure, ±50 % jitter (ms). @default 1000 */
  reconnectInitialDelayMs?: number;
  /** Longest reconnection delay (ms). @default 30000 */
  reconnectMaxDelayMs?: number;
  /** Reconnection attempts before giving up (0 or Infinity: keep trying). @default Infinity */
  reconnectMaxAttempts?: number;
  /** Messages per second sent to TWS (IB allows 50). @default 45 */
  maxRequestsPerSecond?: number;
}

/** A wait that does not keep the process alive (a reconnect loop must not outlive a session). */
function realSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => unrefTimeout(resolve, ms).unref());
}

/**
 * An IB broker from options and the environment. Nothing connects until `connect()`; market data
 * connects on the first `subscribeBars`.
 *
 * @example
 * const broker = createIbBroker({ env: { HARVESTER_IB_PORT: "4002" } }); // IB Gateway, paper
 */
export function createIbBroker(options: IbBrokerOptions = {}): Broker {
  const settings = ibSettings(options.uri, options.env ?? {}, options.contractsFile);
  const overrides: Map<string, ContractOverride> = settings.contractsFile
    ? loadContractOverrides(settings.contractsFile)
    : new Map();
  return new IbBroker({
    settings,
    overrides,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    commissionTimeoutMs: options.commissionTimeoutMs ?? 5000,
    errorGraceMs: options.errorGraceMs ?? 3000,
    executionsPollMs: options.executionsPollMs ?? 30_000,
    calendar: options.calendar === undefined ? get_calendar("XNYS") : options.calendar,
    policy: {
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      initialDelayMs: options.reconnectInitialDelayMs ?? 1000,
      maxDelayMs: options.reconnectMaxDelayMs ?? 30_000,
      maxAttempts: options.reconnectMaxAttempts ?? Infinity,
      random: options.random ?? Math.random,
      maxRequestsPerSecond: options.maxRequestsPerSecond ?? 45,
    },
  });
}
