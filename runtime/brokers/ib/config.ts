/**
 * Where and how to reach TWS / IB Gateway: `--broker-uri host:port:client_id`, else
 * `HARVESTER_IB_HOST` / `_PORT` / `_CLIENT_ID`, else 127.0.0.1:7497:1 (TWS's paper port). Market
 * data runs on its own client id (`HARVESTER_IB_MD_CLIENT_ID`, default the order client id + 1).
 */
import { InvalidInputError } from "../../errors.ts";
import type { IbEndpoint } from "./errors.ts";

/** Market data as 5-second real-time bars or as trade ticks, both aggregated to minutes. */
export type IbMarketDataMode = "bars" | "ticks";

/** Everything the environment and the URI decide. */
export interface IbSettings {
  orders: IbEndpoint;
  marketData: IbEndpoint;
  /** The account to trade and report (default: the first managed account). */
  account: string | null;
  marketDataMode: IbMarketDataMode;
  /** Delayed (free) market data instead of live subscriptions (ticks only). */
  delayed: boolean;
  contractsFile: string | null;
}

/** Defaults: TWS paper trading on this machine, client id 1. */
export const IB_DEFAULTS = { host: "127.0.0.1", port: 7497, clientId: 1 } as const;

function int(field: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || n < min || n > max) {
    throw new InvalidInputError(field, v, `must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function flag(field: string, v: string | undefined): boolean {
  if (v === undefined || v === "") return false;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new InvalidInputError(field, v, "must be 1/true or 0/false");
}

/**
 * Settings from a `host:port:client_id` URI (any part may be empty) and the environment.
 *
 * @example
 * ibSettings("127.0.0.1:4002:7", {}).orders; // { host: "127.0.0.1", port: 4002, clientId: 7 }
 */
export function ibSettings(
  uri: string | undefined,
  env: Record<string, string | undefined>,
  contractsFile?: string,
): IbSettings {
  let host = env.HARVESTER_IB_HOST || IB_DEFAULTS.host;
  let port = env.HARVESTER_IB_PORT
    ? int("HARVESTER_IB_PORT", env.HARVESTER_IB_PORT, 1, 65535)
    : IB_DEFAULTS.port;
  let clientId = env.HARVESTER_IB_CLIENT_ID
    ? int("HARVESTER_IB_CLIENT_ID", env.HARVESTER_IB_CLIENT_ID, 0, 2 ** 31 - 2)
    : IB_DEFAULTS.clientId;
  if (uri !== undefined && uri !== "") {
    const parts = uri.split(":");
    if (parts.length > 3) {
      throw new InvalidInputError("--broker-uri", uri, "expected host:port:client_id");
    }
    const [h, p, c] = parts;
    if (h) host = h;
    if (p) port = int("--broker-uri port", p, 1, 65535);
    if (c) clientId = int("--broker-uri client id", c, 0, 2 ** 31 - 2);
  }
  const md = env.HARVESTER_IB_MD_CLIENT_ID
    ? int("HARVESTER_IB_MD_CLIENT_ID", env.HARVESTER_IB_MD_CLIENT_ID, 0, 2 ** 31 - 1)
    : clientId + 1;
  if (md === clientId) {
    throw new InvalidInputError(
      "HARVESTER_IB_MD_CLIENT_ID",
      md,
      "market data needs a client id of its own (not the order client id)",
    );
  }
  const mode = env.HARVESTER_IB_MARKET_DATA || "bars";
  if (mode !== "bars" && mode !== "ticks") {
    throw new InvalidInputError("HARVESTER_IB_MARKET_DATA", mode, 'must be "bars" or "ticks"');
  }
  const delayed = flag("HARVESTER_IB_DELAYED", env.HARVESTER_IB_DELAYED);
  return {
    orders: { host, port, clientId },
    marketData: { host, port, clientId: md },
    account: env.HARVESTER_IB_ACCOUNT || null,
    // Real-time bars need a live subscription: delayed data comes as ticks.
    marketDataMode: delayed ? "ticks" : mode,
    delayed,
    contractsFile: contractsFile ?? (env.HARVESTER_IB_CONTRACTS || null),
  };
}
