/**
 * Server → client messages of the TWS API, field by field as TWS sends them at the version the
 * connection agreed (`v`, 176…193; which fields exist depends on it — see `versions.ts`). The
 * layouts follow IB's reference client (EDecoder.java / decoder.py, which read them in this order)
 * and `@stoqey/ib` 1.6.10's decoder. Each function returns the fields of one message; `frame`
 * sends them.
 */
import { V } from "./versions.ts";
import type { Field } from "./wire.ts";

/** Incoming (to the client) message ids. */
export const IN = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  TICK_STRING: 46,
  CURRENT_TIME: 49,
  REAL_TIME_BARS: 50,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  EXECUTION_DATA_END: 55,
  MARKET_DATA_TYPE: 58,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  TICK_REQ_PARAMS: 81,
  COMPLETED_ORDER: 101,
  COMPLETED_ORDERS_END: 102,
} as const;

/** A stock as the fake's contract database holds it. */
export interface TwsStock {
  conId: number;
  symbol: string;
  primaryExchange: string;
  currency: string;
  longName: string;
  minTick: number;
}

/** An order as the fake's book holds it. */
export interface TwsOrder {
  orderId: number;
  clientId: number;
  permId: number;
  stock: TwsStock;
  exchange: string;
  action: "BUY" | "SELL";
  quantity: number;
  orderType: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  account: string;
  orderRef: string;
  status: string;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  whyHeld: string;
  completedTime: string;
  completedStatus: string;
}

/** One execution. `commission` null: not reported yet. */
export interface TwsExecution {
  execId: string;
  order: TwsOrder;
  time: string;
  /** UTC ms of `time`, for filters. */
  timeMs: number;
  shares: number;
  price: number;
  cumQty: number;
  avgPrice: number;
  commission: number | null;
}

/** IB's "unset double" (Double.MAX_VALUE), sent where a value does not apply. */
export const UNSET_DOUBLE = "1.7976931348623157E308";

/** The contract fields most messages share (conId … tradingClass). */
export const contractFields = (s: TwsStock, exchange: string): Field[] => [
  s.conId,
  s.symbol,
  "STK",
  "", // lastTradeDateOrContractMonth
  0, // strike
  "", // right
  "", // multiplier
  exchange,
  s.currency,
  s.symbol, // localSymbol
  s.symbol, // tradingClass
];

export const nextValidId = (id: number): Field[] => [IN.NEXT_VALID_ID, 1, id];
export const managedAccounts = (accounts: readonly string[]): Field[] => [
  IN.MANAGED_ACCTS,
  1,
  accounts.join(","),
];
export const currentTime = (seconds: number): Field[] => [IN.CURRENT_TIME, 1, seconds];

/** An error or notice; id -1 for notices that belong to no request or order. */
export const errorMessage = (id: number, code: number, message: string): Field[] => [
  IN.ERR_MSG,
  2,
  id,
  code,
  message,
  "", // advancedOrderRejectJson
];

/**
 * contractDetails of a stock (no message version since SIZE_RULES, 164). From 182 the
 * lastTradeDate follows lastTradeDateOrContractMonth; from 186 the ineligibility reasons end it.
 */
export function contractData(v: number, reqId: number, s: TwsStock, exchange: string): Field[] {
  return [
    IN.CONTRACT_DATA,
    reqId,
    s.symbol,
    "STK",
    "", // lastTradeDateOrContractMonth
    ...(v >= V.LAST_TRADE_DATE ? [""] : []), // lastTradeDate
    0, // strike
    "", // right
    exchange,
    s.currency,
    s.symbol, // localSymbol
    "NMS", // marketName
    s.symbol, // tradingClass
    s.conId,
    s.minTick,
    "", // multiplier
    "ACTIVETIM,AD,ALERT,ALLOC,AVGCOST,BASKET,LMT,MKT,STP,STPLMT,TRAIL",
    `SMART,${s.primaryExchange}`, // validExchanges
    1, // priceMagnifier
    0, // underConId
    s.longName,
    s.primaryExchange,
    "", // contractMonth
    "Technology", // industry
    "", // category
    "", // subcategory
    "US/Eastern", // timeZoneId
    "", // tradingHours
    "", // liquidHours
    "", // evRule
    "", // evMultiplier
    0, // secIdList count
    1, // aggGroup
    "", // underSymbol
    "", // underSecType
    "26,26", // marketRuleIds
    "", // realExpirationDate
    "COMMON", // stockType
    "0.0001", // minSize
    "0.0001", // sizeIncrement
    "100", // suggestedSizeIncrement
    // fund fields (179+) are sent for FUND contracts only
    ...(v >= V.INELIGIBILITY_REASONS ? [0] : []), // ineligibility reasons: none
  ];
}
export const contractDataEnd = (reqId: number): Field[] => [IN.CONTRACT_DATA_END, 1, reqId];

