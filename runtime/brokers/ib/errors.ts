/**
 * IB's message codes, sorted into what they mean for a session, and the adapter's error classes.
 * TWS reports everything — lost connectivity, farm status, order rejections, request failures —
 * as "error" messages with a code and the id of the request or order concerned (-1: none).
 */
import { HarvesterError } from "../../errors.ts";

/** What a code means for the broker. */
export type IbCodeKind =
  | "link_lost" // 1100: TWS lost its connection to IB
  | "link_restored_data_lost" // 1101: back; market data subscriptions must be made again
  | "link_restored" // 1102: back, subscriptions kept
  | "farm_ok" // 2104 / 2106 / 2158 / 2107 / 2108 / 2119: data farm status, informational
  | "farm_broken" // 2103 / 2105 / 2157: a data farm is unreachable
  | "order_rejected" // 201 and friends: the order will not work
  | "order_canceled" // 202: the cancel is confirmed (or TWS canceled the order)
  | "cancel_rejected" // 161 / 10147 / 10148: the cancel could not be done
  | "warning" // informational or a warning about an order that keeps working
  | "error";

const REJECTING = new Set([
  103,
  104,
  105,
  106,
  107,
  109,
  110,
  111,
  116,
  117,
  118,
  119,
  200,
  201,
  203,
  321,
  382,
  383,
  387,
  388,
  434,
  435,
  436,
]);
const CANCEL_REJECTED = new Set([161, 10147, 10148, 10149]);
const FARM_OK = new Set([2104, 2106, 2107, 2108, 2119, 2158]);
const FARM_BROKEN = new Set([2103, 2105, 2157]);
const WARNINGS = new Set([399, 404, 10167, 10197, 2109, 2137, 2176]);

/** The meaning of an IB message code. */
export function classifyCode(code: number): IbCodeKind {
  if (code === 1100) return "link_lost";
  if (code === 1101) return "link_restored_data_lost";
  if (code === 1102) return "link_restored";
  if (FARM_OK.has(code)) return "farm_ok";
  if (FARM_BROKEN.has(code)) return "farm_broken";
  if (code === 202) return "order_canceled";
  if (REJECTING.has(code)) return "order_rejected";
  if (CANCEL_REJECTED.has(code)) return "cancel_rejected";
  if (WARNINGS.has(code) || (code >= 2100 && code < 2200)) return "warning";
  return "error";
}

/** The reason part of "Order rejected - reason:…" / "Order Canceled - reason:…", else the text. */
export function reasonOf(text: string): string {
  const i = text.indexOf("reason:");
  const r = i >= 0 ? text.slice(i + 7).trim() : "";
  return r || text.trim();
}

/** Where the adapter connects. */
export interface IbEndpoint {
  host: string;
  port: number;
  clientId: number;
}

const where = (e: IbEndpoint) => `${e.host}:${e.port} (client id ${e.clientId})`;

/** Something the IB adapter could not do. */
export class IbError extends HarvesterError {
  override name = "IbError";
}

/** TWS / IB Gateway could not be reached or refused the session. */
export class IbConnectError extends IbError {
  override name = "IbConnectError";
  constructor(readonly endpoint: IbEndpoint, readonly code: number, detail: string) {
    super(
      `cannot connect to TWS/IB Gateway at ${where(endpoint)}: ${detail} (IB ${code}). ` +
        (code === 326
          ? "Another program uses this client id: pick another with --broker-uri host:port:id."
          : "Check that TWS or IB Gateway runs with the API enabled (Configure → API → " +
            "Settings) on this port (TWS paper 7497, live 7496; Gateway paper 4002, live 4001)."),
    );
  }
}

/** A request made while the connection is down (IB's 504 "Not connected"). */
export class IbNotConnectedError extends IbError {
  override name = "IbNotConnectedError";
  readonly code = 504;
  constructor(readonly what: string, endpoint: IbEndpoint) {
    super(`${what}: not connected to TWS/IB Gateway at ${where(endpoint)} (IB 504); retry later`);
  }
}

/** TWS answered a request with an error. */
export class IbRequestError extends IbError {
  override name = "IbRequestError";
  constructor(readonly what: string, readonly code: number, readonly text: string) {
    super(`${what}: ${text} (IB ${code})`);
  }
}

/** TWS did not finish answering a request in time. */
export class IbTimeoutError extends IbError {
  override name = "IbTimeoutError";
  constructor(readonly what: string, readonly ms: number) {
    super(`${what}: no complete answer from TWS/IB Gateway within ${ms} ms`);
  }
}

/** A symbol that cannot be turned into exactly one IB contract. */
export class IbContractError extends IbError {
  override name = "IbContractError";
  constructor(readonly symbol: string, detail: string) {
    super(
      `${symbol}: ${detail}; name the contract in the IB contracts file ` +
        `(HARVESTER_IB_CONTRACTS), e.g. {"${symbol}": {"primaryExchange": "NYSE"}}`,
    );
  }
}
