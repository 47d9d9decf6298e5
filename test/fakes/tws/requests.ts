/**
 * Client → server requests of the TWS API at the connection's server version (176…193), parsed
 * from their fields. Only the requests a trading adapter sends are decoded; anything else comes
 * back as `unknown`. placeOrder and cancelOrder are read whole (`place_order.ts`).
 */
import {
  parseCancelOrder,
  parsePlaceOrder,
  type PlaceOrderRequest,
  type RequestedContract,
  type UnreadableRequest,
} from "./place_order.ts";
import { FieldCursor } from "./wire.ts";

export type { PlaceOrderRequest, RequestedContract } from "./place_order.ts";

/** Outgoing (from the client) message ids. */
export const OUT = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_CURRENT_TIME: 49,
  REQ_REAL_TIME_BARS: 50,
  CANCEL_REAL_TIME_BARS: 51,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
  REQ_COMPLETED_ORDERS: 99,
} as const;

export type TwsRequest =
  | { type: "startApi"; clientId: number; capabilities: string }
  | { type: "reqIds" }
  | { type: "reqManagedAccts" }
  | { type: "reqCurrentTime" }
  | { type: "reqContractDetails"; reqId: number; contract: RequestedContract }
  | PlaceOrderRequest
  | UnreadableRequest
  | { type: "cancelOrder"; orderId: number }
  | { type: "reqOpenOrders" }
  | { type: "reqAllOpenOrders" }
  | { type: "reqAutoOpenOrders"; autoBind: boolean }
  | { type: "reqCompletedOrders"; apiOnly: boolean }
  | { type: "reqPositions" }
  | { type: "cancelPositions" }
  | { type: "reqAccountSummary"; reqId: number; group: string; tags: string[] }
  | { type: "cancelAccountSummary"; reqId: number }
  | {
    type: "reqExecutions";
    reqId: number;
    clientId: number;
    account: string;
    time: string;
    symbol: string;
    side: string;
  }
  | {
    type: "reqRealTimeBars";
    reqId: number;
    contract: RequestedContract;
    barSize: number;
    whatToShow: string;
    useRTH: boolean;
  }
  | { type: "cancelRealTimeBars"; reqId: number }
  | {
    type: "reqMktData";
    reqId: number;
    contract: RequestedContract;
    genericTicks: string;
    snapshot: boolean;
  }
  | { type: "cancelMktData"; reqId: number }
  | { type: "reqMarketDataType"; dataType: number }
  | { type: "unknown"; id: number; fields: string[] };

/** conId, symbol, secType, expiry, strike, right, multiplier, exchange, primaryExch, currency… */
function contract(c: FieldCursor, withPrimary = true): RequestedContract {
  const conId = c.int(), symbol = c.str(), secType = c.str();
  c.skip(4); // lastTradeDateOrContractMonth, strike, right, multiplier
  const exchange = c.str();
  const primaryExchange = withPrimary ? c.str() : "";
  const currency = c.str();
  c.skip(2); // localSymbol, tradingClass
  return { conId, symbol, secType, exchange, primaryExchange, currency };
}

/** Decodes one request from its fields, as TWS reads it at server version `v`. */
export function parseRequest(v: number, fields: readonly string[]): TwsRequest {
  const c = new FieldCursor(fields);
  const id = c.int();
  switch (id) {
    case OUT.START_API: {
      c.skip(); // version
      return { type: "startApi", clientId: c.int(), capabilities: c.str() };
    }
    case OUT.REQ_IDS:
      return { type: "reqIds" };
    case OUT.REQ_MANAGED_ACCTS:
      return { type: "reqManagedAccts" };
    case OUT.REQ_CURRENT_TIME:
      return { type: "reqCurrentTime" };
    case OUT.REQ_CONTRACT_DATA: {
      c.skip(); // version
      const reqId = c.int();
      return { type: "reqContractDetails", reqId, contract: contract(c) };
    }
    case OUT.PLACE_ORDER:
      return parsePlaceOrder(v, c);
    case OUT.CANCEL_ORDER:
      return parseCancelOrder(v, c);
    case OUT.REQ_OPEN_ORDERS:
      return { type: "reqOpenOrders" };
    case OUT.REQ_ALL_OPEN_ORDERS:
      return { type: "reqAllOpenOrders" };
    case OUT.REQ_AUTO_OPEN_ORDERS:
      c.skip();
      return { type: "reqAutoOpenOrders", autoBind: c.bool() };
    case OUT.REQ_COMPLETED_ORDERS:
      return { type: "reqCompletedOrders", apiOnly: c.bool() };
    case OUT.REQ_POSITIONS:
      return { type: "reqPositions" };
    case OUT.CANCEL_POSITIONS:
      return { type: "cancelPositions" };
    case OUT.REQ_ACCOUNT_SUMMARY: {
      c.skip();
      const reqId = c.int(), group = c.str();
      return { type: "reqAccountSummary", reqId, group, tags: c.str().split(",").filter(Boolean) };
    }
    case OUT.CANCEL_ACCOUNT_SUMMARY:
      c.skip();
      return { type: "cancelAccountSummary", reqId: c.int() };
    case OUT.REQ_EXECUTIONS: {
      c.skip();
      const reqId = c.int(), clientId = c.int(), account = c.str(), time = c.str();
      const symbol = c.str();
      c.skip(2); // secType, exchange
      return { type: "reqExecutions", reqId, clientId, account, time, symbol, side: c.str() };
    }
    case OUT.REQ_REAL_TIME_BARS: {
      c.skip();
      const reqId = c.int(), k = contract(c);
      const barSize = c.int(), whatToShow = c.str(), useRTH = c.bool();
      return { type: "reqRealTimeBars", reqId, contract: k, barSize, whatToShow, useRTH };
    }
    case OUT.CANCEL_REAL_TIME_BARS:
      c.skip();
      return { type: "cancelRealTimeBars", reqId: c.int() };
    case OUT.REQ_MKT_DATA: {
      c.skip();
      const reqId = c.int(), k = contract(c);
      c.skip(); // delta-neutral contract flag (0)
      const genericTicks = c.str(), snapshot = c.bool();
      return { type: "reqMktData", reqId, contract: k, genericTicks, snapshot };
    }
    case OUT.CANCEL_MKT_DATA:
      c.skip();
      return { type: "cancelMktData", reqId: c.int() };
    case OUT.REQ_MARKET_DATA_TYPE:
      c.skip();
      return { type: "reqMarketDataType", dataType: c.int() };
    default:
      return { type: "unknown", id, fields: [...fields] };
  }
}