export const openOrderEnd = (): Field[] => [IN.OPEN_ORDER_END, 1];

export const orderStatus = (o: TwsOrder): Field[] => [
  IN.ORDER_STATUS,
  o.orderId,
  o.status,
  o.filled,
  o.quantity - o.filled,
  o.avgFillPrice,
  o.permId,
  0, // parentId
  o.lastFillPrice,
  o.clientId,
  o.whyHeld,
  0, // mktCapPrice
];

export const completedOrdersEnd = (): Field[] => [IN.COMPLETED_ORDERS_END];

/**
 * execDetails (no message version since LAST_LIQUIDITY, 136); reqId -1 for live executions. From
 * 178 it ends with pendingPriceRevision.
 */
export function execDetails(v: number, reqId: number, e: TwsExecution): Field[] {
  const o = e.order;
  return [
    IN.EXECUTION_DATA,
    reqId,
    o.orderId,
    ...contractFields(o.stock, o.stock.primaryExchange),
    e.execId,
    e.time,
    o.account,
    o.stock.primaryExchange, // execution exchange
    o.action === "BUY" ? "BOT" : "SLD",
    e.shares,
    e.price,
    o.permId,
    o.clientId,
    0, // liquidation
    e.cumQty,
    e.avgPrice,
    o.orderRef,
    "", // evRule
    "", // evMultiplier
    "", // modelCode
    1, // lastLiquidity (added)
    ...(v >= V.PENDING_PRICE_REVISION ? [0] : []), // pendingPriceRevision
  ];
}
export const execDetailsEnd = (reqId: number): Field[] => [IN.EXECUTION_DATA_END, 1, reqId];

export const commissionReport = (e: TwsExecution): Field[] => [
  IN.COMMISSION_REPORT,
  1,
  e.execId,
  e.commission ?? 0,
  "USD",
  UNSET_DOUBLE, // realizedPNL
  UNSET_DOUBLE, // yield
  "", // yieldRedemptionDate
];

export const position = (
  account: string,
  s: TwsStock,
  amount: number,
  avgCost: number,
): Field[] => [
  IN.POSITION,
  3,
  account,
  ...contractFields(s, ""),
  amount,
  avgCost,
];
export const positionEnd = (): Field[] => [IN.POSITION_END, 1];

export const accountSummary = (
  reqId: number,
  account: string,
  tag: string,
  value: string,
  currency: string,
): Field[] => [IN.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];
export const accountSummaryEnd = (reqId: number): Field[] => [IN.ACCOUNT_SUMMARY_END, 1, reqId];

/** A 5-second bar; `time` is the bar's start in epoch seconds. */
export const realTimeBar = (
  reqId: number,
  b: { time: number; open: number; high: number; low: number; close: number; volume: number },
): Field[] => [
  IN.REAL_TIME_BARS,
  3,
  reqId,
  b.time,
  b.open,
  b.high,
  b.low,
  b.close,
  b.volume,
  (b.open + b.high + b.low + b.close) / 4, // wap
  1, // count
];

export const tickPrice = (reqId: number, type: number, price: number, size: number): Field[] => [
  IN.TICK_PRICE,
  6,
  reqId,
  type,
  price,
  size,
  0, // attribute mask
];
export const tickSize = (reqId: number, type: number, size: number): Field[] => [
  IN.TICK_SIZE,
  6,
  reqId,
  type,
  size,
];
export const tickString = (reqId: number, type: number, value: string): Field[] => [
  IN.TICK_STRING,
  6,
  reqId,
  type,
  value,
];
export const marketDataType = (reqId: number, type: number): Field[] => [
  IN.MARKET_DATA_TYPE,
  1,
  reqId,
  type,
];
export const tickReqParams = (reqId: number): Field[] => [
  IN.TICK_REQ_PARAMS,
  reqId,
  "0.01", // minTick
  "9c0001", // bboExchange
  3, // snapshotPermissions
];
